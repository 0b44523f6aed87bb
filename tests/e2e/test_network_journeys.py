"""The business network in the browser, on the demo data (issue 5, "Done when"):
- nina posts in the private group "Club des entrepreneurs" with a mention of hugo and an
  image; hugo sees the post in his feed and replies; camille, who is not a member, cannot
  see the group's posts, open the post or find it by search;
- camille asks to join the on-request group "Commerçants du Vieux-Port" and hugo, its
  owner, approves: camille is a member.

Screenshots go to /tmp/matrixshots (override with MATRIX_SHOTS)."""

import mimetypes
import os
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image, ImageDraw

from network.models import Comment, Group, GroupMembership, JoinRequest, Mention, Post
from tests.e2e import pages

pytestmark = pytest.mark.e2e

SHOTS = Path(os.environ.get("MATRIX_SHOTS", "/tmp/matrixshots"))
CLUB = "club-des-entrepreneurs"
VIEUX_PORT = "commercants-du-vieux-port"
# A word no demo post uses, to search for nina's post.
WORD = "goélettes"
NINA_TEXT = f"Salon des {WORD} le 14 : @hugo, on y tient un stand commun ?"


def shot(page, name, *, full_page=True):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def log_in(browser, base_url, username):
    """A new browser context signed in as `username`, and its page."""
    return pages.log_in(browser, base_url, username, height=900, prepare=serve_media)


def serve_media(page, base_url):
    """The test server does not serve uploads (DEBUG is off; the web server does it in
    production): answer /media/ from MEDIA_ROOT so that screenshots show the images."""
    media_root = Path(settings.MEDIA_ROOT)

    def fulfil(route):
        path = route.request.url.removeprefix(base_url + settings.MEDIA_URL).split("?")[0]
        file = (media_root / path).resolve()
        if media_root.resolve() not in file.parents or not file.is_file():
            route.fulfill(status=404, body="")
            return
        content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        route.fulfill(status=200, body=file.read_bytes(), content_type=content_type)

    page.route(base_url + settings.MEDIA_URL + "**", fulfil)


def harbour_png(path: Path) -> Path:
    """A small PNG made here: a sea, a quay and a sail."""
    image = Image.new("RGB", (320, 200), (28, 94, 140))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 150, 320, 200), fill=(190, 170, 130))
    draw.polygon([(150, 40), (150, 130), (210, 130)], fill=(250, 250, 245))
    draw.rectangle((120, 130, 230, 145), fill=(120, 60, 40))
    image.save(path, format="PNG")
    return path


def test_nina_posts_in_the_private_club_hugo_replies_camille_sees_nothing(
    live_server, browser, demo_territory, tmp_path
):
    base = live_server.url
    club = Group.objects.get(slug=CLUB)
    assert club.visibility == Group.Visibility.PRIVATE

    # Nina posts in the club, with a mention of hugo and an image.
    nina_context, nina = log_in(browser, base, "nina")
    nina.goto(f"{base}/groups/{CLUB}/")
    composer = nina.get_by_test_id("composer")
    composer.locator("textarea[name=body]").fill(NINA_TEXT)
    composer.locator("summary").click()
    composer.locator("input[name=images]").set_input_files(str(harbour_png(tmp_path / "port.png")))
    shot(nina, "01-nina-composes-in-the-club")
    with nina.expect_navigation():
        composer.locator("button[type=submit]").click()
    post = Post.objects.get(body_text__contains=WORD)
    assert post.group == club and post.author.username == "nina"
    assert post.images.count() == 1
    assert list(Mention.objects.filter(post=post).values_list("user__username", flat=True)) == [
        "hugo"
    ]
    card = nina.locator(f"#post-{post.pk}")
    assert WORD in card.inner_text()
    assert card.locator("a[href='/people/hugo/']").count() == 1  # the mention links to hugo
    assert card.locator("img").first.evaluate("img => img.naturalWidth") > 0
    shot(nina, "02-nina-post-in-the-club")
    shot(nina, "02b-nina-post-in-the-club-as-scrolled", full_page=False)
    assert nina.csp_violations == []
    nina_context.close()

    # Hugo sees it in his feed and replies.
    hugo_context, hugo = log_in(browser, base, "hugo")
    hugo.goto(f"{base}/feed/")
    card = hugo.locator(f"#post-{post.pk}")
    assert WORD in card.inner_text()
    assert "Club des entrepreneurs" in card.inner_text()
    shot(hugo, "03-hugo-feed")
    card.locator(".post-card__when a").click()
    hugo.wait_for_url(f"{base}/posts/{post.pk}/")
    hugo.fill("#id_comment_body", "Avec plaisir, je m'occupe des kouign-amann !")
    with hugo.expect_navigation():
        hugo.locator("#comment-form button[type=submit]").click()
    reply = Comment.objects.get(post=post)
    assert reply.author.username == "hugo"
    assert "kouign-amann" in hugo.locator(f"#comment-{reply.pk}").inner_text()
    shot(hugo, "04-hugo-replied")
    # A member finds it by search (so that camille finding nothing below means something).
    hugo.goto(f"{base}/community/search/?q={WORD}")
    assert hugo.get_by_test_id("results-posts").locator(f"a[href='/posts/{post.pk}/']").count()
    assert hugo.csp_violations == []
    hugo_context.close()

    # Camille is not in the club: its page says members only, the post is a 404, and the
    # search finds nothing of it.
    camille_context, camille = log_in(browser, base, "camille")
    camille.goto(f"{base}/groups/{CLUB}/")
    assert camille.get_by_test_id("members-only").is_visible()
    assert WORD not in camille.content()
    shot(camille, "05-camille-club-members-only")
    response = camille.goto(f"{base}/posts/{post.pk}/")
    assert response.status == 404
    assert WORD not in camille.content()
    shot(camille, "06-camille-post-404")
    for query in (f"?q={WORD}", f"?q={WORD}&type=posts", "?q=salon+stand&type=posts"):
        camille.goto(f"{base}/community/search/{query}")
        assert camille.get_by_test_id("search-no-results").is_visible(), query
        assert camille.locator(f"a[href='/posts/{post.pk}/']").count() == 0
    camille.goto(f"{base}/community/search/?q={WORD}")
    shot(camille, "07-camille-search-finds-nothing")
    assert camille.csp_violations == []
    camille_context.close()


def test_camille_asks_to_join_and_hugo_approves(live_server, browser, demo_territory):
    base = live_server.url
    group = Group.objects.get(slug=VIEUX_PORT)
    assert group.join_policy == Group.JoinPolicy.REQUEST
    assert not group.memberships.filter(user__username="camille").exists()

    camille_context, camille = log_in(browser, base, "camille")
    camille.goto(f"{base}/groups/{VIEUX_PORT}/")
    form = camille.locator("form.join-request")
    form.locator("textarea[name=message]").fill("J'anime les visites du port le samedi.")
    shot(camille, "08-camille-asks-to-join")
    with camille.expect_navigation():
        form.locator("button[type=submit]").click()
    request = JoinRequest.objects.get(group=group, user__username="camille")
    assert request.status == JoinRequest.Status.PENDING
    assert camille.locator(f"form[action='/groups/{VIEUX_PORT}/withdraw/']").count() == 1
    shot(camille, "09-camille-request-waiting")

    hugo_context, hugo = log_in(browser, base, "hugo")
    hugo.goto(f"{base}/groups/{VIEUX_PORT}/")
    hugo.locator(f"a[href='/groups/{VIEUX_PORT}/requests/']").click()
    hugo.wait_for_url(f"{base}/groups/{VIEUX_PORT}/requests/")
    card = hugo.get_by_test_id("request-camille")
    assert "visites du port" in card.inner_text()
    shot(hugo, "10-hugo-sees-the-request")
    with hugo.expect_navigation():
        card.locator("button[value=approve]").click()
    assert hugo.get_by_test_id("request-camille").count() == 0
    shot(hugo, "11-hugo-approved")
    assert hugo.csp_violations == []
    hugo_context.close()

    request.refresh_from_db()
    assert request.status == JoinRequest.Status.APPROVED
    assert group.memberships.get(user__username="camille").role == GroupMembership.Role.MEMBER
    camille.goto(f"{base}/groups/{VIEUX_PORT}/")
    assert camille.locator(f"form[action='/groups/{VIEUX_PORT}/leave/']").count() == 1
    assert camille.get_by_test_id("composer").is_visible()
    shot(camille, "12-camille-is-a-member")
    assert camille.csp_violations == []
    camille_context.close()
