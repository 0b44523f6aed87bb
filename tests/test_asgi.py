"""The ASGI entry point (config/asgi.py)."""

import gc


def test_what_the_application_loads_is_out_of_the_garbage_collectors_reach():
    import config.asgi  # noqa: F401 - what Daphne imports

    # Django, Wagtail and the apps: a full collection would walk them all (110 ms here).
    assert gc.get_freeze_count() > 50_000
