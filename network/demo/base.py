"""Demo accounts of the fictional territory. Never loaded outside a demo (seed_demo checks)."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

DEMO_PASSWORD = "territoire-demo"  # noqa: S105 - public by design, demo sites only

DEMO_ACCOUNTS = [
    ("admin", "superuser, for set-up only"),
    ("agence", "agency staff: Wagtail editor and moderator"),
    ("camille", "ambassador"),
    ("hugo", "ambassador who owns a local business"),
    ("nina", "business member"),
    ("lea", "influencer"),
]

PEOPLE = {
    "admin": {"display_name": "Admin", "is_staff": True, "is_superuser": True},
    "agence": {
        "display_name": "Agence d'attractivité",
        "first_name": "Sophie",
        "last_name": "Le Gall",
        "groups": ["Editors", "Moderators"],
    },
    "camille": {"display_name": "Camille Rivière", "first_name": "Camille", "last_name": "Rivière"},
    "hugo": {"display_name": "Hugo Kerbrat", "first_name": "Hugo", "last_name": "Kerbrat"},
    "nina": {"display_name": "Nina Morel", "first_name": "Nina", "last_name": "Morel"},
    "lea": {
        "display_name": "Léa Voyage",
        "first_name": "Léa",
        "last_name": "Bertin",
        "preferred_language": "en",
    },
}


def seed_accounts(*, stdout):
    User = get_user_model()
    for username, spec in PEOPLE.items():
        spec = dict(spec)
        group_names = spec.pop("groups", [])
        email = f"{username}@morvellec.example"
        user, created = User.objects.update_or_create(
            username=username, defaults={"email": email, "is_active": True, **spec}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        for name in group_names:
            user.groups.add(Group.objects.get(name=name))
    stdout.write(f"  network: {len(PEOPLE)} demo accounts")


# Organisations: slug, name, sector, area slug, owner, members, lat, lon, verified, tags
ORGANISATIONS = [
    (
        "boulangerie-du-port",
        "Boulangerie du Port",
        "food",
        "port-morvellec",
        "hugo",
        ["nina"],
        "47.595500",
        "-3.186000",
        True,
        ["pain", "circuit court"],
    ),
    (
        "hotel-des-dunes",
        "Hôtel des Dunes",
        "tourism",
        "saint-aven-des-dunes",
        "nina",
        [],
        "47.570500",
        "-3.240000",
        True,
        ["hébergement", "mer"],
    ),
    (
        "atelier-kerlann",
        "Atelier Kerlann",
        "retail",
        "kerlann",
        "camille",
        [],
        "47.611000",
        "-3.208000",
        False,
        ["artisanat", "céramique"],
    ),
    (
        "office-de-tourisme",
        "Office de tourisme de Morvellec",
        "public",
        "port-morvellec",
        "agence",
        ["camille"],
        "47.594800",
        "-3.183200",
        True,
        ["accueil", "tourisme"],
    ),
]

# Groups: slug, name, visibility, join policy, owner, moderators, members, description
GROUPS = [
    (
        "tourisme-hebergement",
        "Tourisme & hébergement",
        "public",
        "open",
        "agence",
        ["nina"],
        ["hugo", "camille", "lea"],
        "Hôteliers, campings, gîtes et sites de visite : partager les bonnes pratiques de "
        "l'accueil et préparer la saison ensemble.",
    ),
    (
        "commercants-du-vieux-port",
        "Commerçants du Vieux-Port",
        "public",
        "request",
        "hugo",
        [],
        ["nina"],
        "Les commerces du quartier du Vieux-Port : animations, horaires d'été, chantiers.",
    ),
    (
        "club-des-entrepreneurs",
        "Club des entrepreneurs",
        "private",
        "request",
        "agence",
        ["hugo"],
        ["nina"],
        "Le club des dirigeants de la presqu'île : petits-déjeuners, recrutement, projets "
        "communs. Réservé aux membres.",
    ),
]

FOLLOWS = [
    ("camille", "hugo"),
    ("camille", "nina"),
    ("hugo", "nina"),
    ("hugo", "camille"),
    ("nina", "hugo"),
    ("nina", "agence"),
    ("lea", "camille"),
    ("agence", "hugo"),
]

POSTS = [
    # group slug (None: profile), author, text, tags
    (
        "tourisme-hebergement",
        "agence",
        "Bienvenue dans le groupe ! Présentez votre "
        "établissement en quelques lignes, et dites-nous ce que vous attendez de la saison.",
        ["bienvenue"],
    ),
    (
        "tourisme-hebergement",
        "nina",
        "À l'Hôtel des Dunes nous passons au petit-déjeuner "
        "local : pain de la Boulangerie du Port, beurre de la ferme de Kerlann. Les clients "
        "adorent.",
        ["circuit court"],
    ),
    (
        "tourisme-hebergement",
        "hugo",
        "Merci @nina ! Nous pouvons livrer trois autres "
        "hôtels à partir d'avril, avis aux intéressés.",
        ["circuit court"],
    ),
    (
        "tourisme-hebergement",
        "camille",
        "Les visiteurs me demandent souvent où voir le "
        "coucher de soleil : la pointe du Men Du reste la meilleure réponse.",
        ["conseil"],
    ),
    (
        "tourisme-hebergement",
        "agence",
        "Le kit de marque 2027 est en ligne : logos, "
        "photos libres de droits et modèles d'affiches.",
        ["marque"],
    ),
    (
        "tourisme-hebergement",
        "lea",
        "Je prépare une série de vidéos sur les hébergements "
        "insolites de la presqu'île : qui veut participer ?",
        ["vidéo"],
    ),
    (
        "commercants-du-vieux-port",
        "hugo",
        "Réunion jeudi 18 h à la boulangerie pour préparer la fête du port.",
        ["fête du port"],
    ),
    (
        "commercants-du-vieux-port",
        "nina",
        "Les travaux du quai reprennent lundi : pensez à prévenir vos livreurs.",
        ["travaux"],
    ),
    (
        "club-des-entrepreneurs",
        "agence",
        "Prochain petit-déjeuner du club le 5 décembre : thème, le recrutement saisonnier.",
        ["recrutement"],
    ),
    (
        "club-des-entrepreneurs",
        "nina",
        "Nous cherchons deux réceptionnistes pour l'été, @hugo tu connais quelqu'un ?",
        ["recrutement"],
    ),
    (
        "club-des-entrepreneurs",
        "hugo",
        "Oui, je t'envoie deux contacts. Et bravo pour le nouveau site de l'hôtel !",
        [],
    ),
    (
        None,
        "camille",
        "Marée de 11 ce week-end : la grève de Saint-Aven est magnifique.",
        ["nature"],
    ),
    (None, "hugo", "Nouvelle fournée de kouign-amann demain matin, 7 h.", ["pain"]),
    (None, "nina", "Fin de saison : merci à toute l'équipe de l'hôtel !", []),
]

COMMENTS = [
    "Bravo !",
    "Très bonne idée.",
    "Je partage autour de moi.",
    "Merci pour l'info.",
    "On en parle jeudi ?",
    "Je suis partant.",
    "Super nouvelle.",
]


def seed(*, stdout):
    """Organisations, groups with members, posts with comments and reactions, a group event
    with a waiting list and follows between the demo accounts. Rows are written directly
    (dated over the past weeks); a second run adds nothing."""
    from datetime import timedelta

    from django.db.models import Count
    from django.utils import timezone

    from content.models import Area
    from core.sanitizer import clean_html, clean_text
    from network.models import (
        Comment,
        Follow,
        GroupEvent,
        GroupEventRSVP,
        GroupMembership,
        Mention,
        Organisation,
        OrganisationMembership,
        Post,
        Reaction,
    )
    from network.models import Group as NetworkGroup

    User = get_user_model()
    people = {user.username: user for user in User.objects.filter(username__in=PEOPLE)}
    areas = {area.slug: area for area in Area.objects.all()}

    for slug, name, sector, area, owner, members, lat, lon, verified, tags in ORGANISATIONS:
        organisation, created = Organisation.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "sector": sector,
                "area": areas.get(area),
                "latitude": lat,
                "longitude": lon,
                "verified": verified,
                "description": f"<p>{name} : une maison de la presqu'île de Morvellec.</p>",
                "website": f"https://{slug}.example",
                "email": f"contact@{slug}.example",
            },
        )
        if not created and (organisation.latitude, organisation.longitude) != (lat, lon):
            # Earlier demos placed them off the peninsula.
            Organisation.objects.filter(pk=organisation.pk).update(latitude=lat, longitude=lon)
        if created:
            organisation.tags.add(*tags)
            OrganisationMembership.objects.create(
                organisation=organisation, user=people[owner], role="owner"
            )
            for username in members:
                OrganisationMembership.objects.create(
                    organisation=organisation, user=people[username]
                )

    groups = {}
    for slug, name, visibility, policy, owner, moderators, members, description in GROUPS:
        group, created = NetworkGroup.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "visibility": visibility,
                "join_policy": policy,
                "description": description,
                "created_by": people[owner],
                "area": areas.get("presquile-de-morvellec"),
            },
        )
        groups[slug] = group
        if created:
            roles = [(owner, "owner")] + [(u, "moderator") for u in moderators]
            roles += [(u, "member") for u in members]
            GroupMembership.objects.bulk_create(
                GroupMembership(group=group, user=people[u], role=role) for u, role in roles
            )
            group.member_count = len(roles)
            group.save(update_fields=["member_count"])

    for follower, followed in FOLLOWS:
        Follow.objects.get_or_create(follower=people[follower], user=people[followed])
    Follow.objects.get_or_create(
        follower=people["camille"],
        organisation=Organisation.objects.get(slug="boulangerie-du-port"),
    )

    from network.demo.people import LATER_WEEKS, MEMBERS, seed_people

    seed_people(areas=areas, stdout=stdout)
    members = User.objects.filter(username__in=[member[0] for member in MEMBERS])
    authors = {**people, **{member.username: member for member in members}}

    if not Post.objects.filter(author__username__in=PEOPLE).exists():
        now = timezone.now()
        usernames = sorted(people)
        reactions = ["like", "love", "clap", "idea"]
        for round_, week in enumerate([POSTS, *LATER_WEEKS]):  # three weeks, each its own
            for index, (group_slug, author, text, tags) in enumerate(week):
                body = clean_html(f"<p>{text}</p>")
                post = Post.objects.create(
                    author=authors[author],
                    group=groups.get(group_slug) if group_slug else None,
                    body=body,
                    body_text=clean_text(body),
                )
                created_at = now - timedelta(days=7 * round_ + index // 2, hours=index * 3)
                Post.objects.filter(pk=post.pk).update(created_at=created_at)
                post.tags.add(*tags)
                for username in (u for u in people if f"@{u}" in text):
                    Mention.objects.create(post=post, user=people[username])
                readers = [u for u in usernames if u not in (author, "admin")]
                if group_slug == "club-des-entrepreneurs":
                    readers = [u for u in readers if u in ("agence", "hugo", "nina")]
                for n, username in enumerate(readers[: 1 + index % 3]):
                    Comment.objects.create(
                        post=post,
                        author=people[username],
                        body=clean_html(COMMENTS[(index + n) % len(COMMENTS)]),
                    )
                for n, username in enumerate(readers[: 2 + index % 3]):
                    Reaction.objects.create(
                        post=post, user=people[username], kind=reactions[(index + n) % 4]
                    )
        # A reply to the first comment of each post with comments, then the kept counters.
        for post in Post.objects.filter(author__in=authors.values()).annotate(n=Count("comments")):
            first = post.comments.order_by("pk").first()
            if first is not None and first.author != post.author:
                Comment.objects.create(
                    post=post, author=post.author, parent=first, body=clean_html("Merci !")
                )
            counts = {}
            for kind in post.reactions.values_list("kind", flat=True):
                counts[kind] = counts.get(kind, 0) + 1
            Post.objects.filter(pk=post.pk).update(
                comment_count=post.comments.count(), reaction_counts=counts
            )

    club = groups["club-des-entrepreneurs"]
    if not club.events.exists():
        event = GroupEvent.objects.create(
            group=club,
            title="Petit-déjeuner du club : le recrutement saisonnier",
            description="Au Café du Port, 8 h 30. Places limitées.",
            starts_at=timezone.now().replace(hour=8, minute=30, second=0, microsecond=0)
            + timedelta(days=12),
            location="Café du Port, Port-Morvellec",
            capacity=3,
            guests_allowed=1,
            created_by=people["agence"],
        )
        GroupEventRSVP.objects.create(event=event, user=people["agence"], status="going")
        GroupEventRSVP.objects.create(event=event, user=people["hugo"], guests=1, status="going")
        GroupEventRSVP.objects.create(event=event, user=people["nina"], status="waitlisted")

    seed_notifications(people)

    from network.demo.moderation import seed_moderation

    seed_moderation(people)

    stdout.write(
        f"  network: {Organisation.objects.count()} organisations, "
        f"{NetworkGroup.objects.count()} groups, {Post.objects.count()} posts"
    )


def seed_notifications(people):
    """Each demo account's notifications, told by the same receivers as real events: the
    mentions, comments, replies, reactions and follows above. They are created when the
    demo's transaction commits (at once with the embedded eager Celery); all but the three
    newest mentions and replies are then marked read, so the accounts show some of each.
    Only on the first run: the event keys would add nothing anyway."""
    from django.db import transaction
    from django.utils import timezone

    from network.models import Notification
    from network.services.notifications import without_email

    if Notification.objects.filter(recipient__in=people.values()).exists():
        return
    with without_email():  # past events: listed in the bell, not e-mailed
        _replay_events(people)

    def date_and_mark_some_read():
        _date_from_events(people)
        for person in people.values():
            unread = Notification.objects.filter(recipient=person, read_at__isnull=True)
            kept = unread.filter(kind__in=[Notification.Kind.MENTION, Notification.Kind.REPLY])
            kept = list(kept.order_by("-created_at", "-pk").values_list("pk", flat=True)[:3])
            unread.exclude(pk__in=kept).update(read_at=timezone.now())

    transaction.on_commit(date_and_mark_some_read)


def _date_from_events(people):
    """Replayed notifications are dated when the demo ran; date them from the posts they
    are about (spread over the demo's three weeks), so the list reads as a history and
    the same conversation of another week is its own entry, not a repeat."""
    from datetime import timedelta

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from network.models import Comment, Notification, Post

    now = timezone.now()
    post_type = ContentType.objects.get_for_model(Post)
    comment_type = ContentType.objects.get_for_model(Comment)
    posted = dict(Post.objects.values_list("pk", "created_at"))
    post_of_comment = dict(Comment.objects.values_list("pk", "post_id"))
    changed = []
    for notification in Notification.objects.filter(recipient__in=people.values()):
        if notification.target_type_id == post_type.pk:
            when = posted.get(notification.target_id)
        elif notification.target_type_id == comment_type.pk:
            when = posted.get(post_of_comment.get(notification.target_id))
        else:
            continue
        if when is not None:
            # Reactions and comments come in the hours after the post, never in the future.
            later = when + timedelta(minutes=20 + (notification.pk * 37) % 300)
            notification.created_at = min(later, now)
            changed.append(notification)
    Notification.objects.bulk_update(changed, ["created_at"], batch_size=500)


def _replay_events(people):
    from network import receivers
    from network.models import Comment, Follow, Mention, Reaction

    for mention in Mention.objects.filter(user__in=people.values()).select_related(
        "post__author", "post__group", "comment__author", "user"
    ):
        post, comment = mention.post, mention.comment
        author = comment.author if comment else post.author
        receivers.on_members_mentioned(
            None, users=[mention.user], post=post, actor=author, comment=comment
        )
    for comment in Comment.objects.filter(post__author__in=people.values()).select_related(
        "author", "post__author", "post__group", "parent"
    ):
        receivers.on_comment_created(None, comment=comment, actor=comment.author)
    for reaction in Reaction.objects.filter(post__author__in=people.values()).select_related(
        "user", "post__group"
    ):
        receivers.on_reaction_added(None, reaction=reaction, actor=reaction.user)
    for follow in Follow.objects.filter(user__in=people.values()).select_related(
        "follower", "user"
    ):
        receivers.on_followed(None, follow=follow, actor=follow.follower)
