"""camille asks for a copy of her data on the account page, downloads the zip from the link
shown there (and e-mailed), and finds her posts in it (issue 6, "Done when")."""

import json
import zipfile

import pytest
from django.core import mail

from network.models import Post
from tests.e2e.test_network_journeys import log_in, shot

pytestmark = pytest.mark.e2e


def test_camille_downloads_her_data_and_finds_her_posts(
    live_server, browser, demo_territory, tmp_path
):
    base = live_server.url
    context, camille = log_in(browser, base, "camille")
    camille.goto(f"{base}/accounts/profile/")
    camille.locator(".account-nav a[href='/accounts/data/']").click()
    camille.wait_for_url(f"{base}/accounts/data/")
    shot(camille, "20-camille-your-data")

    with camille.expect_navigation():
        camille.locator(".data-export button[type=submit]").click()
    link = camille.get_by_test_id("export-link").first
    assert link.is_visible()
    assert any("/accounts/data/download/" in message.body for message in mail.outbox)
    shot(camille, "21-camille-export-ready")

    with camille.expect_download() as download_info:
        link.click()
    archive_path = tmp_path / "export.zip"
    download_info.value.save_as(archive_path)
    with zipfile.ZipFile(archive_path) as archive:
        data = json.loads(archive.read("data.json"))
        names = archive.namelist()

    assert data["profile"]["username"] == "camille"
    expected = set(Post.objects.filter(author__username="camille").values_list("body", flat=True))
    assert expected, "the demo gives camille posts"
    assert {post["body"] for post in data["posts"]} == expected
    for post in data["posts"]:
        for image in post["images"]:
            assert image["file"] in names
    assert camille.csp_violations == []
    context.close()

    # Someone else holding the link gets nothing.
    other_context, hugo = log_in(browser, base, "hugo")
    href = data_link(mail.outbox)
    response = hugo.goto(base + href)
    assert response.status == 404
    other_context.close()


def data_link(outbox) -> str:
    for message in outbox:
        for word in message.body.split():
            if "/accounts/data/download/" in word:
                return "/accounts/" + word.split("/accounts/", 1)[1]
    raise AssertionError("no export link was e-mailed")
