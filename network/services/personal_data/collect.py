"""What an export holds: the network's own data and every registered section's
(network.registries.register_personal_data_section)."""

from pathlib import Path

from allauth.account.models import EmailAddress
from django.utils import timezone

from network.models import (
    Comment,
    Complaint,
    Decision,
    Follow,
    GroupEventRSVP,
    GroupMembership,
    JoinRequest,
    Notification,
    NotificationPreference,
    OrganisationMembership,
    PersonalAccessToken,
    Post,
    Reaction,
    Report,
    User,
)
from network.registries import personal_data_sections


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
            {
                "event": registration.event.title,
                "status": registration.status,
                "registered_at": _dt(registration.created),
            }
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
            "show_town_on_map": user.show_town_on_map,
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
