"""English versions of the demo's main pages: the home page, the three sections, a few
destinations, stories and events, and the community rules (Wagtail translations in the
"en" locale, served under /en/).

A page that already has an English version is left as it is, so a second run adds nothing
and keeps what staff edited. Leaf pages get English slugs; sections keep theirs, which the
menu links to in both languages.
"""

from django.contrib.auth import get_user_model
from wagtail.models import Locale
from wagtail.rich_text import RichText

from content.models import (
    CommunityRulesPage,
    DestinationIndexPage,
    DestinationPage,
    EventIndexPage,
    EventPage,
    StoryIndexPage,
    StoryPage,
)

HOME = {
    "title": "Home",
    "tagline": "Morvellec, the peninsula spirit",
    "intro": (
        "<p>Fishing harbours, flowering moors and granite villages: the community of the "
        "people who make the Morvellec peninsula shine.</p>"
    ),
    "call_to_action": "Join the community",
}

SECTIONS = {
    DestinationIndexPage: (
        "Destinations",
        "<p>Beaches, coastal paths, islands and characterful villages.</p>",
    ),
    StoryIndexPage: (
        "Stories",
        "<p>Tales of the peninsula's residents, craftspeople and visitors.</p>",
    ),
    EventIndexPage: (
        "What's on",
        "<p>Fest-noz, markets, regattas and festivals all year round.</p>",
    ),
}

# French slug: English fields.
DESTINATIONS = {
    "plage-des-sept-iles": {
        "slug": "seven-islands-beach",
        "title": "Seven Islands Beach",
        "tags": ["beach", "family", "swimming"],
        "intro": (
            "Two kilometres of fine sand facing the archipelago, with lifeguards in summer: "
            "the families' favourite beach on the peninsula."
        ),
        "body": [
            ("heading", "A beach for every tide"),
            (
                "paragraph",
                "<p>At low tide, sandbanks appear where people dig for clams; at high tide, "
                "the sheltered cove offers calm swimming.</p>",
            ),
            (
                "paragraph",
                "<p>Lifeguard station from June to September, showers and paddle-board hire "
                "by the slipway.</p>",
            ),
        ],
        "accessibility": (
            "Beach access mat and a Tiralo beach wheelchair lent by the lifeguards in summer. "
            "Reserved parking 50 m away."
        ),
        "hours": [("Every day", "Open access")],
    },
    "sentier-des-douaniers": {
        "slug": "customs-officers-path",
        "title": "The Customs Officers' Path",
        "tags": ["hiking", "nature", "heritage"],
        "intro": (
            "Eighteen kilometres of cliffs and coves, from Kerlann to the Men Du point, "
            "waymarked in yellow."
        ),
        "body": [
            ("heading", "Three loops to choose from"),
            (
                "paragraph",
                "<p>The short loop (5 km) starts in Kerlann village; the long loop reaches the "
                "lighthouse along the cliffs.</p>",
            ),
            (
                "paragraph",
                "<p>Bring water: there is nowhere to refill between the harbour and the point.</p>",
            ),
        ],
        "accessibility": "Narrow and steep in places: not wheelchair accessible.",
        "hours": [("Every day", "Open access")],
    },
    "halles-de-port-morvellec": {
        "slug": "port-morvellec-market-hall",
        "title": "Port-Morvellec Market Hall",
        "tags": ["food", "market", "heritage"],
        "intro": (
            "Under the oak frame of 1880, fishmongers, growers and crêpe makers hold market six "
            "days a week."
        ),
        "body": [
            ("heading", "The heart of the Old Harbour"),
            ("paragraph", "<p>Come early for the morning fish auction: the catch goes fast.</p>"),
            (
                "paragraph",
                "<p>On Saturdays, the peninsula's producers set up on the square in front of "
                "the hall.</p>",
            ),
        ],
        "accessibility": "Step-free, accessible toilets.",
        "hours": [("Tuesday to Sunday", "7:30–13:30"), ("Monday", "Closed")],
    },
    "musee-de-la-peche": {
        "slug": "fishing-museum",
        "title": "Fishing Museum",
        "tags": ["culture", "heritage", "family"],
        "intro": (
            "In the old cannery, the story of Morvellec's sardine fishermen, their boats and "
            "the women of the factories."
        ),
        "body": [
            ("heading", "A cannery turned museum"),
            (
                "paragraph",
                "<p>Models, archive films and a tuna boat at the quay, to visit from hold to "
                "deck.</p>",
            ),
            ("paragraph", "<p>Activity booklet for children at the front desk.</p>"),
        ],
        "accessibility": "Fully accessible; audio-described tour on request.",
        "hours": [("Tuesday to Sunday", "10:00–12:30, 14:00–18:00"), ("Monday", "Closed")],
    },
}

STORIES = {
    "le-samedi-matin-aux-halles": {
        "slug": "saturday-morning-at-the-market-hall",
        "title": "Saturday morning at the market hall",
        "tags": ["food", "market"],
        "intro": "Portraits of the people who keep the Old Harbour market alive.",
        "body": [
            (
                "paragraph",
                "<p>Yvonne has sold her galettes here for thirty years; her son has taken "
                "over his father's boat.</p>",
            ),
            ("heading", "A tradition renewed"),
            (
                "paragraph",
                "<p>For two years now, young organic growers have joined the square.</p>",
            ),
        ],
    },
    "la-conserverie-renait": {
        "slug": "the-cannery-reborn",
        "title": "The cannery reborn",
        "tags": ["heritage", "culture"],
        "intro": "Ten years after it closed, the sardine factory has become a museum.",
        "body": [
            (
                "paragraph",
                "<p>The former factory workers lent their memories and their tools.</p>",
            ),
            ("heading", "The tuna boat at the quay"),
            ("paragraph", "<p>The « Bugale Mor » has been open to visitors since spring.</p>"),
        ],
    },
}

EVENTS = {
    "fest-noz-des-halles": {
        "slug": "market-hall-fest-noz",
        "title": "Market hall fest-noz",
        "tags": ["music", "culture", "fest-noz"],
        "intro": "Gavottes and an-dro with the peninsula's pipers. Beginners' class at 8:30 pm.",
        "description": (
            "The market hall becomes a ballroom: two pairs of pipers and a group of singers "
            "take turns until midnight. Crêpes and cider for the music school."
        ),
    },
    "marche-du-samedi-a-kerlann": {
        "slug": "kerlann-saturday-market",
        "title": "Kerlann Saturday market",
        "tags": ["food", "market"],
        "intro": "Growers, fishermen and craftspeople every Saturday morning.",
        "description": (
            "Some thirty stalls around the fountain: the day's fish, the peninsula's "
            "vegetables, cheese, sourdough bread and flowers."
        ),
    },
    "balade-guidee-du-sentier-des-douaniers": {
        "slug": "guided-walk-on-the-customs-officers-path",
        "title": "Guided walk on the Customs Officers' Path",
        "tags": ["hiking", "nature"],
        "intro": "With a coastal guide, every month. Twelve places, sign up here.",
        "description": (
            "Three hours of gentle walking between cliffs and coves: the guide tells of "
            "smugglers, seaweed gatherers and the birds of the coast."
        ),
        "practical": "Walking shoes recommended. Meet in front of Kerlann church.",
    },
    "regates-de-la-baie": {
        "slug": "bay-regatta",
        "title": "Bay regatta",
        "tags": ["sailing", "family"],
        "intro": "Forty traditional sailing boats race between the island and the lighthouse.",
        "description": (
            "Luggers, sloops and cutters of the bay sail three races in the day. Prize-giving "
            "and sea shanties on the quay at 6 pm."
        ),
        "practical": "Best viewpoints: the Old Harbour slipway and the Men Du point.",
    },
}
EVENT_PRACTICAL = "Free and open to all. Parking nearby."

RULES = {
    "title": "Community rules",
    "intro": (
        "<p>This community brings together the agency, ambassadors, businesses and creators "
        "who make the territory shine. These rules apply to everything published on the site: "
        "posts, comments, profiles, groups, organisations and messages.</p>"
    ),
    "search_description": (
        "The community rules: respect, spam, illegal content, privacy, moderation and appeals."
    ),
}
CLAUSES = [
    (
        "Respect people",
        "<p>Be courteous. Harassment, insults, threats, discriminatory remarks and personal "
        "attacks are forbidden. Criticise ideas, not people.</p>",
    ),
    (
        "No spam or abusive advertising",
        "<p>Repeated messages, off-topic links, unsolicited canvassing and fake accounts are "
        "forbidden. Presenting your business is welcome, with restraint, in the groups meant "
        "for it.</p>",
    ),
    (
        "Illegal content",
        "<p>No content against the law: incitement to hatred or violence, terrorism, child "
        "sexual abuse material, scams, sale of prohibited goods, defamation. Such content is "
        "removed and may be reported to the authorities.</p>",
    ),
    (
        "Accurate information",
        "<p>Do not knowingly publish false information, especially about the territory's "
        "places, events or businesses. Cite your sources when useful and correct a mistake "
        "when it is pointed out.</p>",
    ),
    (
        "Intellectual property",
        "<p>Only publish texts, photos and videos you made or have the right to share, "
        "crediting their authors. Use of the territorial brand follows its rules of use "
        "(brand kit).</p>",
    ),
    (
        "Privacy",
        "<p>Do not publish other people's personal information (address, phone number, photos "
        "taken without consent). You can download your data or delete your account at any "
        "time from the « Your data » page of your account.</p>",
    ),
    (
        "Moderation",
        "<p>Anyone, even without an account, can report content or a member with a reason. "
        "The agency's team and group moderators review reports and may hide or remove "
        "content, warn, suspend an account for a given time or remove someone from a group. "
        "Content reported by three members is hidden until they decide; some blocked words "
        "hold a post for review.</p><p>Every decision comes with a statement of reasons, as "
        "article 17 of the EU Digital Services Act requires.</p>",
    ),
    (
        "Appeals and redress",
        "<p>You can contest a decision about you for six months, from its statement of "
        "reasons. Another moderator than the one who decided reviews your complaint. You keep "
        "the right to go to a certified out-of-court dispute settlement body or to court. The "
        "person who reported content is told what came of it.</p>",
    ),
]


def seed_english(*, home, stdout) -> None:
    """Translate the demo's main pages into English (those not translated yet)."""
    english = Locale.objects.get_or_create(language_code="en")[0]
    agence = get_user_model().objects.filter(username="agence").first()
    created = []

    def translate(page, fields, *, tags=None):
        translated = page.get_translation_or_none(english)
        if translated is not None:
            return translated
        translated = page.specific.copy_for_translation(english)
        for name, value in fields.items():
            setattr(translated, name, value)
        if tags is not None:
            translated.tags.clear()
            translated.tags.add(*tags)
        translated.save_revision(user=agence).publish(user=agence)
        created.append(translated)
        return translated

    translate(home, HOME)
    sections = {}
    for model, (title, intro) in SECTIONS.items():
        section = model.objects.child_of(home).first()
        if section is not None:
            sections[model] = translate(section, {"title": title, "intro": intro})

    destinations = {}
    for page in DestinationPage.objects.filter(locale=home.locale, slug__in=DESTINATIONS):
        spec = DESTINATIONS[page.slug]
        destinations[page.pk] = translate(
            page,
            {
                "slug": spec["slug"],
                "title": spec["title"],
                "intro": spec["intro"],
                "body": _body(spec["body"]),
                "accessibility": spec["accessibility"],
                "opening_hours": [
                    ("hours", {"days": days, "hours": hours}) for days, hours in spec["hours"]
                ],
            },
            tags=spec["tags"],
        )

    for page in StoryPage.objects.filter(locale=home.locale, slug__in=STORIES):
        spec = STORIES[page.slug]
        fields = {key: spec[key] for key in ("slug", "title", "intro")}
        translate(page, {**fields, "body": _body(spec["body"])}, tags=spec["tags"])

    for page in EventPage.objects.filter(locale=home.locale, slug__in=EVENTS):
        spec = EVENTS[page.slug]
        body = [
            ("paragraph", f"<p>{spec['description']}</p>"),
            ("heading", "Practical information"),
            ("paragraph", f"<p>{spec.get('practical', EVENT_PRACTICAL)}</p>"),
        ]
        fields = {key: spec[key] for key in ("slug", "title", "intro")}
        venue = destinations.get(page.venue_page_id)
        if venue is not None:
            fields["venue_page"] = venue
        translate(page, {**fields, "body": _body(body)}, tags=spec["tags"])

    rules = CommunityRulesPage.objects.child_of(home).first()
    if rules is not None:
        clauses = [("clause", {"title": title, "text": RichText(text)}) for title, text in CLAUSES]
        translate(rules, {**RULES, "clauses": clauses})

    stdout.write(f"  content: English versions of the main pages ({len(created)} new)")


def _body(blocks):
    return [(kind, RichText(value) if kind == "paragraph" else value) for kind, value in blocks]
