"""Becoming an ambassador: applying, the staff's decision, the licence and the charter."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from ambassadors.models import Application, Licence
from ambassadors.permissions import is_ambassador
from ambassadors.services import licences
from content.models import Area
from core.errors import Conflict, InvalidInput, NotAllowed
from tests.ambassadors.factories import ambassador, charter, staff
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MOTIVATION = "J'aime la presqu'île et je veux la faire connaître à mes amis."


def apply(user, **fields):
    values = {
        "actor": user,
        "motivation": MOTIVATION,
        "languages": ["fr", "en"],
        "interests": "voile, cuisine",
        "charter_version": 1,
    }
    values.update(fields)
    return licences.submit_application(**values)


@pytest.fixture
def current_charter():
    return charter(1)


def test_an_approved_application_grants_a_licence(current_charter):
    applicant = UserFactory()
    area = Area.objects.create(name="Kerlann", slug="kerlann", kind=Area.Kind.COMMUNE)
    application = apply(applicant, areas=[area])
    licences.decide_application(actor=staff(), application=application, decision="approve")
    licence = Licence.objects.get(holder=applicant)
    assert licence.is_valid() and licence.charter_version == 1
    assert list(applicant.ambassador_profile.areas.all()) == [area]
    assert sorted(applicant.ambassador_profile.interests.names()) == ["cuisine", "voile"]


def test_being_an_ambassador_is_a_valid_licence_not_a_group():
    assert is_ambassador(ambassador())
    assert not is_ambassador(ambassador(expired=True))
    assert not is_ambassador(UserFactory())


@pytest.mark.parametrize("decision", ["decline", "more_info"])
def test_declining_or_asking_for_more_needs_a_reason(current_charter, decision):
    application = apply(UserFactory())
    with pytest.raises(InvalidInput):
        licences.decide_application(actor=staff(), application=application, decision=decision)


def test_the_applicant_reads_the_reason_of_a_decline(
    current_charter, django_capture_on_commit_callbacks
):
    application = apply(UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        licences.decide_application(
            actor=staff(),
            application=application,
            decision="decline",
            reason="Trop tôt.",
            note="Vu en comité",
        )
    application.refresh_from_db()
    assert application.status == Application.Status.DECLINED
    assert "Trop tôt." in mail.outbox[0].body
    assert "comité" not in mail.outbox[0].body


def test_only_staff_decide_applications(current_charter):
    application = apply(UserFactory())
    with pytest.raises(NotAllowed):
        licences.decide_application(
            actor=UserFactory(), application=application, decision="approve"
        )


def test_a_second_pending_application_is_refused(current_charter):
    user = UserFactory()
    apply(user)
    with pytest.raises(Conflict):
        apply(user)


@pytest.mark.parametrize(
    "fields",
    [
        {"charter_version": 0},
        {"motivation": "<script>x</script>"},
        {"links": "javascript:alert(1)"},
        {"links": "http://127.0.0.1/admin"},
        {"links": "http://192.168.1.10/"},
        {"links": "http://localhost:8000/"},
        {"links": "http://[::1]/"},
        {"links": "http://2130706433/"},
    ],
)
def test_bad_applications_are_refused(current_charter, fields):
    with pytest.raises(InvalidInput):
        apply(UserFactory(), **fields)
    assert not Application.objects.exists()


def test_the_motivation_is_stored_without_markup(current_charter):
    application = apply(UserFactory(), motivation=MOTIVATION + "<img src=x onerror=alert(1)>")
    assert "<" not in application.motivation


def test_the_application_page_sends_an_application(client, current_charter):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/ambassadors/apply/",
        {
            "motivation": MOTIVATION,
            "languages": ["fr"],
            "charter_version": "1",
            "accept_charter": "on",
        },
    )
    assert response.status_code == 302
    assert Application.objects.filter(applicant=user).exists()


def test_staff_decide_from_the_queue_page(client, current_charter):
    application = apply(UserFactory())
    client.force_login(staff())
    assert application.applicant.get_display_name() in client.get("/ambassadors/applications/").text
    response = client.post(f"/ambassadors/applications/{application.pk}/", {"decision": "approve"})
    assert response.status_code == 302
    assert Licence.objects.get(holder=application.applicant).is_valid()


def test_a_new_charter_version_is_accepted_again_at_the_next_visit(client, current_charter):
    user = ambassador(charter_version=1)
    charter(2)
    client.force_login(user)
    response = client.get("/ambassadors/missions/")
    assert response.status_code == 302 and response.url.startswith("/ambassadors/charter/")
    client.post("/ambassadors/charter/?next=/ambassadors/missions/", {"version": "2"})
    assert Licence.objects.get(holder=user).charter_version == 2
    assert client.get("/ambassadors/missions/").status_code == 200


def test_holders_are_reminded_once_thirty_days_before_expiry():
    user = ambassador()
    Licence.objects.filter(holder=user).update(expires_on=timezone.localdate() + timedelta(days=30))
    ambassador()  # far from expiry
    assert licences.remind_expiring_licences() == 1
    assert licences.remind_expiring_licences() == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]


def test_the_reminder_runs_from_the_beat_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "ambassadors.tasks.remind_expiring_licences_task" in tasks
    assert "ambassadors.tasks.flush_clicks_task" in tasks
