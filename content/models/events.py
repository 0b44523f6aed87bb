from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Locale, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from content import api_serializers
from content.blocks import BodyBlock
from content.caches import EVENT_LISTING_TIMEOUT
from content.french_search import FrenchSearchMixin, french_search_fields

from .areas import Area
from .pages import IndexPage, image_field, paginate
from .sourced import SourcedFieldsMixin

TIME_ZONE_CHOICES = [(name, name) for name in sorted(available_timezones()) if "/" in name]
# How far ahead recurring events are expanded in lists and in iCalendar.
OCCURRENCE_HORIZON = timedelta(days=365)
MAX_OCCURRENCES = 60
# What `occurrence_times()` reads of an event.
OCCURRENCE_FIELDS = ("id", "start", "end", "recurrence", "recurrence_until", "time_zone", "dates")


@dataclass(frozen=True)
class Occurrence:
    event: "EventPage"
    start: datetime
    end: datetime | None

    @property
    def is_past(self) -> bool:
        return (self.end or self.start) < timezone.now()


class EventPageQuerySet(PageQuerySet):
    def upcoming(self, now=None):
        now = now or timezone.now()
        return self.filter(
            Q(end__gte=now)
            | Q(end__isnull=True, start__gte=now)
            | (
                ~Q(recurrence="")
                & (Q(recurrence_until__isnull=True) | Q(recurrence_until__gte=now.date()))
            )
        )

    def past(self, now=None):
        now = now or timezone.now()
        return self.exclude(pk__in=self.upcoming(now).values("pk"))

    def with_places_taken(self):
        """Each event's confirmed registrations in one subquery (a listing shows "19/50"
        without a query per event), counted across its language versions: they share one
        list of places."""
        confirmed = (
            EventRegistration.objects.filter(
                event__translation_key=OuterRef("translation_key"),
                status=EventRegistration.Status.CONFIRMED,
            )
            .order_by()
            .values("event__translation_key")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return self.annotate(places_taken=Coalesce(Subquery(confirmed), 0))


class EventIndexPage(RoutablePageMixin, IndexPage):
    subpage_types = ["content.EventPage"]
    template = "content/event_index_page.html"
    listing_cache_timeout = EVENT_LISTING_TIMEOUT

    class Meta:
        verbose_name = _("event index")

    def listed_pages(self, request):
        return EventPage.objects.child_of(self).live().public()

    def listing_filters(self, request) -> dict:
        start, end = parse_date_range(request)
        return super().listing_filters(request) | {
            "archive": request.GET.get("archive") == "1",
            "start": start,
            "end": end,
        }

    def listing_results(self, request, filters):
        """The dates of the listed events, upcoming ones first (or past ones, latest first,
        in the archive). The dates of every event in the section are computed from a narrow
        query; only the events of the requested page are loaded."""
        events = self.filter_listing(self.listed_pages(request), filters)
        now = timezone.now()
        if filters["archive"]:
            rows = events.past(now).order_by("-start", "path").values(*OCCURRENCE_FIELDS)
            dates = [
                (row["id"], *moment)
                for row in rows
                for moment in occurrence_times(row, end=now)
                if (moment[1] or moment[0]) < now
            ]
            dates.sort(key=instant, reverse=True)
        else:
            window_start = max(now, filters["start"]) if filters["start"] else now
            window_end = filters["end"] or (now + OCCURRENCE_HORIZON)
            rows = events.upcoming(now).order_by("path").values(*OCCURRENCE_FIELDS)
            dates = [
                (row["id"], *moment)
                for row in rows
                for moment in occurrence_times(row, start=window_start, end=window_end)
            ]
            dates.sort(key=instant)
        results = paginate(request, dates)
        cards = (
            EventPage.objects.filter(pk__in={event_id for event_id, _, _ in results})
            .select_related("hero_image", "area", "venue_page")
            .prefetch_related("hero_image__renditions", "tags")
            .with_places_taken()
            .defer("body", "venue_page__body", "venue_page__opening_hours")
            .order_by()
        )
        by_pk = {event.pk: event for event in cards}
        results.object_list = [
            Occurrence(by_pk[event_id], start, end)
            for event_id, start, end in results
            if event_id in by_pk
        ]
        return results

    @path("calendar.ics/")
    def calendar_ics(self, request):
        """The upcoming events as one iCalendar file (content.urls lets the dot through)."""
        from content.ical import index_calendar_response

        return index_calendar_response(self, request)


def parse_date_range(request):
    """`from` and `to` as dates in the site's time zone; malformed values are ignored."""
    tz = timezone.get_current_timezone()

    def parse(name, end_of_day=False):
        try:
            day = date.fromisoformat(request.GET.get(name, ""))
        except ValueError:
            return None
        moment = datetime.combine(day, datetime.max.time() if end_of_day else datetime.min.time())
        return moment.replace(tzinfo=tz)

    return parse("from"), parse("to", end_of_day=True)


class EventPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "content.EventPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class EventPage(SourcedFieldsMixin, FrenchSearchMixin, RoutablePageMixin, Page):
    class Recurrence(models.TextChoices):
        NONE = "", _("Does not repeat")
        WEEKLY = "weekly", _("Every week")
        MONTHLY = "monthly", _("Every month")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")

    intro = models.TextField(_("introduction"), max_length=400, blank=True)
    hero_image = image_field(_("hero image"))
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"), null=True, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default=settings.TIME_ZONE
    )
    recurrence = models.CharField(
        _("repeats"), max_length=10, choices=Recurrence.choices, default=Recurrence.NONE, blank=True
    )
    recurrence_until = models.DateField(_("repeats until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    venue_page = models.ForeignKey(
        "content.DestinationPage",
        verbose_name=_("venue (a destination)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    venue_name = models.CharField(_("venue name"), max_length=160, blank=True)
    venue_address = models.TextField(_("venue address"), blank=True)
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    tags = ClusterTaggableManager(through=EventPageTag, blank=True)
    registrations_open = models.BooleanField(_("registrations open"), default=False)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    # Dates given one by one (an imported event can have hundreds): a sorted list of
    # [start, end] ISO datetimes; `start` and `end` then span them all.
    dates = models.JSONField(_("dates"), default=list, blank=True, editable=False)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)

    objects = PageManager.from_queryset(EventPageQuerySet)()

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start"), FieldPanel("end"), FieldPanel("time_zone")]),
                FieldRowPanel([FieldPanel("recurrence"), FieldPanel("recurrence_until")]),
                FieldPanel("status"),
            ],
            heading=_("When"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("venue_page"),
                FieldPanel("venue_name"),
                FieldPanel("venue_address"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                FieldPanel("area"),
            ],
            heading=_("Where"),
        ),
        FieldRowPanel(
            [FieldPanel("phone"), FieldPanel("email"), FieldPanel("website")],
            heading=_("Contact"),
        ),
        FieldRowPanel(
            [FieldPanel("registrations_open"), FieldPanel("capacity")], heading=_("Registrations")
        ),
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("description"), FieldPanel("description_en"), FieldPanel("source_image")],
            heading=_("From the source"),
            classname="collapsed",
        ),
        FieldPanel("tags"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("description"),
        index.SearchField("body"),
        index.SearchField("venue_name"),
        *french_search_fields(tags=True, area=True),
        index.FilterField("start"),
    ]

    parent_page_types = ["content.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["start"]

    api_fields = [
        APIField("intro"),
        APIField("start"),
        APIField("end"),
        APIField("time_zone"),
        APIField("status"),
        APIField("recurrence"),
        APIField("recurrence_until"),
        APIField("next_occurrence", serializer=api_serializers.NextOccurrenceField(source="*")),
        APIField("venue", serializer=api_serializers.VenueField(source="*")),
        APIField("area", serializer=api_serializers.AreaField()),
        APIField("tags", serializer=api_serializers.TagNamesField()),
        APIField("registrations_open"),
        APIField("capacity"),
        APIField("hero_image", serializer=api_serializers.hero_rendition()),
        APIField("body"),
    ]

    @path("event.ics/")
    def event_ics(self, request):
        """This event as an iCalendar file (content.urls lets the dot through)."""
        from content.ical import event_calendar_response

        return event_calendar_response(self, request)

    def clean(self):
        super().clean()
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": _("An event cannot end before it starts.")})
        if self.recurrence_until and not self.recurrence:
            raise ValidationError({"recurrence_until": _("Choose how the event repeats first.")})

    @property
    def tzinfo(self):
        return ZoneInfo(self.time_zone or settings.TIME_ZONE)

    @property
    def coordinates(self):
        if self.latitude is None or self.longitude is None:
            return None
        return (float(self.latitude), float(self.longitude))

    @property
    def venue_label(self):
        if self.venue_page_id:
            return self.venue_page.title
        return self.venue_name

    def occurrences(self, start=None, end=None):
        """The event's dates between `start` and `end`. A repeating event keeps its wall-clock
        time in its own time zone across daylight-saving changes."""
        fields = {name: getattr(self, name) for name in OCCURRENCE_FIELDS}
        return [
            Occurrence(self, moment, finish)
            for moment, finish in occurrence_times(fields, start=start, end=end)
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["next_occurrences"] = self.occurrences(start=timezone.now())[:5]
        return context

    def next_occurrence(self):
        upcoming = self.occurrences(start=timezone.now())
        return upcoming[0] if upcoming else None

    @cached_property
    def registration_page(self) -> "EventPage":
        """The language version registrations are kept on: the default language's, when the
        event has one. The French and English pages of an event share one list of places, so
        a member signs up once and capacity counts everyone."""
        if self.locale_id == Locale.get_default().pk:
            return self
        return self.get_translation_or_none(Locale.get_default()) or self

    @cached_property
    def registration_count(self) -> int:
        """Confirmed registrations of every language version (the waiting list takes no
        place); read from a listing's `with_places_taken()` when it annotated them. Counted
        once per object (a page asks for it several times while rendering)."""
        if hasattr(self, "places_taken"):
            return self.places_taken
        return EventRegistration.objects.filter(
            event__translation_key=self.translation_key,
            status=EventRegistration.Status.CONFIRMED,
        ).count()

    @property
    def is_full(self) -> bool:
        return bool(self.capacity) and self.registration_count >= self.capacity

    @property
    def places_left(self) -> int | None:
        if not self.capacity:
            return None
        return max(0, self.capacity - self.registration_count)

    @property
    def places_label(self):
        """ "19/50" when registrations are on and capped."""
        if not (self.registrations_open and self.capacity):
            return ""
        return f"{self.registration_count}/{self.capacity}"


def instant(date_: tuple) -> float:
    """Sort key of an (event id, start, end) date: its start as a POSIX timestamp. The same
    order as the aware datetimes', whose comparison across time zones (an event's own, UTC)
    computes both UTC offsets at every comparison."""
    return date_[1].timestamp()


def occurrence_times(event: dict, start=None, end=None) -> list[tuple[datetime, datetime | None]]:
    """The (start, end) of each date of `event` (a mapping of `OCCURRENCE_FIELDS`) between
    `start` and `end`; see `EventPage.occurrences()`."""
    if event.get("dates"):
        return listed_times(event["dates"], start=start, end=end)
    if not event["recurrence"]:
        finish = event["end"] or event["start"]
        if (start is None or finish >= start) and (end is None or event["start"] <= end):
            return [(event["start"], event["end"])]
        return []
    local_start = event["start"].astimezone(ZoneInfo(event["time_zone"] or settings.TIME_ZONE))
    duration = (event["end"] - event["start"]) if event["end"] else None
    until = event["recurrence_until"]
    end = end or (timezone.now() + OCCURRENCE_HORIZON)
    found = []
    for n in range(1000):
        moment = shift(local_start, event["recurrence"], n)
        if (until and moment.date() > until) or moment > end or len(found) >= MAX_OCCURRENCES:
            break
        finish = moment + duration if duration else None
        if start is None or (finish or moment) >= start:
            found.append((moment, finish))
    return found


def listed_times(dates: list, start=None, end=None) -> list[tuple[datetime, datetime | None]]:
    """The dates of an event given one by one (`EventPage.dates`, sorted), between `start` and
    `end`, at most MAX_OCCURRENCES of them."""
    found = []
    for first, last in dates:
        moment = datetime.fromisoformat(first)
        finish = datetime.fromisoformat(last) if last else None
        if end is not None and moment > end:
            break
        if start is None or (finish or moment) >= start:
            found.append((moment, finish))
            if len(found) >= MAX_OCCURRENCES:
                break
    return found


def shift(moment: datetime, recurrence: str, n: int) -> datetime:
    if recurrence == EventPage.Recurrence.WEEKLY:
        naive = moment.replace(tzinfo=None) + timedelta(weeks=n)
    else:
        month_index = moment.month - 1 + n
        year, month = moment.year + month_index // 12, month_index % 12 + 1
        day = min(moment.day, days_in_month(year, month))
        naive = moment.replace(tzinfo=None, year=year, month=month, day=day)
    return naive.replace(tzinfo=moment.tzinfo)


def days_in_month(year: int, month: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


class EventRegistration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Registered")
        WAITING = "waiting", _("On the waiting list")

    event = models.ForeignKey(
        EventPage,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED
    )
    created = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_registration_per_member")
        ]
        # The waiting list is served in order of arrival.
        indexes = [
            models.Index(fields=["event", "status", "created"], name="registration_queue"),
        ]
        verbose_name = _("event registration")
        verbose_name_plural = _("event registrations")

    def __str__(self):
        return f"{self.event} — {self.user}"
