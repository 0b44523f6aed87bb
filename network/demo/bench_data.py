"""Fill the database with a big business network for bench/network.py.

    manage.py bench_network_data --posts 100000 --members 5000 --groups 200 [--seed N]

Rows are written with bulk_create, a few thousand at a time, NOT through network.services:
the services are for requests (one actor, permission checks, rate limits, signals, one
transaction per action); 100,000 posts through them would take hours and send a notification
signal per post. The rows are the ones the services would write, with their denormalised
counters kept consistent (Group.member_count, Post.comment_count, Post.reaction_counts), and
dates spread over the last year (auto_now_add is switched off while the command runs).

What it makes (all of it recognisable: usernames `bench…`, group and organisation slugs
`bench-…`):
- `--members` members bench0 … bench{N-1}, password "bench" (one hash for all);
- a viewer, `benchviewer`, who follows 200 members and 5 organisations and belongs to 20
  groups (12 public, 6 private, 2 secret) — the member whose feed the benchmark reads;
- `--groups` groups (60 % public, 30 % private, 10 % secret; open, on request or invite only),
  with a few popular ones and a long tail; members join about 4 groups each;
- members // 50 organisations with 1 to 6 members each; members follow about 10 people each;
- posts: 65 % in a group by one of its members, 35 % on their author's profile; authors' activity
  follows a long tail; ~1.5 % held or hidden, 5 % edited, 2 % quote-shares, 15 % tagged;
- comments on ~45 % of posts (a fifth of them replies), reactions on ~60 % of posts.

The command is idempotent and grows: members, groups, organisations and follows are created
only when missing, and `--posts` is the number of bench posts wanted in total, so running it
again with `--posts 1000000` on a 100,000-post database adds 900,000 posts (spread over the
same year, between the existing ones). It never deletes anything.
"""

import html
import random
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from taggit.models import Tag, TaggedItem
from wagtail.models import Page

from content.models import Area
from network.demo.bench_tools import (
    FIRST_NAMES,
    GROUP_TOPICS,
    GROUP_WORDS,
    LAST_NAMES,
    PLACES,
    PREFIX,
    REACTION_KINDS,
    REACTION_WEIGHTS,
    TAGS,
    VIEWER_FOLLOWS,
    VIEWER_GROUPS,
    VIEWER_ORGANISATIONS,
    WORDS,
    YEAR,
    RowWriter,
    Weighted,
    dates_as_given,
    long_tail,
)
from network.models import (
    Comment,
    Follow,
    Group,
    GroupMembership,
    Organisation,
    OrganisationMembership,
    Post,
    Reaction,
    Sector,
    User,
)


class Command(BaseCommand):
    help = "Fill the database with a big business network for bench/network.py (bulk writes)."

    def add_arguments(self, parser):
        parser.add_argument("--posts", type=int, default=100_000, help="bench posts in total")
        parser.add_argument("--members", type=int, default=5_000)
        parser.add_argument("--groups", type=int, default=200)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--viewer", default="benchviewer")
        parser.add_argument("--batch", type=int, default=5_000, help="posts per transaction")
        parser.add_argument(
            "--i-know-this-writes",
            action="store_true",
            dest="force",
            help="run even though DEBUG is off (never on a real site)",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off: this command writes thousands of fake members and posts. "
                "Pass --i-know-this-writes if this really is a benchmark database."
            )
        began = time.monotonic()
        self.rng = random.Random(options["seed"])  # noqa: S311 - fake data, not secrets
        self.now = timezone.now()
        self.tune_connection()

        with dates_as_given(
            User, Group, GroupMembership, Organisation, OrganisationMembership, Follow
        ):
            members = self.ensure_members(options["members"])
            viewer = self.ensure_viewer(options["viewer"])
            groups = self.ensure_groups(options["groups"], members)
            self.ensure_organisations(members, viewer)
            self.ensure_follows(members, viewer)
        step = time.monotonic()
        self.stdout.write(f"Members, groups, organisations, follows ready ({step - began:.1f} s).")

        existing = Post.objects.filter(author__username__startswith=PREFIX).count()
        wanted = options["posts"] - existing
        if wanted <= 0:
            self.stdout.write(f"{existing} bench posts already there: none added.")
        else:
            # Another stream of random numbers for each growth step, still reproducible.
            self.rng = random.Random(f"{options['seed']}-{existing}")  # noqa: S311
            with dates_as_given(Post, Comment, Reaction):
                self.add_posts(wanted, members, groups, options["batch"])
            if connection.vendor == "postgresql":
                # Autovacuum would analyse these tables on its own a little later; do it now so
                # that the planner sees the real sizes when the benchmark starts.
                with connection.cursor() as cursor:
                    cursor.execute(
                        "ANALYZE network_post, network_comment, network_reaction,"
                        " network_follow, network_groupmembership, taggit_taggeditem"
                    )
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {time.monotonic() - began:.1f} s: "
                f"{Post.objects.filter(author__username__startswith=PREFIX).count()} bench posts."
            )
        )

    def tune_connection(self):
        if connection.vendor == "sqlite":
            # A bigger page cache for this connection only: index pages of a million-row table
            # stay in memory while posts are inserted in date order between existing ones.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -262144")  # 256 MB

    # ----------------------------------------------------------------------------------------
    # People, groups, organisations, follows
    # ----------------------------------------------------------------------------------------

    def ensure_members(self, count):
        names = [f"{PREFIX}{n}" for n in range(count)]
        existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
        password = make_password("bench")  # hashed once: hashing is slow on purpose
        areas = list(Area.objects.values_list("pk", flat=True)) or [None]
        new = []
        for n, username in enumerate(names):
            if username in existing:
                continue
            first = FIRST_NAMES[n % len(FIRST_NAMES)]
            last = LAST_NAMES[(n // len(FIRST_NAMES)) % len(LAST_NAMES)]
            new.append(
                User(
                    username=username,
                    email=f"{username}@bench.invalid",
                    password=password,
                    first_name=first,
                    last_name=last,
                    display_name=f"{first} {last} {n}",
                    area_id=self.rng.choice(areas),
                    date_joined=self.now - 2 * YEAR * self.rng.random(),
                )
            )
        User.objects.bulk_create(new, batch_size=1000)
        if new:
            self.stdout.write(f"  {len(new)} members created.")
        # In username order, so that the long tail of activity is the same on every run.
        by_name = dict(User.objects.filter(username__in=names).values_list("username", "pk"))
        return [by_name[name] for name in names]

    def ensure_viewer(self, username):
        viewer, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@bench.invalid",
                "password": make_password("bench"),
                "display_name": "Bench Viewer",
                "date_joined": self.now - YEAR,
            },
        )
        if created:
            self.stdout.write(f"  viewer {username} created (password: bench).")
        return viewer.pk

    def ensure_groups(self, count, members):
        """Returns {group_id: [member ids]} for every bench group."""
        slugs = [f"{PREFIX}-group-{n}" for n in range(count)]
        existing = set(Group.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        if len(existing) < count:
            self.create_groups([s for s in slugs if s not in existing], members)
        groups = dict.fromkeys(Group.objects.filter(slug__in=slugs).values_list("pk", flat=True))
        for group_id in groups:
            groups[group_id] = []
        for group_id, user_id in GroupMembership.objects.filter(group_id__in=groups).values_list(
            "group_id", "user_id"
        ):
            groups[group_id].append(user_id)
        return groups

    def create_groups(self, slugs, members):
        rng = self.rng
        areas = list(Area.objects.values_list("pk", flat=True)) or [None]
        sectors = [value for value, _label in Sector.choices]
        visibilities = ["public"] * 6 + ["private"] * 3 + ["secret"]
        policies = {
            "public": ["open", "open", "request"],
            "private": ["request", "request", "invite"],
            "secret": ["invite"],
        }
        new = []
        for slug in slugs:
            n = int(slug.rsplit("-", 1)[1])
            visibility = visibilities[n % len(visibilities)]
            topic = GROUP_TOPICS[n % len(GROUP_TOPICS)]
            place = PLACES[(n // len(GROUP_TOPICS)) % len(PLACES)]
            new.append(
                Group(
                    name=f"{GROUP_WORDS[n % len(GROUP_WORDS)]} des {topic} de {place} {n}",
                    slug=slug,
                    description=f"Les {topic} de {place} et d'ailleurs.",
                    visibility=visibility,
                    join_policy=rng.choice(policies[visibility]),
                    sector=rng.choice(sectors),
                    area_id=rng.choice(areas),
                    created_at=self.now - YEAR - YEAR * rng.random(),
                )
            )
        Group.objects.bulk_create(new, batch_size=500)
        created = list(Group.objects.filter(slug__in=slugs).order_by("pk"))
        # A few popular groups and a long tail; each member joins about 4 groups.
        popularity = Weighted(created, long_tail(len(created), offset=5.0), rng)
        memberships, seen = [], set()
        for user_id in members:
            for group in popularity.distinct(rng.choice([0, 1, 2, 3, 4, 4, 5, 6, 8])):
                seen.add((group.pk, user_id))
                memberships.append(
                    GroupMembership(
                        group=group,
                        user_id=user_id,
                        role=GroupMembership.Role.MEMBER,
                        joined_at=group.created_at + YEAR * rng.random() / 2,
                    )
                )
        by_group = {}
        for membership in memberships:
            by_group.setdefault(membership.group_id, []).append(membership)
        for group in created:
            mine = by_group.get(group.pk)
            if not mine:  # every group has at least an owner
                mine = [
                    GroupMembership(
                        group=group, user_id=rng.choice(members), joined_at=group.created_at
                    )
                ]
                memberships.extend(mine)
                by_group[group.pk] = mine
            mine[0].role = GroupMembership.Role.OWNER
            mine[0].joined_at = group.created_at
            group.created_by_id = mine[0].user_id
            for moderator in mine[1 : 1 + rng.choice([0, 1, 1, 2])]:
                moderator.role = GroupMembership.Role.MODERATOR
            group.member_count = len(mine)
        GroupMembership.objects.bulk_create(memberships, batch_size=2000)
        Group.objects.bulk_update(created, ["created_by", "member_count"], batch_size=500)
        self.stdout.write(f"  {len(created)} groups, {len(memberships)} memberships created.")

    def ensure_organisations(self, members, viewer):
        count = max(1, len(members) // 50)
        slugs = [f"{PREFIX}-org-{n}" for n in range(count)]
        if Organisation.objects.filter(slug__in=slugs).count() >= count:
            return
        rng = self.rng
        existing = set(Organisation.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        sectors = [value for value, _label in Sector.choices]
        Organisation.objects.bulk_create(
            [
                Organisation(
                    name=f"Maison {slug.rsplit('-', 1)[1]} de {rng.choice(PLACES)}",
                    slug=slug,
                    sector=rng.choice(sectors),
                    description="Une entreprise du territoire.",
                    verified=rng.random() < 0.3,
                    created_at=self.now - 2 * YEAR * rng.random(),
                )
                for slug in slugs
                if slug not in existing
            ]
        )
        organisations = list(Organisation.objects.filter(slug__in=slugs).order_by("pk"))
        taken = set(
            OrganisationMembership.objects.filter(user_id__in=members).values_list(
                "user_id", flat=True
            )
        )
        free = [user_id for user_id in members if user_id not in taken]
        rng.shuffle(free)
        rows = []
        for organisation in organisations:
            for i in range(rng.randint(1, 6)):
                if not free:
                    break
                rows.append(
                    OrganisationMembership(
                        organisation=organisation,
                        user_id=free.pop(),
                        role="owner" if i == 0 else "member",
                        joined_at=organisation.created_at,
                    )
                )
        OrganisationMembership.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        Follow.objects.bulk_create(
            [
                Follow(follower_id=viewer, organisation=organisation, created_at=self.now - YEAR)
                for organisation in rng.sample(
                    organisations, min(VIEWER_ORGANISATIONS, len(organisations))
                )
            ],
            ignore_conflicts=True,
        )
        self.stdout.write(f"  {len(organisations)} organisations, {len(rows)} members.")

    def ensure_follows(self, members, viewer):
        rng = self.rng
        follows = []
        if not Follow.objects.filter(follower_id=viewer, user__isnull=False).exists():
            follows += [
                Follow(
                    follower_id=viewer, user_id=user_id, created_at=self.now - YEAR * rng.random()
                )
                for user_id in rng.sample(members, min(VIEWER_FOLLOWS, len(members)))
            ]
            # The viewer's groups: a mix of visibilities, popular and not.
            by_visibility = {}
            for pk, visibility in Group.objects.filter(
                slug__startswith=f"{PREFIX}-group-"
            ).values_list("pk", "visibility"):
                by_visibility.setdefault(visibility, []).append(pk)
            joined = [
                group_id
                for visibility, k in VIEWER_GROUPS.items()
                for group_id in rng.sample(
                    by_visibility.get(visibility, []),
                    min(k, len(by_visibility.get(visibility, []))),
                )
            ]
            already = set(
                GroupMembership.objects.filter(user_id=viewer).values_list("group_id", flat=True)
            )
            GroupMembership.objects.bulk_create(
                [
                    GroupMembership(group_id=group_id, user_id=viewer, joined_at=self.now - YEAR)
                    for group_id in joined
                    if group_id not in already
                ]
            )
            for group_id in joined:
                Group.objects.filter(pk=group_id).update(
                    member_count=GroupMembership.objects.filter(group_id=group_id).count()
                )
        if not Follow.objects.filter(follower_id__in=members[:100]).exists():
            # Members follow about ten people each, active people more often.
            popular = Weighted(members, long_tail(len(members)), rng)
            for follower in members:
                for user_id in popular.distinct(rng.randint(0, 20)):
                    if user_id != follower:
                        follows.append(
                            Follow(
                                follower_id=follower,
                                user_id=user_id,
                                created_at=self.now - YEAR * rng.random(),
                            )
                        )
        Follow.objects.bulk_create(follows, batch_size=2000, ignore_conflicts=True)
        if follows:
            self.stdout.write(f"  {len(follows)} follows created.")

    # ----------------------------------------------------------------------------------------
    # Posts, comments, reactions, tags
    # ----------------------------------------------------------------------------------------

    def add_posts(self, total, members, groups, batch):
        rng = self.rng
        activity = Weighted(members, long_tail(len(members)), rng)
        group_ids = sorted(g for g, people in groups.items() if people)
        # Big groups are busier: weight by member count.
        group_pick = Weighted(group_ids, [len(groups[g]) for g in group_ids], rng)
        pages = list(Page.objects.filter(depth__gt=2, live=True).values_list("pk", flat=True)[:200])
        tags = [
            Tag.objects.get_or_create(name=name, defaults={"slug": name})[0].pk for name in TAGS
        ]
        post_type = ContentType.objects.get_for_model(Post)
        recent_ids = list(
            Post.objects.filter(author__username__startswith=PREFIX, status="published")
            .order_by("-pk")
            .values_list("pk", flat=True)[:500]
        )
        self.comments = RowWriter(Comment)
        self.reactions = RowWriter(Reaction)
        self.tagged_items = RowWriter(TaggedItem)
        began = time.monotonic()
        counts = {"posts": 0, "comments": 0, "reactions": 0, "tags": 0}
        for start in range(0, total, batch):
            with transaction.atomic():
                made = self.add_batch(
                    min(batch, total - start),
                    activity,
                    group_pick,
                    groups,
                    members,
                    pages,
                    tags,
                    post_type,
                    recent_ids,
                )
            for key, value in made.items():
                counts[key] += value
            elapsed = time.monotonic() - began
            done = start + made["posts"]
            self.stdout.write(
                f"  {done}/{total} posts, {counts['comments']} comments, "
                f"{counts['reactions']} reactions ({elapsed:.0f} s, {done / elapsed:.0f} posts/s)"
            )

    def random_date(self):
        """A moment in the last year, more of them recent, mostly in working hours."""
        moment = self.now - YEAR * (self.rng.random() ** 1.3)
        hour = self.rng.choice((7, 8, 9, 9, 10, 10, 11, 11, 12, 13, 14, 14, 15, 16, 17, 18, 20, 22))
        moment = moment.replace(
            hour=hour, minute=self.rng.randrange(60), second=self.rng.randrange(60)
        )
        return min(moment, self.now - timedelta(seconds=self.rng.randrange(60, 3600)))

    def text(self, sentences):
        if not hasattr(self, "sentences"):
            # Drawn once: making each sentence word by word was a fifth of the running time.
            rng = self.rng
            self.sentences = [
                " ".join(rng.choices(WORDS, k=rng.randint(6, 22))).capitalize()
                + rng.choice([".", ".", " !", " ?"])
                for _ in range(5_000)
            ]
        return " ".join(self.rng.choices(self.sentences, k=sentences))

    def add_batch(
        self, size, activity, group_pick, groups, members, pages, tags, post_type, recent_ids
    ):
        rng = self.rng
        posts, plans = [], []
        for _ in range(size):
            if rng.random() < 0.65:
                group_id = group_pick.one()
                author = rng.choice(groups[group_id])
                audience = groups[group_id]
            else:
                group_id, author, audience = None, activity.one(), members
            created_at = self.random_date()
            text = self.text(rng.randint(1, 5))
            body = f"<p>{html.escape(text)}</p>"
            roll = rng.random()
            status = "published" if roll > 0.015 else ("held" if roll > 0.005 else "hidden")
            # Comments and reactions decided now, so the post's counters are right on insert.
            n_comments = 0 if rng.random() < 0.55 else min(20, int(rng.expovariate(1 / 3)) + 1)
            n_reactions = 0 if rng.random() < 0.4 else min(40, int(rng.expovariate(1 / 5)) + 1)
            reactors = [rng.choice(audience) for _ in range(n_reactions)]
            kinds = rng.choices(REACTION_KINDS, weights=REACTION_WEIGHTS, k=n_reactions)
            pairs = sorted(set(zip(reactors, kinds, strict=True)))
            reaction_counts = {}
            for _user, kind in pairs:
                reaction_counts[kind] = reaction_counts.get(kind, 0) + 1
            post = Post(
                author_id=author,
                group_id=group_id,
                body=body,
                body_text=text,
                status=status,
                created_at=created_at,
                edited_at=min(self.now, created_at + timedelta(minutes=rng.randint(2, 600)))
                if rng.random() < 0.05
                else None,
                comment_count=n_comments,
                reaction_counts=reaction_counts,
                shared_page_id=rng.choice(pages) if pages and rng.random() < 0.01 else None,
                shared_post_id=rng.choice(recent_ids)
                if recent_ids and rng.random() < 0.02
                else None,
            )
            posts.append(post)
            plans.append((audience, n_comments, pairs))
        # Inserted in date order: closer to how they arrive, and kinder to the indexes.
        order = sorted(range(size), key=lambda i: posts[i].created_at)
        posts = [posts[i] for i in order]
        plans = [plans[i] for i in order]
        Post.objects.bulk_create(posts, batch_size=1000)

        # Child rows go in as plain tuples (see RowWriter): about three times faster than model
        # instances for the millions of comments and reactions of the 1M-post dataset.
        top_rows, replies, reactions, tagged = [], [], [], []
        for post, (audience, n_comments, pairs) in zip(posts, plans, strict=True):
            when, tops = post.created_at, 0
            for _ in range(n_comments):
                when = min(self.now, when + timedelta(minutes=rng.randint(1, 2880)))
                author = rng.choice(audience)
                body = f"<p>{html.escape(self.text(1))}</p>"
                # A fifth are replies to an earlier top-level comment of the same post.
                if tops and rng.random() < 0.2:
                    replies.append((post.pk, rng.randrange(tops), author, body, when))
                else:
                    top_rows.append(
                        {"post_id": post.pk, "author_id": author, "body": body, "created_at": when}
                    )
                    tops += 1
            for user_id, kind in pairs:
                reacted = post.created_at + timedelta(minutes=rng.randint(1, 4000))
                reactions.append(
                    {
                        "post_id": post.pk,
                        "user_id": user_id,
                        "kind": kind,
                        "created_at": min(self.now, reacted),
                    }
                )
            if rng.random() < 0.15:
                for tag_id in rng.sample(tags, rng.randint(1, 3)):
                    tagged.append(
                        {"tag_id": tag_id, "content_type_id": post_type.pk, "object_id": post.pk}
                    )
            if post.status == "published":
                recent_ids.append(post.pk)
        del recent_ids[:-2000]  # quote-shares pick among the latest posts made
        self.comments.write(top_rows)
        if replies:
            # The parents' ids: the n-th top-level comment of each post, as just inserted.
            first, last = posts[0].pk, posts[-1].pk
            parents = {}
            for comment_id, post_id in (
                Comment.objects.filter(post_id__gte=first, post_id__lte=last, parent__isnull=True)
                .order_by("post_id", "created_at", "pk")
                .values_list("pk", "post_id")
            ):
                parents.setdefault(post_id, []).append(comment_id)
            self.comments.write(
                {
                    "post_id": post_id,
                    "parent_id": parents[post_id][index],
                    "author_id": author,
                    "body": body,
                    "created_at": when,
                }
                for post_id, index, author, body, when in replies
            )
        self.reactions.write(reactions)
        self.tagged_items.write(tagged)
        return {
            "posts": len(posts),
            "comments": len(top_rows) + len(replies),
            "reactions": len(reactions),
            "tags": len(tagged),
        }
