from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone
from wagtail.models import Page

from content.models import Area

from ..links.services import make_link
from ..models import (
    Application,
    Charter,
    Licence,
    LinkClickDay,
    Mission,
    Participation,
    PointEntry,
    Profile,
    Submission,
    TrackedLink,
)
from ..models.licences import join_codes
from ..models.missions import MissionType, TracerStage

CHARTER_TEXT = (
    "<p>Je parle de la presqu'île avec sincérité, je respecte ses habitants et ses visiteurs, "
    "je n'invente rien et je signale mes liens avec les entreprises que je cite.</p>"
)
# username, display name, area slug, town, lat, lng, languages, interests, skills, greeter
AMBASSADORS = [
    (
        "camille",
        None,
        "port-morvellec",
        "Port-Morvellec",
        "48.71",
        "-3.97",
        ["fr", "en"],
        ["voile", "gastronomie"],
        ["photographie"],
        True,
    ),
    (
        "hugo",
        None,
        "kerlann",
        "Kerlann",
        "48.69",
        "-4.02",
        ["fr", "de"],
        ["huîtres", "vélo"],
        ["accueil"],
        True,
    ),
    (
        "amb-anne",
        "Anne Le Goff",
        "kerlann",
        "Kerlann",
        "48.69",
        "-4.02",
        ["fr"],
        ["randonnée"],
        ["guide"],
        False,
    ),
    (
        "amb-yann",
        "Yann Morvan",
        "saint-aven-des-dunes",
        "Saint-Aven-des-Dunes",
        "48.73",
        "-3.92",
        ["fr", "br"],
        ["surf"],
        ["vidéo"],
        True,
    ),
    (
        "amb-lucie",
        "Lucie Bernard",
        "port-morvellec",
        "Port-Morvellec",
        "48.71",
        "-3.97",
        ["fr", "en", "es"],
        ["musique", "fest-noz"],
        ["rédaction"],
        False,
    ),
    (
        "amb-malo",
        "Malo Riou",
        "quartier-du-vieux-port",
        "Port-Morvellec",
        "48.72",
        "-3.96",
        ["fr"],
        ["pêche"],
        ["photographie"],
        False,
    ),
    (
        "amb-sarah",
        "Sarah Cohen",
        "port-morvellec",
        "Port-Morvellec",
        "48.71",
        "-3.97",
        ["fr", "en"],
        ["gastronomie"],
        ["réseaux sociaux"],
        True,
    ),
    (
        "amb-erwan",
        "Erwan Kerhervé",
        "kerlann",
        "Kerlann",
        "48.69",
        "-4.02",
        ["fr"],
        ["voile"],
        ["skipper"],
        False,
    ),
    (
        "amb-ines",
        "Inès Haddad",
        "saint-aven-des-dunes",
        "Saint-Aven-des-Dunes",
        "48.73",
        "-3.92",
        ["fr", "ar", "en"],
        ["patrimoine"],
        ["traduction"],
        True,
    ),
    (
        "amb-paul",
        "Paul Martin",
        "presquile-de-morvellec",
        "Kerlann",
        "48.69",
        "-4.02",
        ["fr", "en"],
        ["vélo"],
        ["mécanique"],
        False,
    ),
    (
        "amb-nolwenn",
        "Nolwenn Le Bris",
        "port-morvellec",
        "Port-Morvellec",
        "48.71",
        "-3.97",
        ["fr"],
        ["danse"],
        ["animation"],
        False,
    ),
    (
        "amb-tom",
        "Tom Guillou",
        "quartier-du-vieux-port",
        "Port-Morvellec",
        "48.72",
        "-3.96",
        ["fr", "en"],
        ["startups"],
        ["développement"],
        False,
    ),
    (
        "amb-julie",
        "Julie Perrot",
        "saint-aven-des-dunes",
        "Saint-Aven-des-Dunes",
        "48.73",
        "-3.92",
        ["fr", "it"],
        ["yoga"],
        ["bien-être"],
        True,
    ),
    (
        "amb-bastien",
        "Bastien Roux",
        "kerlann",
        "Kerlann",
        "48.69",
        "-4.02",
        ["fr"],
        ["huîtres"],
        ["ostréiculture"],
        False,
    ),
    (
        "amb-marie",
        "Marie Tanguy",
        "port-morvellec",
        "Port-Morvellec",
        "48.71",
        "-3.97",
        ["fr", "en"],
        ["littérature"],
        ["rédaction"],
        False,
    ),
    (
        "amb-karim",
        "Karim Benali",
        "presquile-de-morvellec",
        "Saint-Aven-des-Dunes",
        "48.73",
        "-3.92",
        ["fr", "ar"],
        ["football"],
        ["coaching"],
        False,
    ),
    (
        "amb-zoe",
        "Zoé Lemoine",
        "quartier-du-vieux-port",
        "Port-Morvellec",
        "48.72",
        "-3.96",
        ["fr", "en", "de"],
        ["architecture"],
        ["photographie"],
        True,
    ),
    (
        "amb-gael",
        "Gaël Le Du",
        "kerlann",
        "Kerlann",
        "48.69",
        "-4.02",
        ["fr"],
        ["oiseaux"],
        ["naturaliste"],
        False,
    ),
    (
        "amb-chloe",
        "Chloé Marchand",
        "saint-aven-des-dunes",
        "Saint-Aven-des-Dunes",
        "48.73",
        "-3.92",
        ["fr", "es"],
        ["cuisine"],
        ["événementiel"],
        False,
    ),
    (
        "amb-louis",
        "Louis Prigent",
        "port-morvellec",
        "Port-Morvellec",
        "48.71",
        "-3.97",
        ["fr", "en"],
        ["histoire"],
        ["conférences"],
        False,
    ),
]
APPLICANTS = [
    (
        "candidat-alice",
        "Alice Quéré",
        "J'habite Kerlann depuis dix ans et je fais visiter la presqu'île à tous mes amis.",
    ),
    (
        "candidat-marc",
        "Marc Olivier",
        "Étudiant à Port-Morvellec, je veux faire connaître la vie du Vieux-Port.",
    ),
]
MISSIONS = [
    (TracerStage.TOUS_REUNIS, MissionType.EVENT, "Soirée des ambassadeurs aux Halles", 20, None),
    (TracerStage.REPUTATION, MissionType.STORY, "Racontez votre plage préférée", 30, None),
    (TracerStage.AFFINITES, MissionType.GREET, "Accueillir un groupe d'étudiants Erasmus", 25, 5),
    (TracerStage.CONVERTIR, MissionType.RECRUIT, "Parrainez un nouvel ambassadeur", 40, None),
    (TracerStage.ENGAGEMENT, MissionType.SHARE, "Partagez le Festival des Embruns", 10, 50),
    (TracerStage.RETENTION, MissionType.FREE, "Photo de l'hiver sur le sentier", 15, None),
]
PUBLIC_FIELDS = ("headline", "areas", "interests", "town", "activity", "photo", "languages")


def seed_programme(*, stdout):
    User = get_user_model()
    today = timezone.localdate()
    charter, _created = Charter.objects.get_or_create(
        version=1,
        defaults={
            "title": "Charte des ambassadeurs de la presqu'île",
            "body": CHARTER_TEXT,
            "published": True,
        },
    )
    areas = {area.slug: area for area in Area.objects.all()}
    ambassadors = []
    for index, (
        username,
        display,
        area,
        town,
        lat,
        lng,
        languages,
        interests,
        skills,
        greeter,
    ) in enumerate(AMBASSADORS):
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "display_name": display or username.title(),
                "email": f"{username}@example.org",
            },
        )
        if created:
            user.set_password("territoire-demo")
            user.save()
        # Half of the ambassadors joined long ago (veterans), the others this year.
        start = today - timedelta(days=40 + 35 * index)
        Licence.objects.get_or_create(
            holder=user,
            defaults={
                "starts_on": start,
                "expires_on": start + timedelta(days=365 * 2)
                if index % 5
                else today + timedelta(days=20),
                "charter_version": charter.version,
            },
        )
        profile, created = Profile.objects.get_or_create(
            user=user,
            defaults={
                "headline": f"Ambassadeur·rice de {town}",
                "bio": f"<p>J'aime {', '.join(interests)} et je connais {town} par cœur.</p>",
                "town": town,
                "latitude": Decimal(lat),
                "longitude": Decimal(lng),
                "languages": join_codes(languages),
                "greeter": greeter,
                **{f"{name}_visibility": "public" for name in PUBLIC_FIELDS},
            },
        )
        if created:
            if area in areas:
                profile.areas.add(areas[area])
            profile.interests.add(*interests)
            profile.skills.add(*skills)
        ambassadors.append(user)
    from ..services.licences import refresh_listed
    from ..services.recognition import award

    refresh_listed(user_ids=[user.pk for user in ambassadors])

    for username, display, motivation in APPLICANTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"display_name": display, "email": f"{username}@example.org"},
        )
        if created:
            user.set_password("territoire-demo")
            user.save()
        if not Application.objects.filter(applicant=user).exists():
            application = Application.objects.create(
                applicant=user,
                motivation=motivation,
                interests="patrimoine, vélo",
                languages=join_codes(["fr", "en"]),
                charter_version=charter.version,
            )
            application.areas.add(*[a for slug, a in areas.items() if slug == "kerlann"])

    pages = list(Page.objects.live().public().filter(depth__gt=2).order_by("path")[:8])
    festival = next((p for p in pages if "embruns" in p.slug), pages[0] if pages else None)
    missions = {}
    for stage, kind, title, points, cap in MISSIONS:
        mission, _created = Mission.objects.get_or_create(
            title=title,
            defaults={
                "description": f"{title} : dites-nous comment cela s'est passé.",
                "stage": stage,
                "type": kind,
                "points": points,
                "cap": cap,
                "deadline": timezone.now() + timedelta(days=30),
                "status": Mission.Status.PUBLISHED,
                "page": festival if kind == MissionType.SHARE else None,
            },
        )
        missions[kind] = mission

    # Proofs waiting for review (Engagement), one approved (Réputation) with its points.
    from ..services.missions import HELD_REASON

    share = missions[MissionType.SHARE]
    for user in ambassadors[2:5]:
        participation, created = Participation.objects.get_or_create(mission=share, ambassador=user)
        if created:
            Mission.objects.filter(pk=share.pk).update(taken_count=F("taken_count") + 1)
            submission = Submission.objects.create(
                participation=participation,
                link=f"https://social.example/{user.username}/embruns",
                text="Partagé sur mon compte !",
            )
            Participation.objects.filter(pk=participation.pk).update(
                status=Participation.Status.SUBMITTED
            )
            from network.services.moderation import hold_for_review

            hold_for_review(submission, reason=HELD_REASON)
    story = missions[MissionType.STORY]
    for user, points in ((ambassadors[0], 120), (ambassadors[1], 80)):
        participation, created = Participation.objects.get_or_create(
            mission=story, ambassador=user, defaults={"status": Participation.Status.APPROVED}
        )
        if created:
            Mission.objects.filter(pk=story.pk).update(taken_count=F("taken_count") + 1)
            Submission.objects.create(
                participation=participation,
                text="Mon histoire de la plage des Sept-Îles.",
                status=Submission.Status.APPROVED,
                reviewed_at=timezone.now(),
            )
        # Through the service: it keeps the totals the leaderboards read.
        award(
            user_id=user.pk,
            reason=PointEntry.Reason.MISSION,
            reference=f"mission:{story.pk}",
            points=story.points,
        )
        award(
            user_id=user.pk, reason=PointEntry.Reason.STORY, reference="demo:welcome", points=points
        )

    # Links with clicks over the last 30 days.
    clicks = 0
    for owner_index, user in enumerate(ambassadors[:6]):
        for page_index, page in enumerate(pages[:3]):
            link = make_link(owner=user, page=page)
            if link.days.exists():
                continue
            rows = [
                LinkClickDay(
                    link=link,
                    day=today - timedelta(days=day),
                    clicks=(day * 7 + owner_index * 3 + page_index) % 9,
                )
                for day in range(30)
            ]
            LinkClickDay.objects.bulk_create(rows)
            total = sum(row.clicks for row in rows)
            TrackedLink.objects.filter(pk=link.pk).update(clicks=total)
            clicks += total
    from ..services.recognition import award_click_points

    award_click_points({today - timedelta(days=day) for day in range(30)})

    # A briefing sent to everyone, read by half of them.
    from ..models import Briefing, BriefingRecipient

    briefing, created = Briefing.objects.get_or_create(
        title="Festival des Embruns : ce qu'il faut savoir",
        defaults={
            "body": "<p>Le festival revient du 12 au 14 juillet, avec une scène sur le port.</p>",
            "talking_points": "Navettes gratuites depuis Kerlann\nBillets solidaires à 5 €",
            "snippets": "Trois jours de musique face à la mer : le Festival des Embruns !",
            "sent_at": timezone.now() - timedelta(days=3),
        },
    )
    if created:
        BriefingRecipient.objects.bulk_create(
            [
                BriefingRecipient(
                    briefing=briefing,
                    user=user,
                    read_at=timezone.now() - timedelta(days=2) if n % 2 else None,
                )
                for n, user in enumerate(ambassadors)
            ]
        )
    seed_greeters(ambassadors, areas, today)

    # Badges earned by the demo's missions, clicks and greeters (camille and hugo among them).
    from ..services.badges import evaluate_badges

    evaluate_badges()

    stdout.write(
        f"  ambassadors: {len(ambassadors)} ambassadors, {len(APPLICANTS)} applications, "
        f"{len(MISSIONS)} missions, {clicks} new link clicks"
    )


def seed_greeters(ambassadors, areas, today):
    """Camille and Hugo greet visitors; a visitor's confirmed request waits for one of them,
    and another (in Chinese) has no taker, for the agency's list."""
    from ..models import Greeter, GreeterProposal, GreeterRequest

    by_name = {user.username: user for user in ambassadors}
    for username, languages, interests in (
        ("camille", ",fr,en,", "voile, gastronomie, port"),
        ("hugo", ",fr,de,", "huîtres, vélo"),
    ):
        user = by_name.get(username)
        if user is None:
            continue
        offer, created = Greeter.objects.get_or_create(
            user=user, defaults={"languages": languages, "interests": interests}
        )
        if created:
            offer.areas.set(user.ambassador_profile.areas.all())
    requests = (
        ("lena.demo@example.org", "Lena", ",en,de,", "port-morvellec", "sailing, food", 12, 3),
        ("wei.demo@example.org", "Wei", ",zh,", "kerlann", "history", 20, 2),
    )
    for email, name, languages, area, interests, in_days, size in requests:
        request, created = GreeterRequest.objects.get_or_create(
            visitor_email=email,
            defaults={
                "visitor_name": name,
                "visitor_language": "en",
                "date_from": today + timedelta(days=in_days),
                "date_to": today + timedelta(days=in_days + 2),
                "group_size": size,
                "languages": languages,
                "interests": interests,
                "area": areas.get(area),
                "message": "We would love to see the harbour with someone who lives there.",
                "status": GreeterRequest.Status.OPEN,
                "confirmed_at": timezone.now(),
            },
        )
        if created:
            from ..services.greeters import matching_greeters

            GreeterProposal.objects.bulk_create(
                [
                    GreeterProposal(request=request, greeter_id=user_id)
                    for user_id in matching_greeters(request)
                ]
            )
