"""The demo's community rules page, at /community-rules/ (created once; staff edit it in
Wagtail afterwards). Moderation decisions cite its clauses by number."""

from wagtail.rich_text import RichText

from content.models import CommunityRulesPage

SLUG = "community-rules"
TITLE = "Règles de la communauté"
INTRO = (
    "<p>Cette communauté réunit l'agence, les ambassadeurs, les entreprises et les créateurs "
    "qui font rayonner le territoire. Ces règles s'appliquent à tout ce qui est publié sur le "
    "site : publications, commentaires, profils, groupes, organisations et messages.</p>"
)
CLAUSES = [
    (
        "Respect des personnes",
        "<p>Échangez avec courtoisie. Le harcèlement, les insultes, les menaces, les propos "
        "discriminatoires (origine, sexe, orientation, religion, handicap, âge…) et les "
        "attaques personnelles sont interdits. Critiquez les idées, pas les personnes.</p>",
    ),
    (
        "Pas de spam ni de publicité abusive",
        "<p>Les messages répétés, les liens sans rapport avec la discussion, la prospection "
        "commerciale non sollicitée et les faux comptes sont interdits. Présenter son activité "
        "est bienvenu dans les groupes prévus pour cela, avec mesure.</p>",
    ),
    (
        "Contenus illicites",
        "<p>Aucun contenu contraire à la loi : incitation à la haine ou à la violence, "
        "apologie du terrorisme, contenus pédopornographiques, escroqueries, vente de produits "
        "interdits, diffamation. Ces contenus sont retirés et peuvent être signalés aux "
        "autorités.</p>",
    ),
    (
        "Informations exactes",
        "<p>Ne publiez pas sciemment de fausses informations, notamment sur des lieux, des "
        "événements ou des entreprises du territoire. Citez vos sources quand c'est utile et "
        "corrigez une erreur quand on vous la signale.</p>",
    ),
    (
        "Propriété intellectuelle",
        "<p>Ne publiez que des textes, photos et vidéos dont vous êtes l'auteur ou que vous "
        "avez le droit de diffuser, en créditant leurs auteurs. L'usage de la marque "
        "territoriale suit son règlement d'usage (kit de marque).</p>",
    ),
    (
        "Vie privée",
        "<p>Ne publiez pas d'informations personnelles sur autrui (adresse, téléphone, "
        "photos prises sans accord) sans leur consentement. Vous pouvez à tout moment "
        "télécharger vos données ou supprimer votre compte depuis la page « Vos données » de "
        "votre compte.</p>",
    ),
    (
        "Modération",
        "<p>Tout le monde, même sans compte, peut signaler un contenu ou un membre avec un "
        "motif. L'équipe de l'agence et les modérateurs des groupes examinent les signalements "
        "et peuvent masquer ou retirer un contenu, avertir, suspendre un compte pour une durée "
        "donnée ou exclure d'un groupe. Un contenu signalé par trois membres est masqué en "
        "attendant leur décision ; certains mots bloqués mettent une publication en attente de "
        "relecture.</p><p>Chaque décision est motivée : vous recevez un exposé des motifs "
        "(la mesure prise, les faits, la règle appliquée ou le fondement légal, le caractère "
        "automatisé ou non de la décision et les voies de recours), conformément à l'article 17 "
        "du règlement européen sur les services numériques (DSA).</p>",
    ),
    (
        "Contestation et recours",
        "<p>Vous pouvez contester une décision qui vous concerne pendant six mois, depuis "
        "l'exposé des motifs. Votre réclamation est examinée par un autre modérateur que celui "
        "qui a pris la décision. Vous gardez le droit de saisir un organisme de règlement "
        "extrajudiciaire des litiges certifié ou la justice. La personne qui a signalé un "
        "contenu est informée de la suite donnée.</p>",
    ),
]


def seed_rules(*, home, stdout) -> None:
    if CommunityRulesPage.objects.exists() or home.get_children().filter(slug=SLUG).exists():
        return
    page = CommunityRulesPage(
        title=TITLE,
        slug=SLUG,
        intro=INTRO,
        clauses=[("clause", {"title": title, "text": RichText(text)}) for title, text in CLAUSES],
        search_description="Les règles de la communauté : respect, spam, contenus illicites, "
        "vie privée, modération et recours.",
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    stdout.write(f"  content: community rules ({len(CLAUSES)} clauses)")
