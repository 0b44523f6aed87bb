"""The Wagtail API v2, read-only, mounted at /api/v2/ (pages, images, documents).

Each page type lists what it exposes in its `api_fields`; for instance
`/api/v2/pages/?type=content.DestinationPage&fields=*`. Only live, public pages of the
requested site appear (Wagtail's own filter), and only the images they use (`public_images`).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, IntegerField, Q
from django.db.models.functions import Cast
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images import get_image_model
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Page, ReferenceIndex

from content.models import DestinationPage, EventPage, StoryPage, ToolkitAsset

# What each page type's `api_fields` read, loaded with the page list rather than per page.
RELATED = {
    DestinationPage: {
        "select": ["area", "hero_image"],
        "prefetch": ["tags", "hero_image__renditions"],
    },
    StoryPage: {
        "select": ["area", "author", "hero_image"],
        "prefetch": ["tags", "hero_image__renditions"],
    },
    EventPage: {
        "select": ["area", "venue_page", "hero_image"],
        "prefetch": ["tags", "hero_image__renditions"],
    },
}


class ContentPagesAPIViewSet(PagesAPIViewSet):
    def get_queryset(self):
        queryset = super().get_queryset()
        related = RELATED.get(queryset.model)
        if related:
            queryset = queryset.select_related("locale", *related["select"]).prefetch_related(
                *related["prefetch"]
            )
        return queryset


class PublicDocumentsAPIViewSet(DocumentsAPIViewSet):
    """Wagtail already hides documents in restricted collections; the place-brand mark is
    only handed out through the toolkit's licence check, so it is not listed either."""

    def get_queryset(self):
        licensed = ToolkitAsset.objects.filter(licensed=True).values("document_id")
        return super().get_queryset().exclude(pk__in=licensed)


def public_images(queryset):
    """The images the public may list: those that live, public pages use (Wagtail's
    reference index records every image a page points to, in a field, a StreamField block
    or rich text) and those of the collections named in PUBLIC_IMAGE_COLLECTIONS. An upload
    nobody published (a pending suggestion's photo, a proposed story's pictures, a draft's
    hero) is never listed, nor its original's download_url handed out."""
    public_pages = Page.objects.live().public().annotate(key=Cast("pk", CharField())).values("key")
    used = (
        ReferenceIndex.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=public_pages,
            to_content_type=ContentType.objects.get_for_model(get_image_model()),
        )
        .annotate(image_id=Cast("to_object_id", IntegerField()))
        .values("image_id")
    )
    visible = Q(pk__in=used)
    collections = getattr(settings, "PUBLIC_IMAGE_COLLECTIONS", ())
    if collections:
        visible |= Q(collection__name__in=collections)
    return queryset.filter(visible)


class PublicImagesAPIViewSet(ImagesAPIViewSet):
    def get_queryset(self):
        return public_images(super().get_queryset())


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", ContentPagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
