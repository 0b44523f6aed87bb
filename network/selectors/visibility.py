"""Which groups and posts a user may see, as query filters. These mirror
network.permissions.can_see_group / can_read_group / can_see_post; a test holds them equal."""

from django.db.models import Q, QuerySet

from network.models import Group, GroupMembership, Post
from network.permissions import is_agency_moderator


def member_group_ids(user) -> QuerySet:
    if not user.is_authenticated:
        return GroupMembership.objects.none().values("group_id")
    return GroupMembership.objects.filter(user=user).values("group_id")


def visible_groups(user) -> QuerySet[Group]:
    """Groups that exist for `user` (secret ones only for their members and staff)."""
    groups = Group.objects.all()
    if is_agency_moderator(user):
        return groups
    return groups.filter(~Q(visibility=Group.Visibility.SECRET) | Q(pk__in=member_group_ids(user)))


def readable_groups(user) -> QuerySet[Group]:
    """Groups whose content `user` may read."""
    groups = Group.objects.all()
    if is_agency_moderator(user):
        return groups
    return groups.filter(Q(visibility=Group.Visibility.PUBLIC) | Q(pk__in=member_group_ids(user)))


def visible_posts(user) -> QuerySet[Post]:
    """Posts `user` may read: profile posts and readable groups' posts, published (or their
    own held/hidden ones). Agency moderators see everything."""
    posts = Post.objects.all()
    if is_agency_moderator(user):
        return posts
    readable = Q(group__isnull=True) | Q(group__visibility=Group.Visibility.PUBLIC)
    if user.is_authenticated:
        readable |= Q(group_id__in=member_group_ids(user))
    shown = Q(status=Post.Status.PUBLISHED)
    if user.is_authenticated:
        shown |= Q(author=user)
    return posts.filter(readable & shown)
