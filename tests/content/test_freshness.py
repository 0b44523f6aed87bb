"""Content freshness: marking pages reviewed, daily reminders, the "Content to review"
report and its dashboard panel."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.log_actions import registry as log_registry
from wagtail.models import PageLogEntry

from content import selectors
from content.models import DestinationPage
from content.services.freshness import mark_reviewed, send_review_reminders
from content.signals import review_due
from content.tasks import send_review_reminders_task
from core.errors import NotAllowed
from tests.content.factories_freshness import make_destination, make_welcome_pack, member_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REPORT_URL = "/admin/reports/content-to-review/"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def publisher():
    return member_of("Moderators", username="publisher")


@pytest.fixture
def editor():
    return member_of("Editors", username="editor")


@pytest.fixture
def admin_client(client, publisher):
    client.force_login(publisher)
    return client


@pytest.fixture
def signals():
    received = []

    def receiver(sender, page, maintainers, **kwargs):
        received.append((sender, page, maintainers))

    review_due.connect(receiver)
    yield received
    review_due.disconnect(receiver)


# mark_reviewed -----------------------------------------------------------------------------


def test_mark_reviewed_refreshes_the_review_dates(publisher, today):
    page = make_destination("Pointe du Van", days_overdue=20, interval=90)

    returned = mark_reviewed(actor=publisher, page=page)

    page.refresh_from_db()
    assert page.last_reviewed_at == today
    assert page.next_review_due == today + timedelta(days=90)
    assert not page.is_review_overdue
    assert returned.next_review_due == page.next_review_due


def test_mark_reviewed_is_refused_to_a_member_who_cannot_publish(editor):
    page = make_destination("Pointe du Van", days_overdue=20)
    before = (page.last_reviewed_at, page.next_review_due)

    with pytest.raises(NotAllowed):
        mark_reviewed(actor=editor, page=page)

    page.refresh_from_db()
    assert (page.last_reviewed_at, page.next_review_due) == before
    assert not PageLogEntry.objects.filter(action="content.mark_reviewed").exists()


def test_mark_reviewed_is_logged_with_its_own_label(publisher):
    page = make_destination("Pointe du Van")

    mark_reviewed(actor=publisher, page=page)

    entry = PageLogEntry.objects.get(page=page, action="content.mark_reviewed")
    assert entry.user == publisher
    assert "content.mark_reviewed" in dict(log_registry.get_choices())
    with translation.override("en"):
        assert str(entry.message).startswith("Marked as reviewed; next review due on")


def test_mark_reviewed_leaves_draft_changes_unpublished_and_survives_their_publication(
    publisher, today
):
    page = make_destination("Pointe du Van", days_overdue=20)
    draft = DestinationPage.objects.get(pk=page.pk)
    draft.title = "Pointe du Van (draft)"
    draft.save_revision(user=publisher)
    revisions_before = page.revisions.count()

    mark_reviewed(actor=publisher, page=page)

    page = DestinationPage.objects.get(pk=page.pk)
    assert page.title == "Pointe du Van"
    assert page.has_unpublished_changes
    assert page.revisions.count() == revisions_before
    assert page.get_latest_revision_as_object().last_reviewed_at == today

    page.get_latest_revision().publish(user=publisher)

    page = DestinationPage.objects.get(pk=page.pk)
    assert page.title == "Pointe du Van (draft)"
    assert page.last_reviewed_at == today
    assert not page.is_review_overdue


# reminders --------------------------------------------------------------------------------


def test_each_maintainer_gets_one_email_listing_all_their_overdue_pages(signals, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://admin.example.org"
    anne = UserFactory(username="anne", preferred_language="en")
    bob = UserFactory(username="bob", preferred_language="fr")
    harbour = make_destination("Old harbour", maintainers=[anne])
    lighthouse = make_destination("Lighthouse", maintainers=[anne, bob])
    pack = make_welcome_pack("Newcomers pack", maintainers=[anne])
    fresh = make_destination("Fresh beach", days_overdue=-30, maintainers=[anne, bob])

    sent = send_review_reminders()

    assert sent == 2
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_recipient) == ["anne@example.org", "bob@example.org"]
    to_anne, to_bob = by_recipient["anne@example.org"], by_recipient["bob@example.org"]
    for title in ["Old harbour", "Lighthouse", "Newcomers pack"]:
        assert title in to_anne.body
    assert "Lighthouse" in to_bob.body
    assert "Old harbour" not in to_bob.body
    assert "Fresh beach" not in to_anne.body + to_bob.body
    edit_url = f"https://admin.example.org/admin/pages/{lighthouse.pk}/edit/"
    assert edit_url in to_anne.body
    html, mimetype = to_anne.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{edit_url}"' in html
    # Each message is written in its recipient's language.
    assert '<html lang="en">' in html
    assert '<html lang="fr">' in to_bob.alternatives[0][0]
    assert to_anne.subject == "3 pages to review on Morvellec"

    assert {(sender, page.pk) for sender, page, _ in signals} == {
        (DestinationPage, harbour.pk),
        (DestinationPage, lighthouse.pk),
        (type(pack), pack.pk),
    }
    maintainers = {page.pk: people for _, page, people in signals}
    assert maintainers[lighthouse.pk] == [anne, bob]
    assert fresh.pk not in maintainers


def test_a_second_run_on_the_same_day_sends_nothing(signals, today):
    anne = UserFactory(username="anne")
    make_destination("Old harbour", maintainers=[anne])

    assert send_review_reminders_task.delay().get() == 1
    assert send_review_reminders_task.delay().get() == 0

    assert len(mail.outbox) == 1
    assert len(signals) == 1
    # The next day, a page still overdue is reminded again.
    assert send_review_reminders(today=today + timedelta(days=1)) == 1


def test_pages_without_maintainers_are_sent_to_the_moderators(signals, publisher):
    moderators = Group.objects.get(name="Moderators")
    retired = UserFactory(username="retired", is_active=False)
    retired.groups.add(moderators)
    orphan = make_destination("Orphan cove")
    abandoned = make_destination("Abandoned mill", maintainers=[retired])

    send_review_reminders()

    assert [message.to for message in mail.outbox] == [["publisher@example.org"]]
    assert "Orphan cove" in mail.outbox[0].body
    assert "Abandoned mill" in mail.outbox[0].body
    assert {page.pk: people for _, page, people in signals} == {
        orphan.pk: [publisher],
        abandoned.pk: [publisher],
    }


def test_unpublished_pages_are_not_reminded():
    make_destination("Draft only", live=False, maintainers=[UserFactory()])

    assert send_review_reminders() == 0
    assert mail.outbox == []


def test_the_daily_reminder_is_scheduled(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["content-review-reminders"]
    assert entry["task"] == "content.tasks.send_review_reminders_task"
    assert entry["schedule"].hour == {7}


# report -----------------------------------------------------------------------------------


def test_the_report_lists_overdue_pages_only(admin_client):
    make_destination(
        "Overdue cove", days_overdue=12, maintainers=[UserFactory(display_name="Anne")]
    )
    make_welcome_pack("Overdue pack", days_overdue=3)
    make_destination("Soon beach", days_overdue=-10)
    make_destination("Fresh dune", days_overdue=-100)

    response = admin_client.get(REPORT_URL)

    assert response.status_code == 200
    html = response.text
    assert "Overdue cove" in html and "Overdue pack" in html
    assert "Soon beach" not in html and "Fresh dune" not in html
    assert "Anne" in html
    titles = [page.title for page in response.context["object_list"]]
    assert titles == ["Overdue cove", "Overdue pack"]  # most overdue first
    assert [page.days_overdue for page in response.context["object_list"]] == [12, 3]


def test_the_report_lists_pages_due_within_30_days_with_the_filter(admin_client):
    make_destination("Overdue cove", days_overdue=12)
    make_destination("Soon beach", days_overdue=-10)
    make_destination("Fresh dune", days_overdue=-100)

    html = admin_client.get(REPORT_URL, {"status": "due_soon"}).text

    assert "Soon beach" in html
    assert "Overdue cove" not in html and "Fresh dune" not in html


def test_the_report_exports_csv(admin_client):
    make_destination("Overdue cove", days_overdue=12)

    response = admin_client.get(REPORT_URL, {"export": "csv"})

    content = b"".join(response.streaming_content).decode()
    assert content.splitlines()[0] == (
        "Title,Type,Maintainers,Last reviewed,Review due,Due since (days)"
    )
    assert "Overdue cove" in content


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_the_report_sends_people_without_admin_access_to_log_in(client, who):
    if who == "member":
        client.force_login(UserFactory())
    response = client.get(REPORT_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_the_report_is_refused_to_admin_users_without_page_permissions(client):
    member = UserFactory()
    member.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(member)
    response = client.get(REPORT_URL)
    # Wagtail turns PermissionDenied into a redirect to the dashboard with a message.
    assert (response.status_code, response["Location"]) == (302, "/admin/")


def _report_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(REPORT_URL).status_code == 200
    return len(queries)


def test_the_report_costs_the_same_queries_for_5_and_50_pages(
    admin_client, django_assert_num_queries
):
    """Expect the same queries whatever the length: session, user and permissions, the count,
    the ordered ids, then the pages and their maintainers once per page type."""
    people = UserFactory.create_batch(3)
    make_welcome_pack("Pack", maintainers=people[1:])
    for number in range(4):
        make_destination(f"Cove {number}", maintainers=people[:2])
    _report_queries(admin_client)  # warm per-process caches (content types, site)
    with_few = _report_queries(admin_client)

    for number in range(4, 49):
        make_destination(f"Cove {number}", maintainers=people)

    with django_assert_num_queries(with_few):
        response = admin_client.get(REPORT_URL)
    assert len(response.context["object_list"]) == 50


# dashboard panel --------------------------------------------------------------------------


def test_the_dashboard_panel_shows_the_counts(admin_client, publisher):
    make_destination("Overdue cove", days_overdue=12)
    make_destination("Overdue bay", days_overdue=2)
    make_destination("Soon beach", days_overdue=-10)
    reviewed = make_destination("Reviewed dune", days_overdue=5)
    mark_reviewed(actor=publisher, page=reviewed)

    html = admin_client.get("/admin/").text

    assert 'id="content-to-review' in html
    assert "2 pages overdue" in html
    assert "1 page due within 30 days" in html
    assert "1 page reviewed in the last 30 days" in html
    assert f'href="{REPORT_URL}?status=overdue"' in html


def test_freshness_counts_is_one_query(django_assert_num_queries):
    make_destination("Overdue cove")
    with django_assert_num_queries(1):
        counts = selectors.freshness_counts()
    assert counts == {"overdue": 1, "due_soon": 0, "reviewed_recently": 0}


# mark reviewed in the admin ---------------------------------------------------------------


def test_the_mark_reviewed_button_posts_and_redirects_back_with_a_message(admin_client, today):
    page = make_destination("Overdue cove", days_overdue=12)
    url = reverse("content_mark_reviewed", args=[page.pk])
    report_html = admin_client.get(REPORT_URL).text
    assert f'action="{url}"' in report_html

    response = admin_client.post(url, {"next": f"{REPORT_URL}?status=overdue"}, follow=True)

    assert response.redirect_chain == [(f"{REPORT_URL}?status=overdue", 302)]
    assert "“Overdue cove” marked as reviewed" in response.text
    assert list(response.context["object_list"]) == []
    page.refresh_from_db()
    assert page.last_reviewed_at == today


def test_the_mark_reviewed_view_refuses_get(admin_client):
    page = make_destination("Overdue cove")
    response = admin_client.get(reverse("content_mark_reviewed", args=[page.pk]))
    assert response.status_code == 405


def test_the_mark_reviewed_view_ignores_an_outside_next_url(admin_client):
    page = make_destination("Overdue cove")
    response = admin_client.post(
        reverse("content_mark_reviewed", args=[page.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == REPORT_URL


def test_an_editor_sees_no_button_and_is_refused(client, editor):
    page = make_destination("Overdue cove", days_overdue=12)
    client.force_login(editor)
    url = reverse("content_mark_reviewed", args=[page.pk])
    assert f'action="{url}"' not in client.get(REPORT_URL).text

    response = client.post(url, follow=True)

    assert "Only people who can publish this page" in response.text
    page.refresh_from_db()
    assert page.is_review_overdue


def test_the_page_editor_offers_mark_as_reviewed(admin_client, client, editor):
    page = make_destination("Overdue cove")
    url = reverse("content_mark_reviewed", args=[page.pk])

    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).text
    assert f'data-w-action-url-value="{url}"' in html
    assert "Mark as reviewed" in html

    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).text
    assert f'data-w-action-url-value="{url}"' not in html


def test_the_page_listing_offers_mark_as_reviewed(admin_client):
    page = make_destination("Overdue cove")
    url = reverse("content_mark_reviewed", args=[page.pk])

    html = admin_client.get(reverse("wagtailadmin_explore", args=[page.get_parent().pk])).text

    assert f'data-w-action-url-value="{url}"' in html


def test_the_reports_menu_lists_the_report_for_page_workers_only(admin_client, client):
    assert REPORT_URL in admin_client.get("/admin/pages/").text

    member = UserFactory()
    member.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(member)
    assert REPORT_URL not in client.get("/admin/").text
