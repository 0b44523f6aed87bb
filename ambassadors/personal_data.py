"""What the programme keeps about one member, for their data export and their account's
erasure (network's personal-data registry: `register_personal_data_section`)."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from .models import (
    Application,
    BadgeAward,
    Greeter,
    GreeterFeedback,
    GreeterProposal,
    GreeterRequest,
    Licence,
    LinkClickDay,
    Participation,
    PointEntry,
    PointTotal,
    Profile,
    Submission,
    TrackedLink,
)


def _iso(value):
    return value.isoformat() if value else None


def export_personal_data(user) -> dict:
    profile = Profile.objects.filter(user=user).prefetch_related("areas").first()
    licence = Licence.objects.filter(holder=user).first()
    return {
        "applications": [
            {
                "created_at": _iso(a.created_at),
                "status": a.status,
                "motivation": a.motivation,
                "interests": a.interests,
                "skills": a.skills,
                "languages": a.language_codes,
                "links": a.link_list,
                "charter_version": a.charter_version,
                "decision_reason": a.decision_reason,
            }
            for a in Application.objects.filter(applicant=user)
        ],
        "licence": licence
        and {
            "starts_on": _iso(licence.starts_on),
            "expires_on": _iso(licence.expires_on),
            "status": licence.status,
            "charter_version": licence.charter_version,
        },
        "profile": profile
        and {
            "headline": profile.headline,
            "bio": profile.bio,
            "town": profile.town,
            "areas": [area.name for area in profile.areas.all()],
            "interests": list(profile.interests.names()),
            "skills": list(profile.skills.names()),
            "languages": profile.language_codes,
            "greeter": profile.greeter,
            "leaderboard_opt_out": profile.leaderboard_opt_out,
            "photo": profile.photo.name or None,
        },
        "missions": [
            {
                "mission": p.mission.title,
                "status": p.status,
                "taken_at": _iso(p.taken_at),
                "proofs": [
                    {
                        "link": s.link,
                        "text": s.text,
                        "photo": s.photo.name or None,
                        "status": s.status,
                        "created_at": _iso(s.created_at),
                    }
                    for s in p.submissions.all()
                ],
            }
            for p in Participation.objects.filter(ambassador=user)
            .select_related("mission")
            .prefetch_related("submissions")
        ],
        "links": [
            {
                "code": link.code,
                "target": link.target,
                "clicks_per_day": {_iso(day.day): day.clicks for day in link.days.all()},
            }
            for link in TrackedLink.objects.filter(owner=user).prefetch_related("days")
        ],
        "points": [
            {
                "reason": e.reason,
                "reference": e.reference,
                "points": e.points,
                "created_at": _iso(e.created_at),
            }
            for e in PointEntry.objects.filter(user=user)
        ],
        "badges": [
            {"badge": a.badge.name, "awarded_at": _iso(a.awarded_at)}
            for a in BadgeAward.objects.filter(user=user).select_related("badge")
        ],
        "greeter": _greeter_export(user),
    }


def _greeter_export(user) -> dict:
    """The ambassador's side of greeting: what they offer, the requests proposed to them and
    those they accepted, with the feedback they wrote. The visitor's contact is the visitor's
    data, not theirs: it is left out."""
    offer = Greeter.objects.filter(user=user).prefetch_related("areas").first()
    return {
        "offer": offer
        and {
            "languages": offer.language_codes,
            "areas": [area.name for area in offer.areas.all()],
            "interests": offer.interests,
        },
        "proposed": [
            {
                "request": p.request_id,
                "dates": [_iso(p.request.date_from), _iso(p.request.date_to)],
                "accepted": p.request.greeter_id == user.pk,
            }
            for p in GreeterProposal.objects.filter(greeter=user).select_related("request")
        ],
        "feedback": [
            {"request": f.request_id, "text": f.text, "created_at": _iso(f.created_at)}
            for f in GreeterFeedback.objects.filter(
                request__greeter=user, author=GreeterFeedback.Author.GREETER
            )
        ],
    }


def erase_personal_data(user) -> None:
    """Everything above goes; files too, once the transaction commits. The moderation cases
    of the member's proofs go with them."""
    from network.models import Case

    submissions = Submission.objects.filter(participation__ambassador=user)
    files = [s.photo for s in submissions if s.photo]
    profile = Profile.objects.filter(user=user).first()
    if profile is not None and profile.photo:
        files.append(profile.photo)
    Case.objects.filter(
        target_type=ContentType.objects.get_for_model(Submission),
        target_id__in=list(submissions.values_list("pk", flat=True)),
    ).delete()
    submissions.delete()
    Participation.objects.filter(ambassador=user).delete()
    LinkClickDay.objects.filter(link__owner=user).delete()
    TrackedLink.objects.filter(owner=user).delete()
    PointEntry.objects.filter(user=user).delete()
    PointTotal.objects.filter(user=user).delete()
    BadgeAward.objects.filter(user=user).delete()
    GreeterFeedback.objects.filter(
        request__greeter=user, author=GreeterFeedback.Author.GREETER
    ).delete()
    GreeterRequest.objects.filter(greeter=user).update(greeter=None)
    GreeterProposal.objects.filter(greeter=user).delete()
    Greeter.objects.filter(user=user).delete()
    Profile.objects.filter(user=user).delete()
    Licence.objects.filter(holder=user).delete()
    Application.objects.filter(applicant=user).delete()
    for file in files:
        transaction.on_commit(lambda file=file: file.storage.delete(file.name))


def register() -> None:
    from network.registries import PersonalDataSection, register_personal_data_section

    register_personal_data_section(
        PersonalDataSection(
            key="ambassadors", export=export_personal_data, erase=erase_personal_data
        )
    )
