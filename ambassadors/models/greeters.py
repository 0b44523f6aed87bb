from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .licences import split_codes


class Greeter(models.Model):
    """What an ambassador who opted in as a greeter offers visitors. The opt-in itself is
    `Profile.greeter`; without this row the profile's languages, areas and interests count."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="greeter_offer"
    )
    languages = models.CharField(_("languages I greet in"), max_length=100, blank=True)
    areas = models.ManyToManyField(
        "content.Area", verbose_name=_("areas I show"), blank=True, related_name="+"
    )
    interests = models.CharField(
        _("what I like to show"),
        max_length=300,
        blank=True,
        help_text=_("Separated by commas: markets, harbour, hiking"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("greeter")
        verbose_name_plural = _("greeters")

    def __str__(self):
        return str(self.user)

    @property
    def language_codes(self) -> list[str]:
        return split_codes(self.languages)


class GreeterRequest(models.Model):
    """A visitor's wish to meet a resident ("rencontrer un habitant"). The visitor has no
    account: their e-mail is confirmed by a signed link, and what identifies them is blanked
    once the visit is long past (`purged_at`)."""

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("E-mail not confirmed")
        OPEN = "open", _("Waiting for a greeter")
        MATCHED = "matched", _("A greeter accepted")
        CANCELLED = "cancelled", _("Cancelled")

    visitor_name = models.CharField(_("your first name"), max_length=80)
    visitor_email = models.EmailField(_("your e-mail"), max_length=254)
    visitor_language = models.CharField(max_length=8, default="fr")
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    group_size = models.PositiveSmallIntegerField(_("people in your group"))
    languages = models.CharField(_("languages"), max_length=100)
    interests = models.CharField(_("interests"), max_length=300, blank=True)
    area = models.ForeignKey(
        "content.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message = models.TextField(_("a word for the greeter"), max_length=1000, blank=True)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.UNCONFIRMED, db_index=True
    )
    greeter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="greeter_requests_taken",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    matched_at = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("greeter request")
        verbose_name_plural = _("greeter requests")

    def __str__(self):
        return _("Greeter request %(id)s") % {"id": self.pk}

    @property
    def language_codes(self) -> list[str]:
        return split_codes(self.languages)

    @property
    def interest_list(self) -> list[str]:
        return [part.strip() for part in self.interests.split(",") if part.strip()]


class GreeterProposal(models.Model):
    """A greeter the request was proposed to (and told about)."""

    request = models.ForeignKey(GreeterRequest, on_delete=models.CASCADE, related_name="proposals")
    greeter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="greeter_proposals"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "greeter"], name="one_proposal_per_greeter")
        ]
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.request_id} → {self.greeter_id}"


class GreeterFeedback(models.Model):
    class Author(models.TextChoices):
        VISITOR = "visitor", _("Visitor")
        GREETER = "greeter", _("Greeter")

    request = models.ForeignKey(GreeterRequest, on_delete=models.CASCADE, related_name="feedback")
    author = models.CharField(max_length=8, choices=Author.choices)
    text = models.TextField(_("your feedback"), max_length=500)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "author"], name="one_feedback_per_side")
        ]

    def __str__(self):
        return f"{self.request_id} {self.author}"
