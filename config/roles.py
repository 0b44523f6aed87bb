"""The agency's roles are Django groups (Moderators, Contributors, Ambassadors). A page asks
about several of them (the header, the feed's rules, the composer): the member's group names
are read once per request, in one query, and kept on the user object. Adding the member to a
group through `user.groups` forgets them (receiver below)."""

import hashlib

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models.signals import m2m_changed

CACHE_ATTRIBUTE = "_role_group_names"


def group_names(user) -> frozenset[str]:
    if not (user and user.is_authenticated):
        return frozenset()
    names = user.__dict__.get(CACHE_ATTRIBUTE)
    if names is None:
        names = frozenset(user.groups.values_list("name", flat=True))
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


def forget_group_names(sender, instance, **kwargs) -> None:
    # Django's permission caches on the user object go stale the same way.
    for attribute in (CACHE_ATTRIBUTE, "_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        instance.__dict__.pop(attribute, None)


# The user model is network.User; its groups' through model, named lazily (no model import
# here: the permission modules that use this one load early).
m2m_changed.connect(forget_group_names, sender="network.User_groups", dispatch_uid="roles-forget")


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
    allowed = cache.get(key)
    if allowed is None:
        allowed = user.has_perm("wagtailadmin.access_admin")
        cache.set(key, allowed, ADMIN_LINK_TIMEOUT)
    return allowed
