"""Who may do what in the network: the one place each rule is written. Services check these
before every write; selectors apply the same rules as query filters for reads."""

from django.utils import timezone

from core.roles import MODERATORS_GROUP, in_group, remember_group_names
from network.models import Group, GroupInvitation, GroupMembership, Post


def can_edit_profile(actor, user, *, public: bool = True) -> bool:
    """Members edit their own profile. Its public part (name, bio, avatar…) shows to
    everyone, so a suspended member may not change it; private settings stay theirs."""
    if not (actor.is_authenticated and actor.is_active and actor.pk == user.pk):
        return False
    return not public or not actor.is_suspended


def can_write(user) -> bool:
    """Signed in, active and not suspended: may post, comment, react, join, follow."""
    return user.is_authenticated and user.is_active and not user.is_suspended


AGENCY_MODERATORS_GROUP = MODERATORS_GROUP


def is_agency_moderator(user) -> bool:
    """Agency staff (is_staff, superusers, and members of Wagtail's Moderators group) see
    every group and moderate everything. The member's groups are read once per request
    (core/roles.py)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return in_group(user, AGENCY_MODERATORS_GROUP)


def _memberships(user) -> dict[int, GroupMembership | None]:
    """The memberships read during this request, by group id, kept on the user object."""
    return user.__dict__.setdefault("_group_memberships", {})


def membership_of(user, group: Group) -> GroupMembership | None:
    """The user's membership of `group`, cached on the user object for the request."""
    if not user.is_authenticated:
        return None
    memberships = _memberships(user)
    if group.pk not in memberships:
        memberships[group.pk] = GroupMembership.objects.filter(group=group, user=user).first()
    return memberships[group.pk]


def remember_membership(user, group: Group, membership: GroupMembership | None) -> None:
    """Keep a membership (or its absence) read with something else, for membership_of()."""
    if user.is_authenticated:
        _memberships(user)[group.pk] = membership


def forget_membership(user, group: Group) -> None:
    """Drop the cached membership after a service changed it."""
    _memberships(user).pop(group.pk, None)


def can_see_group(user, group: Group) -> bool:
    """Whether the group exists for this user: a secret group is a 404 for non-members,
    except for a member holding a pending invitation to it (so they can accept it there)."""
    if group.visibility != Group.Visibility.SECRET:
        return True
    # The membership first: get_group_for() has usually read it already.
    if membership_of(user, group) is not None or is_agency_moderator(user):
        return True
    return user.is_authenticated and has_pending_invitation(user, group)


def has_pending_invitation(user, group: Group) -> bool:
    return GroupInvitation.objects.filter(
        group=group, invitee=user, used_at__isnull=True, expires_at__gt=timezone.now()
    ).exists()


def can_read_group(user, group: Group) -> bool:
    """Whether the user may read the group's posts, members and events."""
    if group.visibility == Group.Visibility.PUBLIC:
        return True
    return is_agency_moderator(user) or membership_of(user, group) is not None


def can_post_in_group(user, group: Group) -> bool:
    return can_write(user) and membership_of(user, group) is not None


def can_moderate_group(user, group: Group) -> bool:
    """Approve requests, invite, remove or ban members, delete posts: owners and moderators."""
    if is_agency_moderator(user):
        return True
    membership = membership_of(user, group)
    return membership is not None and membership.is_moderator and can_write(user)


def can_manage_group(user, group: Group) -> bool:
    """Change the group's settings and members' roles: its owners and agency staff."""
    if is_agency_moderator(user):
        return True
    membership = membership_of(user, group)
    return (
        membership is not None and membership.role == GroupMembership.Role.OWNER and can_write(user)
    )


def can_see_post(user, post: Post) -> bool:
    """Published posts follow their group's rule; held or hidden posts are seen by their
    author and the moderators only."""
    if post.group_id is not None and not can_read_group(user, post.group):
        return False
    if post.status == Post.Status.PUBLISHED:
        return True
    if user.is_authenticated and post.author_id == user.pk:
        return True
    return can_moderate_group(user, post.group) if post.group_id else is_agency_moderator(user)


def can_edit_post(user, post: Post) -> bool:
    return can_write(user) and post.author_id == user.pk


def can_delete_post(user, post: Post) -> bool:
    if can_edit_post(user, post):
        return True
    if post.group_id is not None:
        return can_moderate_group(user, post.group)
    return is_agency_moderator(user)


def can_see_post_history(user, post: Post) -> bool:
    """Previous versions of an edited post are for moderators."""
    if post.group_id is not None:
        return can_moderate_group(user, post.group)
    return is_agency_moderator(user)


def can_see_member_directory(user) -> bool:
    return user.is_authenticated and user.is_active


def can_edit_organisation(user, organisation) -> bool:
    if is_agency_moderator(user):
        return True
    return can_write(user) and organisation.memberships.filter(user=user, role="owner").exists()


def can_rsvp_group_event(user, group: Group) -> bool:
    """Reply to a group's event: the members who may take part in the group."""
    return can_post_in_group(user, group)


def can_verify_organisation(user) -> bool:
    """The "verified by the agency" badge is given by agency staff only."""
    return is_agency_moderator(user)


def can_comment_on_post(user, post: Post) -> bool:
    """Comment on or react to a published post: anyone who may write and read it; in a
    group, its members only (a public group is read by all, the talk is its members')."""
    if not can_write(user) or post.status != Post.Status.PUBLISHED:
        return False
    if post.group_id is not None:
        return can_post_in_group(user, post.group)
    return True


def can_delete_comment(user, comment) -> bool:
    """Its author, the group's moderators, or agency moderators for profile posts."""
    if can_write(user) and comment.author_id == user.pk:
        return True
    post = comment.post
    if post.group_id is not None:
        return can_moderate_group(user, post.group)
    return is_agency_moderator(user)


def remember_permissions(users, groups=(), *, among=None) -> None:
    """Load, in two queries, what is_agency_moderator and membership_of need for many users
    at once, and cache it on each user object as they do: the notification fan-out checks
    can_see_post for a thousand recipients without a query each. `among`, a query of the
    users' ids, replaces the list of ids in the SQL (quicker for thousands)."""

    users = [user for user in users if user.is_authenticated]
    if not users:
        return
    user_ids = among if among is not None else [user.pk for user in users]
    group_ids = [group.pk for group in groups]
    remember_group_names(users, among=among)
    memberships = {}
    if group_ids:
        for membership in GroupMembership.objects.filter(
            user_id__in=user_ids, group_id__in=group_ids
        ):
            memberships[membership.user_id, membership.group_id] = membership
    for user in users:
        cache = user.__dict__.setdefault("_group_memberships", {})
        for group_id in group_ids:
            cache[group_id] = memberships.get((user.pk, group_id))


# Moderation (reports, cases, decisions, complaints) ------------------------------------------


def can_report(user) -> bool:
    """Anyone may report what they can see, even without an account (a deactivated account
    may not)."""
    return not user.is_authenticated or user.is_active


def can_see_moderation_queue(user, group: Group | None = None) -> bool:
    """The agency's queue: agency moderators; a group's queue: its moderators too."""
    if group is None:
        return is_agency_moderator(user)
    return can_moderate_group(user, group)


def can_moderate_case(user, case) -> bool:
    """Agency moderators decide every case; a group's moderators the cases of their group.
    Nobody decides a case about themselves (their own post, their own account)."""
    if user.is_authenticated and case.target_author_id == user.pk:
        return False
    if is_agency_moderator(user):
        return True
    return case.group_id is not None and can_moderate_group(user, case.group)


def can_see_reporters(user) -> bool:
    """Who reported (an account, a visitor's name and e-mail): agency moderators only. A
    group's moderators are members among members; nobody is singled out for retaliation."""
    return is_agency_moderator(user)


def can_see_decision(user, decision) -> bool:
    """The member a decision concerns, and those who may moderate its case."""
    if not (user.is_authenticated and user.is_active):
        return False
    return decision.affected_id == user.pk or can_moderate_case(user, decision.case)


def can_contest(user, decision) -> bool:
    """Only the member the decision concerns (even while suspended) contests it."""
    return user.is_authenticated and user.is_active and decision.affected_id == user.pk


def can_decide_complaint(user, complaint) -> bool:
    """A moderator of the case other than the one who took the decision (and never the
    member who complains)."""
    decision = complaint.decision
    if not can_moderate_case(user, decision.case):
        return False
    return decision.moderator_id != user.pk and user.pk not in (
        complaint.author_id,
        decision.affected_id,
    )


# Trust levels (network.trust) --------------------------------------------------------------------
# Each rule reads its threshold first (cached with the moderation rules) and computes the
# member's level only when the threshold is above 0, so with the default settings none of them
# costs a query.


def _has_level(user, setting: str) -> bool:
    from network import trust

    needed = trust.rules()[setting]
    return needed <= 0 or trust.trust_level(user) >= needed


def can_post_links(user) -> bool:
    return _has_level(user, "links_level")


def can_post_images(user) -> bool:
    return _has_level(user, "images_level")


def can_create_group(user) -> bool:
    return can_write(user) and _has_level(user, "create_group_level")


def skips_first_posts_hold(user) -> bool:
    """Members at the settings' level are not held as new members (fewer held posts)."""
    return _has_level(user, "unheld_level")


def report_weights(users) -> dict[int, int]:
    """How many members' reports each reporter's report counts for: trusted members' more."""
    from network import trust

    settings = trust.rules()
    weight, needed = settings["heavy_flag_weight"], settings["heavy_flag_level"]
    users = list(users)
    if weight <= 1:
        return {user.pk: 1 for user in users}
    levels = trust.trust_levels(users)
    return {user.pk: weight if levels.get(user.pk, 0) >= needed else 1 for user in users}
