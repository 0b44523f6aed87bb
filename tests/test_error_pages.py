"""The site's own 404 and 500 pages, in its look, in both languages; the demo (development
settings) shows them too, with Django's debug page only when asked for."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.test import Client, override_settings
from django.urls import path

from config import urls as site_urls

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [
    *i18n_patterns(path("boom/", boom), prefix_default_language=False),
    *site_urls.urlpatterns,
]
handler500 = "config.error_pages.server_error"


@pytest.mark.parametrize(
    ("url", "lang", "title", "home"),
    [
        ("/page-qui-nexiste-pas/", "fr", "Page introuvable", 'href="/"'),
        ("/en/no-such-page/", "en", "Page not found", 'href="/en/"'),
    ],
)
def test_a_missing_page_shows_the_sites_404_in_its_language(client, url, lang, title, home):
    response = client.get(url)
    assert response.status_code == 404
    page = response.content.decode()
    assert f'<html lang="{lang}">' in page
    assert title in page
    assert home in page
    assert "site-footer" in page  # the site's look: header, footer, stylesheet
    assert "URLconf" not in page


@pytest.mark.parametrize(
    ("url", "lang", "title", "home"),
    [
        ("/boom/", "fr", "Un problème est survenu de notre côté", 'href="/"'),
        ("/en/boom/", "en", "Something went wrong on our side", 'href="/en/"'),
    ],
)
@override_settings(ROOT_URLCONF=__name__)
def test_a_failure_shows_the_sites_500_in_its_language(url, lang, title, home):
    client = Client(raise_request_exception=False)
    response = client.get(url)
    assert response.status_code == 500
    page = response.content.decode()
    assert f'<html lang="{lang}">' in page
    assert title in page
    assert home in page
    assert "css/site.css" in page
    assert "Traceback" not in page


def settings_debug(env_debug: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    if env_debug is not None:
        env["DEBUG"] = env_debug
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            " print(settings.DEBUG, settings.SERVE_MEDIA, settings.WHITENOISE_USE_FINDERS)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


@pytest.mark.parametrize(("env_debug", "expected"), [(None, "False"), ("1", "True")])
def test_the_demo_runs_without_debug_unless_asked(env_debug, expected):
    """Static and uploaded files are served either way."""
    assert settings_debug(env_debug) == f"{expected} True True"
