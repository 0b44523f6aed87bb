"""The first content of a real deployment (`manage.py setup_site`): the pages the site's menu
and footer link to, empty and ready for the agency to fill, and the Site record's public name.

Only what is missing is created. A page is found by its type under the home page, not by
its slug or title, so one that staff renamed or moved is kept; a second run changes nothing
but the Site's host, port and name. No demo data: no areas, destinations or people.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import Site

from content.demo.rules import seed_rules
from content.models import (
    AccessibilityStatementPage,
    CommunityRulesPage,
    DestinationIndexPage,
    EventIndexPage,
    HomePage,
    StoryIndexPage,
    ToolkitPage,
)
from content.models.accessibility import SLUG as ACCESSIBILITY_SLUG

# The site's content is French first: the agency edits these titles in the Wagtail admin.
# model, slug (the menu links to it), title, introduction
SECTIONS = [
    (
        DestinationIndexPage,
        "destinations",
        "Destinations",
        "<p>Les lieux à découvrir sur le territoire.</p>",
    ),
    (
        StoryIndexPage,
        "stories",
        "Récits",
        "<p>Les histoires de celles et ceux qui font vivre le territoire.</p>",
    ),
    (EventIndexPage, "events", "Agenda", "<p>Les rendez-vous à venir.</p>"),
]
TOOLKIT = {
    "slug": "kit-de-marque",
    "title": "Kit de marque",
    "intro": "Logos, photos, modèles de documents et règles d'usage de la marque territoriale.",
}

# The RGAA 4.1 model statement for a site not yet audited ("non conforme" until an audit says
# otherwise); the agency completes the contact and the audit in the Wagtail admin.
ACCESSIBILITY = {
    "title": "Déclaration d'accessibilité",
    "intro": (
        "<p>L'agence qui publie le site « {site} » s'engage à le rendre accessible "
        "conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005. Cette "
        "déclaration d'accessibilité s'applique à ce site.</p>"
    ),
    "audit_summary": (
        "<p>Le site n'a pas encore fait l'objet d'un audit de conformité au RGAA 4.1. Les pages "
        "principales sont vérifiées automatiquement avec axe-core à chaque modification du "
        "logiciel.</p>"
    ),
    "non_accessible_content": (
        "<h3>Non-conformités connues</h3><ul>"
        "<li>Les cartes ne sont pas utilisables au clavier point par point ; la liste qui les "
        "accompagne donne les mêmes informations.</li>"
        "<li>Les photos publiées par les membres n'ont pas toujours d'alternative "
        "textuelle.</li></ul>"
    ),
    "contact": (
        "<p>Si vous n'arrivez pas à accéder à un contenu ou à un service, contactez "
        "l'agence pour être orienté vers une alternative accessible ou obtenir le "
        "contenu sous une autre forme.</p>"
    ),
}


@dataclass
class SiteSetup:
    site: Site
    created: list[str]


@transaction.atomic
def set_up_site(*, hostname: str, port: int, site_name: str) -> SiteSetup:
    """Create the missing first pages under the home page and point the default Site at the
    public host name: the sitemap, feeds and JSON-LD build their absolute links from it."""
    home = HomePage.objects.get(depth=2)
    created = []
    for model, slug, title, intro in SECTIONS:
        if not model.objects.child_of(home).exists():
            _publish(home, model(slug=_free_slug(home, slug), title=title, intro=intro))
            created.append(title)
    if not ToolkitPage.objects.child_of(home).exists():
        _publish(home, ToolkitPage(**{**TOOLKIT, "slug": _free_slug(home, TOOLKIT["slug"])}))
        created.append(TOOLKIT["title"])
    if not CommunityRulesPage.objects.exists():
        # The starter rules are the demo's: general, for any territory (moderation decisions
        # cite their clauses by number).
        seed_rules(home=home, stdout=_Quiet())
        created += [page.title for page in CommunityRulesPage.objects.all()]
    if not AccessibilityStatementPage.objects.exists():
        # The footer links to it on every page, and the law asks for it from the first day.
        _publish(home, _accessibility_statement(home, site_name))
        created.append(ACCESSIBILITY["title"])

    site = Site.objects.filter(is_default_site=True).first() or Site(
        root_page=home, is_default_site=True
    )
    site.hostname, site.port, site.site_name = hostname, port, site_name
    site.root_page = site.root_page if site.root_page_id else home
    site.save()
    return SiteSetup(site=site, created=created)


def _accessibility_statement(home, site_name: str) -> AccessibilityStatementPage:
    names = {"site": escape(site_name)}
    return AccessibilityStatementPage(
        slug=_free_slug(home, ACCESSIBILITY_SLUG),
        compliance=AccessibilityStatementPage.Compliance.NONE,
        established_on=timezone.localdate(),
        **{field: text.format(**names) for field, text in ACCESSIBILITY.items()},
    )


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _free_slug(parent, slug: str) -> str:
    """The slug, or slug-2, -3… when another page under the home page already has it."""
    taken = set(parent.get_children().values_list("slug", flat=True))
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    return candidate


class _Quiet:
    def write(self, *args, **kwargs):
        pass
