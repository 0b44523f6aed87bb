"""e-PR demo data: a dozen press contacts in three segments and one press release sent to
the regional press, with a few opens. Idempotent: contacts by e-mail, the release by
subject."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from content.models import StoryPage

from ..links.services import make_link
from ..models import LinkClickDay, TrackedLink
from ..models.licences import join_codes
from .models import PressContact, PressRecipient, PressRelease, PressSegment

SEGMENTS = {
    "regional": ("Presse régionale", "Quotidiens et hebdomadaires de Bretagne"),
    "travel": ("Presse voyage", "Magazines et suppléments voyage nationaux"),
    "english": ("Travel media (English)", "UK and Irish travel writers and bloggers"),
}
# name, e-mail, outlet, role, beats, languages, segments
CONTACTS = [
    (
        "Maëlle Guillou",
        "m.guillou@ouest-quotidien.example",
        "L'Ouest quotidien",
        "Journaliste",
        "tourisme, mer",
        ["fr"],
        ["regional"],
    ),
    (
        "Pierre Le Bihan",
        "p.lebihan@le-telegramme-cotier.example",
        "Le Télégramme côtier",
        "Chef d'édition",
        "vie locale, économie",
        ["fr"],
        ["regional"],
    ),
    (
        "Anaïs Corre",
        "anais.corre@bretagne-hebdo.example",
        "Bretagne Hebdo",
        "Rédactrice",
        "culture, festivals",
        ["fr"],
        ["regional"],
    ),
    (
        "Loïc Tanguy",
        "loic.tanguy@radio-armor.example",
        "Radio Armor",
        "Reporter",
        "sports nautiques",
        ["fr", "br"],
        ["regional"],
    ),
    (
        "Sophie Marchand",
        "sophie.marchand@escapades-mag.example",
        "Escapades magazine",
        "Rédactrice en chef",
        "voyage, week-ends",
        ["fr", "en"],
        ["travel"],
    ),
    (
        "Julien Roux",
        "j.roux@voyages-et-saveurs.example",
        "Voyages & Saveurs",
        "Pigiste",
        "gastronomie, huîtres",
        ["fr"],
        ["travel", "regional"],
    ),
    (
        "Claire Fontaine",
        "claire@carnet-nomade.example",
        "Carnet nomade (blog)",
        "Blogueuse",
        "randonnée, slow travel",
        ["fr"],
        ["travel"],
    ),
    (
        "Thomas Berger",
        "t.berger@grand-air.example",
        "Grand Air",
        "Journaliste",
        "nature, vélo",
        ["fr", "de"],
        ["travel"],
    ),
    (
        "Emily Walsh",
        "emily.walsh@coastal-journeys.example",
        "Coastal Journeys",
        "Travel editor",
        "coast, food",
        ["en"],
        ["english"],
    ),
    (
        "Oliver Grant",
        "oliver@slowroads.example",
        "Slow Roads (blog)",
        "Blogger",
        "cycling, camping",
        ["en"],
        ["english"],
    ),
    (
        "Siobhan Kelly",
        "s.kelly@irish-traveller.example",
        "The Irish Traveller",
        "Writer",
        "islands, culture",
        ["en"],
        ["english"],
    ),
    (
        "Hannah Price",
        "hannah.price@weekend-escapes.example",
        "Weekend Escapes",
        "Editor",
        "short breaks",
        ["en", "fr"],
        ["english", "travel"],
    ),
]
RELEASE_SUBJECT = "Morvellec : la saison des embruns commence"
PITCH = (
    "<p>Bonjour,</p><p>Le festival des Embruns ouvre la saison à <strong>Port-Morvellec</strong> : "
    "voici le récit de l'agence, avec photos libres de droits sur demande.</p>"
)


def seed_press(*, stdout) -> None:
    staff = get_user_model().objects.filter(username="agence").first()
    story = StoryPage.objects.live().public().order_by("-date", "pk").first()
    segments = {}
    for key, (name, description) in SEGMENTS.items():
        segments[key], _created = PressSegment.objects.get_or_create(
            name=name, defaults={"description": description}
        )
    today = timezone.localdate()
    contacts = []
    for index, (name, email, outlet, role, beats, languages, keys) in enumerate(CONTACTS):
        contact, created = PressContact.objects.get_or_create(
            email=email,
            defaults={
                "name": name,
                "outlet": outlet,
                "role": role,
                "beats": beats,
                "languages": join_codes(languages),
                "consent_basis": (
                    PressContact.ConsentBasis.CONSENT
                    if index % 3 == 0
                    else PressContact.ConsentBasis.LEGITIMATE_INTEREST
                ),
                "consent_date": today - timedelta(days=30 + index * 11),
                # One of the regional press asked for no more releases.
                "status": (
                    PressContact.Status.UNSUBSCRIBED if index == 3 else PressContact.Status.ACTIVE
                ),
            },
        )
        if created:
            contact.segments.set([segments[key] for key in keys])
        contacts.append(contact)
    if staff is None or story is None:
        return
    release, created = PressRelease.objects.get_or_create(
        subject=RELEASE_SUBJECT,
        defaults={
            "story": story,
            "segment": segments["regional"],
            "pitch": PITCH,
            "status": PressRelease.Status.SENT,
            "created_by": staff,
            "sent_at": timezone.now() - timedelta(days=2),
        },
    )
    if not created:
        return
    opened = 0
    for index, contact in enumerate(segments["regional"].contacts.order_by("name", "pk")):
        receiving = contact.can_receive
        recipient = PressRecipient.objects.create(
            release=release,
            contact=contact,
            name=contact.name,
            email=contact.email,
            status=PressRecipient.Status.SENT if receiving else PressRecipient.Status.SKIPPED,
            sent_at=release.sent_at if receiving else None,
        )
        if not receiving:
            continue
        link = make_link(owner=staff, page=story, source="press", reference=f"press-{recipient.pk}")
        recipient.link = link
        if index % 2 == 0:  # half of them followed their link, the day after
            recipient.opened_at = release.sent_at + timedelta(hours=20 + index)
            LinkClickDay.objects.get_or_create(
                link=link, day=timezone.localdate(recipient.opened_at), defaults={"clicks": 1}
            )
            TrackedLink.objects.filter(pk=link.pk).update(clicks=1)
            opened += 1
        recipient.save(update_fields=["link", "opened_at"])
    stdout.write(
        f"Press: {len(contacts)} contacts, release “{release.subject}” opened by {opened}."
    )
