"""The calling member's notifications and how they want to hear about each kind.
Mounted on /api/v1/notifications."""

from datetime import datetime
from typing import Literal

from django.utils.translation import get_language
from ninja import Field, Query, Router, Schema

from network.models import Notification, NotificationPreference
from network.services import notifications as services

from .errors import Error
from .pagination import PageParams, keyset_page
from .schemas import Id, PersonRef, absolute

router = Router()

# Kinds come from a registry other apps add to; the service refuses unknown ones (400).
KindName = str
ChannelName = Literal[tuple(NotificationPreference.Channel.values)]


class NotificationOut(Schema):
    id: int
    kind: KindName
    text: str = Field(description="The sentence, in the request's language.")
    excerpt: str
    actor: PersonRef | None
    url: str | None
    created_at: datetime
    read: bool

    @staticmethod
    def resolve_text(notification):
        actor = notification.actor
        return services.describe(
            notification.kind,
            actor_name=actor.get_display_name() if actor else "",
            data=notification.data,
        )

    @staticmethod
    def resolve_excerpt(notification):
        return notification.data.get("excerpt", "")

    @staticmethod
    def resolve_url(notification, context):
        return absolute(context, services.localized_path(notification.url, get_language()))

    @staticmethod
    def resolve_read(notification):
        return notification.read_at is not None


class NotificationPage(Schema):
    items: list[NotificationOut]
    next: str | None
    unread: int


class ReadIn(Schema):
    ids: list[Id] = Field(default_factory=list, max_length=500)
    all: bool = Field(False, description="Mark all of them read (ids are then ignored).")


class ReadOut(Schema):
    marked: int
    unread: int


class PreferencesSchema(Schema):
    channels: dict[KindName, ChannelName] = Field(
        description="For each kind: site, email (at once), daily, weekly or off."
    )


@router.get(
    "",
    response={200: NotificationPage, 400: Error, 401: Error},
    summary="Your notifications, newest first",
)
def list_notifications(request, page: Query[PageParams], unread: bool = False):
    notifications = Notification.objects.filter(recipient=request.user).select_related("actor")
    if unread:
        notifications = notifications.filter(read_at__isnull=True)
    items, next_cursor = keyset_page(
        notifications, order=("-created_at", "-pk"), cursor=page.cursor, limit=page.limit
    )
    return {"items": items, "next": next_cursor, "unread": services.unread_count(request.user)}


@router.post(
    "/read",
    response={200: ReadOut, 400: Error, 401: Error, 403: Error},
    summary="Mark notifications read (some, or all)",
)
def read_notifications(request, payload: ReadIn):
    marked = services.mark_read(actor=request.user, ids=payload.ids, everything=payload.all)
    return {"marked": marked, "unread": services.unread_count(request.user)}


@router.get(
    "/preferences",
    response={200: PreferencesSchema, 401: Error},
    summary="How you hear about each kind",
)
def get_preferences(request):
    return {"channels": services.channels_for(request.user)}


@router.put(
    "/preferences",
    response={200: PreferencesSchema, 400: Error, 401: Error, 403: Error},
    summary="Change how you hear about some kinds (the others keep their choice)",
)
def put_preferences(request, payload: PreferencesSchema):
    channels = services.set_notification_preferences(
        actor=request.user, user=request.user, channels=dict(payload.channels)
    )
    return {"channels": channels}
