"""Settings load in every mode, and production passes Django's deployment checklist."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "prod-check-" + "k3y" * 20,
    "ALLOWED_HOSTS": "territory.example",
}


def run_manage(*args, env=None):
    clean = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "env",
    [
        {"DJANGO_SETTINGS_MODULE": "config.settings.dev"},
        {"DJANGO_SETTINGS_MODULE": "config.settings.test"},
        PRODUCTION_ENV,
        {
            **PRODUCTION_ENV,
            "DATABASE_URL": "postgres://u:p@db.example:5432/territory",
            "REDIS_URL": "redis://cache.example:6379/0",
        },
    ],
    ids=["dev", "test", "production", "production-with-services"],
)
def test_settings_load_in_every_mode(env):
    result = run_manage("check", env=env)
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_passes_check_deploy_with_no_warning():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr
    assert "System check identified no issues" in result.stdout


def test_redis_url_switches_channel_layer_cache_and_celery():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.CHANNEL_LAYERS['default']['BACKEND'], s.CACHES['default']['BACKEND'], "
            "s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER)",
        ],
        cwd=ROOT,
        env={**os.environ, **PRODUCTION_ENV, "REDIS_URL": "redis://cache.example:6379/0"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == [
        "channels_redis.core.RedisChannelLayer",
        "core.cache.RedisCache",
        "redis://cache.example:6379/0",
        "False",
    ]


def test_migrations_are_complete():
    result = run_manage(
        "makemigrations",
        "--check",
        "--dry-run",
        env={"DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(("threshold", "expected"), [(None, "5"), ("off", "None"), ("2", "2")])
def test_postgresql_queries_are_bound_by_the_server_and_prepared_unless_turned_off(
    threshold, expected
):
    """Prepared statements keep a repeated query's plan (config/settings/base.py); a
    transaction-mode pooler without them needs DB_PREPARE_THRESHOLD=off."""
    env = {**PRODUCTION_ENV, "DATABASE_URL": "postgres://u:p@db.example:5432/territory"}
    if threshold is not None:
        env["DB_PREPARE_THRESHOLD"] = threshold
    code = (
        "from django.conf import settings; o = settings.DATABASES['default']['OPTIONS']; "
        "print(o['server_side_binding'], o['prepare_threshold'])"
    )
    result = run_manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["True", expected]


def test_server_side_cursors_can_be_turned_off_for_a_transaction_mode_pooler():
    env = {**PRODUCTION_ENV, "DATABASE_URL": "postgres://u:p@db.example:5432/territory"}
    code = (
        "from django.conf import settings; "
        "print(settings.DATABASES['default'].get('DISABLE_SERVER_SIDE_CURSORS'))"
    )
    assert run_manage("shell", "-c", code, env=env).stdout.split()[-1] == "False"
    env["DB_DISABLE_SERVER_SIDE_CURSORS"] = "1"
    assert run_manage("shell", "-c", code, env=env).stdout.split()[-1] == "True"
