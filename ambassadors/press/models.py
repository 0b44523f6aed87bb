"""e-PR: the agency's press contacts (people, not members: staff-only), their segments, and
the press releases sent to a segment, one recipient row per contact and release."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.mail import validate_single_line

from ..models.licences import split_codes


class PressSegment(models.Model):
    """A list of contacts a release is sent to ("Presse régionale", "Blogs voyage")."""

    name = models.CharField(_("name"), max_length=80, validators=[validate_single_line])
    description = models.CharField(_("description"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("name"), name="press_segment_unique_name"),
        ]
        ordering = ["name", "pk"]
        verbose_name = _("press segment")
        verbose_name_plural = _("press segments")

    def __str__(self):
        return self.name


class PressContact(models.Model):
    """A journalist, editor or blogger the agency writes to. Kept by staff only."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        BOUNCED = "bounced", _("Bounced")

    class ConsentBasis(models.TextChoices):
        # RGPD art. 6: a journalist's professional address may be used on legitimate interest
        # for releases on their beat; consent when they asked to be on the list.
        LEGITIMATE_INTEREST = "legitimate_interest", _("Legitimate interest (professional)")
        CONSENT = "consent", _("Consent")

    name = models.CharField(_("name"), max_length=150, validators=[validate_single_line])
    email = models.EmailField(_("e-mail"), max_length=254)
    outlet = models.CharField(_("outlet or media"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=100, blank=True)
    beats = models.CharField(
        _("beats and topics"),
        max_length=300,
        blank=True,
        help_text=_("Separated by commas: travel, food, sailing"),
    )
    languages = models.CharField(_("languages"), max_length=100, blank=True)  # ",fr,en,"
    area = models.ForeignKey(
        "content.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    segments = models.ManyToManyField(
        PressSegment, verbose_name=_("segments"), blank=True, related_name="contacts"
    )
    consent_basis = models.CharField(
        _("legal basis"),
        max_length=24,
        choices=ConsentBasis.choices,
        default=ConsentBasis.LEGITIMATE_INTEREST,
    )
    consent_date = models.DateField(_("basis recorded on"), default=timezone.localdate)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="press_contacts",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="press_contact_unique_email",
                violation_error_message=_("A press contact already has this e-mail address."),
            ),
        ]
        indexes = [models.Index(fields=["name", "id"], name="press_contact_name_idx")]
        ordering = ["name", "pk"]
        verbose_name = _("press contact")
        verbose_name_plural = _("press contacts")

    def __str__(self):
        return f"{self.name} <{self.email}>"

    @property
    def language_codes(self) -> list[str]:
        return split_codes(self.languages)

    @property
    def mail_language(self) -> str:
        """French first; a contact who reads English and not French gets English."""
        codes = self.language_codes
        if not codes or "fr" in codes:
            return "fr"
        return "en" if "en" in codes else "fr"

    @property
    def beat_list(self) -> list[str]:
        return [beat.strip() for beat in self.beats.split(",") if beat.strip()]

    @property
    def can_receive(self) -> bool:
        return self.status == self.Status.ACTIVE


class PressRelease(models.Model):
    """A hub story sent to a segment with a short pitch. Draft until sent; once sent it is
    never sent again (its recipients are recorded one by one)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    story = models.ForeignKey(
        "content.StoryPage", verbose_name=_("story"), on_delete=models.PROTECT, related_name="+"
    )
    segment = models.ForeignKey(
        PressSegment, verbose_name=_("segment"), on_delete=models.PROTECT, related_name="releases"
    )
    subject = models.CharField(_("subject"), max_length=150, validators=[validate_single_line])
    pitch = models.TextField(_("pitch"), max_length=3000)  # sanitised HTML (core.sanitizer)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("press release")
        verbose_name_plural = _("press releases")

    def __str__(self):
        return self.subject


class PressRecipient(models.Model):
    """One contact's copy of a release: its own tracked link, whether the e-mail left, and
    when the link was first followed. The name and address are those it was sent to."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not sent")

    release = models.ForeignKey(PressRelease, on_delete=models.CASCADE, related_name="recipients")
    contact = models.ForeignKey(
        PressContact, null=True, on_delete=models.SET_NULL, related_name="receipts"
    )
    name = models.CharField(max_length=150)
    email = models.CharField(max_length=254)
    link = models.ForeignKey(
        "ambassadors.TrackedLink", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["release", "contact"], name="press_one_recipient_per_contact"
            )
        ]
        indexes = [models.Index(fields=["release", "status"], name="press_recipient_status_idx")]
        ordering = ["name", "pk"]

    def __str__(self):
        return f"{self.release} → {self.email}"
