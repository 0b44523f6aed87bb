"""The transparency report (issue 6): figures of a period for agency moderators, on the
page and as CSV; the rate limit on reports; blocked words checked in the admin."""

import csv
import io
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from core.errors import NotAllowed, RateLimited
from network.models import BlockedWord, Case, Complaint, Decision, Post, Report
from network.selectors import moderation as selectors
from network.services import moderation as services
from tests.factories import UserFactory
from tests.network.factories import PostFactory

pytestmark = pytest.mark.django_db


def en(name, *args):
    with translation.override("en"):
        return reverse(f"network:{name}", args=args)


URL = en("moderation_transparency")


@pytest.fixture
def staff():
    return UserFactory(username="agence", is_staff=True)


def _at(year, month, day, hour=0):
    return timezone.make_aware(datetime(year, month, day, hour))


def _case(*, opened, reasons=("spam",)):
    case = Case.objects.create(
        target_type=ContentType.objects.get_for_model(Post),
        target_id=Case.objects.count() + 1000,
        kind="post",
        status=Case.Status.DECIDED,
        report_count=len(reasons),
    )
    Case.objects.filter(pk=case.pk).update(created_at=opened)
    for reason in reasons:
        report = Report.objects.create(case=case, reason=reason, explanation="x")
        Report.objects.filter(pk=report.pk).update(created_at=opened)
    return case


def _decision(case, *, at, action="hide", ground="Règle 1", automated=False):
    decision = Decision.objects.create(
        case=case, action=action, facts="Faits", ground=ground, automated=automated
    )
    Decision.objects.filter(pk=decision.pk).update(decided_at=at)
    return decision


def _complaint(decision, *, at, status=Complaint.Status.OPEN):
    complaint = Complaint.objects.create(decision=decision, text="Non", status=status)
    Complaint.objects.filter(pk=complaint.pk).update(created_at=at)
    return complaint


@pytest.fixture
def figures_world():
    """In March 2026: 3 cases (4 reports), 3 decisions taken after 2, 4 and 10 hours, one
    automated; 3 complaints (one upheld, one reversed, one open). Plus a case, its
    decision and a complaint in 2025, outside the period."""
    a = _case(opened=_at(2026, 3, 1), reasons=("spam", "harassment"))
    b = _case(opened=_at(2026, 3, 2), reasons=("spam",))
    c = _case(opened=_at(2026, 3, 3), reasons=("illegal",))
    da = _decision(a, at=_at(2026, 3, 1, 2), action="hide", ground="Règle 1")
    db = _decision(b, at=_at(2026, 3, 2, 4), action="remove", ground=" Règle 1 ", automated=True)
    dc = _decision(c, at=_at(2026, 3, 3, 10), action="dismiss", ground="Art. 6")
    _complaint(da, at=_at(2026, 3, 5), status=Complaint.Status.UPHELD)
    _complaint(db, at=_at(2026, 3, 6), status=Complaint.Status.REVERSED)
    _complaint(dc, at=_at(2026, 3, 7))
    old = _case(opened=_at(2025, 1, 1), reasons=("other",))
    _complaint(_decision(old, at=_at(2025, 1, 2), action="warn"), at=_at(2025, 1, 3))


def _get(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


def test_the_figures_of_a_period(staff, figures_world):
    figures = selectors.transparency(staff, start=_at(2026, 3, 1), end=_at(2026, 4, 1))
    assert figures["reports_total"] == 4
    reasons = {code: n for code, _label, n in figures["reports_by_reason"]}
    assert reasons["spam"] == 2 and reasons["harassment"] == 1 and reasons["illegal"] == 1
    assert reasons["other"] == 0
    assert figures["decisions_total"] == 3
    actions = {code: n for code, _label, n in figures["decisions_by_action"]}
    assert (actions["hide"], actions["remove"], actions["dismiss"], actions["warn"]) == (1, 1, 1, 0)
    assert figures["decisions_by_ground"] == [("Règle 1", 2), ("Art. 6", 1)]
    assert figures["automated_decisions"] == 1
    assert figures["median_hours_to_decision"] == 4.0
    assert figures["complaints_received"] == 3
    assert figures["complaints_upheld"] == 1
    assert figures["complaints_reversed"] == 1


def test_an_empty_period_has_no_median(staff):
    figures = selectors.transparency(staff, start=_at(2026, 3, 1), end=_at(2026, 4, 1))
    assert figures["reports_total"] == 0
    assert figures["median_hours_to_decision"] is None


def test_the_reader_is_for_agency_moderators():
    with pytest.raises(NotAllowed):
        selectors.transparency(UserFactory(), start=_at(2026, 3, 1), end=_at(2026, 4, 1))


def test_the_page_shows_the_period_figures(client, staff, figures_world):
    response = _get(client, staff, **{"from": "2026-03-01", "to": "2026-03-31"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="reports-total">4<' in html
    assert 'data-testid="decisions-total">3<' in html
    assert 'data-testid="complaints-reversed">1<' in html
    assert "Règle 1" in html


def test_the_default_period_is_the_last_twelve_months(client, staff):
    recent = _case(opened=timezone.now() - timedelta(days=30))
    _case(opened=timezone.now() - timedelta(days=400))
    _decision(recent, at=timezone.now() - timedelta(days=29))
    response = _get(client, staff)
    assert response.status_code == 200
    assert response.context["figures"]["reports_total"] == 1
    assert response.context["figures"]["decisions_total"] == 1


def test_the_csv_has_one_row_per_metric(client, staff, figures_world):
    _decision(Case.objects.first(), at=_at(2026, 3, 20), action="warn", ground="=HYPERLINK(1)")
    response = _get(client, staff, **{"from": "2026-03-01", "to": "2026-03-31", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["metric", "detail", "value"]
    values = {(metric, detail): value for metric, detail, value in rows[1:]}
    assert values[("reports_received", "")] == "4"
    assert values[("reports_by_reason", "spam")] == "2"
    assert values[("decisions", "")] == "4"
    assert values[("decisions_by_action", "warn")] == "1"
    assert values[("decisions_by_ground", "Règle 1")] == "2"
    assert values[("decisions_by_ground", "'=HYPERLINK(1)")] == "1"  # no formula
    assert values[("automated_decisions", "")] == "1"
    assert values[("complaints_received", "")] == "3"
    assert values[("complaints_upheld", "")] == "1"
    assert values[("complaints_reversed", "")] == "1"
    assert ("median_hours_to_decision", "") in values


def test_members_and_group_moderators_are_refused(client):
    response = _get(client, UserFactory())
    assert response.status_code == 403
    response = _get(client, UserFactory(), format="csv")
    assert response.status_code == 403


def test_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2026-13-01"},
        {"to": "hier"},
        {"from": "2026-04-01", "to": "2026-03-01"},
    ],
)
def test_bad_dates_are_a_400_with_a_message(client, staff, params):
    response = _get(client, staff, **params)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_the_queue_links_to_the_report_for_agency_moderators(client, staff):
    client.force_login(staff)
    response = client.get(en("moderation_queue"))
    assert URL in response.content.decode()


def _count_queries(client, staff, cases):
    for n in range(cases):
        case = _case(opened=_at(2026, 3, 1), reasons=("spam", "other"))
        decision = _decision(case, at=_at(2026, 3, 2), ground=f"Règle {n}", automated=bool(n % 2))
        _complaint(decision, at=_at(2026, 3, 3), status=Complaint.Status.UPHELD)
    client.force_login(staff)
    client.get(URL)  # warm-up: what a first request of a session adds
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"from": "2026-03-01", "to": "2026-03-31"})
    assert response.status_code == 200
    assert response.context["figures"]["decisions_total"] == cases
    return len(queries)


def test_the_queries_do_not_grow_with_the_cases(client, staff):
    few = _count_queries(client, staff, 5)
    Case.objects.all().delete()
    assert _count_queries(client, staff, 50) == few


# The rate limit on reports ----------------------------------------------------------------


def _report(actor, target, **kwargs):
    return services.report(actor=actor, target=target, reason="spam", explanation="Pub", **kwargs)


def test_a_member_past_the_report_limit_is_rate_limited():
    reporter = UserFactory()
    posts = PostFactory.create_batch(services.REPORTS_PER_WINDOW + 1)
    for post in posts[:-1]:
        _report(reporter, post)
    with pytest.raises(RateLimited):
        _report(reporter, posts[-1])
    assert Report.objects.count() == services.REPORTS_PER_WINDOW
    _report(UserFactory(), posts[-1])  # another member's own bucket


def test_each_visitor_address_has_its_own_bucket():
    post = PostFactory()
    for n in range(services.REPORTS_PER_WINDOW):
        _report(AnonymousUser(), post, email=f"v{n}@example.org", client_key="192.0.2.1")
    with pytest.raises(RateLimited):  # a new e-mail address changes nothing
        _report(AnonymousUser(), post, email="new@example.org", client_key="192.0.2.1")
    _report(AnonymousUser(), post, email="other@example.org", client_key="192.0.2.2")


def test_visitors_together_have_a_ceiling(monkeypatch):
    monkeypatch.setattr(services.common, "VISITOR_REPORTS_PER_WINDOW", 3)
    post = PostFactory()
    for n in range(3):
        _report(AnonymousUser(), post, client_key=f"192.0.2.{n}")
    with pytest.raises(RateLimited):
        _report(AnonymousUser(), post, client_key="192.0.2.99")


def test_the_report_page_counts_a_visitor_by_address(client, monkeypatch):
    monkeypatch.setattr(services.common, "REPORTS_PER_WINDOW", 1)
    post = PostFactory()
    data = {"reason": "spam", "explanation": "Pub", "name": "V", "email": "v@example.org"}
    url = en("report", "post", post.pk)
    assert client.post(url, data, REMOTE_ADDR="192.0.2.1").status_code == 200
    assert client.post(url, data, REMOTE_ADDR="192.0.2.1").status_code == 429
    assert client.post(url, data, REMOTE_ADDR="192.0.2.2").status_code == 200


def test_the_report_page_answers_429_past_the_limit(client, monkeypatch):
    monkeypatch.setattr(services.common, "REPORTS_PER_WINDOW", 1)
    client.force_login(UserFactory())
    first, second = PostFactory.create_batch(2)
    data = {"reason": "spam", "explanation": "Pub"}
    url = en("report", "post", first.pk)
    assert client.post(url, data).status_code == 200
    url = en("report", "post", second.pk)
    assert client.post(url, data).status_code == 429


def test_the_api_answers_429_past_the_limit(client, monkeypatch):
    monkeypatch.setattr(services.common, "REPORTS_PER_WINDOW", 1)
    client.force_login(UserFactory())
    first, second = PostFactory.create_batch(2)
    body = {"kind": "post", "reason": "spam", "explanation": "Pub"}
    response = client.post(
        "/api/v1/reports",
        {**body, "id": first.pk},
        content_type="application/json",
    )
    assert response.status_code == 201
    response = client.post(
        "/api/v1/reports",
        {**body, "id": second.pk},
        content_type="application/json",
    )
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"


# Blocked words in the admin ---------------------------------------------------------------


def test_a_blocked_word_regex_must_compile():
    with pytest.raises(ValidationError) as error:
        BlockedWord(pattern="casino(", is_regex=True).full_clean()
    assert "pattern" in error.value.message_dict
    BlockedWord(pattern="casino(", is_regex=False).full_clean()  # a plain word
    BlockedWord(pattern=r"casino\s+en\s+ligne", is_regex=True).full_clean()


def test_staff_add_a_blocked_word_in_the_admin(client, staff):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    url = reverse("wagtailsnippets_network_blockedword:add")
    response = client.post(url, {"pattern": "[unclosed", "is_regex": "on"})
    assert response.status_code == 200
    assert not BlockedWord.objects.exists()
    response = client.post(url, {"pattern": "casino", "is_regex": ""})
    assert response.status_code == 302
    assert BlockedWord.objects.get().pattern == "casino"


def test_staff_choose_to_hold_first_posts_in_the_admin_settings(client, staff):
    from network.models import ModerationSettings

    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    url = reverse("wagtailsettings:edit", args=["network", "moderationsettings"])
    page = client.get(url, follow=True)
    assert page.status_code == 200
    url = page.redirect_chain[-1][0]  # generic settings live at …/<pk>/
    response = client.post(url, {"held_first_posts": "11"})
    assert response.status_code == 200  # ten at most: the form shows its error
    assert ModerationSettings.load().held_first_posts == 0
    response = client.post(url, {"held_first_posts": "2"})
    assert response.status_code == 302
    assert ModerationSettings.load().held_first_posts == 2


def test_the_report_form_links_the_rules_in_the_pages_language(client):
    post = PostFactory()
    page = client.get(en("report", "post", post.pk)).content.decode()
    assert 'href="/en/community-rules/"' in page


def test_agency_moderators_keep_blocked_words_and_settings_in_the_admin(client):
    """The demo's `agence`: an editor and moderator, not a superuser."""
    from django.contrib.auth.models import Group as AuthGroup

    moderator = UserFactory(is_staff=True)
    moderator.groups.add(
        AuthGroup.objects.get(name="Moderators"), AuthGroup.objects.get(name="Editors")
    )
    client.force_login(moderator)
    add = client.post(
        reverse("wagtailsnippets_network_blockedword:add"), {"pattern": "arnaque", "is_regex": ""}
    )
    assert add.status_code == 302
    assert BlockedWord.objects.filter(pattern="arnaque").exists()
    settings_page = client.get(
        reverse("wagtailsettings:edit", args=["network", "moderationsettings"]), follow=True
    )
    assert settings_page.status_code == 200
    assert b"held_first_posts" in settings_page.content
