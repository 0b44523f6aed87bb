"""Demo moderation data for seed_demo: one open case with two reports on one of nina's
posts, one decided case with its statement of reasons, a blocked word and a post it held
back (a false alarm, for a moderator to publish). Written through
the services (as real reports and decisions are); a second run adds nothing."""


def seed_moderation(people):
    from django.contrib.auth.models import AnonymousUser

    from network.models import BlockedWord, Case, Comment, Post
    from network.services import moderation as services

    if Case.objects.exists():
        return
    BlockedWord.objects.get_or_create(pattern="casino en ligne", defaults={"is_regex": False})
    _hold_a_post(people)
    posts = list(
        Post.objects.filter(author=people["nina"], status=Post.Status.PUBLISHED)
        .select_related("group")
        .order_by("pk")
    )
    if posts:
        target = next((post for post in posts if post.group_id is None), posts[0])
        services.report(
            actor=people["hugo"],
            target=target,
            reason="spam",
            explanation="Cette publication ressemble à de la publicité répétée.",
        )
        services.report(
            actor=AnonymousUser(),
            target=target,
            reason="false_information",
            explanation="Les horaires indiqués sont faux.",
            name="Léa Martin",
            email="lea.martin@example.org",
        )
    comment = (
        Comment.objects.filter(status=Post.Status.PUBLISHED)
        .exclude(author=people["agence"])
        .select_related("post__group", "author")
        .order_by("pk")
        .first()
    )
    if comment is not None:
        _decide_demo_case(people, comment, services)


def _decide_demo_case(people, comment, services):
    """A reported comment, hidden with a statement of reasons. Past events: listed in the
    author's notifications, not e-mailed (when the notifications service offers that)."""
    from contextlib import nullcontext

    from network.models import Case
    from network.services import notifications

    quiet = getattr(notifications, "without_email", nullcontext)
    with quiet():
        reporter = people["camille"] if comment.author != people["camille"] else people["hugo"]
        services.report(
            actor=reporter,
            target=comment,
            reason="harassment",
            explanation="Ton agressif envers un autre membre.",
        )
        case = Case.objects.get(kind="comment", status=Case.Status.OPEN)
        services.decide(
            actor=people["agence"],
            case=case,
            action="hide",
            facts="Le commentaire s'adresse à un membre sur un ton insultant.",
            ground="Règles de la communauté, article 2 : respect des autres membres.",
        )


def _hold_a_post(people):
    """camille's post trips the blocked word: it waits in the queue, seen by her alone."""
    from network.services import notifications
    from network.services.posts import create_post

    with notifications.without_email():
        create_post(
            actor=people["camille"],
            body=(
                "Soirée jeux de société vendredi au Café du Port : ni poker ni casino en "
                "ligne, rien que des jeux en bois fabriqués à Kerlann !"
            ),
        )
