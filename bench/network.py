"""Business network benchmark: the home feed, a group page and posting, served by Daphne.

Run it with `.venv/bin/python bench/network.py` (`--quick` for a smoke run). It:

1. uses its own SQLite file, bench/results/network.sqlite3, unless DATABASE_URL is set (then
   that database, e.g. postgres://postgres@127.0.0.1:5432/territory_bench);
2. migrates, loads the demo (`seed_demo --force`) and the bench network
   (`bench_network_data`: 100,000 posts, 5,000 members, 200 groups by default; only what is
   missing is added). On SQLite each size is measured twice by default: without table
   statistics (as a database that was never analysed) and after ANALYZE (`--sqlite-stats`);
   the planner's choice for the feed depends on them (see docs/performance.md);
3. prepares, in-process: a session cookie for `benchviewer` (force_login), a CSRF cookie and
   token, personal access tokens, the second page of the feed (its cursor), and counts SQL
   queries per page with the test client (the bench pages, then feed, group and profile pages
   holding 5 and 50 posts, made inside a transaction that is rolled back);
4. starts one Daphne process (settings `bench.settings`: debug off, quiet logs; the class of
   bench/content.py) and measures from a separate client process (one keep-alive connection,
   concurrency 1), in interleaved rounds so that a noisy neighbour hits all URLs alike: the
   bare view `/bench/bare/` (the reference), `/bench/template/`, GET /feed/ signed in as
   benchviewer, the feed's second page, a group page, a profile page, GET /api/v1/feed with
   a bearer token, and POST /groups/<slug>/posts/ (the HTML form, with its CSRF token) and
   POST /api/v1/groups/<slug>/posts (bearer token), in the biggest public group the viewer is
   not in, by 100 of its members the viewer does not follow: the 10-posts-a-minute limit is
   never what gets measured, and these posts never reach the feed measured (they are deleted
   before the next measurement, too). The generator's groups have no close follower, so
   these posts enqueue no notification task; the form POST is measured again in the next
   biggest group, where 5 members follow closely (set by this step): each post enqueues the
   task, which the embedded setup runs in the request;
   Then, unless `--no-redis`, a second Daphne in the production-like setup (REDIS_URL set to
   REDIS_BENCH_URL: cache, channel layer and Celery broker on Redis, Celery not eager, no
   worker: a POST only enqueues its notification task) measures the bare view, the feed and
   both POSTs again (the feed's card cache is then Redis too); the queue is emptied after;
5. with `--grow-to 250000,1000000`, grows the data to each size in turn (timing the
   generator) and measures again (posting included): the feed's growth curve;
6. prints the tables against the goals of issue 5 (feed p50 <= 5x the bare view's p50, posting
   p50 <= 3x, feed growth at 10x the data < 1.5x) and writes bench/results/network-<db>.json.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# Run as a script, this folder would come first on sys.path: this file (network.py) would
# shadow the `network` app, content.py the `content` app and http.py the standard `http`.
if sys.path and os.path.abspath(sys.path[0] or os.curdir) == HERE:
    sys.path[0] = ROOT

import argparse  # noqa: E402
import datetime  # noqa: E402
import hashlib  # noqa: E402
import http.client  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402  # nosec B404 - our own script and server
import time  # noqa: E402
import uuid  # noqa: E402
from pathlib import Path  # noqa: E402
from urllib.parse import quote, urlencode, urlsplit  # noqa: E402

from bench import content as content_bench  # noqa: E402

HOST = content_bench.HOST
RESULTS = Path(HERE) / "results"
DB_FILE = RESULTS / "network.sqlite3"
VIEWER = "benchviewer"
POSTERS = 100
CLOSE_FOLLOWERS = 5
BARE = "/bench/bare/"
GOAL_FEED = 5.0
GOAL_POST = 3.0
GOAL_GROWTH = 1.5
REQUEST_TIMEOUT = 30
CODE_FILES = [
    "network/selectors/feed.py",
    "network/selectors/visibility.py",
    "network/views/posts.py",
    "network/services/posts.py",
    "network/templates/network/posts/_post.html",
    "network/templates/network/posts/_post_card.html",
    "network/templatetags/post_cards.py",
]
# The production-like setup of the posting measurement: Redis cache and Celery broker, tasks
# only enqueued (no worker runs them; the queue is emptied afterwards). Database 14 is kept for
# benchmarks.
REDIS_BENCH_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")

FULL = {"rounds": 3, "warmup": 10, "requests": 300, "seconds": 9.0, "post_requests": 60}
QUICK = {"rounds": 1, "warmup": 3, "requests": 30, "seconds": 1.0, "post_requests": 10}

percentile = content_bench.percentile
fmt = content_bench.fmt


# --------------------------------------------------------------------------------------------
# The load generator: its own process (`network.py _load '<json>'`), prints JSON.
# --------------------------------------------------------------------------------------------


def run_load(cfg):
    """Requests to one URL on one keep-alive connection. A GET carries the given cookies or
    Authorization header; a POST takes its credentials in turn from `cfg["writers"]` (the
    form's CSRF cookie and token, or a bearer token) and sends a new text each time."""
    conn = http.client.HTTPConnection(HOST, cfg["port"], timeout=REQUEST_TIMEOUT)
    writers = itertools.cycle(cfg.get("writers") or [{}])
    for _ in range(cfg.get("writer_offset", 0) % max(1, len(cfg.get("writers") or [1]))):
        next(writers)
    ok_statuses = set(cfg.get("ok", [200]))
    latencies, errors, statuses, timed_out = [], 0, {}, False

    def request():
        nonlocal errors, timed_out
        headers = {"Accept-Language": "fr", "Host": HOST, **cfg.get("headers", {})}
        body = None
        if cfg["method"] == "POST":
            writer = next(writers)
            headers.update(writer.get("headers", {}))
            text = f"Bench {uuid.uuid4().hex[:8]}: retour sur la réunion de ce matin, merci à tous."
            if cfg["kind"] == "form":
                body = urlencode(
                    {
                        "csrfmiddlewaretoken": writer["csrf_token"],
                        "body": text,
                        "tags": "",
                        "idempotency_key": uuid.uuid4().hex,
                    }
                )
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            else:
                body = json.dumps({"body": text})
                headers["Content-Type"] = "application/json"
                headers["Idempotency-Key"] = uuid.uuid4().hex
        try:
            conn.request(cfg["method"], cfg["path"], body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            statuses[response.status] = statuses.get(response.status, 0) + 1
            if response.status in ok_statuses:
                return True
        except TimeoutError:
            timed_out = True
            conn.close()
        except (OSError, http.client.HTTPException):
            conn.close()
        errors += 1
        return False

    warm_deadline = time.perf_counter() + cfg["seconds"]
    warmed = 0
    for _ in range(cfg["warmup"]):
        request()
        warmed += 1
        if timed_out or time.perf_counter() > warm_deadline:
            break
    deadline = time.perf_counter() + cfg["seconds"]
    for _ in range(0 if timed_out else cfg["requests"]):
        start = time.perf_counter()
        ok = request()
        end = time.perf_counter()
        if ok:
            latencies.append(round((end - start) * 1000, 3))
        if timed_out or end > deadline:
            break
    conn.close()
    return {
        "latencies_ms": latencies,
        "errors": errors,
        "statuses": statuses,
        "timed_out": timed_out,
        "issued": warmed + len(latencies) + errors,
    }


# --------------------------------------------------------------------------------------------
# In-process work (Django set up): credentials, URLs, query counts, profile.
# --------------------------------------------------------------------------------------------


def django_setup():
    content_bench.django_setup()


def session_cookie_for(user):
    """A signed-in session, as logging in would create it (test client's force_login)."""
    from django.conf import settings
    from django.test import Client

    client = Client(HTTP_HOST=HOST)
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def csrf_pair():
    """A CSRF cookie value and a form token that matches it (what a rendered form holds)."""
    from django.conf import settings
    from django.http import HttpRequest
    from django.middleware.csrf import get_token

    request = HttpRequest()
    token = get_token(request)
    return f"{settings.CSRF_COOKIE_NAME}={request.META['CSRF_COOKIE']}", token


def bearer_token_for(user):
    """A fresh personal access token, through the service (old bench tokens deleted first)."""
    from network.models import PersonalAccessToken
    from network.services.tokens import create_token

    PersonalAccessToken.objects.filter(user=user, name="bench").delete()
    _token, raw = create_token(actor=user, name="bench")
    return raw


def count_queries(client, path):
    """Queries of a cold request (caches empty), then of a warm one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        counts.append(len(queries))
    return {
        "path": path,
        "status": response.status_code,
        "bytes": len(response.content),
        "queries_cold": counts[0],
        "queries_warm": counts[1],
    }


def small_pages_queries():
    """Feed, group and profile pages holding 5 and then 50 posts (each by its own author, each
    with comments, reactions and a tag), made in a transaction that is rolled back. The warm
    query count must not depend on the number."""
    from django.db import transaction
    from django.test import Client
    from taggit.models import Tag

    from network.models import Comment, Follow, Group, GroupMembership, Post, Reaction, User

    class Rollback(Exception):
        pass

    found = {}
    for size in (5, 50):
        try:
            with transaction.atomic():
                stamp = uuid.uuid4().hex[:6]
                viewer = User.objects.create(username=f"qc-viewer-{stamp}")
                group = Group.objects.create(name=f"QC {stamp}", slug=f"qc-{stamp}")
                GroupMembership.objects.create(group=group, user=viewer, role="owner")
                profile_author = User.objects.create(username=f"qc-profile-{stamp}")
                Follow.objects.create(follower=viewer, user=profile_author)
                tag, _created = Tag.objects.get_or_create(name="qc", defaults={"slug": "qc"})
                for n in range(size):
                    author = User.objects.create(username=f"qc-{stamp}-{n}")
                    GroupMembership.objects.create(group=group, user=author)
                    Follow.objects.create(follower=viewer, user=author)
                    for target in ({"group": group}, {"group": None}):
                        post_author = author if target["group"] else profile_author
                        post = Post.objects.create(
                            author=post_author,
                            body=f"<p>QC {n}</p>",
                            body_text=f"QC {n}",
                            comment_count=2,
                            reaction_counts={"like": 2, "clap": 1},
                            **target,
                        )
                        post.tags.add(tag)
                        Comment.objects.create(post=post, author=viewer, body="<p>Oui</p>")
                        Comment.objects.create(post=post, author=author, body="<p>Non</p>")
                        Reaction.objects.create(post=post, user=viewer, kind="like")
                        Reaction.objects.create(post=post, user=author, kind="like")
                        Reaction.objects.create(post=post, user=author, kind="clap")
                Group.objects.filter(pk=group.pk).update(member_count=size + 1)
                client = Client(HTTP_HOST=HOST, HTTP_ACCEPT_LANGUAGE="fr")
                client.force_login(viewer)
                found[size] = {
                    "feed": count_queries(client, "/feed/"),
                    "group": count_queries(client, f"/groups/{group.slug}/"),
                    "profile": count_queries(client, f"/people/{profile_author.username}/"),
                }
                raise Rollback
        except Rollback:
            pass
    return found


def prepare(payload):
    """Credentials, URLs and query counts for the measurement."""
    django_setup()
    from django.db import connection
    from django.test import Client

    from network.models import Group, GroupMembership, Post, User
    from network.selectors.feed import home_feed

    viewer = User.objects.get(username=VIEWER)
    viewer_cookie = session_cookie_for(viewer)
    csrf_cookie, csrf_token = csrf_pair()

    # The group page: the viewer's biggest public group.
    membership = (
        GroupMembership.objects.filter(user=viewer, group__visibility="public")
        .select_related("group")
        .order_by("-group__member_count")
        .first()
    )
    group = membership.group
    # The posting target: the biggest public group the viewer is not in, by members the viewer
    # does not follow, so that the posts made by the benchmark never reach the feed measured
    # (they are deleted after each size, too: see cleanup()).
    target = (
        Group.objects.filter(slug__startswith="bench-group-", visibility="public")
        .exclude(memberships__user=viewer)
        .order_by("-member_count")
        .first()
    )

    def posters_in(group):
        return list(
            User.objects.filter(group_memberships__group=group, username__regex=r"^bench[0-9]+$")
            .exclude(followers__follower=viewer)
            .order_by("pk")[:POSTERS]
        )

    def form_writers(users):
        return [
            {
                "headers": {"Cookie": f"{session_cookie_for(user)}; {csrf_cookie}"},
                "csrf_token": csrf_token,
            }
            for user in users
        ]

    posters = posters_in(target)
    writers_form = form_writers(posters)
    writers_api = [
        {"headers": {"Authorization": f"Bearer {bearer_token_for(user)}"}} for user in posters
    ]
    # The generator's groups have no close follower, so a post in `target` enqueues no task
    # (network.services.notifications.has_close_followers). The next biggest group gets
    # CLOSE_FOLLOWERS of them: posting there enqueues the task, which the embedded setup runs
    # in the request (eager Celery) and the production-like one leaves to a worker.
    followed = (
        Group.objects.filter(slug__startswith="bench-group-", visibility="public")
        .exclude(memberships__user=viewer)
        .exclude(pk=target.pk)
        .order_by("-member_count")
        .first()
    )
    followed_posters = posters_in(followed)
    close = GroupMembership.objects.filter(group=followed).exclude(
        user__in=[*followed_posters, viewer]
    )
    for membership in close.order_by("pk")[:CLOSE_FOLLOWERS]:
        if not membership.follows_closely:
            membership.follows_closely = True
            membership.save(update_fields=["follows_closely"])  # the receivers forget the flag
    # The profile page: the followed member who posted last.
    author = User.objects.filter(followers__follower=viewer).order_by("-posts__created_at").first()
    first = home_feed(viewer)
    cursor = first.next_cursor
    viewer_bearer = bearer_token_for(viewer)

    viewer_headers = {"Cookie": viewer_cookie}
    api_headers = {"Authorization": f"Bearer {viewer_bearer}"}
    urls = [
        {"name": "bare view (reference)", "key": "bare", "method": "GET", "path": BARE},
        {"name": "template view", "key": "template", "method": "GET", "path": "/bench/template/"},
        {
            "name": "GET /feed/",
            "key": "feed",
            "method": "GET",
            "path": "/feed/",
            "headers": viewer_headers,
        },
        {
            "name": "GET /feed/ page 2 (cursor)",
            "key": "feed2",
            "method": "GET",
            "path": f"/feed/?cursor={quote(cursor)}",
            "headers": viewer_headers,
        },
        {
            "name": f"GET /groups/{group.slug}/",
            "key": "group",
            "method": "GET",
            "path": f"/groups/{group.slug}/",
            "headers": viewer_headers,
        },
        {
            "name": f"GET /people/{author.username}/",
            "key": "profile",
            "method": "GET",
            "path": f"/people/{author.username}/",
            "headers": viewer_headers,
        },
        {
            "name": "GET /api/v1/feed (bearer)",
            "key": "api_feed",
            "method": "GET",
            "path": "/api/v1/feed",
            "headers": api_headers,
        },
        {
            "name": f"POST /groups/{target.slug}/posts/ (form)",
            "key": "post_form",
            "method": "POST",
            "kind": "form",
            "path": f"/groups/{target.slug}/posts/",
            "writers": writers_form,
            "ok": [302, 303],
        },
        {
            "name": f"POST /groups/{followed.slug}/posts/ ({CLOSE_FOLLOWERS} follow closely)",
            "key": "post_followed",
            "method": "POST",
            "kind": "form",
            "path": f"/groups/{followed.slug}/posts/",
            "writers": form_writers(followed_posters),
            "ok": [302, 303],
        },
        {
            "name": f"POST /api/v1/groups/{target.slug}/posts",
            "key": "post_api",
            "method": "POST",
            "kind": "api",
            "path": f"/api/v1/groups/{target.slug}/posts",
            "writers": writers_api,
            "ok": [201],
        },
    ]

    client = Client(HTTP_HOST=HOST, HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(viewer)
    counts = {}
    for url in urls:
        if url["method"] != "GET" or url["key"] in ("bare", "template"):
            continue
        if url["key"] == "api_feed":
            api_client = Client(HTTP_HOST=HOST, HTTP_AUTHORIZATION=f"Bearer {viewer_bearer}")
            counts[url["key"]] = count_queries(api_client, url["path"])
        else:
            counts[url["key"]] = count_queries(client, url["path"])
    return {
        "vendor": connection.vendor,
        # Which version of the code was measured (the feed is being worked on).
        "code": {
            name: hashlib.sha1((Path(ROOT) / name).read_bytes()).hexdigest()[:10]  # noqa: S324
            for name in CODE_FILES
            if (Path(ROOT) / name).is_file()
        },
        "migrations": sorted(p.name for p in (Path(ROOT) / "network" / "migrations").glob("0*.py")),
        "posts": Post.objects.filter(author__username__startswith="bench").count(),
        "all_posts": Post.objects.count(),
        "group": {
            "slug": group.slug,
            "members": group.member_count,
            "posts": Post.objects.filter(group=group).count(),
        },
        "posters": len(posters),
        "feed_first_page_items": len(first.entries),
        "urls": urls,
        "queries": counts,
        "queries_5_vs_50": small_pages_queries() if payload.get("small_pages") else None,
    }


def analyze(payload):
    """SQLite: give the planner the tables' statistics (ANALYZE fills sqlite_stat1), or take
    them away (`drop`: as a database that was never analysed, which is the default)."""
    django_setup()
    from django.db import connection

    began = time.monotonic()
    with connection.cursor() as cursor:
        if payload.get("drop"):
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone():
                cursor.execute("DROP TABLE sqlite_stat1")
            cursor.execute("ANALYZE sqlite_master")  # makes SQLite reload the (absent) stats
            done = "no table statistics (sqlite_stat1 dropped)"
        else:
            cursor.execute("ANALYZE")
            done = "ANALYZE"
    return {"done": done, "seconds": round(time.monotonic() - began, 1)}


def cleanup(_payload):
    """Delete the posts the benchmark's POST requests made (their text starts with "Bench "),
    so that each size is measured on the generator's data alone."""
    django_setup()
    from network.models import Post

    deleted, _by_model = Post.objects.filter(
        author__username__startswith="bench", body_text__startswith="Bench "
    ).delete()
    return {"deleted": deleted}


def state(_payload):
    django_setup()
    from network.models import User

    return {"viewer": User.objects.filter(username=VIEWER).exists()}


def explain(_payload):
    """The home feed's main query and its plan, as the database runs it for benchviewer."""
    django_setup()
    from django.db import connection

    from network.models import User
    from network.selectors import feed

    viewer = User.objects.get(username=VIEWER)
    queryset = feed.with_card_data(feed._ordered_posts(feed.home_posts(viewer), None))[:21]
    sql, params = queryset.query.sql_with_params()
    if connection.vendor == "postgresql":
        prefix = "EXPLAIN (ANALYZE, BUFFERS) "
    else:
        prefix = "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        rows = [" | ".join(str(c) for c in row) for row in cursor.fetchall()]
        timings = []
        for _ in range(5):
            began = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            timings.append(round((time.perf_counter() - began) * 1000, 2))
    return {"plan": rows, "query_ms": timings}


def feed_query_variants(_payload):
    """The home feed's main query alone, as written and rewritten, for a dense viewer
    (benchviewer) and a sparse one (a new member following three quiet members, in no group;
    made in a transaction that is rolled back), first page and second page. Timings are the
    median of three runs of the SQL; the plan's first lines say how the database reads it.

    The rewrites (measured here; since 2026-11-23 network/selectors/feed.py uses "cursor <=",
    "id lists" and, on SQLite for a viewer with many sources, "id lists, +0"):
    - "cursor <=": the second page's `created_at < t OR (created_at = t AND id < n)` written
      `created_at <= t AND (created_at < t OR id < n)`, so that an index range applies;
    - "+0": the viewer's own posts matched with `author_id + 0 = me`: with one term of the
      OR not indexable, SQLite cannot pick its MULTI-INDEX OR plan (all posts of every source,
      then a sort) and walks the date index instead, as PostgreSQL does;
    - "id lists": the followed people, organisation members and groups read first and passed
      as lists of ids, so that the planner can estimate how many posts match."""
    django_setup()
    from django.db import connection, transaction
    from django.db.models import F, Q

    from network.models import Follow, OrganisationMembership, User
    from network.selectors import feed
    from network.selectors.visibility import member_group_ids, visible_posts

    def home_posts(user, *, plus=False, lists=False):
        follows = Follow.objects.filter(follower=user, user__isnull=False).values("user_id")
        organisations = Follow.objects.filter(follower=user, organisation__isnull=False).values(
            "organisation_id"
        )
        members = OrganisationMembership.objects.filter(organisation_id__in=organisations).values(
            "user_id"
        )
        groups = member_group_ids(user)
        if lists:
            follows = list(follows.values_list("user_id", flat=True))
            members = list(members.values_list("user_id", flat=True))
            groups = list(groups.values_list("group_id", flat=True))
        posts = visible_posts(user)
        own = Q(author=user)
        if plus:
            posts = posts.alias(author_plus=F("author_id") + 0)
            own = Q(author_plus=user.pk)
        return posts.filter(
            own | Q(author_id__in=follows) | Q(author_id__in=members) | Q(group_id__in=groups)
        )

    def before_lte(position):
        at = position.at
        return Q(created_at__lte=at) & (Q(created_at__lt=at) | Q(pk__lt=position.id))

    def run(queryset):
        sql, params = feed.with_card_data(queryset)[:21].query.sql_with_params()
        explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        with connection.cursor() as cursor:
            cursor.execute(explain + sql, params)
            plan = [str(row[-1]).strip() for row in cursor.fetchall()]
            timings, rows = [], 0
            for _ in range(3):
                began = time.perf_counter()
                cursor.execute(sql, params)
                rows = len(cursor.fetchall())
                timings.append((time.perf_counter() - began) * 1000)
        keep = [
            line
            for line in plan
            if "MULTI-INDEX OR" in line
            or "SCAN network_post" in line
            or "SEARCH network_post" in line
            or " on network_post " in line
            or "Sort Key: network_post" in line
        ]
        return {"ms": round(sorted(timings)[1], 2), "rows": rows, "plan": keep[:3]}

    variants = {
        "as written": {},
        "+0": {"plus": True},
        "id lists": {"lists": True},
        "id lists, +0": {"lists": True, "plus": True},
    }
    found = {}
    with transaction.atomic():
        dense = User.objects.get(username=VIEWER)
        sparse = User.objects.create(username=f"bench-sparse-{uuid.uuid4().hex[:6]}")
        # The last members made have the least activity in the generator's long tail.
        quiet = User.objects.filter(username__regex=r"^bench[0-9]+$").order_by("-pk")[:3]
        Follow.objects.bulk_create([Follow(follower=sparse, user=user) for user in quiet])
        for who, user in (("dense", dense), ("sparse", sparse)):
            next_cursor = feed.home_feed(user, include_pages=False).next_cursor
            position = feed.Position.decode(next_cursor) if next_cursor else None
            for name, knobs in variants.items():
                posts = home_posts(user, **knobs).order_by("-created_at", "-pk")
                found[f"{who} p1 {name}"] = run(posts)
                if position is not None:
                    found[f"{who} p2 {name}"] = run(
                        posts.filter(
                            feed._before(position, kind=feed.KIND_POST, date_field="created_at")
                        )
                    )
                    found[f"{who} p2 {name}, cursor <="] = run(posts.filter(before_lte(position)))
        transaction.set_rollback(True)
    return found


def what_if(payload):
    """In-process (test client), the time of GET /feed/ and its second page as the selector is
    now, then with the changes proposed in docs/performance.md patched in for the duration:
    (1) the viewer's sources read first as lists of ids, and on SQLite a viewer with many
    sources matched with `author_id + 0` (so that SQLite walks the date index; with few sources
    it keeps the per-source index lookups); (2) tags in one TaggedItem query instead of
    taggit's prefetch (which builds a queryset per post). Since 2026-11-23 feed.py does both
    (and more: see docs/performance.md), so "as is" already holds them and the patched steps
    should match it. Reference: the bare view, in-process too. Nothing is written."""
    django_setup()
    import statistics

    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.db.models import F, Q
    from django.test import Client
    from taggit.models import Tag, TaggedItem

    from network.models import Follow, OrganisationMembership, Post, User
    from network.selectors import feed
    from network.selectors.visibility import member_group_ids, visible_posts

    viewer = User.objects.get(username=VIEWER)
    client = Client(HTTP_HOST=HOST, HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(viewer)
    second = f"/feed/?cursor={quote(feed.home_feed(viewer).next_cursor)}"

    def timed(path, count):
        client.get(path)
        times = []
        for _ in range(count):
            began = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - began) * 1000)
        return round(statistics.median(times), 1)

    def measure_all():
        return {
            "bare": timed(BARE, 30),
            "feed": timed("/feed/", payload.get("requests", 10)),
            "feed2": timed(second, payload.get("requests", 10)),
        }

    found = {"as is": measure_all()}

    # Every card a cache miss (rendered each time), as on the first view after a change.
    from network.templatetags import post_cards

    # The tag reads and writes cards through these two (core.cache); the what-if swaps them.
    saved = post_cards.get_many_by_content, post_cards.set_many_by_content
    post_cards.get_many_by_content = lambda keys: {}
    post_cards.set_many_by_content = lambda entries, timeout: None
    try:
        found["cards not cached"] = measure_all()
    finally:
        post_cards.get_many_by_content, post_cards.set_many_by_content = saved
    originals = {
        name: getattr(feed, name) for name in ("home_posts", "with_card_data", "prepare_posts")
    }

    def home_posts(user):
        if not user.is_authenticated:
            return Post.objects.none()
        follows = list(
            Follow.objects.filter(follower=user, user__isnull=False).values_list(
                "user_id", flat=True
            )
        )
        organisations = Follow.objects.filter(follower=user, organisation__isnull=False).values(
            "organisation_id"
        )
        members = list(
            OrganisationMembership.objects.filter(organisation_id__in=organisations).values_list(
                "user_id", flat=True
            )
        )
        groups = list(member_group_ids(user).values_list("group_id", flat=True))
        authors = sorted({user.pk, *follows, *members})
        posts = visible_posts(user)
        by_author = Q(author_id__in=authors)
        if connection.vendor == "sqlite" and len(authors) + len(groups) >= 50:
            posts = posts.alias(author_key=F("author_id") + 0)
            by_author = Q(author_key__in=authors)
        return posts.filter(by_author | Q(group_id__in=groups))

    def with_card_data(posts):
        return posts.select_related(
            "author", "group", "shared_page", "shared_post__author", "shared_post__group"
        ).prefetch_related("images", "shared_post__images")

    post_type = ContentType.objects.get_for_model(Post)

    def prepare_posts(viewer, posts):
        posts = originals["prepare_posts"](viewer, posts)
        tags = {post.pk: [] for post in posts}
        for item in TaggedItem.objects.filter(
            content_type=post_type, object_id__in=list(tags)
        ).select_related("tag"):
            tags[item.object_id].append(item.tag)
        for post in posts:
            cached = Tag.objects.all()
            cached._result_cache = sorted(tags[post.pk], key=lambda tag: tag.name)
            cached._prefetch_done = True
            post._prefetched_objects_cache["tags"] = cached
        return posts

    steps = [
        ("id lists (+0 on SQLite)", {"home_posts": home_posts}),
        ("+ tags in one query", {"with_card_data": with_card_data, "prepare_posts": prepare_posts}),
    ]
    try:
        for name, patches in steps:
            for attribute, value in patches.items():
                setattr(feed, attribute, value)
            found[name] = measure_all()
    finally:
        for attribute, value in originals.items():
            setattr(feed, attribute, value)
    return found


def profile(payload):
    """cProfile of a few in-process requests of one page (the feed), to see where time goes."""
    django_setup()
    import cProfile
    import io
    import pstats

    from django.test import Client

    from network.models import User

    client = Client(HTTP_HOST=HOST, HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(User.objects.get(username=VIEWER))
    client.get(payload["path"])
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(payload["requests"]):
        client.get(payload["path"])
    profiler.disable()
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(70)
    Path(payload["output"]).write_text(
        f"# cProfile: {payload['requests']} x GET {payload['path']}\n\n{stream.getvalue()}"
    )
    return {"output": payload["output"]}


# --------------------------------------------------------------------------------------------
# The orchestrator.
# --------------------------------------------------------------------------------------------


def run_self(mode, payload, timeout):
    done = subprocess.run(  # nosec B603 - our own script
        [sys.executable, os.path.abspath(__file__), mode, json.dumps(payload)],
        capture_output=True,
        text=True,
        env=content_bench.child_env(),
        cwd=ROOT,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{mode} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def generate(posts, members, groups):
    """bench_network_data up to `posts`; prints its progress, returns its duration."""
    began = time.monotonic()
    done = subprocess.run(  # nosec B603 - fixed arguments
        [
            str(content_bench.BIN / "python"),
            "manage.py",
            "bench_network_data",
            "--i-know-this-writes",
            f"--posts={posts}",
            f"--members={members}",
            f"--groups={groups}",
        ],
        cwd=ROOT,
        env=content_bench.child_env(),
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit("bench_network_data failed (see above).")
    return round(time.monotonic() - began, 1)


def database_label():
    url = os.environ["DATABASE_URL"]
    if url.startswith("sqlite"):
        return "sqlite"
    return "postgresql" if url.startswith("postgres") else urlsplit(url).scheme


class RedisDaphne(content_bench.Daphne):
    """Daphne in the production-like setup: REDIS_URL set (cache, channel layer, Celery
    broker on Redis; Celery not eager)."""

    def start(self):
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(  # nosec B603 - fixed arguments
            self.argv,
            cwd=ROOT,
            env={**content_bench.child_env(), "REDIS_URL": REDIS_BENCH_URL},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def redis_queue(payload):
    """The Celery queue on REDIS_BENCH_URL: its length, emptied when `purge` (the tasks
    enqueued by the production-like POSTs, which no worker runs)."""
    import redis

    client = redis.Redis.from_url(REDIS_BENCH_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        return {"reachable": False, "error": str(error)}
    waiting = client.llen("celery")
    if payload.get("purge"):
        client.delete("celery")
        # What the cache says of the groups' close followers: prepare() just changed them.
        for key in client.scan_iter("*network:close-followers:*"):
            client.delete(key)
    return {"reachable": True, "queued": waiting}


def measure(urls, phase, keys, *, redis=False):
    """Rounds over the URLs in `keys`, interleaved; returns {key: summary}."""
    server = RedisDaphne() if redis else content_bench.Daphne()
    server.log_path = RESULTS / ("network-daphne-redis.log" if redis else "network-daphne.log")
    runs = {key: [] for key in keys}
    cpu = dict.fromkeys(keys, 0.0)
    offsets = dict.fromkeys(keys, 0)
    by_key = {url["key"]: url for url in urls}
    try:
        server.start()
        server.wait_ready()
        print(f"  Daphne on {HOST}:{server.port}", flush=True)
        for round_index in range(phase["rounds"]):
            for key in keys:
                url = by_key[key]
                if any(run["timed_out"] for run in runs[key]):
                    continue
                posting = url["method"] == "POST"
                count = phase["post_requests"] if posting else phase["requests"]
                cfg = {
                    **url,
                    "port": server.port,
                    "warmup": (phase["warmup"] if round_index == 0 else 2) if not posting else 2,
                    "requests": math.ceil(count / phase["rounds"]),
                    "seconds": phase["seconds"] / phase["rounds"],
                    "writer_offset": offsets[key],
                }
                cpu_before = server.cpu_seconds()
                run = run_self("_load", cfg, timeout=600)
                cpu[key] += server.cpu_seconds() - cpu_before
                offsets[key] += run["issued"]
                runs[key].append(run)
                print(
                    f"  round {round_index + 1} {url['name']:<48} n={len(run['latencies_ms']):<4} "
                    f"p50={fmt(percentile(sorted(run['latencies_ms']), 50))} ms"
                    + (f" statuses={run['statuses']}" if run["errors"] else ""),
                    flush=True,
                )
    finally:
        server.stop()
    return {key: content_bench.summarise(runs[key], cpu[key]) for key in keys if runs[key]}


def measure_redis(prepared, phase):
    """The bare view, the feed and both POSTs in the production-like setup (RedisDaphne)."""
    queue = run_self("_redis_queue", {"purge": True}, timeout=60)
    if not queue["reachable"]:
        print(f"\n(production-like run skipped: Redis not reachable: {queue['error']})")
        return {"skipped": queue["error"]}
    cleaned = run_self("_cleanup", {}, timeout=600)
    print(
        f"\nProduction-like setup (REDIS_URL={REDIS_BENCH_URL}, Celery not eager, no worker; "
        f"{cleaned['deleted']} earlier bench rows deleted) ...",
        flush=True,
    )
    keys = ["bare", "feed", "post_form", "post_followed", "post_api"]
    results = measure(prepared["urls"], phase, keys, redis=True)
    queued = run_self("_redis_queue", {"purge": True}, timeout=60)["queued"]
    print(
        f"\n{prepared['posts']} posts, production-like setup, load average "
        f"{os.getloadavg()[0]:.2f}; {queued} tasks were enqueued (then dropped)"
    )
    print_table(prepared["urls"], results, prepared["queries"])
    return {"results": results, "tasks_enqueued": queued, "redis": REDIS_BENCH_URL}


def print_table(urls, results, queries):
    bare = results["bare"]["p50_ms"]
    bare99 = results["bare"]["p99_ms"]
    head = ["URL", "p50 ms", "p99 ms", "p50/bare", "p99/bare p99", "CPU ms", "queries", "n", "goal"]
    lines = []
    for url in urls:
        row = results.get(url["key"])
        if not row:
            continue
        goal = {
            "feed": GOAL_FEED,
            "feed2": GOAL_FEED,
            "api_feed": GOAL_FEED,
            "post_form": GOAL_POST,
            "post_followed": GOAL_POST,
            "post_api": GOAL_POST,
        }.get(url["key"])
        ratio = row["p50_ms"] / bare if row["p50_ms"] and bare else None
        verdict = (
            ""
            if goal is None or ratio is None
            else (f"<= {goal:.0f}x: " + ("ok" if ratio <= goal else "MISSED"))
        )
        q = queries.get(url["key"])
        lines.append(
            [
                url["name"],
                fmt(row["p50_ms"]),
                fmt(row["p99_ms"]),
                fmt(ratio, 1) + "x",
                fmt(row["p99_ms"] / bare99 if row["p99_ms"] and bare99 else None, 1) + "x",
                fmt(row["server_cpu_ms_per_req"]),
                str(q["queries_warm"]) if q else "-",
                str(row["requests"]) + (f" ({row['errors']} err)" if row["errors"] else ""),
                verdict,
            ]
        )
    widths = [max(len(str(c)) for c in col) for col in zip(head, *lines, strict=True)]
    for line in [head, ["-" * w for w in widths], *lines]:
        print(
            "  ".join(
                str(cell).ljust(w) if i in (0, len(line) - 1) else str(cell).rjust(w)
                for i, (cell, w) in enumerate(zip(line, widths, strict=True))
            )
        )


def print_small_pages(small):
    print("\nQueries per page (warm; cold in brackets) holding 5 and 50 posts:")
    for page in ("feed", "group", "profile"):
        a, b = small["5"][page], small["50"][page]
        note = ""
        if b["queries_warm"] > a["queries_warm"]:
            note = "   GROWS"
        elif b["queries_warm"] < a["queries_warm"] and page == "feed":
            # With 5 posts the home feed fills up with the demo's stories and events.
            note = "   (fewer: the 5-post page also shows content-hub pages)"
        print(
            f"  {page:<8} 5 posts: {a['queries_warm']} ({a['queries_cold']})   "
            f"50 posts: {b['queries_warm']} ({b['queries_cold']}){note}"
        )


def print_query_variants(found):
    if "error" in found:
        print(f"  (feed query variants not measured: {found['error'][-200:]})")
        return
    print("  The feed's main query alone, as written and rewritten (median of 3, ms):")
    for name, row in found.items():
        plan = row["plan"][0] if row["plan"] else ""
        print(f"    {name:<34} {row['ms']:>9.2f}  {plan[:70]}")


def print_what_if(found):
    if "error" in found:
        print(f"  (what-if not measured: {found['error'][-200:]})")
        return
    print("  In-process GET (test client, median ms): as now, then with the proposed changes:")
    for name, row in found.items():
        print(
            f"    {name:<26} bare {row['bare']:>6.1f}   /feed/ {row['feed']:>7.1f}   "
            f"page 2 {row['feed2']:>7.1f}"
        )


def print_growth(steps):
    """Each variant's read pages at each size against its first size."""
    for variant in dict.fromkeys(step["variant"] for step in steps):
        mine = [step for step in steps if step["variant"] == variant]
        if len(mine) < 2:
            continue
        base = mine[0]
        print(f"\nGrowth against {base['posts']} posts ({variant}): p50, and in ratio to bare")
        for step in mine[1:]:
            factor = step["posts"] / base["posts"]
            for key in ("feed", "feed2", "group", "profile", "api_feed"):
                if key not in step["results"] or key not in base["results"]:
                    continue
                now, then = step["results"][key], base["results"][key]
                growth = now["p50_ms"] / then["p50_ms"]
                relative = (now["p50_ms"] / step["results"]["bare"]["p50_ms"]) / (
                    then["p50_ms"] / base["results"]["bare"]["p50_ms"]
                )
                goal = ""
                if key == "feed" and abs(factor - 10) < 0.5:
                    goal = "  goal < 1.5x: " + ("ok" if growth < GOAL_GROWTH else "MISSED")
                print(
                    f"  x{factor:<5g} {key:<9} {fmt(then['p50_ms'])} -> {fmt(now['p50_ms'])} ms"
                    f" = {growth:.2f}x ({relative:.2f}x in ratio to bare){goal}"
                )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short smoke run")
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--members", type=int, default=5_000)
    parser.add_argument("--groups", type=int, default=200)
    parser.add_argument(
        "--grow-to", default="", help="comma-separated post counts to grow to and re-measure"
    )
    parser.add_argument(
        "--sqlite-stats",
        choices=["none", "analyze", "both"],
        default="both",
        help="SQLite only: measure without table statistics, after ANALYZE, or both in turn",
    )
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument(
        "--no-redis",
        action="store_true",
        help="skip the production-like measurement (Redis, Celery not eager)",
    )
    parser.add_argument("--output", default=None)
    args = parser.parse_args()
    phase = QUICK if args.quick else FULL
    RESULTS.mkdir(parents=True, exist_ok=True)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda signum, frame: sys.exit(128 + signum))
    began = time.monotonic()

    if "DATABASE_URL" in os.environ:
        print(f"Using DATABASE_URL from the environment: {os.environ['DATABASE_URL']}")
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{DB_FILE}"
        print(f"Using the benchmark's own SQLite file {DB_FILE}")
    label = database_label()
    output = Path(args.output or RESULTS / f"network-{label}.json")
    if label != "sqlite":
        variants = ["as is"]
    else:
        variants = {"none": ["no stats"], "analyze": ["ANALYZE"], "both": ["no stats", "ANALYZE"]}[
            args.sqlite_stats
        ]

    print("Preparing the database (migrate, seed_demo, bench_network_data) ...", flush=True)
    _, seconds = content_bench.manage("migrate", "--noinput")
    print(f"  migrate: {seconds:.0f} s")
    if not run_self("_state", {}, timeout=300)["viewer"]:
        _, seconds = content_bench.manage("seed_demo", "--force")
        print(f"  seed_demo: {seconds:.0f} s")
    generated = {args.posts: generate(args.posts, args.members, args.groups)}

    sizes = [args.posts] + [int(n) for n in args.grow_to.split(",") if n.strip()]
    read_keys = ["bare", "template", "feed", "feed2", "group", "profile", "api_feed"]
    all_keys = read_keys + ["post_form", "post_followed", "post_api"]
    steps = []
    load_before = os.getloadavg()
    for index, posts in enumerate(sizes):
        if index:
            print(f"\nGrowing the data to {posts} posts ...", flush=True)
            generated[posts] = generate(posts, args.members, args.groups)
        for variant_index, variant in enumerate(variants):
            stats = None
            if label == "sqlite":
                stats = run_self("_analyze", {"drop": variant == "no stats"}, timeout=3600)
                print(f"\n[{variant}] {stats['done']} ({stats['seconds']} s)")
            cleaned = run_self("_cleanup", {}, timeout=600)
            if cleaned["deleted"]:
                print(f"  deleted {cleaned['deleted']} rows made by earlier POST measurements")
            print("Preparing sessions, tokens, URLs; counting queries ...", flush=True)
            first = index == 0 and variant_index == 0
            prepared = run_self("_prepare", {"small_pages": first}, timeout=1800)
            try:
                plan = run_self("_explain", {}, timeout=600)
            except RuntimeError as error:  # it reads the feed selector's internals
                plan = {"error": str(error)[-500:], "query_ms": None}
            print(f"  {prepared['posts']} bench posts; feed query alone: {plan['query_ms']} ms")
            try:
                variants_found = run_self("_queries", {}, timeout=3600)
            except RuntimeError as error:  # it reads the feed selector's internals
                variants_found = {"error": str(error)[-500:]}
            print_query_variants(variants_found)
            try:
                whatif = run_self("_whatif", {"requests": 10}, timeout=3600)
            except RuntimeError as error:  # it patches the feed selector's internals
                whatif = {"error": str(error)[-500:]}
            print_what_if(whatif)
            # Posting is measured once per size: it does not depend on the statistics.
            keys = all_keys if variant_index == 0 else read_keys
            print(f"Measuring ({'quick' if args.quick else 'full'} run) ...", flush=True)
            results = measure(prepared["urls"], phase, keys)
            print(
                f"\n{prepared['posts']} posts on {label} ({variant}), load average "
                f"{os.getloadavg()[0]:.2f}; goals: feed p50 <= 5x bare, posting p50 <= 3x bare"
            )
            print_table(prepared["urls"], results, prepared["queries"])
            if prepared.get("queries_5_vs_50"):
                print_small_pages(prepared["queries_5_vs_50"])
            redis_results = None
            if variant_index == 0 and not args.no_redis:
                redis_results = measure_redis(prepared, phase)
            steps.append(
                {
                    "posts": prepared["posts"],
                    "variant": variant,
                    "generator_s": generated.get(posts),
                    "stats": stats,
                    "prepared": {k: v for k, v in prepared.items() if k != "urls"},
                    "urls": [
                        {k: v for k, v in u.items() if k not in ("writers", "headers")}
                        for u in prepared["urls"]
                    ],
                    "plan": plan,
                    "feed_query_variants": variants_found,
                    "what_if": whatif,
                    "results": results,
                    "results_redis": redis_results,
                    "loadavg": os.getloadavg(),
                }
            )
            # Written after every step: a long run interrupted keeps what it measured.
            write_report(output, args, label, phase, steps, load_before, began)

    print_growth(steps)
    if not args.no_profile:
        profile_out = run_self(
            "_profile",
            {
                "path": "/feed/",
                "requests": 5 if args.quick else 20,
                "output": str(RESULTS / f"network-profile-{label}.txt"),
            },
            timeout=1800,
        )
        print(f"\nProfile of /feed/ written to {profile_out['output']}")
    write_report(output, args, label, phase, steps, load_before, began)
    print(f"\nWritten {output} in {time.monotonic() - began:.0f} s.")


def write_report(output, args, label, phase, steps, load_before, began):
    report = {
        "benchmark": "bench/network.py",
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "loadavg_before": load_before,
            "loadavg_after": os.getloadavg(),
        },
        "database": os.environ["DATABASE_URL"].split("@")[-1],
        "vendor": label,
        "arguments": vars(args),
        "phase": phase,
        "goals": {
            "feed_p50_over_bare": GOAL_FEED,
            "post_p50_over_bare": GOAL_POST,
            "feed_growth_10x": GOAL_GROWTH,
        },
        "steps": steps,
        "duration_s": round(time.monotonic() - began, 1),
    }
    output.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    MODES = {
        "_load": run_load,
        "_prepare": prepare,
        "_analyze": analyze,
        "_state": state,
        "_cleanup": cleanup,
        "_queries": feed_query_variants,
        "_whatif": what_if,
        "_explain": explain,
        "_profile": profile,
        "_redis_queue": redis_queue,
    }
    if len(sys.argv) == 3 and sys.argv[1] in MODES:
        print(json.dumps(MODES[sys.argv[1]](json.loads(sys.argv[2]))))
    else:
        main()
