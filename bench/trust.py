"""Trust levels benchmark (issue 17, point 6): what computing a level costs, and what it adds
to posting.

Run it with `.venv/bin/python bench/trust.py` after `manage.py migrate` and `seed_demo` (it
uses the development database with `bench.settings`, inside a transaction it rolls back).

Printed, each as a median over the rounds, with its ratio to the baseline measured in the
same run:
- `trust_levels` for 1 and for 100 members, against the baseline of one bare query on the
  same members (`User.objects.filter(pk__in=…).count()`): the level costs two queries for one
  member or many;
- `create_post` of a post with a link when links need level 1 (the level is computed), and the
  same post with the default settings (links open to all: no level computed), against the
  baseline of a post without a link with the default settings (the gated post also against
  the same post with the default settings: the difference is the level alone).
"""

import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
if sys.path and os.path.abspath(sys.path[0] or os.curdir) == HERE:
    sys.path[0] = ROOT
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from network import trust  # noqa: E402
from network.models import TrustSettings, User  # noqa: E402
from network.services import posts  # noqa: E402

ROUNDS = int(os.environ.get("ROUNDS", "30"))


def line(label: str, ms: float, queries: int, base: float | None = None) -> None:
    ratio = f"  {ms / base:5.2f}x" if base else ""
    print(f"{label:<42}{ms:8.3f} ms  {queries} queries{ratio}")


def timed(function) -> tuple[float, int]:
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        function()
        elapsed = time.perf_counter() - start
    return elapsed * 1000, len(queries)


def median(function, prepare=lambda: None) -> tuple[float, int]:
    runs = []
    for _round in range(ROUNDS):
        prepare()
        runs.append(timed(function))
    return statistics.median(ms for ms, _n in runs), runs[-1][1]


def forget(users):
    for user in users:
        trust.forget_trust_level(user)


def set_links_level(level: int) -> None:
    settings = TrustSettings.load()
    settings.links_level = level
    settings.save()


def main() -> None:
    with transaction.atomic():
        members = list(User.objects.filter(is_active=True).order_by("pk"))
        while len(members) < 100:
            members += members
        one, hundred = members[:1], members[:100]
        ids = [user.pk for user in hundred]
        trust.rules()

        base_ms, base_q = median(lambda: User.objects.filter(pk__in=ids).count())
        print(f"baseline: one bare query on 100 members  {base_ms:7.3f} ms  {base_q} query")
        for label, users in (("1 member", one), ("100 members", hundred)):
            ms, queries = median(
                lambda users=users: trust.trust_levels(users), lambda users=users: forget(users)
            )
            line(f"trust_levels, {label}", ms, queries, base_ms)

        author = User.objects.get(username="nina")
        author.trust_level_granted = 1
        author.save(update_fields=["trust_level_granted"])

        def post(body):
            return lambda: posts.create_post(actor=author, body=body)

        def fresh():
            forget([author])
            # One post a minute is the limit per member: the bench's posts are not counted.
            from django.core.cache import cache

            cache.clear()
            trust.rules()

        plain_ms, plain_q = median(post("Bonjour à tous"), fresh)
        print(f"baseline: create_post, no link           {plain_ms:7.3f} ms  {plain_q} queries")
        open_ms, open_q = median(post("Voir https://example.org/"), fresh)
        line("create_post, link, default settings", open_ms, open_q, plain_ms)
        set_links_level(1)
        gated_ms, gated_q = median(post("Voir https://example.org/"), fresh)
        # Against the same post with the default settings: the difference is the level alone.
        line("create_post, link, links need level 1", gated_ms, gated_q, open_ms)
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
