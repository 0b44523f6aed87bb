from datetime import timedelta

from django.utils import timezone

from realtime.models import Membership, Room
from tests.factories import UserFactory
from tests.network.factories import GroupFactory, add_member


def group_room(*members, **group_fields):
    """A group (its room comes with it) with `members` in it; returns the room."""
    group = GroupFactory(**group_fields)
    for member in members:
        add_member(group, member)
    return Room.objects.get(group=group)


def private_room(*members, name="Conversation"):
    room = Room.objects.create(kind=Room.Kind.PRIVATE, name=name)
    Membership.objects.bulk_create([Membership(room=room, user=member) for member in members])
    return room


def suspended_member():
    return UserFactory(suspended_until=timezone.now() + timedelta(days=3))
