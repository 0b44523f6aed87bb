"""Demo data of the ambassador programme (seed_demo calls `seed`). Idempotent: found by
username, title or reference; a second run adds nothing."""


def seed(*, stdout):
    from .programme import seed_programme

    seed_programme(stdout=stdout)
    from .campaigns import seed_campaigns

    seed_campaigns(stdout=stdout)
