"""Badges: awarded by the agency's rules, given by hand, shown on profiles, cards and the API."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ambassadors.links.services import make_link
from ambassadors.models import Badge, BadgeAward, Licence, LinkClickDay, Profile
from ambassadors.services import badges, missions
from ambassadors.services.recognition import award_click_points
from core.errors import Conflict, NotAllowed
from tests.ambassadors.factories import ambassador, mission, staff
from tests.content.factories_pages import home, story, story_index
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def slugs(user):
    return set(BadgeAward.objects.filter(user=user).values_list("badge__slug", flat=True))


def test_the_programme_starts_with_default_badges():
    assert {"premiere-mission", "cent-visiteurs", "conteur", "veteran", "greeter"} <= set(
        Badge.objects.values_list("slug", flat=True)
    )


def test_a_first_approved_mission_earns_its_badge():
    user = ambassador()
    task = mission()
    missions.take_mission(actor=user, mission=task)
    submission = missions.submit_proof(actor=user, mission=task, text="Fait")
    assert "premiere-mission" not in slugs(user)
    missions.review_submission(actor=staff(), submission=submission, decision="approve")
    assert "premiere-mission" in slugs(user)


def test_a_hundred_visitors_earn_the_clicks_badge():
    user = ambassador()
    link = make_link(owner=user, page=home())
    today = timezone.localdate()
    LinkClickDay.objects.create(link=link, day=today - timedelta(days=1), clicks=60)
    award_click_points({today - timedelta(days=1)})
    assert "cent-visiteurs" not in slugs(user)
    LinkClickDay.objects.create(link=link, day=today, clicks=40)
    award_click_points({today})
    assert "cent-visiteurs" in slugs(user)


def test_a_published_story_earns_the_storytellers_badge():
    user = ambassador()
    story(story_index(), author=user)
    assert "conteur" in slugs(user)


def test_veterans_and_greeters_are_found_by_the_daily_task():
    veteran = ambassador()
    Licence.objects.filter(holder=veteran).update(
        starts_on=timezone.localdate() - timedelta(days=400)
    )
    greeter = ambassador(greeter=True)
    from ambassadors.tasks import evaluate_badges_task

    evaluate_badges_task.delay()
    assert "veteran" in slugs(veteran) and "greeter" not in slugs(veteran)
    assert "greeter" in slugs(greeter) and "veteran" not in slugs(greeter)


def test_an_expired_licence_earns_nothing():
    user = ambassador(expired=True, greeter=True)
    assert badges.evaluate_badges() == []
    assert slugs(user) == set()


def test_a_badge_is_awarded_once_and_kept():
    user = ambassador(greeter=True)
    assert len(badges.evaluate_badges([user.pk])) == 1
    assert badges.evaluate_badges([user.pk]) == []
    Profile.objects.filter(user=user).update(greeter=False)
    badges.evaluate_badges([user.pk])
    assert "greeter" in slugs(user)


def test_a_badge_the_agency_adds_goes_to_those_who_reach_it(django_capture_on_commit_callbacks):
    user = ambassador()
    Licence.objects.filter(holder=user).update(starts_on=timezone.localdate() - timedelta(days=40))
    with django_capture_on_commit_callbacks(execute=True):
        Badge.objects.create(slug="un-mois", name="Un mois", rule="veteran", threshold=30)
    assert "un-mois" in slugs(user)


def test_an_inactive_badge_is_neither_awarded_nor_shown():
    user = ambassador(greeter=True)
    Badge.objects.filter(slug="greeter").update(active=False)
    badges.evaluate_badges()
    assert "greeter" not in slugs(user)
    BadgeAward.objects.create(user=user, badge=Badge.objects.get(slug="greeter"))
    assert badges.badges_of([user.pk]) == {}


def test_the_new_badge_is_notified(django_capture_on_commit_callbacks):
    from network.models import Notification

    user = ambassador(greeter=True)
    with django_capture_on_commit_callbacks(execute=True):
        badges.evaluate_badges([user.pk])
    assert Notification.objects.filter(recipient=user, kind=badges.NOTIFICATION_KIND).exists()


def test_staff_give_a_badge_by_hand_once():
    user = ambassador()
    badge = Badge.objects.create(slug="benevole", name="Bénévole de l'année", rule="manual")
    badges.award_badge(actor=staff(), user=user, badge=badge)
    assert "benevole" in slugs(user)
    with pytest.raises(Conflict):
        badges.award_badge(actor=staff(), user=user, badge=badge)


@pytest.mark.parametrize("who", ["member", "ambassador"])
def test_only_staff_give_badges(who):
    actor = UserFactory() if who == "member" else ambassador()
    badge = Badge.objects.create(slug="benevole", name="Bénévole", rule="manual")
    with pytest.raises(NotAllowed):
        badges.award_badge(actor=actor, user=ambassador(), badge=badge)
    assert not BadgeAward.objects.exists()


def test_the_profile_shows_badges_in_the_readers_language(client):
    user = ambassador(visibility="public", greeter=True)
    badges.evaluate_badges([user.pk])
    assert "Greeter" in client.get(f"/ambassadors/{user.username}/").text
    Badge.objects.filter(slug="greeter").update(name="Accueillant", name_en="Welcomer")
    assert "Accueillant" in client.get(f"/ambassadors/{user.username}/").text
    assert "Welcomer" in client.get(f"/en/ambassadors/{user.username}/").text


def test_badges_follow_the_activitys_visibility(client):
    user = ambassador(visibility="public", greeter=True)
    Profile.objects.filter(user=user).update(activity_visibility="private")
    badges.evaluate_badges([user.pk])
    Badge.objects.filter(slug="greeter").update(name="Accueillant")
    assert "Accueillant" not in client.get(f"/ambassadors/{user.username}/").text
    assert "Accueillant" not in client.get("/ambassadors/").text
    assert client.get(f"/api/v1/ambassadors/{user.username}").json()["badges"] is None


def test_directory_cards_and_the_api_show_badges(client):
    user = ambassador(visibility="public", greeter=True)
    badges.evaluate_badges([user.pk])
    Badge.objects.filter(slug="greeter").update(name="Accueillant")
    assert "Accueillant" in client.get("/ambassadors/").text
    listed = client.get("/api/v1/ambassadors").json()["items"][0]
    assert listed["badges"] == [
        {
            "slug": "greeter",
            "name": "Accueillant",
            "symbol": "☺",
            "description": "Accueille des visiteurs comme greeter.",
        }
    ]
    assert client.get(f"/api/v1/ambassadors/{user.username}").json()["badges"][0]["slug"] == (
        "greeter"
    )


def test_staff_give_a_badge_from_the_profile(client):
    user = ambassador(visibility="public")
    badge = Badge.objects.create(slug="benevole", name="Bénévole", rule="manual")
    client.force_login(staff())
    assert "Give a badge" in client.get(f"/en/ambassadors/{user.username}/").text
    response = client.post(f"/ambassadors/{user.username}/badges/", {"badge": badge.pk})
    assert response.status_code == 302
    assert "benevole" in slugs(user)


def test_the_agency_edits_badges_in_the_admin(admin_client):
    assert admin_client.get("/admin/snippets/ambassadors/badge/").status_code == 200
