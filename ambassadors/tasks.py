from celery import shared_task


@shared_task
def remind_expiring_licences_task():
    from .services.licences import remind_expiring_licences

    return remind_expiring_licences()


@shared_task
def flush_clicks_task():
    from .links.services import flush_clicks

    return flush_clicks()


@shared_task
def refresh_listed_task():
    """Daily, just after midnight: licences that start or expire today enter or leave the
    directory and the leaderboards."""
    from .services.licences import refresh_listed

    return refresh_listed()


@shared_task
def evaluate_badges_task(user_ids=None):
    from .services.badges import evaluate_badges

    return len(evaluate_badges(user_ids))


@shared_task
def purge_greeter_data_task():
    from .services.greeters import purge_greeter_data

    return purge_greeter_data()


# Campaigns' tasks live in their sub-package; imported here so the worker knows them.
from .campaigns.tasks import check_published_url  # noqa: E402,F401
