from celery import shared_task


@shared_task
def check_published_url(deliverable_id: int) -> str:
    """Fetch a published content once (urlcheck.py) and record what was found."""
    from django.utils import timezone

    from . import urlcheck
    from .models import Deliverable, DeliverableEvent
    from .rules import current_rules

    # Claimed once: a retried or duplicated task finds it no longer pending.
    claimed = Deliverable.objects.filter(
        pk=deliverable_id, url_check=Deliverable.Check.PENDING
    ).update(url_check=Deliverable.Check.NONE, url_checked_at=timezone.now())
    if not claimed:
        return "skipped"
    deliverable = Deliverable.objects.select_related("engagement__campaign").get(pk=deliverable_id)
    campaign = deliverable.engagement.campaign
    mentions = current_rules().mention_list if campaign.is_commercial else []
    outcome = urlcheck.check(deliverable.published_url, mentions)
    Deliverable.objects.filter(pk=deliverable_id).update(
        url_check=outcome.status, url_checked_at=timezone.now()
    )
    DeliverableEvent.objects.create(
        deliverable=deliverable, action=f"checked:{outcome.status}", comment=outcome.detail
    )
    return outcome.status
