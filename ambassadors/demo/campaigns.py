"""Demo campaigns (issue 19): a paid brief with lea (accepted, one content waiting for review,
her ledger just under the contract threshold) and a gifted eductour with 6 seats, 6 creators
on board and 2 on the waiting list. Idempotent: briefs are found by title."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Page

from ..campaigns.models import Campaign, CreatorProfile
from ..models import LinkClickDay, TrackedLink

PAID_TITLE = "Les phares de Morvellec en hiver"
EDUCTOUR_TITLE = "Eductour « Saveurs de la presqu'île »"
# username, display name, kind, platform, handle, audience, niches, languages
CREATORS = [
    (
        "crea-margaux",
        "Margaux Le Bihan",
        "influencer",
        "instagram",
        "@margaux.bzh",
        48_000,
        "food, voile",
        ["fr"],
    ),
    (
        "crea-tom",
        "Tom Guillou",
        "blogger",
        "blog",
        "tomvoyage.example",
        12_000,
        "randonnée, food",
        ["fr", "en"],
    ),
    ("crea-ines", "Inès Rolland", "influencer", "tiktok", "@ines.cuisine", 210_000, "food", ["fr"]),
    (
        "crea-paul",
        "Paul Kervella",
        "journalist",
        "press",
        "Ouest Saveurs",
        90_000,
        "gastronomie",
        ["fr"],
    ),
    (
        "crea-julie",
        "Julie Tanguy",
        "influencer",
        "youtube",
        "Julie en Bretagne",
        65_000,
        "patrimoine, food",
        ["fr", "en"],
    ),
    ("crea-malo", "Malo Riou", "blogger", "blog", "malo-mange.example", 7_500, "food", ["fr"]),
    (
        "crea-anna",
        "Anna Schmidt",
        "influencer",
        "instagram",
        "@anna.atlantik",
        33_000,
        "slow travel",
        ["de", "en"],
    ),
    ("crea-lucas", "Lucas Morel", "media", "press", "Radio Presqu'île", 25_000, "local", ["fr"]),
]


def _profile(user, kind, platform, handle, audience, niches, languages, **extra):
    from ..campaigns.services.creators import save_creator_profile

    if CreatorProfile.objects.filter(user=user).exists():
        return
    save_creator_profile(
        actor=user,
        kind=kind,
        platforms=[
            {
                "platform": platform,
                "handle": handle,
                "audience": audience,
                "audience_on": timezone.localdate() - timedelta(days=20),
            }
        ],
        niches=niches,
        languages=languages,
        **extra,
    )


def seed_campaigns(*, stdout):
    from network.services.notifications import without_email

    from ..campaigns.services import briefs, casting, deliverables

    User = get_user_model()
    agence = User.objects.filter(username="agence").first()
    lea = User.objects.filter(username="lea").first()
    if agence is None or lea is None:
        return
    today = timezone.localdate()
    pages = list(Page.objects.live().filter(depth=3).order_by("path")[:2])
    with without_email():
        _profile(
            lea,
            "influencer",
            "instagram",
            "@lea.slowtravel",
            42_000,
            "slow travel, food",
            ["fr", "en"],
            legal_name="Léa Martin EI",
            address="12 quai de la Fosse, Nantes",
            tax_residence="France",
            arpp_certified=True,
            arpp_certified_on=today - timedelta(days=200),
        )
        people = []
        for username, name, kind, platform, handle, audience, niches, languages in CREATORS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"display_name": name, "email": f"{username}@example.org"},
            )
            if created:
                user.set_password("territoire-demo")
                user.save()
            _profile(user, kind, platform, handle, audience, niches, languages)
            people.append(user)

        if not Campaign.objects.filter(title=PAID_TITLE).exists():
            paid = briefs.save_brief(
                actor=agence,
                data={
                    "title": PAID_TITLE,
                    "objectives": "Faire venir les amateurs de photo et de nature hors saison.",
                    "stage": "reputation",
                    "audience": "Voyageurs lents, 25-45 ans, France et Royaume-Uni.",
                    "key_messages": "Les phares se visitent aussi l'hiver.\nLumières rasantes.",
                    "dos": "Citer le sentier côtier et les horaires de visite.",
                    "donts": "Pas de drone au-dessus des phares.",
                    "starts_on": today + timedelta(days=1),
                    "ends_on": today + timedelta(days=45),
                    "relationship": "paid",
                    "cash_amount": "750",
                    "usage_rights": "Republication sur les réseaux de l'agence pendant 12 mois.",
                    "required_mentions": "#EspritPresquile",
                },
                in_kind=[{"label": "Deux nuits à l'Hôtel des Dunes", "value": "200"}],
                deliverables=[
                    {
                        "platform": "instagram",
                        "format": "reel",
                        "count": 1,
                        "due_on": today + timedelta(days=20),
                    },
                    {
                        "platform": "instagram",
                        "format": "story",
                        "count": 3,
                        "due_on": today + timedelta(days=25),
                    },
                ],
                pages=pages,
            )
            briefs.move_brief(actor=agence, campaign=paid, action="publish")
            casting.invite(
                actor=agence,
                campaign=paid,
                creators=[lea],
                note="Nous adorons vos récits d'îles : le phare vous attend !",
            )
            casting.accept(actor=lea, campaign=paid)
            deliverables.submit(
                actor=lea,
                campaign=paid,
                platform="instagram",
                text="Collaboration commerciale avec l'Agence de Morvellec · Le phare de "
                "Kerlann sous la lumière d'hiver. #EspritPresquile",
            )
            for link in TrackedLink.objects.filter(owner=lea, reference=paid.reference):
                rows = [
                    LinkClickDay(
                        link=link, day=today - timedelta(days=day), clicks=(day * 5 + 3) % 11
                    )
                    for day in range(10)
                ]
                LinkClickDay.objects.bulk_create(rows, ignore_conflicts=True)
                TrackedLink.objects.filter(pk=link.pk).update(
                    clicks=sum(row.clicks for row in rows)
                )

        if not Campaign.objects.filter(title=EDUCTOUR_TITLE).exists():
            tour = briefs.save_brief(
                actor=agence,
                data={
                    "title": EDUCTOUR_TITLE,
                    "objectives": "Faire goûter la presqu'île : huîtres, pain au levain, criée.",
                    "stage": "affinites",
                    "audience": "Créateurs culinaires et presse gastronomique.",
                    "key_messages": "Du producteur à l'assiette en moins de 10 km.",
                    "starts_on": today + timedelta(days=10),
                    "ends_on": today + timedelta(days=60),
                    "relationship": "gifted",
                    "cash_amount": "0",
                    "kind": "press_invitation",
                    "has_eductour": True,
                    "eductour_starts_on": today + timedelta(days=14),
                    "eductour_ends_on": today + timedelta(days=16),
                    "eductour_programme": "Jour 1 : criée et huîtres\nJour 2 : boulangerie du "
                    "Vieux-Port\nJour 3 : dîner à l'Hôtel des Dunes",
                    "eductour_meeting_point": "Gare routière de Port-Morvellec, 9 h",
                    "eductour_seats": 6,
                },
                in_kind=[
                    {"label": "Hébergement 2 nuits", "value": "240"},
                    {"label": "Repas et dégustations", "value": "160"},
                ],
                deliverables=[
                    {
                        "platform": "instagram",
                        "format": "post",
                        "count": 2,
                        "due_on": today + timedelta(days=30),
                    },
                ],
                pages=pages[:1],
            )
            briefs.move_brief(actor=agence, campaign=tour, action="publish")
            casting.invite(
                actor=agence,
                campaign=tour,
                creators=people,
                note="Trois jours de saveurs : places limitées.",
            )
            for person in people:
                casting.accept(actor=person, campaign=tour)
    stdout.write("  campaigns: 2 briefs (paid with lea, gifted eductour 6 seats + 2 waiting)")
