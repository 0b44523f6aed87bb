"""Greeters: a visitor without an account asks to meet a resident; matching greeters are
proposed; the first to accept wins; contacts by e-mail; feedback; purge."""

import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone, translation

from ambassadors.models import (
    Greeter,
    GreeterFeedback,
    GreeterProposal,
    GreeterRequest,
    Profile,
)
from ambassadors.services import greeters
from content.models import Area
from core.errors import Conflict, InvalidInput, NotAllowed, NotFound, RateLimited
from tests.ambassadors.factories import ambassador, staff
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """Error messages are matched in English (French is the site's first language)."""
    with translation.override("en"):
        yield


def days(n):
    return timezone.localdate() + timedelta(days=n)


def ask(**fields):
    values = {
        "name": "Ana",
        "email": "ana@example.org",
        "date_from": days(5),
        "date_to": days(6),
        "group_size": 3,
        "languages": ["en"],
        "interests": "Sailing, food",
        "client": "203.0.113.9",
    }
    values.update(fields)
    return greeters.request_greeter(**values)


def greeter(languages=",en,", area=None, interests=("voile",), **profile):
    user = ambassador(greeter=True, languages=languages, **profile)
    if area is not None:
        user.ambassador_profile.areas.add(area)
    user.ambassador_profile.interests.add(*interests)
    return user


def open_request(**fields):
    request = ask(**fields)
    return greeters.confirm_request(token=greeters.link_token(request, "confirm"))


# The visitor's request -------------------------------------------------------------------------


def test_a_request_waits_for_its_email_to_be_confirmed(django_capture_on_commit_callbacks):
    greeter()
    with django_capture_on_commit_callbacks(execute=True):
        request = ask()
    assert request.status == GreeterRequest.Status.UNCONFIRMED
    assert not GreeterProposal.objects.exists()
    assert mail.outbox[-1].to == ["ana@example.org"]
    assert "/greeters/confirm/" in mail.outbox[-1].body


def test_confirming_proposes_matching_greeters_and_tells_them(django_capture_on_commit_callbacks):
    from network.models import Notification

    english, german = greeter(), greeter(languages=",de,")
    request = ask()
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = greeters.confirm_request(token=greeters.link_token(request, "confirm"))
    assert confirmed.status == GreeterRequest.Status.OPEN and confirmed.confirmed_at
    assert list(GreeterProposal.objects.values_list("greeter", flat=True)) == [english.pk]
    assert Notification.objects.filter(recipient=english, kind=greeters.NOTIFICATION_KIND).exists()
    assert not Notification.objects.filter(recipient=german).exists()
    # A second click changes nothing.
    greeters.confirm_request(token=greeters.link_token(request, "confirm"))
    assert GreeterProposal.objects.count() == 1


def test_matching_follows_area_interests_and_the_opt_in():
    region = Area.objects.create(name="Presqu'île", slug="presquile", kind=Area.Kind.REGION)
    kerlann = Area.objects.create(
        name="Kerlann", slug="kerlann", kind=Area.Kind.COMMUNE, parent=region
    )
    elsewhere = Area.objects.create(name="Ailleurs", slug="ailleurs", kind=Area.Kind.COMMUNE)
    local = greeter(area=kerlann, interests=("food",))
    regional = greeter(area=region, interests=("sailing", "food"))
    greeter(area=elsewhere)
    shy = greeter(area=kerlann)
    Profile.objects.filter(user=shy).update(greeter=False)
    expired = ambassador(expired=True, greeter=True, languages=",en,")
    expired.ambassador_profile.areas.add(kerlann)
    request = ask(area=kerlann)
    assert greeters.matching_greeters(request) == [regional.pk, local.pk]


def test_a_greeters_own_offer_overrides_the_profile():
    user = greeter(languages=",fr,")
    Greeter.objects.create(user=user, languages=",en,", interests="sailing")
    assert greeters.matching_greeters(ask()) == [user.pk]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "first name"),
        ({"email": "not-an-email"}, "e-mail"),
        ({"date_from": days(-1)}, "future"),
        ({"date_to": days(4)}, "before its start"),
        ({"date_to": days(60)}, "at most"),
        ({"group_size": 7}, "1 to 6"),
        ({"group_size": 0}, "1 to 6"),
        ({"languages": ["xx"]}, "language"),
        ({"message": "x" * 1001}, "too long"),
    ],
)
def test_bad_requests_are_refused_and_nothing_is_stored(fields, message):
    with pytest.raises(InvalidInput, match=message):
        ask(**fields)
    assert not GreeterRequest.objects.exists()


def test_the_message_is_sanitised():
    request = ask(message='<script>alert(1)</script><b onclick="x">Bonjour</b>')
    assert "<" not in request.message and "Bonjour" in request.message


def test_requests_are_rate_limited_per_address_and_per_email():
    for n in range(3):
        ask(email="same@example.org", client=f"198.51.100.{n}")
    with pytest.raises(RateLimited):
        ask(email="same@example.org", client="198.51.100.9")
    for n in range(5):
        ask(email=f"v{n}@example.org", client="192.0.2.1")
    with pytest.raises(RateLimited):
        ask(email="other@example.org", client="192.0.2.1")
    assert GreeterRequest.objects.count() == 8


def test_the_form_refuses_a_filled_honeypot_a_quick_post_and_a_forged_stamp():
    now = time.time()
    greeters.check_human(stamp=greeters.form_stamp(now - 10), honeypot="", now=now)
    with pytest.raises(InvalidInput):
        greeters.check_human(stamp=greeters.form_stamp(now - 10), honeypot="http://spam", now=now)
    with pytest.raises(InvalidInput, match="quick"):
        greeters.check_human(stamp=greeters.form_stamp(now - 1), honeypot="", now=now)
    with pytest.raises(InvalidInput, match="expired"):
        greeters.check_human(stamp=greeters.form_stamp(now - 3 * 3600), honeypot="", now=now)
    with pytest.raises(InvalidInput):
        greeters.check_human(stamp="1700000000", honeypot="", now=now)


def test_the_public_form_asks_and_refuses_a_bot(client, monkeypatch):
    data = {
        "name": "Ana",
        "email": "ana@example.org",
        "date_from": days(5).isoformat(),
        "date_to": days(6).isoformat(),
        "group_size": "2",
        "languages": ["en"],
        "stamp": greeters.form_stamp(time.time() - 10),
    }
    bot = client.post("/en/greeters/", {**data, "website": "http://spam.example"})
    assert bot.status_code == 200 and "could not be sent" in bot.text
    assert not GreeterRequest.objects.exists()
    assert client.post("/en/greeters/", {**data, "group_size": "9"}).status_code == 200
    assert not GreeterRequest.objects.exists()
    response = client.post("/en/greeters/", data)
    assert response.status_code == 302 and response["Location"].endswith("/greeters/sent/")
    assert GreeterRequest.objects.get().visitor_language == "en"


def test_the_public_form_answers_429_when_rate_limited(client):
    data = {
        "name": "Ana",
        "date_from": days(5).isoformat(),
        "date_to": days(6).isoformat(),
        "group_size": "2",
        "languages": ["en"],
        "stamp": greeters.form_stamp(time.time() - 10),
    }
    statuses = [
        client.post("/greeters/", {**data, "email": f"v{n}@example.org"}).status_code
        for n in range(6)
    ]
    assert statuses == [302] * 5 + [429]


@pytest.mark.parametrize("token", ["forged", "eyJyIjoxfQ:1abc:def"])
def test_a_bad_link_is_a_404(client, token):
    assert client.get(f"/greeters/confirm/{token}/").status_code == 404
    assert client.get(f"/greeters/feedback/{token}/").status_code == 404


def test_a_confirmation_link_does_not_open_the_feedback_form(client):
    request = ask()
    token = greeters.link_token(request, "confirm")
    assert client.get(f"/greeters/feedback/{token}/").status_code == 404


def test_confirming_through_the_page(client):
    greeter()
    request = ask()
    token = greeters.link_token(request, "confirm")
    assert client.get(f"/greeters/confirm/{token}/").status_code == 200
    request.refresh_from_db()
    assert request.status == GreeterRequest.Status.UNCONFIRMED  # a GET changes nothing
    assert client.post(f"/greeters/confirm/{token}/").status_code == 200
    request.refresh_from_db()
    assert request.status == GreeterRequest.Status.OPEN


# The greeter's side ---------------------------------------------------------------------------


def test_the_first_greeter_to_accept_wins(django_capture_on_commit_callbacks):
    first, second = greeter(), greeter()
    request = open_request()
    with django_capture_on_commit_callbacks(execute=True):
        greeters.accept_request(actor=first, request=request)
    with pytest.raises(Conflict, match="Another greeter"):
        greeters.accept_request(actor=second, request=request)
    request.refresh_from_db()
    assert request.greeter == first and request.status == GreeterRequest.Status.MATCHED
    to_visitor, to_greeter = mail.outbox[-2:]
    assert to_visitor.to == ["ana@example.org"] and first.email in to_visitor.body
    assert "/greeters/feedback/" in to_visitor.body
    assert to_greeter.to == [first.email] and "ana@example.org" in to_greeter.body


def test_the_visitor_gets_the_greeters_contact_in_their_language(
    client, django_capture_on_commit_callbacks
):
    user = greeter()
    data = {
        "name": "Ana",
        "email": "ana@example.org",
        "date_from": days(5).isoformat(),
        "date_to": days(6).isoformat(),
        "group_size": "2",
        "languages": ["en"],
        "stamp": greeters.form_stamp(time.time() - 10),
    }
    client.post("/en/greeters/", data)
    request = GreeterRequest.objects.get()
    greeters.confirm_request(token=greeters.link_token(request, "confirm"))
    with django_capture_on_commit_callbacks(execute=True):
        greeters.accept_request(actor=user, request=request)
    assert "will be glad to meet you" in mail.outbox[-2].body


def test_accepting_twice_or_unproposed_is_refused():
    proposed, stranger = greeter(), greeter(languages=",de,")
    request = open_request()
    greeters.accept_request(actor=proposed, request=request)
    with pytest.raises(Conflict, match="already accepted"):
        greeters.accept_request(actor=proposed, request=request)
    with pytest.raises(NotFound):
        greeters.accept_request(actor=stranger, request=request)


def test_a_member_without_licence_cannot_accept():
    request = open_request()
    with pytest.raises(NotAllowed):
        greeters.accept_request(actor=UserFactory(), request=request)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers")
@pytest.mark.django_db(transaction=True)
def test_two_greeters_accepting_at_once_give_one_winner():
    people = [greeter() for _n in range(4)]
    request = open_request()
    results, barrier = [], threading.Barrier(len(people))

    def race(user):
        from django.db import connection as own

        barrier.wait()
        try:
            greeters.accept_request(actor=user, request=request)
            results.append("won")
        except Conflict:
            results.append("taken")
        finally:
            own.close()

    threads = [threading.Thread(target=race, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["taken"] * 3 + ["won"]


def test_the_race_is_decided_by_one_conditional_update(monkeypatch):
    """Two greeters read the request as open; the second's UPDATE finds it taken."""
    first, second = greeter(), greeter()
    request = open_request()
    stale = GreeterRequest.objects.get(pk=request.pk)
    monkeypatch.setattr(greeters, "get_request_for", lambda actor, pk: stale)
    greeters.accept_request(actor=first, request=stale)
    with pytest.raises(Conflict, match="Another greeter"):
        greeters.accept_request(actor=second, request=stale)
    assert GreeterRequest.objects.get(pk=request.pk).greeter == first


def test_others_see_the_request_taken(client):
    first, second = greeter(), greeter()
    request = open_request()
    greeters.accept_request(actor=first, request=request)
    client.force_login(second)
    page = client.get(f"/en/ambassadors/greeters/{request.pk}/").text
    assert "Taken by another greeter" in page and "ana@example.org" not in page
    assert "I will greet them" not in page
    assert "Taken by another greeter" in client.get("/en/ambassadors/greeters/").text
    client.force_login(first)
    assert "ana@example.org" in client.get(f"/en/ambassadors/greeters/{request.pk}/").text


def test_a_request_not_proposed_is_a_404_for_an_ambassador(client):
    request = open_request()
    client.force_login(greeter(languages=",de,"))
    assert client.get(f"/ambassadors/greeters/{request.pk}/").status_code == 404


def test_an_ambassador_opts_in_with_languages_areas_and_interests(client):
    user = ambassador()
    area = Area.objects.create(name="Kerlann", slug="kerlann", kind=Area.Kind.COMMUNE)
    client.force_login(user)
    response = client.post(
        "/ambassadors/me/greeter/",
        {"active": "on", "languages": ["en", "de"], "areas": [area.pk], "interests": "Voile"},
    )
    assert response.status_code == 302
    offer = Greeter.objects.get(user=user)
    assert offer.language_codes == ["en", "de"] and offer.interests == "voile"
    assert list(offer.areas.all()) == [area]
    assert Profile.objects.get(user=user).greeter
    assert greeters.matching_greeters(ask(area=area)) == [user.pk]


def test_opting_in_needs_a_language():
    with pytest.raises(InvalidInput):
        greeters.save_greeter_offer(
            actor=ambassador(), active=True, languages=[], areas=[], interests=""
        )


# Feedback ---------------------------------------------------------------------------------------


def test_both_sides_leave_one_feedback_after_the_date():
    user = greeter()
    request = open_request(date_from=days(1), date_to=days(2))
    greeters.accept_request(actor=user, request=request)
    with pytest.raises(Conflict, match="after the visit"):
        greeters.leave_greeter_feedback(actor=user, request=request, text="Super")
    GreeterRequest.objects.filter(pk=request.pk).update(date_from=days(-1))
    request.refresh_from_db()
    greeters.leave_greeter_feedback(actor=user, request=request, text="<b>Super</b> balade")
    token = greeters.link_token(request, "feedback")
    greeters.leave_visitor_feedback(token=token, text="Merci !")
    with pytest.raises(Conflict):
        greeters.leave_visitor_feedback(token=token, text="Encore merci")
    assert dict(GreeterFeedback.objects.values_list("author", "text")) == {
        "greeter": "Super balade",
        "visitor": "Merci !",
    }


@pytest.mark.parametrize("text", ["", "x" * 501])
def test_a_feedback_is_short_and_not_empty(text):
    user = greeter()
    request = open_request(date_from=days(0))
    greeters.accept_request(actor=user, request=request)
    with pytest.raises(InvalidInput):
        greeters.leave_greeter_feedback(actor=user, request=request, text=text)


def test_only_the_greeter_who_met_them_leaves_the_greeters_feedback():
    first, second = greeter(), greeter()
    request = open_request(date_from=days(0))
    greeters.accept_request(actor=first, request=request)
    with pytest.raises(NotAllowed):
        greeters.leave_greeter_feedback(actor=second, request=request, text="Hmm")


# Staff, purge, personal data -------------------------------------------------------------------


def test_staff_see_requests_with_no_taker(client):
    user = greeter()
    taken = open_request()
    greeters.accept_request(actor=user, request=taken)
    lonely = open_request(email="solo@example.org", languages=["zh"])
    assert list(greeters.waiting_requests()) == [lonely]
    client.force_login(staff())
    page = client.get("/en/ambassadors/greeters/waiting/").text
    assert f"/ambassadors/greeters/{lonely.pk}/" in page
    assert f"/ambassadors/greeters/{taken.pk}/" not in page


def test_the_staff_list_costs_the_same_for_1_or_20(client, django_assert_num_queries):
    client.force_login(staff())
    client.get("/ambassadors/greeters/waiting/")  # the header's fragments, cached once
    counts = []
    for n in (1, 20):
        GreeterRequest.objects.all().delete()
        area = Area.objects.create(name=f"A{n}", slug=f"a{n}", kind=Area.Kind.COMMUNE)
        for i in range(n):
            GreeterRequest.objects.create(
                visitor_name="V",
                visitor_email=f"v{i}@example.org",
                date_from=days(3),
                date_to=days(4),
                group_size=2,
                languages=",en,",
                area=area,
                status=GreeterRequest.Status.OPEN,
            )
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get("/ambassadors/greeters/waiting/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_visitors_data_is_purged_after_the_period(settings):
    settings.GREETER_PURGE_AFTER_DAYS = 30
    user = greeter()
    request = open_request()
    greeters.accept_request(actor=user, request=request)
    GreeterRequest.objects.filter(pk=request.pk).update(date_from=days(-40), date_to=days(-31))
    recent = open_request(email="recent@example.org")
    stale = ask(email="stale@example.org")
    GreeterRequest.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(days=8))
    from ambassadors.tasks import purge_greeter_data_task

    assert purge_greeter_data_task.delay().get() == {"deleted": 1, "purged": 1}
    request.refresh_from_db()
    assert request.visitor_email == "" and request.visitor_name == "" and request.purged_at
    assert request.greeter == user  # the anonymous visit stays for the figures
    assert GreeterRequest.objects.get(pk=recent.pk).visitor_email == "recent@example.org"
    assert not GreeterRequest.objects.filter(pk=stale.pk).exists()
    with pytest.raises(NotFound):
        greeters.request_from_token(greeters.link_token(request, "feedback"), "feedback")


def test_the_greeters_side_is_exported_and_erased():
    from ambassadors.personal_data import erase_personal_data, export_personal_data

    user = greeter()
    greeters.save_greeter_offer(
        actor=user, active=True, languages=["en"], areas=[], interests="voile"
    )
    request = open_request(date_from=days(0))
    greeters.accept_request(actor=user, request=request)
    greeters.leave_greeter_feedback(actor=user, request=request, text="Super")
    exported = export_personal_data(user)["greeter"]
    assert exported["offer"]["languages"] == ["en"]
    assert exported["proposed"][0]["accepted"] is True
    assert exported["feedback"][0]["text"] == "Super"
    assert "ana@example.org" not in str(exported)
    erase_personal_data(user)
    assert not Greeter.objects.filter(user=user).exists()
    assert not GreeterProposal.objects.filter(greeter=user).exists()
    assert GreeterRequest.objects.get(pk=request.pk).greeter is None
    assert not GreeterFeedback.objects.exists()


def test_greeting_a_visitor_earns_the_first_welcome_badge():
    from ambassadors.models import BadgeAward
    from ambassadors.services.badges import evaluate_badges

    user = greeter()
    request = open_request(date_from=days(0))
    greeters.accept_request(actor=user, request=request)
    evaluate_badges([user.pk])
    assert BadgeAward.objects.filter(user=user, badge__slug="premier-accueil").exists()
