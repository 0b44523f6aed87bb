from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel


class FreshnessMixin(models.Model):
    """Pages that must be checked on a schedule: who maintains them, how often, and when
    they were last checked. `next_review_due` is stored so that "past due" is one query."""

    maintainers = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("maintainers"),
        blank=True,
        related_name="+",
        help_text=_("They are reminded when the page is due for review."),
    )
    review_interval_days = models.PositiveIntegerField(_("review every (days)"), default=180)
    last_reviewed_at = models.DateField(_("last reviewed on"), null=True, blank=True)
    next_review_due = models.DateField(
        _("next review due"), null=True, blank=True, editable=False, db_index=True
    )
    # The day the maintainers were last reminded, so that a retried daily task does not
    # send the same reminder twice.
    last_reminder_sent_on = models.DateField(
        _("last reminder sent on"), null=True, blank=True, editable=False
    )

    freshness_panels = [
        MultiFieldPanel(
            [
                FieldPanel("maintainers"),
                FieldPanel("review_interval_days"),
                FieldPanel("last_reviewed_at"),
            ],
            heading=_("Freshness"),
        )
    ]

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        reviewed = self.last_reviewed_at or timezone.localdate()
        self.next_review_due = reviewed + timedelta(days=self.review_interval_days)
        super().save(*args, **kwargs)

    @property
    def is_review_overdue(self) -> bool:
        return self.next_review_due is not None and self.next_review_due < timezone.localdate()
