"""Deleting an account: the row stays (posts kept as "Former member" point at it) and
everything personal is erased in one transaction, with every registered section's `erase`."""

import secrets

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from core.errors import Conflict, InvalidInput, NotAllowed
from core.ratelimit import hit
from network.models import (
    Case,
    Comment,
    Follow,
    GroupEventRSVP,
    GroupInvitation,
    GroupMembership,
    JoinRequest,
    Mention,
    Notification,
    NotificationPreference,
    OrganisationMembership,
    Post,
    Reaction,
    Report,
    User,
)
from network.models.users import FORMER_MEMBER_PREFIX
from network.registries import personal_data_sections
from network.services.accounts import sign_out_everywhere
from network.services.personal_data.common import POST_CHOICES, POSTS_REMOVE, logger

# Deletion -------------------------------------------------------------------------------------


def ownerless_if_deleted(user: User) -> list[str]:
    """Names of the groups and organisations whose last owner `user` is."""
    from network.models import Group, Organisation

    group_owners = GroupMembership.objects.filter(
        group=OuterRef("pk"), role=GroupMembership.Role.OWNER
    )
    groups = Group.objects.filter(
        memberships__user=user, memberships__role=GroupMembership.Role.OWNER
    ).annotate(
        owners=Subquery(group_owners.order_by().values("group").annotate(n=Count("pk")).values("n"))
    )
    org_owners = OrganisationMembership.objects.filter(
        organisation=OuterRef("pk"), role=OrganisationMembership.Role.OWNER
    )
    organisations = Organisation.objects.filter(
        memberships__user=user, memberships__role=OrganisationMembership.Role.OWNER
    ).annotate(
        owners=Subquery(
            org_owners.order_by().values("organisation").annotate(n=Count("pk")).values("n")
        )
    )
    names = [group.name for group in groups if group.owners == 1]
    names += [organisation.name for organisation in organisations if organisation.owners == 1]
    return names


def _remove_memberships(user: User) -> None:
    from network.services.groups import _remove_membership

    for membership in GroupMembership.objects.select_related("group", "user").filter(user=user):
        _remove_membership(membership)  # keeps member_count, frees seats at coming events
    OrganisationMembership.objects.filter(user=user).delete()
    # Past events' replies (coming ones went with the memberships).
    GroupEventRSVP.objects.filter(user=user).delete()
    JoinRequest.objects.filter(user=user).delete()
    GroupInvitation.objects.filter(invitee=user).delete()


def _remove_reactions(user: User) -> None:
    from network.services.posts import _recount_reactions

    post_ids = sorted(set(Reaction.objects.filter(user=user).values_list("post_id", flat=True)))
    for post_id in post_ids:
        Post.objects.select_for_update().only("pk").get(pk=post_id)
        Reaction.objects.filter(post_id=post_id, user=user).delete()
        _recount_reactions(post_id)


def _remove_posts_and_comments(user: User) -> list:
    """Delete the member's posts and comments; the others' posts keep a right comment count.
    Returns the image files to delete once committed."""
    from network.models import PostImage

    files = [
        (PostImage._meta.get_field("image").storage, name)
        for name in PostImage.objects.filter(post__author=user).values_list("image", flat=True)
        if name
    ]
    touched = set(
        Comment.objects.filter(author=user)
        .exclude(post__author=user)
        .values_list("post_id", flat=True)
    )
    Comment.objects.filter(author=user).delete()  # replies to them go too (CASCADE)
    Post.objects.filter(author=user).delete()
    counts = Comment.objects.filter(post=OuterRef("pk")).order_by().values("post")
    Post.objects.filter(pk__in=touched).update(
        comment_count=Coalesce(Subquery(counts.annotate(n=Count("pk")).values("n")), 0)
    )
    return files


def delete_account(*, actor: User, user: User, password: str, posts: str) -> User:
    """Erase the member's account (their own, password re-typed). `posts`: POSTS_ANONYMISE
    keeps posts and comments under "Former member", POSTS_REMOVE deletes them. One
    transaction: on any refusal nothing changes."""
    if not (actor.is_authenticated and actor.is_active and actor.pk == user.pk):
        raise NotAllowed(_("You can only delete your own account."))
    if posts not in POST_CHOICES:
        raise InvalidInput(_("Choose what happens to your posts."))
    # Counted before the check, so a borrowed session cannot try passwords here.
    hit("account-delete", user.pk, limit=10, window=3600)
    if not password or not user.check_password(password):
        raise InvalidInput(_("The password is not correct."))
    ownerless = ownerless_if_deleted(user)
    if ownerless:
        raise Conflict(
            _(
                "You are the last owner of: %(names)s. Make another member an owner (or ask "
                "the agency to close it) before deleting your account."
            )
            % {"names": ", ".join(ownerless)}
        )
    from allauth.mfa.models import Authenticator

    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        files = []
        if posts == POSTS_REMOVE:
            files += _remove_posts_and_comments(user)
        _remove_reactions(user)
        _remove_memberships(user)
        Follow.objects.filter(follower=user).delete()
        Follow.objects.filter(user=user).delete()
        Mention.objects.filter(user=user).delete()
        Notification.objects.filter(recipient=user).delete()
        Notification.objects.filter(actor=user).delete()
        NotificationPreference.objects.filter(user=user).delete()
        for section in personal_data_sections():
            if section.erase is not None:
                section.erase(user)
        # Moderation records stay (the law asks for them) with nothing more than they need:
        # not the name and e-mail a notice carried, not the text of posts the member removed.
        Report.objects.filter(reporter=user).update(reporter_name="", reporter_email="")
        if posts == POSTS_REMOVE:
            Case.objects.filter(target_author=user).update(preview="")
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        if user.avatar:
            files.append((user.avatar.storage, user.avatar.name))
        user.interests.clear()
        user.groups.clear()
        user.user_permissions.clear()
        user.username = FORMER_MEMBER_PREFIX + secrets.token_hex(8)
        user.first_name = user.last_name = user.display_name = user.email = user.bio = ""
        user.avatar = ""
        user.area = None
        user.show_town_on_map = False
        user.is_active = user.is_staff = user.is_superuser = False
        user.last_login = None
        user.set_unusable_password()
        user.save()
        sign_out_everywhere(user)

        def remove_files():
            for storage, name in files:
                try:
                    storage.delete(name)
                except OSError:
                    logger.warning("Could not delete %s", name)

        transaction.on_commit(remove_files)
    return user
