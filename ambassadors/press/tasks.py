from celery import shared_task


@shared_task(acks_late=True)
def send_press_release_task(release_id: int):
    """One batch of e-mails, then the next batch after a pause (the sending rate)."""
    from .services.sending import batch_pause, deliver_batch

    remaining = deliver_batch(release_id)
    if remaining:
        send_press_release_task.apply_async((release_id,), countdown=batch_pause())
    return remaining
