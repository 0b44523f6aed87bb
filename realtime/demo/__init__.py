"""Demo chat (seed_demo loads `<app>.demo` of every app): each demo group's room with a few
days of history, a direct conversation between camille and hugo, a small named conversation,
and read marks that differ per account. Idempotent: messages are keyed by their client_id."""

from datetime import timedelta

from django.db.models import Max
from django.utils import timezone

from network.models import Group, User
from realtime import services
from realtime.models import Membership, Message, Room

# (room, author, text, hours ago)
GROUP_HISTORY = {
    "club-des-entrepreneurs": [
        ("agence", "Bienvenue dans le salon du club ! Les infos pratiques passent ici.", 74),
        ("hugo", "Merci ! Quelqu'un a un bon contact pour l'impression des menus de saison ?", 73),
        ("nina", "L'imprimerie du port, demandez Yann de ma part.", 72),
        ("agence", "Petit-déjeuner du mois : jeudi 8 h à l'Hôtel des Dunes. Qui vient ?", 50),
        ("nina", "Présente, et j'amène les croissants 🥐", 49),
        ("hugo", "Je serai là aussi. On pourrait parler du recrutement saisonnier ?", 48),
        ("agence", "Bonne idée, je prépare les chiffres : https://www.francetravail.fr", 26),
        ("hugo", "@nina tu as encore des chambres pour les saisonniers en juin ?", 5),
        ("nina", "Deux, pas plus. Je te dis ça demain.", 4),
    ],
    "tourisme-hebergement": [
        ("agence", "Le salon du groupe est ouvert : questions rapides, entraide, bons plans.", 60),
        ("nina", "Quelqu'un utilise déjà la taxe de séjour en ligne ?", 30),
        ("camille", "Oui, c'est simple, je peux montrer à qui veut.", 29),
        ("hugo", "Je veux bien, merci Camille !", 3),
    ],
}
DIRECT_HISTORY = [
    ("camille", "Salut Hugo ! Tu livres toujours le marché de Noël ?", 20),
    ("hugo", "Oui, samedi et dimanche. Tu passes ?", 19),
    ("camille", "Avec un groupe de visiteurs vers 11 h. Prévois du kouign-amann 😄", 18),
]
PRIVATE_NAME = "Organisation du salon du tourisme"
PRIVATE_MEMBERS = ["agence", "camille", "lea"]
PRIVATE_HISTORY = [
    ("agence", "On se répartit les créneaux du stand ?", 28),
    ("lea", "Je prends le samedi matin, avec une caméra.", 27),
    ("camille", "Samedi après-midi pour moi.", 6),
]
# How far each account has read, per room ("all" or a number of messages left unread).
LEFT_UNREAD = {
    ("club-des-entrepreneurs", "hugo"): 1,
    ("club-des-entrepreneurs", "nina"): 4,
    ("club-des-entrepreneurs", "agence"): 0,
    ("tourisme-hebergement", "nina"): 2,
    ("tourisme-hebergement", "camille"): 0,
}


def _store(room: Room, people: dict, history, key: str) -> None:
    """Write the history with consecutive seq numbers (a demo's past, not sent live)."""
    now = timezone.now()
    for number, (author, text, hours_ago) in enumerate(history):
        user = people.get(author)
        client_id = f"demo-{key}-{number}"
        if user is None or Message.objects.filter(author=user, client_id=client_id).exists():
            continue
        Membership.objects.get_or_create(room=room, user=user)
        seq = services._next_seq(room.pk)
        mentioned = services.mentioned_members(room, text, author=user)
        Message.objects.create(
            room=room,
            seq=seq,
            author=user,
            client_id=client_id,
            text=text,
            body=services.render_body(text, mentioned),
            created_at=now - timedelta(hours=hours_ago),
        )


def _read_marks(room: Room, default_unread: int = 0, marks=None) -> None:
    last = room.messages.aggregate(last=Max("seq"))["last"] or 0
    for membership in room.memberships.select_related("user"):
        unread = (marks or {}).get(membership.user.username, default_unread)
        membership.last_read_seq = max(0, last - unread)
        membership.save(update_fields=["last_read_seq"])


def seed(*, stdout):
    people = {user.username: user for user in User.objects.filter(is_active=True)}
    for group in Group.objects.all():
        services.ensure_group_room(group=group)
    for slug, history in GROUP_HISTORY.items():
        room = Room.objects.filter(group__slug=slug).first()
        if room is None:
            continue
        _store(room, people, history, slug)
        marks = {name: left for (where, name), left in LEFT_UNREAD.items() if where == slug}
        _read_marks(room, default_unread=len(history), marks=marks)
    if "camille" in people and "hugo" in people:
        direct = services.open_direct_room(actor=people["camille"], other=people["hugo"])
        _store(direct, people, DIRECT_HISTORY, "direct-camille-hugo")
        _read_marks(direct, marks={"camille": 0, "hugo": 1})
    members = [people[name] for name in PRIVATE_MEMBERS if name in people]
    if len(members) >= 2:
        room = Room.objects.filter(kind=Room.Kind.PRIVATE, name=PRIVATE_NAME).first()
        if room is None:
            room = services.create_private_room(
                actor=members[0], name=PRIVATE_NAME, members=members[1:]
            )
        _store(room, people, PRIVATE_HISTORY, "salon")
        _read_marks(room, marks={"agence": 0, "camille": 0, "lea": 2})
    stdout.write(f"Chat: {Room.objects.count()} rooms, {Message.objects.count()} messages.")
