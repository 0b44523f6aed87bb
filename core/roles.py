"""The agency's roles are Django groups (Moderators, Contributors, Ambassadors). A page asks
about several of them (the header, the feed's rules, the composer): the member's group names
are kept in the cache and, for the request, on the user object. Adding the member to a group
or removing them (through `user.groups` or `group.user_set`), renaming or deleting a group
forgets them (receivers below), now and again once the transaction commits."""

import hashlib

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_save, pre_delete

from core.cache import forget

# Wagtail's own group, which agency moderators join (its data migration creates it).
MODERATORS_GROUP = "Moderators"

CACHE_ATTRIBUTE = "_role_group_names"
# Every signed-in page asked the database for them (a query on each page and each post). The
# receivers forget them on every change made through Django. They decide powers (moderation,
# secret groups), so the timeout is short: it bounds what a change made around Django, or a
# request that read the names just before a change committed and stored them just after, leaves.
NAMES_TIMEOUT = 60


def _names_key(user_id) -> str:
    return f"roles:names:{user_id}"


def group_names(user) -> frozenset[str]:
    if not (user and user.is_authenticated):
        return frozenset()
    names = user.__dict__.get(CACHE_ATTRIBUTE)
    if names is None:
        names = cache.get_or_set(
            _names_key(user.pk),
            lambda: frozenset(user.groups.values_list("name", flat=True)),
            NAMES_TIMEOUT,
        )
        user.__dict__[CACHE_ATTRIBUTE] = names
    return names


def remember_group_names(users, *, among=None) -> None:
    """Load the group names of many users in one query and keep them on each user object,
    as group_names() does. `among`, a query of the users' ids, replaces the list of ids in
    the SQL (quicker for thousands)."""
    user_ids = among if among is not None else [user.pk for user in users]
    names: dict[int, set[str]] = {}
    for user_id, name in (
        get_user_model()
        .groups.through.objects.filter(user_id__in=user_ids)
        .values_list("user_id", "group__name")
    ):
        names.setdefault(user_id, set()).add(name)
    for user in users:
        user.__dict__[CACHE_ATTRIBUTE] = frozenset(names.get(user.pk, ()))


def in_group(user, name: str) -> bool:
    return name in group_names(user)


def forget_group_names(user_ids) -> None:
    """Drop the cached group names of these users, now and once the transaction commits (a
    request reading meanwhile would cache the names from before the change)."""
    forget({_names_key(user_id) for user_id in user_ids})


def _forget_on_membership_change(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if reverse:  # group.user_set: the users are pk_set, or all of them when cleared
        users = pk_set if action != "pre_clear" else instance.user_set.values_list("pk", flat=True)
        forget_group_names(users)
        return
    forget_group_names([instance.pk])
    # Django's permission caches on the user object go stale the same way.
    for attribute in (CACHE_ATTRIBUTE, "_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        instance.__dict__.pop(attribute, None)


def _forget_members_of(sender, instance, **kwargs) -> None:
    """A group renamed or deleted: its members' names change."""
    if instance.pk is not None:
        forget_group_names(instance.user_set.values_list("pk", flat=True))


# The user model is network.User; its groups' through model, named lazily (no model import
# here: the permission modules that use this one load early).
m2m_changed.connect(
    _forget_on_membership_change, sender="network.User_groups", dispatch_uid="roles-forget"
)
post_save.connect(_forget_members_of, sender="auth.Group", dispatch_uid="roles-forget-renamed")
pre_delete.connect(_forget_members_of, sender="auth.Group", dispatch_uid="roles-forget-deleted")


# The header's "Admin" link, for members who may open Wagtail's admin. Django reads all of a
# member's permissions to answer (two queries on every page); the answer is kept a few minutes
# under a key that names their groups, so that joining or leaving a group shows at once. The
# admin checks access itself on every request: a late link opens nothing.
ADMIN_LINK_TIMEOUT = 5 * 60


def may_open_admin(user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    groups = ",".join(sorted(group_names(user)))
    digest = hashlib.md5(groups.encode(), usedforsecurity=False).hexdigest()
    key = f"roles:admin-link:{user.pk}:{digest}"
    # A page asks twice (the header and the user bar): kept on the user object for the request.
    allowed = user.__dict__.get("_admin_link", {}).get(key)
    if allowed is None:
        allowed = cache.get(key)
        if allowed is None:
            allowed = user.has_perm("wagtailadmin.access_admin")
            cache.set(key, allowed, ADMIN_LINK_TIMEOUT)
        user.__dict__["_admin_link"] = {key: allowed}
    return allowed
