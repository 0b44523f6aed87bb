"""The entry points (config/asgi.py, config/wsgi.py)."""

import subprocess  # nosec B404 - our own interpreter and modules
import sys

import pytest


@pytest.mark.parametrize("module", ["config.asgi", "config.wsgi"])
def test_what_the_application_loads_is_out_of_the_garbage_collectors_reach(module):
    # In a fresh interpreter, as Daphne and gunicorn import it.
    probe = f"import gc, {module}; print(gc.get_freeze_count())"
    frozen = subprocess.run(  # nosec B603 - fixed arguments
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    # Django, Wagtail and the apps: a full collection would walk them all (110 ms here).
    assert int(frozen.stdout.strip().splitlines()[-1]) > 50_000
