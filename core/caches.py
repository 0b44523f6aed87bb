"""The kernel's caches (core.cache.register): a member's role names, the header's Admin link
and the site's address for e-mails. Declared here, wired by CoreConfig.ready()."""

from django.conf import settings

from core.cache import Cached, register

# Per-request copies of the role names and of Django's permissions, kept on the user object.
ROLE_NAMES_ATTRIBUTE = "_role_group_names"
_USER_MEMOS = (ROLE_NAMES_ATTRIBUTE, "_perm_cache", "_user_perm_cache", "_group_perm_cache")


def _members_of(group):
    """A group renamed or deleted (before the deletion: its members are still there)."""
    return group.user_set.values_list("pk", flat=True) if group.pk is not None else ()


def _members_changed(instance, action, reverse, pk_set):
    if reverse:  # group.user_set: the users are pk_set, or all of them when cleared
        return pk_set if action != "pre_clear" else instance.user_set.values_list("pk", flat=True)
    # user.groups: Django's permission memos on this user object go stale the same way.
    for attribute in _USER_MEMOS:
        instance.__dict__.pop(attribute, None)
    return [instance.pk]


ROLE_NAMES = register(
    Cached(
        name="roles.names",
        key=lambda user_id: f"roles:names:{user_id}",
        # They decide powers (moderation, secret groups): forgotten on every change made
        # through Django, now and on commit; the minute bounds a change made around Django.
        timeout=60,
        stale_on={"auth.Group": _members_of},
        stale_on_m2m={f"{settings.AUTH_USER_MODEL}_groups": _members_changed},
        gain="one query less on every signed-in page (performance.md, sixth session, item 2)",
    )
)


ADMIN_LINK = register(
    Cached(
        name="roles.admin-link",
        # The key names the member's groups: joining or leaving one shows at once. A change of
        # a group's permissions shows within the timeout: the link decides nothing, the admin
        # checks access itself on every request.
        key=lambda user_id, groups_digest: f"roles:admin-link:{user_id}:{groups_digest}",
        timeout=5 * 60,
        gain="Django read every permission for the link: two queries a page (second session)",
    )
)


SITE_ROOT_URL = register(
    Cached(
        name="mail.site-root-url",
        key=lambda: "site-root-url",
        timeout=60,
        stale_on={"wagtailcore.Site": lambda site: [()]},
        gain="no page figure; a digest e-mail builds a link per notification, each a query",
    )
)


# The member parts of shared pages (core.pages) that declare what they depend on: their HTML
# per template, language and those facts (the CSRF token left as a placeholder). The key names
# the content (a name, a count, a flag changed is another key): nothing to forget.
MEMBER_PARTS = register(
    Cached(
        name="pages.member-parts",
        key=lambda template_name, language, facts: f"pages:part:{template_name}:{language}:{facts}",
        timeout=10 * 60,
        local=True,
        gain="a shared page's member parts: 1.58 -> 1.0 ms a page (performance.md, issue 18)",
    )
)
