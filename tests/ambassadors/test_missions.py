"""Missions: taking one, sending a proof, its review in the one moderation queue."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ambassadors.models import Participation, PointEntry, Submission
from ambassadors.services import missions
from ambassadors.services.recognition import points_of
from core.errors import Conflict, InvalidInput, NotAllowed
from network.models import Case
from network.services import moderation
from tests.ambassadors.factories import ambassador, mission, staff
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def take_and_prove(user, quest, **proof):
    missions.take_mission(actor=user, mission=quest)
    return missions.submit_proof(
        actor=user, mission=quest, **(proof or {"link": "https://social.example/p/1"})
    )


def test_an_ambassador_takes_a_mission():
    quest = mission(cap=2)
    participation = missions.take_mission(actor=ambassador(), mission=quest)
    quest.refresh_from_db()
    assert participation.status == Participation.Status.TAKEN and quest.taken_count == 1


def test_a_full_mission_is_a_conflict():
    quest = mission(cap=1)
    missions.take_mission(actor=ambassador(), mission=quest)
    with pytest.raises(Conflict):
        missions.take_mission(actor=ambassador(), mission=quest)


def test_a_mission_past_its_deadline_is_a_conflict():
    quest = mission(deadline=timezone.now() - timezone.timedelta(hours=1))
    with pytest.raises(Conflict):
        missions.take_mission(actor=ambassador(), mission=quest)


def test_an_expired_licence_cannot_take_a_mission():
    with pytest.raises(NotAllowed, match="licence"):
        missions.take_mission(actor=ambassador(expired=True), mission=mission())


def test_a_segmented_mission_is_for_its_segment_only():
    quest = mission(segment_language="de")
    with pytest.raises(NotAllowed):
        missions.take_mission(actor=ambassador(), mission=quest)


def test_a_proof_waits_in_the_moderation_queue():
    submission = take_and_prove(ambassador(), mission())
    case = Case.objects.get(kind="mission_proof", target_id=submission.pk)
    assert case.status == Case.Status.OPEN and case.held_reason == "mission_proof"


@pytest.mark.parametrize(
    "proof",
    [
        {"link": "javascript:alert(1)"},
        {"link": "http://10.0.0.1/x"},
        {"link": "http://metadata.internal/"},
        {"link": "ftp://example.org/file"},
        {},
        {"photo": SimpleUploadedFile("x.png", b"<?php echo 1; ?>", content_type="image/png")},
        {"text": "x" * 3001},
    ],
)
def test_bad_proofs_are_refused(proof):
    user, quest = ambassador(), mission()
    missions.take_mission(actor=user, mission=quest)
    with pytest.raises(InvalidInput):
        missions.submit_proof(actor=user, mission=quest, **proof)
    assert not Submission.objects.exists()


def test_an_approved_proof_earns_the_missions_points():
    user, quest = ambassador(), mission(points=25)
    submission = take_and_prove(user, quest)
    missions.review_submission(actor=staff(), submission=submission, decision="approve")
    submission.refresh_from_db()
    assert submission.status == Submission.Status.APPROVED
    assert points_of(user) == 25


def test_the_moderation_queue_decides_a_proof_too():
    user = ambassador()
    submission = take_and_prove(user, mission(points=5))
    case = Case.objects.get(kind="mission_proof", target_id=submission.pk)
    moderation.decide(actor=staff(), case=case, action="dismiss", facts="OK", ground="Charte")
    assert points_of(user) == 5


@pytest.mark.parametrize(
    ("decision", "status"),
    [("reject", Submission.Status.REJECTED), ("request_changes", Submission.Status.CHANGES)],
)
def test_a_rejection_or_a_request_for_changes_carries_a_reason(decision, status):
    user = ambassador()
    submission = take_and_prove(user, mission())
    with pytest.raises(InvalidInput):
        missions.review_submission(actor=staff(), submission=submission, decision=decision)
    missions.review_submission(
        actor=staff(), submission=submission, decision=decision, reason="Flou"
    )
    submission.refresh_from_db()
    assert submission.status == status and points_of(user) == 0


def test_an_ambassador_sends_a_new_proof_after_changes_were_asked():
    user, quest = ambassador(), mission()
    submission = take_and_prove(user, quest)
    missions.review_submission(
        actor=staff(), submission=submission, decision="request_changes", reason="Le lien ?"
    )
    again = missions.submit_proof(actor=user, mission=quest, text="Voici la capture.")
    assert again.status == Submission.Status.WAITING


def test_nobody_reviews_their_own_proof():
    reviewer = ambassador(staff())
    submission = take_and_prove(reviewer, mission())
    with pytest.raises(NotAllowed):
        missions.review_submission(actor=reviewer, submission=submission, decision="approve")
    case = Case.objects.get(kind="mission_proof", target_id=submission.pk)
    with pytest.raises(NotAllowed):
        moderation.decide(actor=reviewer, case=case, action="dismiss", facts="OK", ground="x")
    assert not PointEntry.objects.exists()


def test_members_do_not_review_proofs():
    submission = take_and_prove(ambassador(), mission())
    with pytest.raises(NotAllowed):
        missions.review_submission(actor=UserFactory(), submission=submission, decision="approve")


def test_auto_approval_is_off_by_default():
    user = ambassador()
    user.trust_level = 4
    assert not missions.auto_approves(user, mission())


def test_chosen_mission_types_are_approved_for_trusted_members(settings, monkeypatch):
    settings.AMBASSADOR_AUTO_APPROVED_MISSION_TYPES = ("share",)
    settings.AMBASSADOR_AUTO_APPROVE_TRUST_LEVEL = 2
    monkeypatch.setattr(missions, "trust_level_of", lambda user: 2)
    user = ambassador()
    submission = take_and_prove(user, mission(points=7))
    submission.refresh_from_db()
    assert submission.status == Submission.Status.APPROVED and submission.auto_approved
    assert points_of(user) == 7
    assert not Case.objects.filter(kind="mission_proof").exists()


def test_untrusted_members_still_wait_for_review(settings, monkeypatch):
    settings.AMBASSADOR_AUTO_APPROVED_MISSION_TYPES = ("share",)
    monkeypatch.setattr(missions, "trust_level_of", lambda user: 1)
    submission = take_and_prove(ambassador(), mission())
    assert submission.status == Submission.Status.WAITING


def test_the_mission_page_takes_and_sends_a_proof(client):
    user, quest = ambassador(), mission()
    client.force_login(user)
    assert quest.title in client.get("/ambassadors/missions/").text
    client.post(f"/ambassadors/missions/{quest.pk}/take/")
    client.post(f"/ambassadors/missions/{quest.pk}/proof/", {"link": "https://social.example/x"})
    assert Submission.objects.filter(participation__ambassador=user).exists()


def test_staff_review_from_the_mission_page(client):
    submission = take_and_prove(ambassador(), mission())
    client.force_login(staff())
    client.post(f"/ambassadors/proofs/{submission.pk}/review/", {"decision": "approve"})
    submission.refresh_from_db()
    assert submission.status == Submission.Status.APPROVED
