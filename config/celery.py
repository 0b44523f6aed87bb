import os

from celery import Celery
from celery import Task as CeleryTask
from celery.utils import uuid

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")


class Task(CeleryTask):
    """Every task of the project. In the embedded setup (eager Celery, no worker), a task sent
    while a request is handled runs once its response has gone out (config/after_response.py),
    as a worker would run it: the member does not wait for notifications to be fanned out.
    Outside a request, or with a broker, sending is as Celery does it."""

    def apply_async(self, args=None, kwargs=None, task_id=None, **options):
        from config.after_response import defer_until_response_sent

        if self.app.conf.task_always_eager:
            send = super().apply_async
            task_id = task_id or uuid()
            if defer_until_response_sent(lambda: send(args, kwargs, task_id=task_id, **options)):
                # Its result is not kept: code in a request sends tasks and forgets them.
                return self.AsyncResult(task_id)
        return super().apply_async(args, kwargs, task_id=task_id, **options)


app = Celery("territory", task_cls=Task)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
