"""The fan-out crosses Redis to a real Celery worker process: the request only queues it, the
worker creates one notification per close follower, and a second delivery of the same task
creates nothing more."""

import time

import pytest
from django.contrib.contenttypes.models import ContentType

from config.celery import app as celery_app
from network.models import GroupMembership, Notification, Post
from network.services import notifications as service
from network.services import posts
from network.tasks import create_notifications_task
from tests.integration.conftest import requires_redis
from tests.integration.test_celery_worker import QUEUE, tasks_go_to_the_broker, worker
from tests.network.factories import GroupFactory, add_member

pytestmark = [pytest.mark.integration, requires_redis, pytest.mark.django_db(transaction=True)]

__all__ = ["tasks_go_to_the_broker", "worker"]  # fixtures used below


@pytest.fixture
def default_queue_is_the_workers():
    celery_app.conf.task_default_queue = QUEUE
    yield
    celery_app.conf.task_default_queue = "celery"


def wait_for(rows, count, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if rows.count() >= count:
            return
        time.sleep(0.05)
    pytest.fail(f"{rows.count()} notifications of {count} after {timeout} s")


def test_the_worker_fans_a_group_post_out_once_per_follower(
    worker, tasks_go_to_the_broker, default_queue_is_the_workers
):
    group = GroupFactory()
    author = add_member(group).user
    followers = [add_member(group).user for _ in range(30)]
    GroupMembership.objects.filter(user__in=followers).update(follows_closely=True)

    post = posts.create_post(actor=author, body="Assemblée générale mardi.", group=group)
    rows = Notification.objects.filter(event_key=f"post:{post.pk}")
    wait_for(rows, 30)

    again = create_notifications_task.apply_async(
        kwargs={
            "kind": "group_post",
            "recipients": service.GroupAudience(group.pk, follows_closely=True).as_json(),
            "actor_id": author.pk,
            "target_type_id": ContentType.objects.get_for_model(Post).pk,
            "target_id": post.pk,
            "event_key": f"post:{post.pk}",
            "url": post.get_absolute_url(),
            "data": {},
        },
        ignore_result=False,
    )
    # This process is the test, not a task: Celery's "inside a task" guard does not apply.
    assert again.get(timeout=60, disable_sync_subtasks=False) == 0
    assert rows.count() == 30
    assert set(rows.values_list("recipient_id", flat=True)) == {f.pk for f in followers}
    assert not Notification.objects.filter(recipient=author).exists()
