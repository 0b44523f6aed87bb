"""Demo data of the ambassador programme (seed_demo calls `seed`). Idempotent: found by
username, title or reference; a second run adds nothing."""


def seed(*, stdout):
    from ..press.demo import seed_press
    from .campaigns import seed_campaigns
    from .programme import seed_programme

    seed_programme(stdout=stdout)
    seed_press(stdout=stdout)
    seed_campaigns(stdout=stdout)
