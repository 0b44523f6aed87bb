"""The Wagtail API v2, read-only, mounted at /api/v2/ (pages, images, documents).

Each page type lists what it exposes in its `api_fields`; for instance
`/api/v2/pages/?type=content.DestinationPage&fields=*`. Only live, public pages of the
requested site appear (Wagtail's own filter).
"""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

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


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", ContentPagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
