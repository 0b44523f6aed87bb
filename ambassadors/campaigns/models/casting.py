"""Casting: one creator on one brief."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .briefs import Campaign
from .common import NON_NEGATIVE, money_field


class Engagement(models.Model):
    """One creator on one brief: invited or applying, then accepted, declined…"""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        APPLIED = "applied", _("Applied")
        COUNTERED = "countered", _("Counter-offer sent")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        REFUSED = "refused", _("Not retained")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Seat(models.TextChoices):
        NONE = "", _("No seat")
        TAKEN = "taken", _("Seat taken")
        WAITLIST = "waitlist", _("On the waiting list")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="engagements")
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="campaign_engagements"
    )
    status = models.CharField(max_length=16, choices=Status.choices, db_index=True)
    seat = models.CharField(max_length=16, choices=Seat.choices, blank=True, default="")
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    # The terms agreed (the brief's, or an accepted counter-offer's).
    agreed_cash = money_field(_("cash agreed (€ excl. VAT)"))
    agreed_deliverables = models.TextField(blank=True, default="")
    counter_cash = models.DecimalField(
        _("cash asked (€ excl. VAT)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    counter_deliverables = models.TextField(_("deliverables proposed"), max_length=2000, blank=True)
    note = models.TextField(_("message"), max_length=2000, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The realtime app's room between staff and this creator (network.signals.conversation_wanted).
    chat_room_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("creator on a brief")
        verbose_name_plural = _("creators on briefs")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "creator"], name="one_engagement_per_brief")
        ]
        indexes = [models.Index(fields=["campaign", "seat", "waitlisted_at"])]

    def __str__(self):
        return f"{self.creator} · {self.campaign}"

    @property
    def takes_part(self) -> bool:
        """Accepted and, on an eductour, not waiting for a seat."""
        return self.status == self.Status.ACCEPTED and self.seat != self.Seat.WAITLIST
