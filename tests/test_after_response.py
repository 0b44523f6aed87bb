"""Eager tasks sent during a request run once its response is out (config/after_response.py),
as a worker would run them; elsewhere they run at once, as Celery's eager mode does."""

import logging
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.handlers.base import BaseHandler
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from config.after_response import AfterResponseMiddleware, defer_until_response_sent
from network.models import GroupMembership, Notification, Post
from network.tasks import clear_expired_sessions_task
from tests.network.factories import GroupFactory, add_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def expired_session():
    return Session.objects.create(
        session_key="old", session_data="", expire_date=timezone.now() - timedelta(seconds=1)
    )


def _still_there(session) -> bool:
    return Session.objects.filter(pk=session.pk).exists()


def test_a_task_sent_by_a_view_runs_when_the_response_is_closed(expired_session):
    seen_in_view = []

    def view(request):
        clear_expired_sessions_task.delay()
        seen_in_view.append(_still_there(expired_session))
        return HttpResponse("ok")

    response = AfterResponseMiddleware(view)(RequestFactory().get("/"))
    assert seen_in_view == [True]
    assert _still_there(expired_session)
    response.close()
    assert not _still_there(expired_session)


def test_outside_a_request_a_task_runs_at_once(expired_session):
    assert clear_expired_sessions_task.delay().get() == 1
    assert not _still_there(expired_session)
    assert defer_until_response_sent(lambda: None) is False


def test_work_that_fails_is_logged_and_the_rest_still_runs(expired_session, caplog):
    def view(request):
        defer_until_response_sent(lambda: 1 / 0)
        clear_expired_sessions_task.delay()
        return HttpResponse("ok")

    response = AfterResponseMiddleware(view)(RequestFactory().get("/"))
    with caplog.at_level(logging.ERROR, logger="config.after_response"):
        response.close()
    assert "Work after the response failed" in caplog.text
    assert not _still_there(expired_session)


def test_when_the_view_raises_the_work_runs_before_the_error_goes_up(expired_session):
    def view(request):
        clear_expired_sessions_task.delay()
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        AfterResponseMiddleware(view)(RequestFactory().get("/"))
    assert not _still_there(expired_session)


@pytest.mark.django_db(transaction=True)
def test_a_member_posting_is_answered_before_the_notifications_are_made(client):
    """Through the whole middleware stack, with real commits (the post's notification is
    sent when its transaction commits)."""
    group = GroupFactory()
    writer = add_member(group).user
    reader = add_member(group).user
    GroupMembership.objects.filter(user=reader).update(follows_closely=True)
    client.force_login(writer)
    handler = BaseHandler()
    handler.load_middleware()
    request = RequestFactory().post(
        reverse("network:group_post_create", args=[group.slug]),
        {"body": "Réunion jeudi", "tags": ""},
        HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}",
    )
    request._dont_enforce_csrf_checks = True
    told = Notification.objects.filter(recipient=reader, kind="group_post")

    response = handler.get_response(request)
    assert response.status_code == 302
    assert Post.objects.filter(author=writer, group=group).count() == 1
    assert told.count() == 0
    response.close()
    assert told.count() == 1
