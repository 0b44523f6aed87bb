"""The demo brand kit ("Kit de marque") and welcome pack ("Bienvenue à Morvellec").

Every file is made here with Pillow or as plain text: nothing is downloaded. Only what is
missing is created, so a second run keeps the edits made in the admin.
"""

from datetime import timedelta
from io import BytesIO
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from content.demo.images import get_or_create_image
from content.models import ToolkitAsset, ToolkitPage, WelcomeOffer, WelcomePackPage

TEAL = (15, 92, 99)
TEAL_DARK = (10, 65, 70)
SEA = (95, 196, 192)
SAND = (244, 201, 93)
FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]


def _font(size: int, *, bold=False, serif=False):
    name = "DejaVu{}{}.ttf".format("Serif" if serif else "Sans", "-Bold" if bold else "")
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default(size=size)


# Files ----------------------------------------------------------------------------------------


def logo_png() -> bytes:
    """The place-brand mark: a wave under a sun in a disc, the name and the signature."""
    name_font, tagline_font = _font(140, bold=True, serif=True), _font(64, serif=True)
    name_box = name_font.getbbox("MORVELLEC")
    width = 580 + name_box[2] + 60
    picture = PILImage.new("RGBA", (width, 600), (255, 255, 255, 0))
    draw = ImageDraw.Draw(picture)
    cx, cy, r = 300, 300, 210
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=TEAL)
    draw.pieslice([cx - 130, cy - 190, cx + 130, cy + 70], 180, 360, fill=SAND)
    for k, color in enumerate([SEA, (255, 255, 255), SEA]):
        y = cy + 20 + k * 55
        draw.arc([cx - 170, y - 40, cx, y + 40], 200, 340, fill=color, width=22)
        draw.arc([cx, y - 40, cx + 170, y + 40], 200, 340, fill=color, width=22)
    draw.text((580, 190), "MORVELLEC", font=name_font, fill=TEAL_DARK)
    draw.text((590, 370), "l'esprit presqu'île", font=tagline_font, fill=TEAL)
    return _encode(picture, "PNG", optimize=True)


def guidelines_page() -> PILImage.Image:
    """A one-page A4 leaflet of the message guidelines, at 150 dpi."""
    page = PILImage.new("RGB", (1240, 1754), (251, 250, 247))
    draw = ImageDraw.Draw(page)
    draw.rectangle([0, 0, 1240, 260], fill=TEAL)
    draw.text((90, 80), "Morvellec", font=_font(84, bold=True, serif=True), fill=(255, 255, 255))
    draw.text((90, 185), "Plateforme de marque — messages clés", font=_font(40), fill=SAND)
    y = 340
    for title, lines in GUIDELINE_POINTS:
        draw.text((90, y), title, font=_font(44, bold=True, serif=True), fill=TEAL_DARK)
        y += 70
        for line in lines:
            draw.text((120, y), "• " + line, font=_font(32), fill=(21, 38, 43))
            y += 50
        y += 40
    draw.text(
        (90, 1650),
        "Agence d'attractivité de Morvellec — kit de marque, version 1",
        font=_font(26),
        fill=(74, 93, 99),
    )
    return page


def _encode(picture: PILImage.Image, fmt: str, **options) -> bytes:
    out = BytesIO()
    picture.save(out, fmt, **options)
    return out.getvalue()


GUIDELINE_POINTS = [
    (
        "Notre promesse",
        [
            "Morvellec, l'esprit presqu'île : la mer en grand, la vie à taille humaine.",
            "Un territoire qui accueille, entreprend et se ressource.",
        ],
    ),
    (
        "Le ton",
        [
            "Chaleureux et concret : des lieux, des gens, des saisons.",
            "Le « nous » de la communauté, jamais le superlatif creux.",
            "Des phrases courtes ; un chiffre vaut mieux qu'un adjectif.",
        ],
    ),
    (
        "Les mots à privilégier",
        [
            "presqu'île, marées, ports, landes, savoir-faire, accueil",
            "« vivre à Morvellec », « entreprendre à Morvellec »",
        ],
    ),
    (
        "À éviter",
        [
            "Les clichés (« petit coin de paradis », « perle de la Bretagne »).",
            "Déformer, recolorer ou recadrer la marque.",
        ],
    ),
]

PRESS_RELEASE_TEMPLATE = """\
COMMUNIQUÉ DE PRESSE
[Ville], le [date]

[TITRE : une information, un verbe d'action, moins de 90 caractères]

[Chapeau : qui, quoi, où, quand, pourquoi — en trois phrases au plus.]

[Corps du texte : développez l'information en deux ou trois paragraphes.
Citez une personne (nom, fonction) et donnez un chiffre clé.]

Le mot de la marque
Ce projet s'inscrit dans la dynamique « Morvellec, l'esprit presqu'île »,
portée par l'agence d'attractivité et ses partenaires.

Informations pratiques
- Dates et horaires :
- Lieu :
- Tarifs :
- Site :

Contact presse
[Nom] — [fonction]
[téléphone] — [adresse e-mail]

Rappel : la marque Morvellec s'utilise dans sa version officielle,
téléchargée depuis le kit de marque, sous licence et dans le respect
du règlement d'usage.
"""


def _document(title: str, filename: str, content: bytes):
    Document = get_document_model()
    document = Document.objects.filter(title=title).first()
    if document is None:
        document = Document(title=title)
        document.file.save(filename, ContentFile(content), save=False)
        document._set_document_file_metadata()
        document.save()
    return document


def _image_from_bytes(title: str, filename: str, content: bytes):
    Image = get_image_model()
    image = Image.objects.filter(title=title).first()
    if image is None:
        image = Image(title=title, file=ImageFile(BytesIO(content), name=filename))
        image.save()
    return image


# Pages ----------------------------------------------------------------------------------------

TOOLKIT_INTRO = (
    "Logos, photos, modèles et messages clés : tout ce qu'il faut aux partenaires et "
    "ambassadeurs pour parler de Morvellec d'une même voix."
)

TOOLKIT_BODY = [
    (
        "paragraph",
        "<h3>Parler de Morvellec</h3>"
        "<p>Morvellec, c'est <b>l'esprit presqu'île</b> : la mer en grand et la vie à taille "
        "humaine. Nos messages montrent des lieux, des gens et des saisons plutôt que des "
        "superlatifs.</p>"
        "<ul><li>Un ton chaleureux et concret, le « nous » de la communauté.</li>"
        "<li>Des phrases courtes ; un chiffre vaut mieux qu'un adjectif.</li>"
        "<li>Toujours citer la source d'une photo : « © Agence d'attractivité de Morvellec ».</li>"
        "</ul>",
    ),
    (
        "paragraph",
        "<h3>Les mots à privilégier</h3>"
        "<p>presqu'île, marées, ports, landes, savoir-faire, accueil ; « vivre à Morvellec », "
        "« entreprendre à Morvellec ».</p>"
        "<h3>À éviter</h3>"
        "<p>Les clichés (« petit coin de paradis »), les majuscules de partout, et toute "
        "déformation de la marque.</p>",
    ),
]

USAGE_RULES = (
    "<h3>1. Objet</h3>"
    "<p>Le présent règlement fixe les conditions dans lesquelles la marque territoriale "
    "« Morvellec, l'esprit presqu'île » peut être utilisée par les partenaires et "
    "ambassadeurs titulaires d'une licence accordée par l'agence d'attractivité.</p>"
    "<h3>2. Usages autorisés</h3>"
    "<ul><li>Supports de communication liés au territoire : site web, réseaux sociaux, "
    "brochures, signalétique d'événement, emballages de produits locaux.</li>"
    "<li>Uniquement dans la version officielle téléchargée depuis le kit de marque.</li></ul>"
    "<h3>3. Usages interdits</h3>"
    "<ul><li>Modifier les couleurs, les proportions ou la typographie de la marque.</li>"
    "<li>L'associer à un contenu politique, religieux, discriminatoire ou contraire à "
    "l'image du territoire.</li><li>La céder ou la sous-licencier à un tiers.</li></ul>"
    "<h3>4. Durée</h3>"
    "<p>La licence est accordée pour un an, renouvelable. L'agence peut la retirer en cas "
    "de manquement au présent règlement.</p>"
    "<h3>5. Contact</h3>"
    "<p>marque@morvellec.example — Agence d'attractivité de Morvellec.</p>"
)

ASSETS = [
    {
        "title": "Marque Morvellec — logo officiel",
        "kind": ToolkitAsset.Kind.LOGO,
        "licensed": True,
        "description": (
            "La marque territoriale en couleurs, fond transparent (PNG, 600 px de haut). "
            "Téléchargement réservé aux titulaires d'une licence d'usage."
        ),
    },
    {
        "title": "Port de Kerbrat au lever du jour",
        "kind": ToolkitAsset.Kind.PHOTO,
        "licensed": False,
        "description": (
            "Photo libre de droits pour les partenaires, à créditer « © Agence "
            "d'attractivité de Morvellec » (JPEG, 1600 × 900 px)."
        ),
    },
    {
        "title": "Modèle de communiqué de presse",
        "kind": ToolkitAsset.Kind.TEMPLATE,
        "licensed": False,
        "description": (
            "La trame à compléter pour annoncer un événement ou une ouverture, avec le mot "
            "de la marque et le bloc contact presse."
        ),
    },
    {
        "title": "Messages clés de la marque",
        "kind": ToolkitAsset.Kind.GUIDELINE,
        "licensed": False,
        "description": (
            "La promesse, le ton et les mots de Morvellec en une page, à garder sous la "
            "main pour vos textes."
        ),
    },
]


def _asset_files():
    """(document, preview) for each asset of ASSETS, in order."""
    logo = logo_png()
    photo = get_or_create_image(title="Port de Kerbrat au lever du jour", theme="harbour")
    with photo.open_file() as handle:
        photo_bytes = handle.read()
    leaflet = guidelines_page()
    guidelines = _encode(leaflet, "PDF", resolution=150)
    thumbnail = leaflet.copy()
    thumbnail.thumbnail((620, 877))
    return [
        (
            _document("Marque Morvellec (PNG)", "marque-morvellec.png", logo),
            _image_from_bytes("Marque Morvellec — aperçu", "marque-morvellec-apercu.png", logo),
        ),
        (_document("Port de Kerbrat (photo)", "port-de-kerbrat.jpg", photo_bytes), photo),
        (
            _document(
                "Modèle de communiqué de presse",
                "modele-communique-de-presse.txt",
                PRESS_RELEASE_TEMPLATE.encode("utf-8"),
            ),
            None,
        ),
        (
            _document(
                "Messages clés de la marque (PDF)", "messages-cles-morvellec.pdf", guidelines
            ),
            _image_from_bytes(
                "Messages clés — aperçu", "messages-cles-apercu.png", _encode(thumbnail, "PNG")
            ),
        ),
    ]


WELCOME_INTRO = (
    "Vous vous installez sur la presqu'île ? Les partenaires de la marque Morvellec vous "
    "ouvrent leurs portes avec des offres de bienvenue pour vos premiers mois."
)

WELCOME_BODY = [
    (
        "paragraph",
        "<p>Logement, mobilité, emploi du conjoint, vie associative : l'agence "
        "d'attractivité et ses partenaires vous accompagnent. Présentez le "
        "<b>Pass Bienvenue</b>, remis en mairie ou à l'office de tourisme sur justificatif de "
        "domicile de moins de six mois, pour profiter des offres ci-dessous.</p>",
    ),
]

OFFERS = [
    {
        "title": "Un mois de découverte des bus et vélos Morvelo",
        "provider": "Réseau Morvelo",
        "description": (
            "Abonnement illimité au réseau de bus et au service de vélos en libre-service."
        ),
        "conditions": (
            "Offert pendant le premier mois, une fois par foyer, sur présentation du Pass "
            "Bienvenue."
        ),
        "contact": "Agence Morvelo, 2 place du Marché, Kerbrat — 02 98 00 11 22",
        "url": "https://morvelo.example/bienvenue",
    },
    {
        "title": "Visite guidée « Les secrets du port »",
        "provider": "Office de tourisme de la presqu'île",
        "description": (
            "Deux heures avec un guide-conférencier sur les quais, à la criée et aux "
            "chantiers navals."
        ),
        "conditions": (
            "Gratuite pour les nouveaux habitants et leur famille, d'avril à octobre, sur "
            "réservation."
        ),
        "contact": "accueil@tourisme-morvellec.example — 02 98 00 33 44",
        "url": "https://tourisme-morvellec.example/visites",
    },
    {
        "title": "Adhésion offerte au club des entrepreneurs",
        "provider": "Morvellec Entreprendre",
        "description": (
            "Un an d'adhésion, l'invitation aux petits-déjeuners mensuels et un parrain chef "
            "d'entreprise."
        ),
        "conditions": (
            "Pour les créateurs et repreneurs d'entreprise installés depuis moins d'un an."
        ),
        "contact": "Gaëlle Tanguy — contact@entreprendre-morvellec.example",
        "url": "https://entreprendre-morvellec.example",
    },
    {
        "title": "Panier de bienvenue des producteurs",
        "provider": "Halles de Plouvenec",
        "description": (
            "Huîtres, cidre, pain au levain et légumes de saison des producteurs de la presqu'île."
        ),
        "conditions": (
            "Un panier par foyer, à retirer le samedi matin aux halles avec le Pass Bienvenue."
        ),
        "contact": "Halles de Plouvenec, rue des Douaniers — samedi 8 h–13 h",
        "url": "",
    },
]


def seed_toolkit(*, home, stdout) -> None:
    existing = {page.slug for page in home.get_children().only("slug")}

    if "kit-de-marque" not in existing:
        toolkit = ToolkitPage(
            title="Kit de marque",
            slug="kit-de-marque",
            intro=TOOLKIT_INTRO,
            body=TOOLKIT_BODY,
            usage_rules=USAGE_RULES,
            usage_rules_version=1,
            search_description=TOOLKIT_INTRO,
        )
        for spec, (document, preview) in zip(ASSETS, _asset_files(), strict=True):
            toolkit.assets.add(ToolkitAsset(document=document, preview=preview, **spec))
        home.add_child(instance=toolkit)
        toolkit.save_revision().publish()

    if "bienvenue" not in existing:
        agency = get_user_model().objects.filter(username="agence").first()
        welcome = WelcomePackPage(
            title="Bienvenue à Morvellec",
            slug="bienvenue",
            intro=WELCOME_INTRO,
            audience=WelcomePackPage.Audience.NEWCOMERS,
            hero_image=get_or_create_image(title="Les halles de Plouvenec", theme="market"),
            body=WELCOME_BODY,
            last_reviewed_at=timezone.localdate() - timedelta(days=21),
            review_interval_days=180,
            search_description=WELCOME_INTRO,
        )
        for spec in OFFERS:
            welcome.offers.add(WelcomeOffer(**spec))
        home.add_child(instance=welcome)
        if agency is not None:
            welcome.maintainers.add(agency)
            welcome.save()
        welcome.save_revision().publish()

    stdout.write("  content: brand kit (4 assets) and welcome pack (4 offers)")
