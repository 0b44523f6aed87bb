from celery import shared_task


@shared_task
def remind_expiring_licences_task():
    from .services.licences import remind_expiring_licences

    return remind_expiring_licences()


@shared_task
def flush_clicks_task():
    from .links.services import flush_clicks

    return flush_clicks()


# Campaigns' tasks live in their sub-package; imported here so the worker knows them.
from .campaigns.tasks import check_published_url  # noqa: E402,F401
