"""Notification fan-out benchmark (issue 6): a post that notifies a group of 1,000 members.

Run it with `.venv/bin/python bench/notifications.py` (`--quick` for a short smoke run).

What is measured. A post in which a group's moderator mentions the group ("@bench-fanout-m",
its slug), so that each of its 1,000 other members gets a `mention` notification: the
receiver → notify() → Celery task → bulk insert path. Against it, in the same run and
interleaved round by round:

- a post on the author's profile (no notification work at all), and
- the same post, without the mention, in an equally large group that nobody follows closely
  (one task queued, no row).

Each figure is the time of the whole request through Django's test client in this process
(view, form, create_post, commit, and the after-commit hooks that queue the task), with
`bench.settings` (debug off).

1. Database: DATABASE_URL if set, otherwise its own SQLite file
   bench/results/notifications.sqlite3 (migrated, then filled once: 1,000 members of the
   mentioned group, 1,000 quiet members and a pool of authors who moderate both groups).
2. With REDIS_URL set, Celery sends tasks to Redis, and this script starts one real worker
   (`celery -A config worker --pool=solo`, on a queue of its own) on the same database; after
   each fan-out post it polls until the 1,000 notifications exist and records how long that
   took after the request returned. Without REDIS_URL, Celery runs tasks inline (eager):
   the fan-out then happens inside the request, which is what the broker avoids; that
   variant is measured in both cases for comparison.
3. Prints the medians and ratios against the goal (fan-out post <= 1.5x the same post with
   no one to notify, i.e. in the quiet group; the notifications exist within a few seconds;
   the ratio to a profile post is printed too) and writes
   bench/results/notifications.json.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# Run as a script, this folder would come first on sys.path and bench/http.py would shadow
# the standard library's `http`.
if sys.path and os.path.abspath(sys.path[0] or os.curdir) == HERE:
    sys.path[0] = ROOT

import argparse  # noqa: E402
import datetime  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402  # nosec B404 - we start our own worker
import time  # noqa: E402
from pathlib import Path  # noqa: E402

RESULTS = Path(HERE) / "results"
DB_FILE = RESULTS / "notifications.sqlite3"
SETTINGS = "bench.settings"
QUEUE = f"bench-notifications-{os.getpid()}"
GOAL_RATIO = 1.5
GOAL_SECONDS = 5.0
FULL = {"rounds": 30, "warmup": 3, "inline": 5}
QUICK = {"rounds": 4, "warmup": 1, "inline": 2}
FANOUT_GROUP, QUIET_GROUP = "bench-fanout-m", "bench-quiet"
PASSWORD_HASH = "!"  # unusable: these accounts never log in with a password


def configure_environment():
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    if not os.environ.get("DATABASE_URL"):
        RESULTS.mkdir(exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{DB_FILE}"
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host and response context


def prepare(members: int, authors: int):
    """Migrate, then create the two groups and their members once (bulk inserts)."""
    from django.core.management import call_command
    from django.db import transaction

    from network.models import Group, GroupMembership, User

    call_command("migrate", verbosity=0)
    if Group.objects.filter(slug=FANOUT_GROUP, member_count__gte=members + authors).exists():
        return
    with transaction.atomic():
        Group.objects.filter(slug__in=[FANOUT_GROUP, QUIET_GROUP, "bench-fanout"]).delete()
        User.objects.filter(username__startswith="bench-").delete()
        fanout = Group.objects.create(name="Bench fan-out", slug=FANOUT_GROUP)
        quiet = Group.objects.create(name="Bench quiet", slug=QUIET_GROUP)

        def make_users(prefix, count):
            User.objects.bulk_create(
                [
                    User(
                        username=f"{prefix}{i}",
                        email=f"{prefix}{i}@example.org",
                        password=PASSWORD_HASH,
                    )
                    for i in range(count)
                ],
                batch_size=500,
            )
            return list(User.objects.filter(username__startswith=prefix).order_by("pk"))

        followers = make_users("bench-follower-", members)
        quiet_members = make_users("bench-quiet-", members)
        writers = make_users("bench-author-", authors)
        rows = [GroupMembership(group=fanout, user=u) for u in followers]
        rows += [GroupMembership(group=quiet, user=u) for u in quiet_members]
        for writer in writers:
            # Moderators: only they may mention the whole group.
            rows += [
                GroupMembership(group=fanout, user=writer, role=GroupMembership.Role.MODERATOR),
                GroupMembership(group=quiet, user=writer, role=GroupMembership.Role.MODERATOR),
            ]
        GroupMembership.objects.bulk_create(rows, batch_size=1000)
        Group.objects.filter(pk__in=[fanout.pk, quiet.pk]).update(member_count=members + authors)


def start_worker():
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        database_url = f"sqlite:///{db['NAME']}"
    else:
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        host = db["HOST"] or "127.0.0.1"
        database_url = f"postgres://{auth}@{host}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "DATABASE_URL": database_url}
    log = open(RESULTS / "notifications-worker.log", "w")  # noqa: SIM115 - lives with the worker
    process = subprocess.Popen(  # nosec B603 - our own executable and arguments
        [
            str(Path(ROOT) / ".venv" / "bin" / "celery"),
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "-Q",
            QUEUE,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    from network.tasks import clear_expired_sessions_task

    # It is up once it has run a task (whose result is asked for: results are ignored else).
    clear_expired_sessions_task.apply_async(queue=QUEUE, ignore_result=False).get(timeout=90)
    return process


class Poster:
    """Posts through the composer's view, each time by another author: the service allows a
    few posts per minute and per member."""

    def __init__(self):
        from django.test import Client

        from network.models import Group, User

        self.client = Client(HTTP_ACCEPT_LANGUAGE="fr")
        self.authors = list(User.objects.filter(username__startswith="bench-author-"))
        random.shuffle(self.authors)
        self.groups = {
            g.slug: g for g in Group.objects.filter(slug__in=[FANOUT_GROUP, QUIET_GROUP])
        }
        self.count = 0

    def post(self, where: str) -> tuple[float, int, int]:
        """Post once; returns (milliseconds, post id, queries)."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from network.models import Post

        author = self.authors[self.count % len(self.authors)]
        self.count += 1
        self.client.force_login(author)
        path = "/posts/new/" if where == "profile" else f"/groups/{where}/posts/"
        body = f"Bench {self.count}: la réunion de jeudi est déplacée à 18 h 30."
        if where == FANOUT_GROUP:
            body += f" @{FANOUT_GROUP}"
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = self.client.post(path, {"body": body})
            elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 302:
            raise SystemExit(f"Posting to {path} answered {response.status_code}")
        post = Post.objects.filter(author=author).latest("pk")
        return elapsed, post.pk, len(queries)


def wait_for(post_id: int, expected: int, timeout: float = 120.0) -> float:
    """Seconds until the post's `expected` notifications exist (polled every 10 ms, on the
    target's index so that polling costs the database next to nothing)."""
    from django.contrib.contenttypes.models import ContentType

    from network.models import Notification, Post

    rows = Notification.objects.filter(
        target_type=ContentType.objects.get_for_model(Post), target_id=post_id
    )
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if rows.count() >= expected:
            return time.perf_counter() - start
        time.sleep(0.01)
    raise SystemExit(f"The notifications of post {post_id} did not all appear in {timeout} s")


def percentile(values, pct):
    ordered = sorted(values)
    return ordered[max(1, math.ceil(pct / 100 * len(ordered))) - 1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a short smoke run")
    parser.add_argument("--members", type=int, default=1000)
    args = parser.parse_args()
    cfg = QUICK if args.quick else FULL
    configure_environment()

    from django.conf import settings
    from django.db import connection

    from config.celery import app as celery_app

    engine = connection.vendor
    broker = bool(settings.REDIS_URL)
    rounds = cfg["rounds"]
    print(
        f"Database: {engine} ({connection.settings_dict['NAME']}); broker: "
        f"{'Redis ' + settings.REDIS_URL if broker else 'none (tasks run inline)'}"
    )
    print(f"Preparing a group of {args.members} members to mention…", flush=True)
    prepare(args.members, authors=4 * rounds + 40)

    worker = None
    celery_app.conf.task_default_queue = QUEUE
    if broker:
        celery_app.conf.task_always_eager = False
        print("Starting a Celery worker…", flush=True)
        worker = start_worker()
    poster = Poster()
    results = {"profile": [], "quiet": [], "fanout": [], "inline": []}
    queries = {}
    delays = []
    try:
        for where in ["profile", QUIET_GROUP, FANOUT_GROUP] * cfg["warmup"]:
            _ms, post_id, _q = poster.post(where)
            if where == FANOUT_GROUP and broker:
                wait_for(post_id, args.members)
        for _ in range(rounds):
            order = [("profile", "profile"), ("quiet", QUIET_GROUP), ("fanout", FANOUT_GROUP)]
            random.shuffle(order)  # noise spreads over the three
            for name, where in order:
                ms, post_id, count = poster.post(where)
                results[name].append(ms)
                queries[name] = count
                if name == "fanout" and broker:
                    delays.append(wait_for(post_id, args.members))
        # For comparison: the fan-out inside the request (no broker, or eager).
        celery_app.conf.task_always_eager = True
        for _ in range(cfg["inline"]):
            ms, post_id, count = poster.post(FANOUT_GROUP)
            results["inline"].append(ms)
            queries["inline"] = count
            wait_for(post_id, args.members, timeout=1)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)

    median = {name: statistics.median(values) for name, values in results.items() if values}
    report = {
        "when": datetime.datetime.now().isoformat(timespec="seconds"),
        "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cpu",
        "database": engine,
        "broker": "redis" if broker else None,
        "recipients": args.members,
        "rounds": rounds,
        "median_ms": {k: round(v, 1) for k, v in median.items()},
        "p90_ms": {k: round(percentile(v, 90), 1) for k, v in results.items() if v},
        "queries": queries,
        "ratio_fanout_to_profile_post": round(median["fanout"] / median["profile"], 2),
        "ratio_fanout_to_quiet_group_post": round(median["fanout"] / median["quiet"], 2),
        "ratio_inline_to_quiet_group_post": round(median["inline"] / median["quiet"], 2),
        "seconds_until_all_exist": {
            "median": round(statistics.median(delays), 2),
            "max": round(max(delays), 2),
        }
        if delays
        else None,
    }
    print()
    print(f"Request time, median of {rounds} (ms)            median    p90  queries")
    labels = {
        "profile": "post on one's profile (no notification)",
        "quiet": "post in a quiet 1,000-member group",
        "fanout": f"post mentioning a group of {args.members} members",
        "inline": "  the same, fan-out inline (eager)",
    }
    for name, label in labels.items():
        if name in median:
            print(
                f"  {label:<44} {median[name]:7.1f} {report['p90_ms'][name]:6.1f} "
                f"{queries[name]:6d}"
            )
    ratio = report["ratio_fanout_to_quiet_group_post"]
    fanout_label = "Celery on Redis" if broker else "inline: no broker"
    print(
        f"\nFan-out post / the same post notifying nobody (quiet group): {ratio}x "
        f"({fanout_label}); goal <= {GOAL_RATIO}x: {'met' if ratio <= GOAL_RATIO else 'NOT met'}"
    )
    print(
        f"Fan-out post / profile post: {report['ratio_fanout_to_profile_post']}x "
        "(a group post does more than a profile post, notifications or not)"
    )
    print(f"Inline fan-out post / quiet group post: {report['ratio_inline_to_quiet_group_post']}x")
    if delays:
        seconds = report["seconds_until_all_exist"]
        print(
            f"{args.members} notifications exist {seconds['median']} s (median, max "
            f"{seconds['max']} s) after the request returned; goal: within "
            f"{GOAL_SECONDS:.0f} s: {'met' if seconds['max'] <= GOAL_SECONDS else 'NOT met'}"
        )
    else:
        print(
            "No REDIS_URL: no worker measured (set REDIS_URL to measure the time until the "
            "notifications exist)."
        )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "notifications.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nWritten to {RESULTS / 'notifications.json'}")


if __name__ == "__main__":
    main()
