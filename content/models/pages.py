from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from content import api_serializers
from content.blocks import BodyBlock, OpeningHoursBlock
from content.caches import EVENT_LISTING_TIMEOUT, LISTING_TIMEOUT
from content.french_search import FrenchSearchMixin, french_search_fields

from .areas import Area
from .freshness import FreshnessMixin
from .sourced import SourcedFieldsMixin

PAGE_SIZE = 12


def image_field(verbose_name):
    return models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


def paginate(request, queryset, per_page=PAGE_SIZE):
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def paginate_pages(request, queryset, per_page=PAGE_SIZE):
    """`paginate()` for a page queryset: the ids of the whole listing, sorted, in one narrow
    query (its length is the count), then only the pages of the requested page with what
    `queryset` selects and prefetches. Sorting the whole section over narrow rows is what
    keeps the last page cheap; one list of ids costs less than a count and a slice."""
    ids = list(queryset.prefetch_related(None).values_list("pk", flat=True))
    results = paginate(request, ids, per_page)
    ids = list(results.object_list)
    pages = {page.pk: page for page in queryset.order_by().filter(pk__in=ids)}
    results.object_list = [pages[pk] for pk in ids if pk in pages]
    return results


HOME_LIST_LENGTH = 3


class HomePage(FrenchSearchMixin, Page):
    """The root of the territory's site."""

    tagline = models.CharField(_("tagline"), max_length=160, blank=True)
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    hero_image = image_field(_("hero image"))
    call_to_action = models.CharField(_("call to action"), max_length=80, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("tagline"),
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        FieldPanel("call_to_action"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), *french_search_fields()]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    # The lists show upcoming events and their places taken, which change with the clock.
    listing_cache_timeout = EVENT_LISTING_TIMEOUT

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read only when the template renders the lists, and not at all when they come from
        # the cache (`{% listing_cache %}` in home_page.html; content/caches.py).
        context["sections"] = SimpleLazyObject(self.sections)
        context["latest_stories"] = SimpleLazyObject(self.latest_stories)
        context["upcoming_occurrences"] = SimpleLazyObject(self.upcoming_occurrences)
        return context

    def sections(self) -> list[Page]:
        from .accessibility import AccessibilityStatementPage

        # The statement is linked from every page's footer, not a section of the site.
        pages = self.get_children().live().public().not_type(AccessibilityStatementPage)
        return list(pages.specific().order_by("path"))

    def latest_stories(self) -> list["StoryPage"]:
        return list(
            StoryPage.objects.live()
            .public()
            .filter(locale_id=self.locale_id)
            .select_related("hero_image", "area", "author")
            .prefetch_related("hero_image__renditions", "tags")
            .order_by("-date", "-pk")[:HOME_LIST_LENGTH]
        )

    def upcoming_occurrences(self) -> list:
        from .events import EventPage

        # Repeating events are few; one-off events are taken in date order, so three of each
        # are enough to find the next three dates.
        events = (
            EventPage.objects.live()
            .public()
            .upcoming()
            .filter(locale_id=self.locale_id)
            .exclude(status=EventPage.Status.CANCELLED)
            .select_related("hero_image", "area", "venue_page")
            .prefetch_related("hero_image__renditions", "tags")
            .with_places_taken()
        )
        candidates = list(events.exclude(recurrence="")) + list(
            events.filter(recurrence="").order_by("start")[:HOME_LIST_LENGTH]
        )
        occurrences = [event.next_occurrence() for event in candidates]
        return sorted(
            (occurrence for occurrence in occurrences if occurrence), key=lambda o: o.start
        )[:HOME_LIST_LENGTH]


class IndexPage(FrenchSearchMixin, Page):
    """A section of the site listing its pages, filtered by area and tag, paginated.

    The listing (filter bar, cards, pager) is computed lazily in the template, inside a
    `{% listing_cache %}` block: a cached listing costs no query (see content/caches.py)."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro"), *french_search_fields()]

    parent_page_types = ["content.HomePage"]
    max_count = 1
    listing_cache_timeout = LISTING_TIMEOUT

    class Meta:
        abstract = True

    def listed_pages(self, request):
        """The live children of this section, in listing order, with what their cards show."""
        raise NotImplementedError

    def listing_filters(self, request) -> dict:
        """The request's filters; an unknown area is ignored."""
        area_slug = request.GET.get("area")
        area = Area.objects.filter(slug=area_slug).first() if area_slug else None
        return {"area": area, "tag": request.GET.get("tag") or ""}

    def filter_listing(self, queryset, filters):
        if filters["area"] is not None:
            queryset = queryset.filter(area_id__in=filters["area"].descendant_ids())
        if filters["tag"]:
            # A subquery rather than a join: no duplicate rows, so no DISTINCT over wide rows.
            tagged = queryset.model.tags.through.objects.filter(tag__slug=filters["tag"])
            queryset = queryset.filter(pk__in=tagged.values("content_object_id"))
        return queryset

    def listing_results(self, request, filters):
        """The paginated listing, as the template iterates it."""
        return paginate_pages(request, self.filter_listing(self.listed_pages(request), filters))

    def tag_options(self, request):
        """The tags used by this section's live pages, for the filter bar: one query, run
        only when the listing around it is built (a cached listing holds the filter bar)."""
        from taggit.models import Tag

        pages = self.listed_pages(request)
        through = pages.model.tags.through
        tagged = through.objects.filter(content_object__in=pages.values("pk"))
        return list(Tag.objects.filter(pk__in=tagged.values("tag_id")).order_by("name"))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Nothing is queried until the template renders the listing, and not at all when
        # the listing comes from the cache.
        filters = SimpleLazyObject(lambda: self.listing_filters(request))
        context["filters"] = filters
        context["results"] = SimpleLazyObject(lambda: self.listing_results(request, filters))
        context["areas"] = Area.objects.all()
        context["tag_options"] = SimpleLazyObject(lambda: self.tag_options(request))
        return context


# Destinations ------------------------------------------------------------------------------


class DestinationIndexPage(IndexPage):
    subpage_types = ["content.DestinationPage"]
    template = "content/destination_index_page.html"

    class Meta:
        verbose_name = _("destination index")

    def listed_pages(self, request):
        return (
            DestinationPage.objects.child_of(self)
            .live()
            .public()
            .select_related("hero_image", "area")
            .prefetch_related("hero_image__renditions", "tags")
            .defer("body", "opening_hours")
            .order_by("title", "pk")
        )


class DestinationPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "content.DestinationPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class DestinationPage(SourcedFieldsMixin, FrenchSearchMixin, FreshnessMixin, Page):
    intro = models.TextField(_("introduction"), max_length=400, blank=True)
    hero_image = image_field(_("hero image"))
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    tags = ClusterTaggableManager(through=DestinationPageTag, blank=True)

    address = models.TextField(_("address"), blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    opening_hours = StreamField(
        [("hours", OpeningHoursBlock())], verbose_name=_("opening hours"), blank=True
    )
    accessibility = models.TextField(_("accessibility"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("description"), FieldPanel("description_en"), FieldPanel("source_image")],
            heading=_("From the source"),
            classname="collapsed",
        ),
        InlinePanel("gallery_images", label=_("gallery")),
        FieldPanel("area"),
        FieldPanel("tags"),
    ]
    practical_panels = [
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")], heading=_("coordinates")),
        FieldRowPanel([FieldPanel("phone"), FieldPanel("email"), FieldPanel("website")]),
        FieldPanel("opening_hours"),
        FieldPanel("accessibility"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
        index.SearchField("description"),
        index.SearchField("address"),
        *french_search_fields(tags=True, area=True),
        index.FilterField("area"),
    ]

    parent_page_types = ["content.DestinationIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("destination")
        verbose_name_plural = _("destinations")

    api_fields = [
        APIField("intro"),
        APIField("area", serializer=api_serializers.AreaField()),
        APIField("tags", serializer=api_serializers.TagNamesField()),
        APIField("address"),
        APIField("latitude", serializer=api_serializers.CoordinateField()),
        APIField("longitude", serializer=api_serializers.CoordinateField()),
        APIField("phone"),
        APIField("email"),
        APIField("website"),
        APIField("opening_hours"),
        APIField("accessibility"),
        APIField("hero_image", serializer=api_serializers.hero_rendition()),
        APIField("last_reviewed_at"),
        APIField("body"),
    ]

    @property
    def coordinates(self):
        if self.latitude is None or self.longitude is None:
            return None
        return (float(self.latitude), float(self.longitude))

    def get_context(self, request, *args, **kwargs):
        from .events import EventPage

        context = super().get_context(request, *args, **kwargs)
        context["gallery"] = self.gallery_images.select_related("image").prefetch_related(
            "image__renditions"
        )
        # Stories and events in this page's language about this place, whichever language's
        # page they point to (a translation copies its links as they were).
        context["related_stories"] = (
            StoryPage.objects.live()
            .public()
            .filter(
                locale_id=self.locale_id, related_destinations__translation_key=self.translation_key
            )
            .select_related("hero_image", "area", "author")
            .prefetch_related("hero_image__renditions", "tags")
            .order_by("-date")[:3]
        )
        context["related_events"] = (
            EventPage.objects.live()
            .public()
            .upcoming()
            .filter(locale_id=self.locale_id, venue_page__translation_key=self.translation_key)
            .select_related("hero_image", "area", "venue_page")
            .prefetch_related("hero_image__renditions", "tags")
            .with_places_taken()
            .order_by("start")[:3]
        )
        return context


class DestinationGalleryImage(Orderable):
    page = ParentalKey(DestinationPage, on_delete=models.CASCADE, related_name="gallery_images")
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="+")
    caption = models.CharField(_("caption"), max_length=250, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]


DestinationPage.settings_panels = Page.settings_panels + FreshnessMixin.freshness_panels


# Stories ----------------------------------------------------------------------------------


class StoryIndexPage(IndexPage):
    subpage_types = ["content.StoryPage"]
    template = "content/story_index_page.html"

    class Meta:
        verbose_name = _("story index")

    def listed_pages(self, request):
        return (
            StoryPage.objects.child_of(self)
            .live()
            .public()
            .select_related("hero_image", "area", "author")
            .prefetch_related("hero_image__renditions", "tags")
            .defer("body")
            .order_by("-date", "-pk")
        )


class StoryPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "content.StoryPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class StoryPage(FrenchSearchMixin, Page):
    """A content-marketing article, written by the agency or proposed by an ambassador."""

    date = models.DateField(_("date"))
    intro = models.TextField(_("introduction"), max_length=400, blank=True)
    hero_image = image_field(_("hero image"))
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    tags = ClusterTaggableManager(through=StoryPageTag, blank=True)
    related_destinations = ParentalManyToManyField(
        "content.DestinationPage",
        verbose_name=_("related destinations"),
        blank=True,
        related_name="+",
    )

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("author"),
                FieldPanel("area"),
                FieldPanel("tags"),
                FieldPanel("related_destinations"),
            ],
            heading=_("About this story"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
        *french_search_fields(tags=True, area=True),
        index.FilterField("date"),
    ]

    parent_page_types = ["content.StoryIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        # The story index's order; with table statistics (PostgreSQL, or SQLite after
        # ANALYZE) a page of the listing is read from it without sorting the section.
        indexes = [models.Index(fields=["date", "page_ptr"], name="content_story_date_idx")]

    api_fields = [
        APIField("date"),
        APIField("intro"),
        APIField("author_name", serializer=api_serializers.AuthorNameField(source="author")),
        APIField("area", serializer=api_serializers.AreaField()),
        APIField("tags", serializer=api_serializers.TagNamesField()),
        APIField("hero_image", serializer=api_serializers.hero_rendition()),
        APIField("body"),
    ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["related_destinations_list"] = (
            DestinationPage.objects.live()
            .public()
            .filter(
                locale_id=self.locale_id,
                translation_key__in=[
                    page.translation_key for page in self.related_destinations.all()
                ],
            )
            .select_related("hero_image", "area")
            .prefetch_related("hero_image__renditions")
            .order_by("title")
        )
        return context
