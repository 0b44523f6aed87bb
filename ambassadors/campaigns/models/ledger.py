"""The value ledger and the written contracts."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ...models.missions import TracerStage
from .briefs import Campaign
from .casting import Engagement
from .common import NON_NEGATIVE, money_field


class LedgerLine(models.Model):
    """Cash or in-kind value a creator receives: added up per creator, advertiser, year and
    promotional objective (the brief's TRACER stage). Written when a creator is accepted,
    removed when they withdraw."""

    class Kind(models.TextChoices):
        CASH = "cash", _("Cash")
        IN_KIND = "in_kind", _("In kind")

    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="campaign_ledger"
    )
    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="ledger_lines"
    )
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="ledger_lines")
    advertiser = models.ForeignKey(
        "network.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    advertiser_name = models.CharField(max_length=200)
    advertiser_key = models.CharField(max_length=24)  # "agency" or "org:<id>"
    year = models.PositiveIntegerField()
    objective = models.CharField(max_length=16, choices=TracerStage.choices)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    label = models.CharField(max_length=200)
    amount = money_field(_("amount (€ excl. VAT)"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["year", "pk"]
        indexes = [models.Index(fields=["creator", "advertiser_key", "year"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="ledger_amount_not_negative"
            )
        ]

    def __str__(self):
        return f"{self.creator_id} {self.year} {self.label}: {self.amount}"


class Contract(models.Model):
    """The written contract between a creator and an advertiser for a year, generated from
    the template once their ledger reaches the threshold. Staff mark it signed; it covers
    the amount it was signed for (more value needs a new signature)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("To be signed")
        SIGNED = "signed", _("Signed")

    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="campaign_contracts"
    )
    advertiser = models.ForeignKey(
        "network.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    advertiser_name = models.CharField(max_length=200)
    advertiser_key = models.CharField(max_length=24)  # "agency" or "org:<id>"
    year = models.PositiveIntegerField()
    body = models.TextField()
    total = money_field(_("total (€ excl. VAT)"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    signed_total = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, validators=NON_NEGATIVE
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    generated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "pk"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            models.UniqueConstraint(
                fields=["creator", "advertiser_key", "year"],
                name="one_contract_per_creator_advertiser_year",
            )
        ]

    def __str__(self):
        return f"{self.creator} · {self.advertiser_name} · {self.year}"

    def get_absolute_url(self):
        return reverse("campaigns:contract", args=[self.pk])

    @property
    def covers_total(self) -> bool:
        return (
            self.status == self.Status.SIGNED
            and self.signed_total is not None
            and self.signed_total >= self.total
        )
