"""A member's own data (GDPR): an export of everything the site holds about them, and the
deletion of their account, both asked for on the account page.

Exports are files, not rows: a zip under EXPORTS_ROOT/<random token>/ whose name carries
its owner's id and the time it was built. EXPORTS_ROOT is outside MEDIA_ROOT (a system check
refuses otherwise), so no URL reaches it: the only way out is the download view. The link is a
TimestampSigner signature of "<user id>:<token>" (7 days), and the download view also checks the
file's own age and that the signed-in member is its owner, so a forwarded link is useless to
anyone else; with EXPORTS_ACCEL_REDIRECT set, the view hands the sending to nginx's internal
location. Exports past their age are removed by `purge_expired_exports` (each build and each
download calls it), which also removes the folder older versions wrote under MEDIA_ROOT.

Deleting an account keeps the row (posts kept as "Former member" point at it, moderation
records may too) but erases everything personal in one transaction. A group or organisation
whose last owner is the member refuses the deletion with the list of them: the member chooses
who takes over (the same rule as leaving a group), rather than the site choosing for them."""

import json
import logging
import secrets
import shutil
import time
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from core.mail import site_url, subject_line
from core.ratelimit import hit
from network.models import (
    Case,
    Comment,
    Complaint,
    Decision,
    Follow,
    GroupEventRSVP,
    GroupInvitation,
    GroupMembership,
    JoinRequest,
    Mention,
    Notification,
    NotificationPreference,
    OrganisationMembership,
    PersonalAccessToken,
    Post,
    Reaction,
    Report,
    User,
)
from network.models.users import FORMER_MEMBER_PREFIX
from network.registries import personal_data_sections
from network.services.accounts import sign_out_everywhere

logger = logging.getLogger(__name__)

EXPORT_MAX_AGE = timedelta(days=7)
EXPORTS_PER_DAY = 3
EXPORT_SALT = "network.personal_data.export"

POSTS_ANONYMISE = "anonymise"
POSTS_REMOVE = "remove"
POST_CHOICES = (POSTS_ANONYMISE, POSTS_REMOVE)


# Export ---------------------------------------------------------------------------------------


def exports_root() -> Path:
    return Path(settings.EXPORTS_ROOT)


def _legacy_exports_root() -> Path:
    """Where exports were written before they left MEDIA_ROOT (public to anyone with a URL)."""
    return Path(settings.MEDIA_ROOT) / "exports"


def exports_root_is_private() -> bool:
    exports = exports_root().resolve()
    media = Path(settings.MEDIA_ROOT).resolve()
    return exports != media and media not in exports.parents


def _export_name(user_id: int, built_at: int) -> str:
    return f"territory-data-{user_id}-{built_at}.zip"


def _built_at(path: Path) -> int | None:
    try:
        return int(path.stem.rsplit("-", 1)[1])
    except (IndexError, ValueError):
        return None


def _is_expired(path: Path, now: float | None = None) -> bool:
    built_at = _built_at(path)
    now = time.time() if now is None else now
    return built_at is None or now - built_at >= EXPORT_MAX_AGE.total_seconds()


def purge_expired_exports() -> int:
    """Remove the exports past their age; returns how many."""
    legacy = _legacy_exports_root()
    if legacy.is_dir() and legacy != exports_root():
        removed = len(list(legacy.glob("*/*.zip")))
        shutil.rmtree(legacy, ignore_errors=True)
        if removed:
            logger.info("Removed %s data exports left under MEDIA_ROOT.", removed)
    root = exports_root()
    if not root.is_dir():
        return 0
    removed, now = 0, time.time()
    for folder in root.iterdir():
        files = list(folder.glob("*.zip")) if folder.is_dir() else []
        if all(_is_expired(path, now) for path in files):
            shutil.rmtree(folder, ignore_errors=True)
            removed += len(files)
    return removed


def export_link(user_id: int, token: str) -> str:
    """The signed path of an export (valid EXPORT_MAX_AGE from now; the file's age counts too)."""
    signed = signing.TimestampSigner(salt=EXPORT_SALT).sign(f"{user_id}:{token}")
    return reverse("network:personal_data_download", args=[signed])


def exports_of(user: User) -> list[dict]:
    """The member's exports still valid, newest first: {"token", "built_at", "expires_at",
    "url", "size"}."""
    root = exports_root()
    if not root.is_dir():
        return []
    found = []
    for path in root.glob(f"*/territory-data-{user.pk}-*.zip"):
        built_at = _built_at(path)
        if built_at is None or _is_expired(path):
            continue
        moment = datetime.fromtimestamp(built_at, tz=UTC)
        found.append(
            {
                "token": path.parent.name,
                "built_at": moment,
                "expires_at": moment + EXPORT_MAX_AGE,
                "url": export_link(user.pk, path.parent.name),
                "size": path.stat().st_size,
            }
        )
    return sorted(found, key=lambda export: export["built_at"], reverse=True)


def request_export(*, actor: User) -> None:
    """Queue the build of the actor's export (3 a day). The task e-mails the link."""
    if not actor.is_authenticated or not actor.is_active:
        raise NotAllowed()
    hit("data-export", actor.pk, limit=EXPORTS_PER_DAY, window=86400)
    from network.tasks import build_data_export_task

    transaction.on_commit(lambda: build_data_export_task.delay(actor.pk))


def _dt(value):
    return value.isoformat() if value else None


def _posts_data(user: User) -> tuple[list, list]:
    """The member's posts with their revisions and images; and the image files to add."""
    posts, files = [], []
    queryset = (
        Post.objects.filter(author=user)
        .select_related("group")
        .prefetch_related("revisions", "images", "tags")
        .order_by("created_at", "pk")
    )
    for post in queryset:
        images = []
        for image in post.images.all():
            archive_name = f"media/posts/{post.pk}/{Path(image.image.name).name}"
            images.append({"file": archive_name, "alt_text": image.alt_text})
            files.append((image.image, archive_name))
        posts.append(
            {
                "id": post.pk,
                "url": post.get_absolute_url(),
                "group": post.group.name if post.group else None,
                "status": post.status,
                "created_at": _dt(post.created_at),
                "edited_at": _dt(post.edited_at),
                "body": post.body,
                "text": post.body_text,
                "tags": sorted(tag.name for tag in post.tags.all()),
                "reaction_counts": post.reaction_counts,
                "comment_count": post.comment_count,
                "images": images,
                "revisions": [
                    {"written_at": _dt(revision.created_at), "body": revision.body}
                    for revision in post.revisions.all()
                ],
            }
        )
    return posts, files


def contributions_data(user: User) -> dict:
    """What the member gave the content hub: its personal-data section, registered in
    NetworkConfig.ready() (content never imports network, the reverse is allowed)."""
    from content.models import EventRegistration, PageUpdateSuggestion

    data = {
        "page_update_suggestions": [
            {
                "page": suggestion.page.title,
                "what_is_wrong": suggestion.what_is_wrong,
                "proposed_text": suggestion.proposed_text,
                "status": suggestion.status,
                "created_at": _dt(suggestion.created),
            }
            for suggestion in PageUpdateSuggestion.objects.filter(author=user).select_related(
                "page"
            )
        ],
        "event_registrations": [
            {"event": registration.event.title, "registered_at": _dt(registration.created)}
            for registration in EventRegistration.objects.filter(user=user).select_related("event")
        ],
    }
    try:
        from content.models import BrandLicence
    except ImportError:  # pragma: no cover - the toolkit is optional
        return data
    data["brand_licences"] = [
        {
            "asset": str(licence.asset),
            "organisation_name": licence.organisation_name,
            "intended_use": licence.intended_use,
            "status": licence.status,
            "requested_at": _dt(licence.requested_at),
        }
        for licence in BrandLicence.objects.filter(holder=user).select_related("asset")
    ]
    return data


def collect_personal_data(user: User) -> tuple[dict, list]:
    """Everything held about `user`, as JSON-ready data, and the media files to add to the
    zip as (FieldFile, name in the archive). Token hashes are never included."""
    files = []
    avatar = None
    if user.avatar:
        avatar = f"media/avatar/{Path(user.avatar.name).name}"
        files.append((user.avatar, avatar))
    posts, post_files = _posts_data(user)
    files += post_files
    data = {
        "exported_at": _dt(timezone.now()),
        "profile": {
            "username": user.username,
            "display_name": user.display_name,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "email_addresses": [
                {"email": address.email, "verified": address.verified, "primary": address.primary}
                for address in EmailAddress.objects.filter(user=user)
            ],
            "bio": user.bio,
            "area": str(user.area) if user.area_id else None,
            "interests": sorted(tag.name for tag in user.interests.all()),
            "preferred_language": user.preferred_language,
            "avatar": avatar,
            "date_joined": _dt(user.date_joined),
            "last_login": _dt(user.last_login),
            "suspended_until": _dt(user.suspended_until),
        },
        "organisations": [
            {"organisation": m.organisation.name, "role": m.role, "title": m.title}
            for m in OrganisationMembership.objects.filter(user=user).select_related("organisation")
        ],
        "groups": [
            {
                "group": m.group.name,
                "role": m.role,
                "follows_closely": m.follows_closely,
                "joined_at": _dt(m.joined_at),
            }
            for m in GroupMembership.objects.filter(user=user).select_related("group")
        ],
        "join_requests": [
            {
                "group": r.group.name,
                "message": r.message,
                "status": r.status,
                "created_at": _dt(r.created_at),
                "reason": r.reason,
            }
            for r in JoinRequest.objects.filter(user=user).select_related("group")
        ],
        "posts": posts,
        "comments": [
            {
                "post": c.post.get_absolute_url(),
                "body": c.body,
                "status": c.status,
                "created_at": _dt(c.created_at),
                "edited_at": _dt(c.edited_at),
            }
            for c in Comment.objects.filter(author=user).select_related("post")
        ],
        "reactions": [
            {"post": r.post.get_absolute_url(), "kind": r.kind, "created_at": _dt(r.created_at)}
            for r in Reaction.objects.filter(user=user).select_related("post")
        ],
        "following": [
            {
                "member": f.user.username if f.user_id else None,
                "organisation": f.organisation.name if f.organisation_id else None,
                "since": _dt(f.created_at),
            }
            for f in Follow.objects.filter(follower=user).select_related("user", "organisation")
        ],
        "followers": Follow.objects.filter(user=user).count(),
        "event_rsvps": [
            {
                "event": r.event.title,
                "group": r.event.group.name,
                "starts_at": _dt(r.event.starts_at),
                "status": r.status,
                "guests": r.guests,
            }
            for r in GroupEventRSVP.objects.filter(user=user).select_related("event__group")
        ],
        "notifications": [
            {
                "kind": n.kind,
                "url": n.url,
                "data": n.data,
                "created_at": _dt(n.created_at),
                "read_at": _dt(n.read_at),
            }
            for n in Notification.objects.filter(recipient=user)
        ],
        "notification_preferences": {
            p.kind: p.channel for p in NotificationPreference.objects.filter(user=user)
        },
        "access_tokens": [
            {
                "name": t.name,
                "created_at": _dt(t.created_at),
                "last_used_at": _dt(t.last_used_at),
                "expires_at": _dt(t.expires_at),
                "revoked_at": _dt(t.revoked_at),
            }
            for t in PersonalAccessToken.objects.filter(user=user)
        ],
        "moderation": _moderation_data(user),
    }
    # What the other apps hold, each in its own section (network/registries.py).
    for section in personal_data_sections():
        data[section.key] = section.export(user)
    return data, files


def _moderation_data(user: User) -> dict:
    """The member's reports, the decisions about them and their complaints (not who else
    reported them: that is someone else's data)."""
    return {
        "reports_made": [
            {
                "item": r.case.kind,
                "reason": r.reason,
                "explanation": r.explanation,
                "url": r.url,
                "created_at": _dt(r.created_at),
            }
            for r in Report.objects.filter(reporter=user).select_related("case")
        ],
        "decisions_about_you": [
            {
                "item": d.case.kind,
                "measure": d.action,
                "facts": d.facts,
                "ground": d.ground,
                "automated": d.automated,
                "suspended_until": _dt(d.suspended_until),
                "decided_at": _dt(d.decided_at),
                "reversed_at": _dt(d.reversed_at),
            }
            for d in Decision.objects.filter(affected=user).select_related("case")
        ],
        "complaints": [
            {
                "text": c.text,
                "status": c.status,
                "response": c.response,
                "created_at": _dt(c.created_at),
                "decided_at": _dt(c.decided_at),
            }
            for c in Complaint.objects.filter(author=user)
        ],
    }


def build_export(user: User) -> tuple[Path, str]:
    """Write the member's zip (data.json and media/); returns its path and its token."""
    data, files = collect_personal_data(user)
    token = secrets.token_urlsafe(24)
    folder = exports_root() / token
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / _export_name(user.pk, int(time.time()))
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        )
        for field_file, archive_name in files:
            try:
                with field_file.open("rb") as source:
                    archive.writestr(archive_name, source.read())
            except (OSError, ValueError):
                logger.warning("Export of %s: %s is missing", user.pk, field_file.name)
            finally:
                field_file.close()
    return path, token


def send_export_email(user: User, token: str) -> None:
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        link = site_url(export_link(user.pk, token))
        context = {
            "user": user,
            "link": link,
            "days": EXPORT_MAX_AGE.days,
            "territory_name": getattr(settings, "TERRITORY_NAME", ""),
        }
        subject = _("Your data is ready to download")
        body = render_to_string("network/personal_data/email_export.txt", context)
    send_mail(subject_line(subject), body, None, [user.email])


def build_and_send_export(*, user_id: int) -> str | None:
    """The task's work: purge old exports, build this one, e-mail its link; returns the token."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return None
    purge_expired_exports()
    _path, token = build_export(user)
    if user.email:
        send_export_email(user, token)
    return token


def export_file_for(*, actor: User, signed: str) -> Path:
    """The file behind a signed link, for its owner only. NotFound for anyone else or a bad
    link; Conflict (shown as 410 Gone) once expired."""
    if not actor.is_authenticated:
        raise NotFound()
    try:
        value = signing.TimestampSigner(salt=EXPORT_SALT).unsign(signed, max_age=EXPORT_MAX_AGE)
    except signing.SignatureExpired:
        raise Conflict(_("This download link has expired. Ask for a new export.")) from None
    except signing.BadSignature:
        raise NotFound() from None
    user_id, _sep, token = value.partition(":")
    if user_id != str(actor.pk) or not token or "/" in token or token.startswith("."):
        raise NotFound()
    folder = exports_root() / token
    files = sorted(folder.glob(f"territory-data-{actor.pk}-*.zip")) if folder.is_dir() else []
    if not files:
        raise NotFound()
    if _is_expired(files[-1]):
        purge_expired_exports()
        raise Conflict(_("This download link has expired. Ask for a new export."))
    return files[-1]


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
