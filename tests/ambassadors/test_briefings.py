"""Briefings: sent to all ambassadors or a segment, acknowledged "lu", reminded once."""

import pytest
from django.core import mail

from ambassadors.models import Briefing, BriefingRecipient
from ambassadors.services import briefings
from core.errors import Conflict, NotAllowed
from tests.ambassadors.factories import ambassador, staff
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def briefing(**fields):
    return Briefing.objects.create(title="Festival", body="<p>Infos</p>", **fields)


def test_a_briefing_goes_to_every_valid_ambassador(django_capture_on_commit_callbacks):
    reader, other = ambassador(), ambassador()
    ambassador(expired=True)
    UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        assert briefings.send_briefing(actor=staff(), briefing=briefing()) == 2
    # One e-mail each: the notification's (the briefing sent its own as well, twice in all).
    assert sorted(m.to[0] for m in mail.outbox) == sorted([reader.email, other.email])
    assert all("Festival" in m.subject for m in mail.outbox)


def test_a_segment_narrows_the_audience():
    english = ambassador(languages=",fr,en,")
    ambassador(languages=",fr,")
    sent = briefing(segment_language="en")
    briefings.send_briefing(actor=staff(), briefing=sent)
    assert list(sent.recipients.values_list("user_id", flat=True)) == [english.pk]


def test_an_ambassador_acknowledges_a_briefing():
    reader = ambassador()
    sent = briefing()
    briefings.send_briefing(actor=staff(), briefing=sent)
    assert briefings.mark_read(actor=reader, briefing=sent).read_at is not None


def test_a_briefing_not_sent_to_you_cannot_be_acknowledged():
    sent = briefing()
    briefings.send_briefing(actor=staff(), briefing=sent)
    with pytest.raises(NotAllowed):
        briefings.mark_read(actor=ambassador(), briefing=sent)


def test_the_unread_are_reminded_once(django_capture_on_commit_callbacks):
    reader, late = ambassador(), ambassador()
    sent = briefing()
    agency = staff()
    briefings.send_briefing(actor=agency, briefing=sent)
    briefings.mark_read(actor=reader, briefing=sent)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert briefings.remind_unread(actor=agency, briefing=sent) == 1
    assert [m.to[0] for m in mail.outbox] == [late.email]
    assert "Festival" in mail.outbox[0].subject and mail.outbox[0].subject != "Festival"
    with pytest.raises(Conflict):
        briefings.remind_unread(actor=agency, briefing=sent)


def test_only_staff_send_briefings():
    with pytest.raises(NotAllowed):
        briefings.send_briefing(actor=ambassador(), briefing=briefing())


def test_staff_see_who_read_it(client):
    reader = ambassador(UserFactory(display_name="Lectrice Assidue"))
    sent = briefing()
    briefings.send_briefing(actor=staff(), briefing=sent)
    briefings.mark_read(actor=reader, briefing=sent)
    client.force_login(staff())
    html = client.get(f"/ambassadors/briefings/{sent.pk}/").text
    assert "Lectrice Assidue" in html
    assert BriefingRecipient.objects.filter(read_at__isnull=False).count() == 1
