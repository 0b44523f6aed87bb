"""What the programme hears from the content hub and from its own admin screens."""

from django.db import transaction
from django.db.models.signals import post_save
from wagtail.signals import page_published

from .models import Badge


def story_published(sender, instance, **kwargs):
    """A story published with an author may earn them the storyteller's badge."""
    author_id = getattr(instance, "author_id", None)
    if author_id:
        from .services.badges import evaluate_badges

        evaluate_badges([author_id])


def badge_saved(sender, instance, **kwargs):
    """A badge added or lowered in the admin goes to those who already reach it."""
    if instance.active:
        from .tasks import evaluate_badges_task

        transaction.on_commit(evaluate_badges_task.delay)


def connect() -> None:
    from content.models import StoryPage

    page_published.connect(story_published, sender=StoryPage, dispatch_uid="ambassadors-story")
    post_save.connect(badge_saved, sender=Badge, dispatch_uid="ambassadors-badge-saved")
