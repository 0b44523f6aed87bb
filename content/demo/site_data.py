"""The demo territory's content: Morvellec's home page, sections, areas, destinations, stories
and events, as plain data (content.demo.site seeds them). Dates are relative to the day of
the first run."""

from datetime import time, timedelta

from content.models import (
    Area,
    DestinationIndexPage,
    EventIndexPage,
    EventPage,
    StoryIndexPage,
)

HOME = {
    "title": "Accueil",
    "tagline": "Morvellec, l'esprit presqu'île",
    "intro": (
        "<p>Ports de pêche, landes fleuries et villages de granit : la communauté de celles "
        "et ceux qui font rayonner la presqu'île de Morvellec.</p>"
    ),
    "call_to_action": "Rejoindre la communauté",
}

SECTIONS = [
    (
        DestinationIndexPage,
        "destinations",
        "Destinations",
        "<p>Plages, sentiers côtiers, îles et bourgs de caractère.</p>",
    ),
    (
        StoryIndexPage,
        "stories",
        "Récits",
        "<p>Les histoires des habitants, artisans et visiteurs de la presqu'île.</p>",
    ),
    (
        EventIndexPage,
        "events",
        "Agenda",
        "<p>Fest-noz, marchés, régates et festivals toute l'année.</p>",
    ),
]

# slug, name, kind, parent slug, centre (latitude, longitude) for the members' map
AREAS = [
    ("presquile-de-morvellec", "Presqu'île de Morvellec", Area.Kind.REGION, None, None),
    (
        "port-morvellec",
        "Port-Morvellec",
        Area.Kind.COMMUNE,
        "presquile-de-morvellec",
        ("47.595000", "-3.184000"),
    ),
    ("kerlann", "Kerlann", Area.Kind.COMMUNE, "presquile-de-morvellec", ("47.612000", "-3.210000")),
    (
        "saint-aven-des-dunes",
        "Saint-Aven-des-Dunes",
        Area.Kind.COMMUNE,
        "presquile-de-morvellec",
        ("47.574000", "-3.243000"),
    ),
    (
        "quartier-du-vieux-port",
        "Quartier du Vieux-Port",
        Area.Kind.DISTRICT,
        "port-morvellec",
        ("47.596000", "-3.186500"),
    ),
]

SUMMER_HOURS = [("Avril à septembre", "10:00–19:00"), ("Octobre à mars", "14:00–17:30")]
ALWAYS_OPEN = [("Tous les jours", "Accès libre")]

DESTINATIONS = [
    {
        "slug": "plage-des-sept-iles",
        "title": "Plage des Sept-Îles",
        "theme": "beach",
        "area": "saint-aven-des-dunes",
        "tags": ["plage", "famille", "baignade"],
        "intro": (
            "Deux kilomètres de sable fin face à l'archipel, surveillés l'été : la plage "
            "préférée des familles de la presqu'île."
        ),
        "body": [
            ("heading", "Une plage pour toutes les marées"),
            (
                "paragraph",
                "<p>À marée basse, la plage découvre des bancs de sable où l'on pêche la "
                "palourde ; à marée haute, l'anse abritée offre une baignade calme.</p>",
            ),
            (
                "paragraph",
                "<p>Poste de secours de juin à septembre, douches et location de "
                "paddles près de la cale.</p>",
            ),
        ],
        "address": "Boulevard de la Mer, 56990 Saint-Aven-des-Dunes",
        "coordinates": ("47.571200", "-3.246800"),
        "hours": ALWAYS_OPEN,
        "accessibility": (
            "Tiroir d'accès à la plage et fauteuil Tiralo prêté au poste de secours en été. "
            "Stationnement réservé à 50 m."
        ),
    },
    {
        "slug": "dunes-de-saint-aven",
        "title": "Dunes de Saint-Aven",
        "theme": "dunes",
        "area": "saint-aven-des-dunes",
        "tags": ["nature", "randonnée", "famille"],
        "intro": (
            "Un massif dunaire protégé, ses oyats et ses orchidées sauvages, parcouru de "
            "sentiers sur pilotis."
        ),
        "body": [
            ("heading", "Un milieu fragile"),
            (
                "paragraph",
                "<p>Les dunes grises abritent une flore rare : restez sur les platelages et "
                "tenez les chiens en laisse.</p>",
            ),
            (
                "paragraph",
                "<p>Sorties nature avec le garde du littoral chaque mercredi en juillet et "
                "en août.</p>",
            ),
        ],
        "address": "Parking de Kerdréan, 56990 Saint-Aven-des-Dunes",
        "coordinates": ("47.563900", "-3.231400"),
        "hours": ALWAYS_OPEN,
        "accessibility": "Platelage accessible en fauteuil sur les 400 premiers mètres.",
    },
    {
        "slug": "sentier-des-douaniers",
        "title": "Sentier des douaniers",
        "theme": "path",
        "area": "kerlann",
        "tags": ["randonnée", "nature", "patrimoine"],
        "intro": (
            "Dix-huit kilomètres de falaises et de criques, de Kerlann à la pointe du Men "
            "Du, balisés en jaune."
        ),
        "body": [
            ("heading", "Trois boucles au choix"),
            (
                "paragraph",
                "<p>La boucle courte (5 km) part du bourg de Kerlann ; la grande boucle "
                "rejoint le phare par les falaises.</p>",
            ),
            (
                "paragraph",
                "<p>Prévoyez de l'eau : aucun point de ravitaillement entre le port et la "
                "pointe.</p>",
            ),
        ],
        "address": "Départ : place de l'Église, 56990 Kerlann",
        "coordinates": ("47.612300", "-3.198700"),
        "hours": ALWAYS_OPEN,
        "accessibility": "Sentier étroit et escarpé par endroits : non accessible en fauteuil.",
        "gallery": [("path", "La boucle des falaises"), ("lighthouse", "Arrivée au phare")],
    },
    {
        "slug": "phare-du-men-du",
        "title": "Phare du Men Du",
        "theme": "lighthouse",
        "area": "kerlann",
        "tags": ["patrimoine", "panorama"],
        "intro": "Cent vingt marches pour une vue à 360° sur la baie et l'archipel.",
        "body": [
            ("heading", "Gardien de la baie depuis 1862"),
            (
                "paragraph",
                "<p>Le phare se visite avec un guide qui raconte la vie des gardiens et le "
                "fonctionnement de la lanterne.</p>",
            ),
            (
                "paragraph",
                "<p>Visites toutes les heures, dernier départ 45 minutes avant la fermeture.</p>",
            ),
        ],
        "address": "Pointe du Men Du, 56990 Kerlann",
        "coordinates": ("47.621800", "-3.214500"),
        "hours": SUMMER_HOURS,
        "accessibility": (
            "Escalier étroit : non accessible en fauteuil ; salle d'accueil de plain-pied."
        ),
        # Past its review date: the freshness report and reminders have something to show.
        "overdue": True,
    },
    {
        "slug": "ile-de-berc-h",
        "title": "Île de Berc'h",
        "theme": "island",
        "area": "port-morvellec",
        "tags": ["nature", "randonnée", "famille"],
        "intro": (
            "Un quart d'heure de traversée pour une île sans voitures, ses chemins creux et "
            "ses maisons de pêcheurs."
        ),
        "body": [
            ("heading", "Y aller"),
            (
                "paragraph",
                "<p>Navettes depuis la gare maritime de Port-Morvellec, toutes les heures en "
                "saison.</p>",
            ),
            (
                "paragraph",
                "<p>Le tour de l'île à pied fait 7 km ; vélos interdits sur le sentier côtier.</p>",
            ),
        ],
        "address": "Gare maritime, quai Jean-Bart, 56990 Port-Morvellec",
        "coordinates": ("47.584500", "-3.172300"),
        "hours": [("Navettes en saison", "8:30–19:30"), ("Hors saison", "4 allers-retours")],
        "accessibility": "Navette accessible en fauteuil ; chemins de l'île en terre battue.",
    },
    {
        "slug": "halles-de-port-morvellec",
        "title": "Halles de Port-Morvellec",
        "theme": "market",
        "area": "quartier-du-vieux-port",
        "tags": ["gastronomie", "marché", "patrimoine"],
        "intro": (
            "Sous la charpente de chêne de 1880, poissonniers, maraîchers et crêpiers "
            "tiennent marché six jours sur sept."
        ),
        "body": [
            ("heading", "Le cœur du Vieux-Port"),
            (
                "paragraph",
                "<p>Arrivez tôt pour la criée du matin : la pêche du jour part vite.</p>",
            ),
            (
                "paragraph",
                "<p>Le samedi, les producteurs de la presqu'île s'installent sur la place "
                "devant les halles.</p>",
            ),
        ],
        "address": "Place des Halles, 56990 Port-Morvellec",
        "coordinates": ("47.596100", "-3.187900"),
        "hours": [("Mardi à dimanche", "7:30–13:30"), ("Lundi", "Fermé")],
        "accessibility": "Plain-pied, toilettes adaptées.",
        "gallery": [("harbour", "Le Vieux-Port au lever du jour"), ("market", "Étals du samedi")],
    },
    {
        "slug": "parcs-a-huitres-de-kerlann",
        "title": "Parcs à huîtres de Kerlann",
        "theme": "oysters",
        "area": "kerlann",
        "tags": ["gastronomie", "savoir-faire"],
        "intro": (
            "Visite des parcs à marée basse et dégustation chez les ostréiculteurs de "
            "l'anse de Kerlann."
        ),
        "body": [
            ("heading", "De la naissance à l'assiette"),
            (
                "paragraph",
                "<p>Trois ans d'élevage, des tables aux bassins d'affinage : l'ostréicultrice "
                "vous explique tout, bottes aux pieds.</p>",
            ),
            ("paragraph", "<p>Dégustation de 6 huîtres et d'un verre de muscadet.</p>"),
        ],
        "address": "Chemin de la Grève, 56990 Kerlann",
        "coordinates": ("47.604400", "-3.221100"),
        "hours": [("Selon les marées", "Réservation la veille")],
        "accessibility": "Dégustation accessible ; visite des parcs sur l'estran, non accessible.",
    },
    {
        "slug": "chapelle-saint-aven",
        "title": "Chapelle Saint-Aven",
        "theme": "chapel",
        "area": "saint-aven-des-dunes",
        "tags": ["patrimoine", "culture"],
        "intro": (
            "Une chapelle de granit du XVIe siècle, ses sablières sculptées et son pardon "
            "du dernier dimanche d'août."
        ),
        "body": [
            ("heading", "Un joyau gothique"),
            (
                "paragraph",
                "<p>Les sablières racontent la pêche et les saisons ; le retable a été "
                "restauré en 2019 par les Amis de Saint-Aven.</p>",
            ),
            (
                "paragraph",
                "<p>Concerts d'orgue les jeudis d'été, entrée libre.</p>",
            ),
        ],
        "address": "Lieu-dit Saint-Aven, 56990 Saint-Aven-des-Dunes",
        "coordinates": ("47.579300", "-3.258200"),
        "hours": SUMMER_HOURS,
        "accessibility": "Une marche à l'entrée ; rampe amovible sur demande.",
    },
    {
        "slug": "musee-de-la-peche",
        "title": "Musée de la pêche",
        "theme": "museum",
        "area": "port-morvellec",
        "tags": ["culture", "patrimoine", "famille"],
        "intro": (
            "Dans l'ancienne conserverie, l'histoire des sardiniers de Morvellec, de leurs "
            "bateaux et des femmes des usines."
        ),
        "body": [
            ("heading", "Une conserverie devenue musée"),
            (
                "paragraph",
                "<p>Maquettes, films d'archives et un thonier à quai que l'on visite de la "
                "cale au pont.</p>",
            ),
            ("paragraph", "<p>Livret-jeu pour les enfants à l'accueil.</p>"),
        ],
        "address": "12 quai de la Conserverie, 56990 Port-Morvellec",
        "coordinates": ("47.593700", "-3.181200"),
        "hours": [("Mardi à dimanche", "10:00–12:30, 14:00–18:00"), ("Lundi", "Fermé")],
        "accessibility": "Entièrement accessible ; visite en audiodescription sur demande.",
    },
]

STORIES = [
    {
        "slug": "une-journee-sur-l-ile-de-berc-h",
        "title": "Une journée sur l'île de Berc'h",
        "author": "camille",
        "days_ago": 12,
        "area": "port-morvellec",
        "tags": ["nature", "randonnée"],
        "related": ["ile-de-berc-h"],
        "intro": "Navette de 9 heures, pique-nique à la pointe et retour au coucher du soleil.",
        "body": [
            (
                "paragraph",
                "<p>J'ai grandi à Port-Morvellec et je n'étais jamais restée une journée "
                "entière sur Berc'h. Erreur réparée !</p>",
            ),
            ("heading", "Mes trois conseils"),
            (
                "paragraph",
                "<p>Partir tôt, emporter de l'eau et garder une heure pour la crique du "
                "nord, la plus belle de l'île.</p>",
            ),
        ],
    },
    {
        "slug": "le-samedi-matin-aux-halles",
        "title": "Le samedi matin aux halles",
        "author": "camille",
        "days_ago": 41,
        "area": "quartier-du-vieux-port",
        "tags": ["gastronomie", "marché"],
        "related": ["halles-de-port-morvellec"],
        "intro": "Portraits de celles et ceux qui font vivre le marché du Vieux-Port.",
        "body": [
            (
                "paragraph",
                "<p>Yvonne vend ses galettes ici depuis trente ans ; son fils a repris le "
                "bateau de son père.</p>",
            ),
            ("heading", "Une tradition qui se renouvelle"),
            (
                "paragraph",
                "<p>Depuis deux ans, de jeunes maraîchers bio ont rejoint la place.</p>",
            ),
        ],
    },
    {
        "slug": "gardiens-de-phare-une-memoire",
        "title": "Gardiens de phare, une mémoire vivante",
        "author": "agence",
        "days_ago": 25,
        "area": "kerlann",
        "tags": ["patrimoine", "culture"],
        "related": ["phare-du-men-du", "sentier-des-douaniers"],
        "intro": "Le dernier gardien du Men Du raconte quarante ans de quarts.",
        "body": [
            ("paragraph", "<p>« La lanterne, on la bichonnait comme un bateau. »</p>"),
            ("heading", "Une exposition cet été"),
            (
                "paragraph",
                "<p>Photos et carnets de bord sont exposés au pied du phare.</p>",
            ),
        ],
    },
    {
        "slug": "l-huitre-de-kerlann-a-sa-table",
        "title": "L'huître de Kerlann à sa table",
        "author": "agence",
        "days_ago": 63,
        "area": "kerlann",
        "tags": ["gastronomie", "savoir-faire"],
        "related": ["parcs-a-huitres-de-kerlann"],
        "intro": "Trois chefs de la presqu'île cuisinent l'huître de l'anse.",
        "body": [
            (
                "paragraph",
                "<p>Crue, pochée ou gratinée : chaque chef a sa façon de la servir.</p>",
            ),
            ("heading", "Où les goûter"),
            ("paragraph", "<p>Les adresses sont sur la carte des producteurs.</p>"),
        ],
    },
    {
        "slug": "les-dunes-a-velo-en-famille",
        "title": "Les dunes à vélo, en famille",
        "author": "agence",
        "days_ago": 94,
        "area": "saint-aven-des-dunes",
        "tags": ["famille", "nature"],
        "related": ["dunes-de-saint-aven", "plage-des-sept-iles"],
        "intro": "Une boucle de 12 km sans côte, de la chapelle à la plage des Sept-Îles.",
        "body": [
            ("paragraph", "<p>Départ de la chapelle Saint-Aven, retour par la voie verte.</p>"),
            ("heading", "Pour les petits"),
            ("paragraph", "<p>Pause goûter à mi-parcours, aire de jeux près de la plage.</p>"),
        ],
    },
    {
        "slug": "la-conserverie-renait",
        "title": "La conserverie renaît",
        "author": "agence",
        "days_ago": 130,
        "area": "port-morvellec",
        "tags": ["patrimoine", "culture"],
        "related": ["musee-de-la-peche"],
        "intro": "Dix ans après sa fermeture, l'usine de sardines est devenue un musée.",
        "body": [
            (
                "paragraph",
                "<p>Les anciennes ouvrières ont prêté leurs souvenirs et leurs outils.</p>",
            ),
            ("heading", "Le thonier à quai"),
            ("paragraph", "<p>Le « Bugale Mor » se visite depuis le printemps.</p>"),
        ],
    },
]


EVENT_PRACTICAL = "Gratuit et ouvert à tous. Parking à proximité."


def demo_events(today):
    """Five upcoming events and one past one, dated from `today`."""
    next_saturday = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    return [
        {
            "slug": "fest-noz-des-halles",
            "description": (
                "Les halles se transforment en salle de bal : deux couples de sonneurs et un "
                "groupe de chanteurs se relaient jusqu'à minuit. Crêpes et cidre au profit de "
                "l'école de musique."
            ),
            "title": "Fest-noz des halles",
            "image": ("Fest-noz et festivals", "festival"),
            "day": today + timedelta(days=7),
            "start_time": time(20, 30),
            "hours": 4,
            "venue_page": "halles-de-port-morvellec",
            "area": "quartier-du-vieux-port",
            "tags": ["musique", "culture", "fest-noz"],
            "intro": "Gavottes et an-dro avec les sonneurs de la presqu'île. Initiation à 20 h 30.",
        },
        {
            "slug": "marche-du-samedi-a-kerlann",
            "description": (
                "Une trentaine d'étals autour de la fontaine : poisson du jour, légumes de la "
                "presqu'île, fromages, pain au levain et fleurs."
            ),
            "title": "Marché du samedi à Kerlann",
            "image": ("Marché de plein air", "market"),
            "day": next_saturday,
            "start_time": time(8, 0),
            "hours": 5,
            "recurrence": EventPage.Recurrence.WEEKLY,
            "until_days": 91,
            "venue_name": "Place du Marché",
            "venue_address": "Place du Marché, 56990 Kerlann",
            "area": "kerlann",
            "tags": ["gastronomie", "marché"],
            "intro": "Producteurs, pêcheurs et artisans chaque samedi matin.",
        },
        {
            "slug": "regates-de-la-baie",
            "description": (
                "Misainiers, sloups et cotres de la baie courent trois manches dans la journée."
                " Remise des prix et chants de marins sur le quai à 18 h."
            ),
            "title": "Régates de la baie",
            "image": ("Voiliers dans la baie", "regatta"),
            "day": today + timedelta(days=23),
            "start_time": time(10, 0),
            "hours": 8,
            "venue_name": "Club nautique de Port-Morvellec",
            "venue_address": "Cale du Vieux-Port, 56990 Port-Morvellec",
            "area": "port-morvellec",
            "tags": ["nautisme", "famille"],
            "intro": "Quarante voiliers traditionnels s'affrontent entre l'île et le phare.",
            "practical": "Meilleurs points de vue : la cale du Vieux-Port et la pointe du Men Du.",
        },
        {
            "slug": "balade-guidee-du-sentier-des-douaniers",
            "description": (
                "Trois heures de marche tranquille entre falaises et criques : le guide raconte"
                " la contrebande, les goémoniers et les oiseaux de la côte."
            ),
            "title": "Balade guidée du sentier des douaniers",
            "day": today + timedelta(days=10),
            "start_time": time(14, 0),
            "hours": 3,
            "recurrence": EventPage.Recurrence.MONTHLY,
            "until_days": 365,
            "venue_page": "sentier-des-douaniers",
            "area": "kerlann",
            "tags": ["randonnée", "nature"],
            "intro": "Avec un guide du littoral, chaque mois. Douze places, inscription ici.",
            "practical": "Chaussures de marche conseillées. Départ devant l'église de Kerlann.",
            "registrations_open": True,
            "capacity": 12,
            "registrants": ["camille", "hugo", "nina", "lea", "agence"],
        },
        {
            # Full: nina (not registered) sees "Complet" and may join the waiting list.
            "slug": "atelier-cuisine-des-algues",
            "description": (
                "Une cheffe du port montre comment cueillir, rincer et cuisiner les algues de"
                " l'estran : tartare, beurre d'algues et pain au wakamé."
            ),
            "title": "Atelier cuisine des algues",
            "image": ("Marché de plein air", "market"),
            "day": today + timedelta(days=17),
            "start_time": time(10, 0),
            "hours": 2,
            "venue_name": "Halle du Vieux-Port",
            "venue_address": "Quai des Goémoniers, 56990 Port-Morvellec",
            "area": "port-morvellec",
            "tags": ["gastronomie", "mer"],
            "intro": "Quatre places seulement, autour du plan de travail de la cheffe.",
            "registrations_open": True,
            "capacity": 4,
            "registrants": ["camille", "hugo", "lea", "agence"],
        },
        {
            "slug": "festival-des-embruns",
            "description": (
                "Trois scènes sur la plage, des concerts et un bal pour clore l'été. Le "
                "festival est reporté à cause des travaux de la digue."
            ),
            "title": "Festival des embruns",
            "image": ("Fest-noz et festivals", "festival"),
            "day": today + timedelta(days=45),
            "start_time": time(18, 0),
            "hours": 6,
            "venue_page": "plage-des-sept-iles",
            "area": "saint-aven-des-dunes",
            "tags": ["musique", "culture", "famille"],
            "status": EventPage.Status.POSTPONED,
            "intro": "Reporté : la nouvelle date sera annoncée ici. Les billets restent valables.",
        },
        {
            "slug": "pardon-de-saint-aven",
            "description": (
                "Le pardon réunit chaque année les habitants de Saint-Aven autour de la "
                "chapelle et de sa fontaine."
            ),
            "title": "Pardon de Saint-Aven",
            "day": today - timedelta(days=60),
            "start_time": time(10, 30),
            "hours": 7,
            "venue_page": "chapelle-saint-aven",
            "area": "saint-aven-des-dunes",
            "tags": ["patrimoine", "culture"],
            "intro": "Procession, messe en breton et repas sous les pins.",
        },
    ]
