"""Press releases: a draft with a sanitised pitch, a preview, then one e-mail per contact of
the segment (locmem mail), each with its own tracked link; never twice, never to those who
unsubscribed."""

import pytest
from django.core import mail

from ambassadors.models import TrackedLink
from ambassadors.press.models import PressContact, PressRecipient, PressRelease
from ambassadors.press.services import releases, sending
from ambassadors.press.tasks import send_press_release_task
from core.errors import Conflict, InvalidInput, NotAllowed, RateLimited
from tests.factories import UserFactory

from .factories import contact, published_story, segment, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent():
    return staff()


@pytest.fixture
def regional():
    return segment()


@pytest.fixture
def draft(agent, regional):
    return releases.save_release(
        actor=agent,
        story=published_story(),
        segment=regional,
        subject="Les Embruns ouvrent la saison",
        pitch="<p>Bonjour, <strong>voici</strong> notre récit.</p><script>alert(1)</script>",
    )


def send(agent, draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return releases.send_release(actor=agent, release=draft)


def test_the_pitch_is_sanitised(draft):
    assert draft.pitch == "<p>Bonjour, <strong>voici</strong> notre récit.</p>alert(1)"
    assert draft.status == PressRelease.Status.DRAFT


@pytest.mark.parametrize("pitch", ["", "<script></script>  ", "<p> </p>"])
def test_a_release_needs_a_pitch(agent, regional, pitch):
    with pytest.raises(InvalidInput, match="accroche"):
        releases.save_release(
            actor=agent, story=published_story(), segment=regional, subject="S", pitch=pitch
        )


def test_an_unpublished_story_cannot_be_sent(agent, regional):
    story = published_story()
    story.unpublish()
    with pytest.raises(InvalidInput):
        releases.save_release(
            actor=agent, story=story, segment=regional, subject="S", pitch="<p>x</p>"
        )


def test_only_staff_prepare_a_release(regional):
    with pytest.raises(NotAllowed):
        releases.save_release(
            actor=UserFactory(),
            story=published_story(),
            segment=regional,
            subject="S",
            pitch="<p>x</p>",
        )


def test_each_contact_gets_one_e_mail_with_their_own_tracked_link(
    agent, regional, draft, django_capture_on_commit_callbacks
):
    first, second = contact(segments=[regional]), contact(segments=[regional])
    contact()  # not in the segment
    assert send(agent, draft, django_capture_on_commit_callbacks) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, second.email])
    links = {r.email: r.link for r in PressRecipient.objects.select_related("link")}
    assert links[first.email].code != links[second.email].code
    for message in mail.outbox:
        link = links[message.to[0]]
        assert link.source == "press" and link.owner == agent and link.page_id == draft.story_id
        assert f"/r/{link.code}" in message.body
        html = message.alternatives[0][0]
        assert f"/r/{link.code}" in html and "<strong>voici</strong>" in html
        assert "/press/unsubscribe/" in message.body
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message.subject == "Les Embruns ouvrent la saison"
        assert message.reply_to == [agent.email]
    draft.refresh_from_db()
    assert draft.status == PressRelease.Status.SENT and draft.sent_at
    assert set(PressRecipient.objects.values_list("status", flat=True)) == {"sent"}


def test_the_e_mail_is_in_french_first_or_in_the_contacts_language(
    agent, regional, draft, django_capture_on_commit_callbacks
):
    contact(segments=[regional], languages=("fr", "en"), email="bilingue@media.example")
    contact(segments=[regional], languages=("en",), email="english@media.example")
    send(agent, draft, django_capture_on_commit_callbacks)
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "Bonjour" in bodies["bilingue@media.example"]
    assert "Hello" in bodies["english@media.example"]
    assert "/en/press/unsubscribe/" in bodies["english@media.example"]


def test_unsubscribed_and_bounced_contacts_get_nothing(
    agent, regional, draft, django_capture_on_commit_callbacks
):
    contact(segments=[regional], email="ok@media.example")
    contact(segments=[regional], status=PressContact.Status.UNSUBSCRIBED)
    contact(segments=[regional], status=PressContact.Status.BOUNCED)
    assert send(agent, draft, django_capture_on_commit_callbacks) == 1
    assert [m.to for m in mail.outbox] == [["ok@media.example"]]
    statuses = sorted(PressRecipient.objects.values_list("status", flat=True))
    assert statuses == ["sent", "skipped", "skipped"]


def test_a_contact_who_unsubscribes_before_their_batch_gets_nothing(
    agent, regional, draft, django_capture_on_commit_callbacks
):
    leaving = contact(segments=[regional])
    with django_capture_on_commit_callbacks(execute=False):
        releases.send_release(actor=agent, release=draft)
    PressContact.objects.filter(pk=leaving.pk).update(status=PressContact.Status.UNSUBSCRIBED)
    send_press_release_task(draft.pk)
    assert mail.outbox == []
    assert PressRecipient.objects.get().status == PressRecipient.Status.SKIPPED


def test_a_segment_nobody_can_receive_is_refused(agent, regional, draft):
    contact(segments=[regional], status=PressContact.Status.UNSUBSCRIBED)
    with pytest.raises(Conflict):
        releases.send_release(actor=agent, release=draft)
    assert not PressRecipient.objects.exists()


def test_a_release_is_sent_once(agent, regional, draft, django_capture_on_commit_callbacks):
    contact(segments=[regional])
    send(agent, draft, django_capture_on_commit_callbacks)
    with pytest.raises(Conflict):
        releases.send_release(actor=agent, release=draft)
    assert len(mail.outbox) == 1


def test_a_retried_task_never_mails_anyone_twice(
    agent, regional, draft, django_capture_on_commit_callbacks
):
    contact(segments=[regional])
    contact(segments=[regional])
    send(agent, draft, django_capture_on_commit_callbacks)
    PressRelease.objects.filter(pk=draft.pk).update(status=PressRelease.Status.SENDING)
    send_press_release_task(draft.pk)
    send_press_release_task(draft.pk)
    assert len(mail.outbox) == 2


def test_a_recipient_claimed_by_another_worker_is_not_mailed_again(
    agent, regional, draft, django_capture_on_commit_callbacks
):
    contact(segments=[regional])
    with django_capture_on_commit_callbacks(execute=False):
        releases.send_release(actor=agent, release=draft)
    PressRecipient.objects.update(status=PressRecipient.Status.SENDING)  # taken, then died
    send_press_release_task(draft.pk)
    assert mail.outbox == []


def test_the_e_mails_leave_in_batches(
    agent, regional, draft, settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.PRESS_BATCH_SIZE = 2
    for _n in range(5):
        contact(segments=[regional])
    batches = []
    real = sending.deliver_batch

    def counted(release_id):
        batches.append(len(mail.outbox))
        return real(release_id)

    monkeypatch.setattr(sending, "deliver_batch", counted)
    send(agent, draft, django_capture_on_commit_callbacks)
    assert batches == [0, 2, 4] and len(mail.outbox) == 5


def test_a_failed_e_mail_is_recorded_and_the_others_leave(
    agent, regional, draft, django_capture_on_commit_callbacks, monkeypatch
):
    contact(segments=[regional], email="a@media.example")
    contact(segments=[regional], email="b@media.example")
    from django.core.mail import EmailMultiAlternatives

    real_send = EmailMultiAlternatives.send

    def flaky(self, *args, **kwargs):
        if self.to == ["a@media.example"]:
            raise OSError("connection reset")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", flaky)
    send(agent, draft, django_capture_on_commit_callbacks)
    failed = PressRecipient.objects.get(email="a@media.example")
    assert failed.status == "failed" and "connection reset" in failed.error
    assert [m.to for m in mail.outbox] == [["b@media.example"]]


def test_a_refused_address_is_marked_bounced(
    agent, regional, draft, django_capture_on_commit_callbacks, monkeypatch
):
    import smtplib

    from django.core.mail import EmailMultiAlternatives

    gone = contact(segments=[regional])

    def refused(self, *args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({gone.email: (550, b"No such user")})

    monkeypatch.setattr(EmailMultiAlternatives, "send", refused)
    send(agent, draft, django_capture_on_commit_callbacks)
    gone.refresh_from_db()
    assert gone.status == PressContact.Status.BOUNCED


def test_sending_is_rate_limited(agent, regional, settings, django_capture_on_commit_callbacks):
    settings.PRESS_SENDS_PER_HOUR = 1
    contact(segments=[regional])
    story = published_story()
    drafts = [
        releases.save_release(
            actor=agent, story=story, segment=regional, subject=f"S{n}", pitch="<p>x</p>"
        )
        for n in range(2)
    ]
    send(agent, drafts[0], django_capture_on_commit_callbacks)
    with pytest.raises(RateLimited):
        releases.send_release(actor=agent, release=drafts[1])
    assert PressRelease.objects.get(pk=drafts[1].pk).status == PressRelease.Status.DRAFT


def test_a_sent_release_cannot_change(agent, regional, draft, django_capture_on_commit_callbacks):
    contact(segments=[regional])
    send(agent, draft, django_capture_on_commit_callbacks)
    with pytest.raises(Conflict):
        releases.save_release(
            actor=agent,
            release=draft,
            story=draft.story,
            segment=regional,
            subject="Autre",
            pitch="<p>x</p>",
        )


def test_the_preview_shows_the_segment_s_first_contact(agent, regional, draft):
    contact(segments=[regional], name="Anaïs Corre")
    shown = sending.preview(draft)
    assert shown["name"] == "Anaïs Corre"
    assert "Bonjour Anaïs Corre" in shown["text"] and "voici" in shown["html"]
    assert "style=" not in shown["html"]  # shown in a page under the site's CSP
    assert not TrackedLink.objects.exists() and mail.outbox == []


def test_the_preview_is_in_the_first_contact_s_language(draft, regional):
    contact(segments=[regional], name="Emily Walsh", languages=("en",))
    assert "Hello Emily Walsh" in sending.preview(draft)["text"]
