"""Creating and editing groups, and the membership rows behind them."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from core.db.slugs import unique_slug
from core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from core.ratelimit import hit
from core.sanitizer import clean_html, clean_tag_names, clean_text
from network import signals
from network.models import (
    Group,
    GroupBan,
    GroupMembership,
    Sector,
    User,
)
from network.permissions import (
    can_create_group,
    can_manage_group,
    can_see_group,
    can_write,
    forget_membership,
)
from network.services.groups import common  # limits read at call time: tests lower them
from network.services.groups.common import (
    GROUP_FIELDS,
    MAX_TAGS,
    RESERVED_SLUGS,
    Role,
)

# Groups ---------------------------------------------------------------------------------


def _clean_group_fields(fields: dict) -> dict:
    """Validate and sanitise group fields given by name; raise InvalidInput on bad values."""
    cleaned = {}
    if "name" in fields:
        name = clean_text(fields["name"] or "")
        if not name:
            raise InvalidInput(_("A group needs a name."))
        if len(name) > Group._meta.get_field("name").max_length:
            raise InvalidInput(_("The name is too long (120 characters at most)."))
        cleaned["name"] = name
    if "description" in fields:
        description = clean_html(fields["description"] or "")
        if len(description) > Group._meta.get_field("description").max_length:
            raise InvalidInput(_("The description is too long (5,000 characters at most)."))
        cleaned["description"] = description
    if "visibility" in fields:
        if fields["visibility"] not in Group.Visibility.values:
            raise InvalidInput(_("Unknown visibility."))
        cleaned["visibility"] = fields["visibility"]
    if "join_policy" in fields:
        if fields["join_policy"] not in Group.JoinPolicy.values:
            raise InvalidInput(_("Unknown join policy."))
        cleaned["join_policy"] = fields["join_policy"]
    if "sector" in fields:
        sector = fields["sector"] or ""
        if sector and sector not in Sector.values:
            raise InvalidInput(_("Unknown sector."))
        cleaned["sector"] = sector
    if "area" in fields:
        cleaned["area"] = fields["area"]
    if "tags" in fields:
        cleaned["tags"] = clean_tag_names(fields["tags"], limit=MAX_TAGS)
    return cleaned


def _unique_slug(name: str) -> str:
    return unique_slug(Group, name, fallback="groupe", reserved=RESERVED_SLUGS)


@transaction.atomic
def create_group(
    *,
    actor: User,
    name: str,
    description: str = "",
    visibility: str,
    join_policy: str,
    area=None,
    sector: str = "",
    tags=(),
) -> Group:
    """Create a group; its creator becomes its first owner."""
    if not can_write(actor):
        raise NotAllowed(_("Only signed-in members in good standing can create a group."))
    if not can_create_group(actor):
        raise NotAllowed(
            _("Creating groups unlocks at a higher trust level: see your account page.")
        )
    fields = _clean_group_fields(
        {
            "name": name,
            "description": description,
            "visibility": visibility,
            "join_policy": join_policy,
            "area": area,
            "sector": sector,
            "tags": tags,
        }
    )
    hit("group-create", actor.pk, limit=common.CREATE_LIMIT, window=common.CREATE_WINDOW)
    tags = fields.pop("tags")
    group = Group.objects.create(
        slug=_unique_slug(fields["name"]), created_by=actor, member_count=1, **fields
    )
    if tags:
        group.tags.set(tags)
    membership = GroupMembership.objects.create(group=group, user=actor, role=Role.OWNER)
    forget_membership(actor, group)
    _on_commit_joined(membership, actor)
    return group


@transaction.atomic
def update_group(*, actor: User, group: Group, **fields) -> Group:
    """Change a group's settings (owners and agency staff). The slug never changes, so
    links stay valid."""
    if not can_see_group(actor, group):
        raise NotFound()
    if not can_manage_group(actor, group):
        raise NotAllowed(_("Only the group's owners can change its settings."))
    unknown = set(fields) - set(GROUP_FIELDS)
    if unknown:
        raise InvalidInput(
            _("These cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    cleaned = _clean_group_fields(fields)
    tags = cleaned.pop("tags", None)
    for field, value in cleaned.items():
        setattr(group, field, value)
    if cleaned:
        group.save(update_fields=list(cleaned))
    if tags is not None:
        group.tags.set(tags)
    return group


def _change_member_count(group: Group, delta: int) -> None:
    Group.objects.filter(pk=group.pk).update(member_count=F("member_count") + delta)
    group.refresh_from_db(fields=["member_count"])


def _on_commit_joined(membership: GroupMembership, actor: User) -> None:
    transaction.on_commit(
        lambda: signals.member_joined.send(
            sender=GroupMembership, membership=membership, actor=actor
        )
    )


def _add_member(group: Group, user: User, *, actor: User) -> GroupMembership:
    """Create the membership (Conflict if it exists already) and keep member_count."""
    try:
        with transaction.atomic():
            membership = GroupMembership.objects.create(group=group, user=user, role=Role.MEMBER)
    except IntegrityError:
        raise Conflict(_("You are already a member of this group.")) from None
    _change_member_count(group, +1)
    forget_membership(user, group)
    _on_commit_joined(membership, actor)
    return membership


def _owner_count(group: Group) -> int:
    return group.memberships.filter(role=Role.OWNER).count()


def is_banned(user: User, group: Group) -> bool:
    return user.is_authenticated and GroupBan.objects.filter(group=group, user=user).exists()
