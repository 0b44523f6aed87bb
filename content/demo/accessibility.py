"""The demo's accessibility statement, at /accessibilite/ (created once; staff edit it in
Wagtail afterwards), written as the RGAA 4.1 model statement asks."""

from datetime import date

from content.models import AccessibilityStatementPage
from content.models.accessibility import SLUG

TITLE = "Déclaration d'accessibilité"
INTRO = (
    "<p>L'Agence d'attractivité de Morvellec s'engage à rendre ses sites internet, intranet, "
    "extranet et ses progiciels accessibles conformément à l'article 47 de la loi n° 2005-102 "
    "du 11 février 2005. Cette déclaration d'accessibilité s'applique au site communautaire "
    "« Morvellec, l'esprit presqu'île ».</p>"
)
AUDIT = (
    "<p>Aucun audit complet n'a encore été réalisé par un organisme indépendant. Les pages "
    "principales (accueil, destinations, récits, agenda, recherche, groupes, profils, "
    "modération, données personnelles) sont vérifiées automatiquement avec axe-core à chaque "
    "modification du site : aucune erreur n'y est relevée. Un audit RGAA 4.1 est prévu.</p>"
)
GAPS = (
    "<h3>Non-conformités</h3><ul>"
    "<li>Les cartes (destinations, organisations, membres) ne sont pas utilisables au clavier "
    "point par point ; la liste qui les accompagne donne les mêmes informations.</li>"
    "<li>Les photos publiées par les membres n'ont pas toujours d'alternative textuelle.</li>"
    "<li>Le chat en direct n'annonce pas encore chaque nouveau message aux lecteurs "
    "d'écran.</li></ul>"
    "<h3>Contenus non soumis à l'obligation d'accessibilité</h3><ul>"
    "<li>Les documents bureautiques du kit de marque publiés avant le 23 septembre 2018.</li>"
    "<li>Les contenus de tiers (vidéos et cartes intégrées) qui ne sont ni financés ni "
    "développés par l'agence.</li></ul>"
)
CONTACT = (
    '<ul><li>Écrire à <a href="mailto:accessibilite@morvellec.example">'
    "accessibilite@morvellec.example</a></li>"
    "<li>Agence d'attractivité de Morvellec, 2 quai Jean-Bart, 56990 Port-Morvellec</li></ul>"
)


def seed_accessibility(*, home, stdout) -> None:
    if AccessibilityStatementPage.objects.exists() or home.get_children().filter(slug=SLUG):
        return
    page = AccessibilityStatementPage(
        title=TITLE,
        slug=SLUG,
        intro=INTRO,
        compliance=AccessibilityStatementPage.Compliance.PARTIAL,
        audit_summary=AUDIT,
        non_accessible_content=GAPS,
        established_on=date(2026, 12, 6),
        contact=CONTACT,
        search_description="La déclaration d'accessibilité du site (RGAA 4.1) : état de "
        "conformité, contenus non accessibles, contact et voies de recours.",
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    stdout.write("  content: accessibility statement")
