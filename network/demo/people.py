"""The demo's people: who they are (a bio, a town, a portrait drawn here with Pillow: no
photo is downloaded), a few more members of the community than the six log-in accounts, and
three different weeks of posts (the first week is network.demo.POSTS)."""

import hashlib
import io
import random

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFilter

# username: (town's area slug, shown on the members' map, bio)
PROFILES = {
    "agence": (
        "port-morvellec",
        False,
        "<p>Sophie Le Gall, chargée de communauté à l'Agence d'attractivité de Morvellec. "
        "J'anime les groupes, je relis vos récits et je réponds aux questions sur la marque "
        "« l'esprit presqu'île ».</p>",
    ),
    "camille": (
        "kerlann",
        True,
        "<p>Guide nature à Kerlann depuis huit ans. Je connais chaque sentier côtier, les "
        "horaires des marées par cœur et les meilleurs spots pour voir les phoques gris. "
        "Ambassadrice de la presqu'île, toujours partante pour une sortie en bottes.</p>",
    ),
    "hugo": (
        "port-morvellec",
        True,
        "<p>Boulanger au Vieux-Port, troisième génération. Pain au levain, kouign-amann et "
        "farines du pays de Morvellec. Je préside l'association des commerçants du port.</p>",
    ),
    "nina": (
        "saint-aven-des-dunes",
        True,
        "<p>Je dirige l'Hôtel des Dunes, face à la plage des Sept-Îles. Petit-déjeuner "
        "local, vélos prêtés aux clients et une idée fixe : faire aimer l'arrière-saison.</p>",
    ),
    "lea": (
        None,
        False,
        "<p>Travel creator based in Nantes: slow travel, islands and seafood, in French and "
        "English. I came for a weekend in 2024 and I keep coming back.</p>",
    ),
}

# Members of the community without a demo role: username, first, last, area, shown, bio
MEMBERS = [
    (
        "yann",
        "Yann",
        "Le Floch",
        "port-morvellec",
        True,
        "<p>Pêcheur-ligneur, bateau « Ar Mor » au Vieux-Port. Bar de ligne et lieu jaune, "
        "vendus à la criée et le samedi sur le quai.</p>",
    ),
    (
        "maelle",
        "Maëlle",
        "Guillou",
        "kerlann",
        True,
        "<p>Céramiste à l'Atelier Kerlann : des bols couleur d'écume et des stages pour "
        "apprendre le tour, d'avril à octobre.</p>",
    ),
    (
        "erwan",
        "Erwan",
        "Tanguy",
        "saint-aven-des-dunes",
        True,
        "<p>Location de vélos et de tandems à Saint-Aven. Je trace des boucles pour les "
        "familles et je répare tout ce qui roule.</p>",
    ),
    (
        "annelaure",
        "Anne-Laure",
        "Jaouen",
        "kerlann",
        True,
        "<p>Deux gîtes dans une longère de Kerlann, à dix minutes à pied des parcs à "
        "huîtres. Ancienne infirmière, revenue au pays en 2019.</p>",
    ),
    (
        "thomas",
        "Thomas",
        "Riou",
        "port-morvellec",
        False,
        "<p>Étudiant en BTS tourisme, saisonnier à l'Office de tourisme l'été. Je fais "
        "visiter le musée de la pêche aux groupes scolaires.</p>",
    ),
]

# Two more weeks of the conversation, different from the first (group slug or None, author,
# text, tags). Each week is told in its own words: no post repeats another.
LATER_WEEKS = [
    [
        (
            "tourisme-hebergement",
            "nina",
            "Bilan de la Toussaint : 78 % de remplissage, surtout des familles venues pour "
            "les grandes marées. Qui a eu les mêmes chiffres ?",
            ["saison"],
        ),
        (
            "tourisme-hebergement",
            "agence",
            "Nouvelle photothèque : 40 photos d'automne de la presqu'île, libres pour vos "
            "sites et vos réseaux (crédit « Agence de Morvellec »).",
            ["marque", "photo"],
        ),
        (
            "commercants-du-vieux-port",
            "hugo",
            "La fête du port a fait le plein : merci à tous ! Prochaine étape, les vitrines "
            "de Noël, on se répartit les thèmes jeudi.",
            ["fête du port"],
        ),
        (
            "club-des-entrepreneurs",
            "agence",
            "Atelier gratuit le 12 : répondre aux avis en ligne sans y passer ses soirées. "
            "Inscription auprès de Sophie.",
            ["formation"],
        ),
        (None, "camille", "Trois phoques gris devant la pointe du Men Du ce matin.", ["nature"]),
        (
            None,
            "hugo",
            "Nouveau pain au sarrasin et aux algues de Kerlann, en test toute la semaine.",
            ["pain"],
        ),
        (
            None,
            "yann",
            "Mer formée, pas de sortie demain. Le poisson de samedi sera au quai malgré tout.",
            ["pêche"],
        ),
        (
            None,
            "maelle",
            "Fournée d'hiver sortie du four : bols bleu nuit et pichets sable.",
            ["artisanat"],
        ),
        (
            None,
            "lea",
            "Draft of my Morvellec guide is done: 12 places, 6 tables, 3 walks. Ambassadors, "
            "who wants to proofread the French version?",
            ["vidéo"],
        ),
    ],
    [
        (
            "tourisme-hebergement",
            "camille",
            "Rappel utile pour vos clients : la traversée vers l'île de Berc'h se fait à pied "
            "à marée basse seulement, horaires à l'accueil de l'Office.",
            ["conseil", "sécurité"],
        ),
        (
            "tourisme-hebergement",
            "lea",
            "Tournage terminé à l'Hôtel des Dunes, merci @nina pour l'accueil ! Vidéo en "
            "ligne début janvier.",
            ["vidéo"],
        ),
        (
            "commercants-du-vieux-port",
            "nina",
            "Marché de Noël des créateurs le 20 sous les halles : il reste quatre stands.",
            ["noël"],
        ),
        (
            "club-des-entrepreneurs",
            "hugo",
            "Qui serait partant pour une commande groupée d'emballages compostables ? On "
            "gagnerait 20 % à dix.",
            ["achats"],
        ),
        (
            None,
            "erwan",
            "Boucle du week-end : Saint-Aven, les dunes, la chapelle et retour par la côte, "
            "18 km sans difficulté.",
            ["randonnée", "vélo"],
        ),
        (
            None,
            "annelaure",
            "Les gîtes rouvrent après travaux : isolation refaite et poêle à bois. Premiers "
            "hôtes vendredi.",
            ["hébergement"],
        ),
        (
            None,
            "thomas",
            "Visite du musée de la pêche avec deux classes de CM2 : ils ont tout retenu sur "
            "les sardiniers, moi aussi.",
            ["patrimoine"],
        ),
        (None, "nina", "Coucher de soleil sur les Sept-Îles depuis la terrasse.", ["nature"]),
    ],
]

SKIN = [(241, 204, 177), (224, 172, 138), (198, 134, 96), (141, 85, 60), (250, 218, 195)]
HAIR = [(44, 34, 30), (92, 58, 36), (163, 112, 62), (214, 176, 108), (120, 120, 120)]
BACKDROP = [(15, 92, 99), (95, 196, 192), (233, 196, 106), (231, 111, 81), (96, 108, 56)]
CLOTHES = [(38, 70, 83), (244, 162, 97), (42, 157, 143), (180, 60, 60), (90, 80, 140)]


def portrait(name: str, size: int = 256) -> bytes:
    """A drawn head-and-shoulders portrait, the same for the same name (PNG bytes)."""
    rng = random.Random(hashlib.sha256(name.encode()).hexdigest())  # noqa: S311
    scale = 2  # drawn large, then reduced: smooth edges
    s = size * scale
    back = rng.choice(BACKDROP)
    image = Image.new("RGB", (s, s), back)
    draw = ImageDraw.Draw(image)
    light = tuple(min(255, c + 40) for c in back)
    draw.ellipse((-s * 0.2, -s * 0.4, s * 0.9, s * 0.6), fill=light)
    skin, hair, clothes = rng.choice(SKIN), rng.choice(HAIR), rng.choice(CLOTHES)
    long_hair = rng.random() < 0.5
    cx = s / 2
    if long_hair:
        draw.rounded_rectangle(
            (cx - s * 0.25, s * 0.2, cx + s * 0.25, s * 0.72), radius=s * 0.12, fill=hair
        )
    draw.ellipse((cx - s * 0.42, s * 0.7, cx + s * 0.42, s * 1.25), fill=clothes)
    draw.rectangle((cx - s * 0.07, s * 0.55, cx + s * 0.07, s * 0.74), fill=skin)
    draw.ellipse((cx - s * 0.19, s * 0.22, cx + s * 0.19, s * 0.66), fill=skin)
    draw.chord((cx - s * 0.21, s * 0.16, cx + s * 0.21, s * 0.5), 180, 360, fill=hair)
    eye = (35, 30, 30)
    for dx in (-0.075, 0.075):
        x = cx + s * dx
        draw.ellipse((x - s * 0.018, s * 0.42, x + s * 0.018, s * 0.45), fill=eye)
    draw.arc((cx - s * 0.06, s * 0.5, cx + s * 0.06, s * 0.57), 20, 160, fill=eye, width=scale * 3)
    if rng.random() < 0.3:
        draw.chord((cx - s * 0.16, s * 0.5, cx + s * 0.16, s * 0.7), 0, 180, fill=hair)  # a beard
    image = image.filter(ImageFilter.SMOOTH).resize((size, size), Image.LANCZOS)
    output = io.BytesIO()
    image.save(output, "PNG", optimize=True)
    return output.getvalue()


def seed_people(*, areas, stdout):
    """Bios, towns and portraits of the demo accounts, and the other members; idempotent:
    what a person has already is kept."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    from network.demo import DEMO_PASSWORD

    User = get_user_model()
    for username, first, last, *_profile in MEMBERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "display_name": f"{first} {last}",
                "email": f"{username}@morvellec.example",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            EmailAddress.objects.get_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )
    profiles = dict(PROFILES)
    profiles.update({m[0]: (m[3], m[4], m[5]) for m in MEMBERS})
    for user in User.objects.filter(username__in=profiles):
        area, shown, bio = profiles[user.username]
        changed = []
        if not user.bio:
            user.bio, user.show_town_on_map = bio, shown
            user.area = areas.get(area) if area else None
            changed += ["bio", "show_town_on_map", "area"]
        if not user.avatar:
            user.avatar.save(
                f"{user.username}.png", ContentFile(portrait(user.get_display_name())), save=False
            )
            changed.append("avatar")
        if changed:
            user.save(update_fields=changed)
    stdout.write(f"  network: {len(profiles)} profiles with a bio and a portrait")
