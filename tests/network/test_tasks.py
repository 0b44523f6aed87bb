from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from network.tasks import clear_expired_sessions_task

pytestmark = pytest.mark.django_db


def test_it_removes_expired_sessions_only():
    now = timezone.now()
    Session.objects.create(
        session_key="old", session_data="", expire_date=now - timedelta(seconds=1)
    )
    Session.objects.create(session_key="live", session_data="", expire_date=now + timedelta(days=1))
    assert clear_expired_sessions_task.delay().get() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]
