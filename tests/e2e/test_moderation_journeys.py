"""Moderation and notifications in the browser, on the demo data (issue 6, "Done when"):
- camille reports one of nina's posts; agence removes it with a statement of reasons; nina
  reads the statement and contests it; admin, another moderator, reverses the decision; the
  post is visible, then gone, then back, as camille (a reader) sees it;
- nina mentions hugo in the "Club des entrepreneurs"; hugo sees the unread count on the bell,
  opens the notification, lands on the post, and the count goes down.

Pages are the English ones (/en/...). Screenshots go to /tmp/journey_*.png."""

import re

import pytest
from playwright.sync_api import expect

from network.models import Case, Complaint, Decision, Post
from tests.e2e import pages

pytestmark = pytest.mark.e2e

CLUB = "club-des-entrepreneurs"
# One of nina's posts that no demo case concerns (her public post already has two reports:
# a third would hide it by the 3-report rule).
NINA_POST_TEXT = "petit-déjeuner local"


def log_in(browser, base_url, username):
    return pages.log_in(browser, base_url, username, height=900, locale="en-GB")


def post_status(page, url):
    """The HTTP status of the post page, and the page's text, as this reader sees it."""
    response = page.goto(url)
    return response.status, page.locator("main").inner_text()


def test_moderation_and_mention_journeys(demo_territory, live_server, browser):
    """Both journeys on one seeding of the demo territory (seeding is most of the time).
    demo_territory comes first: seeding before Playwright's event loop starts in this thread
    keeps the notifications' live push from failing (and logging) during the seed."""
    report_remove_contest_reverse(browser, live_server.url)
    mention_notification_leads_to_the_post(browser, live_server.url)


def report_remove_contest_reverse(browser, base):
    post = (
        Post.objects.filter(
            author__username="nina",
            body_text__contains=NINA_POST_TEXT,
            status=Post.Status.PUBLISHED,
        )
        .exclude(pk__in=Case.objects.filter(kind="post").values("target_id"))
        .order_by("pk")
        .first()
    )
    assert post is not None
    post_url = f"{base}/en/posts/{post.pk}/"

    # Camille, a member, reads the post and reports it.
    camille_context, camille = log_in(browser, base, "camille")
    status, text = post_status(camille, post_url)
    assert status == 200 and NINA_POST_TEXT in text
    assert not Case.objects.filter(kind="post", target_id=post.pk).exists()
    with camille.expect_navigation():
        camille.get_by_role("link", name="Report this post").click()
    assert camille.url.endswith(f"/en/report/post/{post.pk}/")
    expect(camille.get_by_test_id("report-preview")).to_contain_text(NINA_POST_TEXT)
    camille.select_option("select[name=reason]", "spam")
    camille.fill("textarea[name=explanation]", "Publicité déguisée pour l'hôtel.")
    with camille.expect_navigation():
        camille.get_by_test_id("report-submit").click()
    expect(camille.get_by_test_id("report-acknowledged")).to_contain_text(
        "Thank you for your report"
    )
    case = Case.objects.get(kind="post", target_id=post.pk)
    assert case.status == Case.Status.OPEN
    # One report does not hide the post.
    status, text = post_status(camille, post_url)
    assert status == 200 and NINA_POST_TEXT in text

    # Agence, an agency moderator, opens the queue, the case, and removes the post.
    agence_context, agence = log_in(browser, base, "agence")
    agence.goto(f"{base}/en/moderation/")
    card = agence.get_by_test_id("case").filter(
        has=agence.locator(f"a[href$='/moderation/cases/{case.pk}/']")
    )
    expect(card).to_contain_text(NINA_POST_TEXT)
    with agence.expect_navigation():
        card.get_by_role("link", name="Open the case").click()
    assert agence.url.endswith(f"/en/moderation/cases/{case.pk}/")
    expect(agence.get_by_test_id("case-preview")).to_contain_text(NINA_POST_TEXT)
    expect(agence.get_by_test_id("report")).to_contain_text("Publicité déguisée")
    agence.screenshot(path="/tmp/journey_case_open.png", full_page=True)
    form = agence.get_by_test_id("decision-form")
    form.locator("select[name=action]").select_option("remove")
    form.locator("textarea[name=facts]").fill("Advertising unrelated to the group's topic.")
    form.locator("textarea[name=ground]").fill("Community rules, clause 3: no advertising.")
    with agence.expect_navigation():
        form.get_by_role("button", name="Record the decision").click()
    expect(agence.locator("body")).to_contain_text("The decision is recorded")
    decision = Decision.objects.get(case=case)
    assert decision.action == "remove" and decision.moderator.username == "agence"
    assert agence.csp_violations == []

    # The post is gone for readers.
    status, text = post_status(camille, post_url)
    assert status == 404 and NINA_POST_TEXT not in text

    # Nina finds the decision in her notifications and reads the statement of reasons.
    nina_context, nina = log_in(browser, base, "nina")
    nina.goto(f"{base}/en/notifications/")
    with nina.expect_navigation():
        nina.get_by_test_id("notification").first.locator("a.notification__link").click()
    assert nina.url.endswith(f"/en/moderation/decisions/{decision.pk}/")
    statement = nina.get_by_test_id("statement")
    expect(statement).to_contain_text("Advertising unrelated")
    expect(statement).to_contain_text("clause 3")
    expect(nina.locator("h1")).to_have_text("Statement of reasons")
    nina.screenshot(path="/tmp/journey_statement.png", full_page=True)
    contest = nina.get_by_test_id("contest-form")
    contest.locator("textarea[name=text]").fill(
        "This is our hotel's news for the members, not an advertisement."
    )
    with nina.expect_navigation():
        contest.get_by_role("button", name="Send my complaint").click()
    expect(nina.get_by_test_id("complaint-status")).to_have_text("Waiting for a decision")
    complaint = Complaint.objects.get(decision=decision)
    assert complaint.status == Complaint.Status.OPEN

    # Agence took the decision: agence may not decide the complaint.
    agence.goto(f"{base}/en/moderation/cases/{case.pk}/")
    expect(agence.locator("main")).to_contain_text("Another moderator must decide")
    expect(agence.get_by_role("button", name="Reverse the decision")).to_have_count(0)

    # Admin, another moderator, reverses it.
    admin_context, admin = log_in(browser, base, "admin")
    admin.goto(f"{base}/en/moderation/cases/{case.pk}/")
    expect(admin.locator("main")).to_contain_text("not an advertisement")
    admin.fill(f"#response-{decision.pk}", "Agreed: it is news for the members.")
    with admin.expect_navigation():
        admin.get_by_role("button", name="Reverse the decision").click()
    expect(admin.locator("body")).to_contain_text("The complaint is decided")
    admin.screenshot(path="/tmp/journey_case_decided.png", full_page=True)
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.REVERSED
    assert complaint.decided_by.username == "admin"

    # The post is back for readers, and nina sees the outcome.
    status, text = post_status(camille, post_url)
    assert status == 200 and NINA_POST_TEXT in text
    nina.goto(f"{base}/en/moderation/decisions/{decision.pk}/")
    expect(nina.get_by_test_id("complaint-status")).to_have_text("Decision reversed")
    nina.screenshot(path="/tmp/journey_statement_reversed.png", full_page=True)
    for page in (camille, nina, admin):
        assert page.csp_violations == []
    for context in (camille_context, agence_context, nina_context, admin_context):
        context.close()


def unread(page) -> int:
    bell = page.get_by_test_id("notifications-unread")
    if bell.count() == 0:
        return 0
    return int(bell.locator("[aria-hidden=true]").inner_text())


def mention_notification_leads_to_the_post(browser, base):
    text = "Les goélands du port ont volé nos croissants, @hugo, tu as vu ça ?"

    hugo_context, hugo = log_in(browser, base, "hugo")
    hugo.goto(f"{base}/en/feed/")
    before = unread(hugo)

    nina_context, nina = log_in(browser, base, "nina")
    nina.goto(f"{base}/en/groups/{CLUB}/")
    composer = nina.get_by_test_id("composer")
    composer.locator("textarea[name=body]").fill(text)
    with nina.expect_navigation():
        composer.locator("button[type=submit]").click()
    post = Post.objects.get(body_text__contains="goélands du port")
    nina_context.close()

    hugo.goto(f"{base}/en/feed/")
    expect(hugo.get_by_test_id("notifications-unread")).to_be_visible()
    after = unread(hugo)
    assert after == before + 1
    with hugo.expect_navigation():
        hugo.get_by_test_id("notifications-link").click()
    assert hugo.url.endswith("/en/notifications/")
    entry = hugo.get_by_test_id("notification").filter(has_text="mentioned you").first
    expect(entry).to_contain_text("Nina")
    with hugo.expect_navigation():
        entry.locator("a.notification__link").click()
    assert re.search(rf"/posts/{post.pk}/", hugo.url)
    expect(hugo.locator("main")).to_contain_text("goélands du port")
    assert unread(hugo) == after - 1
    assert hugo.csp_violations == []
    hugo_context.close()
