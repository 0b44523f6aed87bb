from celery import shared_task


@shared_task
def remind_expiring_licences_task():
    from .services.licences import remind_expiring_licences

    return remind_expiring_licences()


@shared_task
def flush_clicks_task():
    from .links.services import flush_clicks

    return flush_clicks()
