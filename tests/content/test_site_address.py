"""The demo's address follows where it is served (`make run` passes HOST and PORT to
`seed_demo --host --port`): canonical links, og:url, the sitemap, the API's html_url and the
links in e-mails all name the default Wagtail site, never a hard-coded host."""

import re

import pytest
from django.core import mail

from core.mail import site_url
from network.management.commands.seed_demo import set_default_site_address
from network.services.personal_data import send_export_email
from tests.factories import UserFactory

from .factories_feeds import destination, destination_index

pytestmark = pytest.mark.django_db

ROOT = "http://127.0.0.1:8501"


@pytest.fixture
def served_on_8501():
    return set_default_site_address(host="127.0.0.1", port=8501)


@pytest.fixture
def page():
    return destination(destination_index(), "Phare du Men Du", slug="phare")


def test_canonical_link_and_og_url_name_the_site(client, served_on_8501, page):
    html = client.get("/destinations/phare/", HTTP_HOST="127.0.0.1:8501").content.decode()
    assert f'<link rel="canonical" href="{ROOT}/destinations/phare/">' in html
    og_url = rf'<meta property="og:url" content="{re.escape(ROOT)}/destinations/phare/"'
    assert re.search(og_url, html)
    assert "http://localhost/" not in html


def test_the_sitemap_names_the_site(client, served_on_8501, page):
    body = client.get("/sitemap.xml", HTTP_HOST="127.0.0.1:8501").content.decode()
    assert f"<loc>{ROOT}/destinations/phare/</loc>" in body
    assert "http://localhost/" not in body


def test_the_api_html_url_names_the_site(client, served_on_8501, page):
    item = client.get(f"/api/v2/pages/{page.pk}/", HTTP_HOST="127.0.0.1:8501").json()
    assert item["meta"]["html_url"] == f"{ROOT}/destinations/phare/"


def test_e_mails_link_to_the_site_not_to_a_fixed_host(settings, served_on_8501):
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
    send_export_email(UserFactory(email="camille@example.org"), "abc")
    (link,) = [word for word in mail.outbox[0].body.split() if "/accounts/data/" in word]
    assert link.startswith(f"{ROOT}/")


def test_a_change_of_address_reaches_the_e_mails_at_once(served_on_8501):
    assert site_url("/x/") == f"{ROOT}/x/"
    set_default_site_address(port=8502)
    assert site_url("/x/") == "http://127.0.0.1:8502/x/"


@pytest.mark.parametrize(
    ("host", "port", "root"),
    [
        ("0.0.0.0", 8080, "http://localhost:8080"),  # noqa: S104 - a name, nothing binds here
        ("::", 8080, "http://localhost:8080"),
        ("demo.example.org", 80, "http://demo.example.org"),
        ("demo.example.org", 443, "https://demo.example.org"),
    ],
)
def test_seed_demo_sets_the_default_sites_address(host, port, root):
    assert set_default_site_address(host=host, port=port).root_url == root
