from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

LANGUAGE_CHOICES = [
    ("fr", _("French")),
    ("en", _("English")),
    ("de", _("German")),
    ("es", _("Spanish")),
    ("it", _("Italian")),
    ("nl", _("Dutch")),
    ("pt", _("Portuguese")),
    ("ar", _("Arabic")),
    ("zh", _("Chinese")),
    ("oc", _("Occitan")),
]
LANGUAGE_CODES = frozenset(code for code, _label in LANGUAGE_CHOICES)


def join_codes(codes) -> str:
    """Languages as stored: ",fr,en," so that one code is found with `contains=",en,"`."""
    codes = [code for code in dict.fromkeys(codes) if code in LANGUAGE_CODES]
    return f",{','.join(codes)}," if codes else ""


def split_codes(stored: str) -> list[str]:
    return [code for code in (stored or "").split(",") if code]


class Application(models.Model):
    """A member's request to become an ambassador, decided by staff."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        MORE_INFO = "more_info", _("More information asked")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ambassador_applications"
    )
    motivation = models.TextField(_("motivation"), max_length=3000)
    areas = models.ManyToManyField(
        "content.Area", verbose_name=_("areas"), blank=True, related_name="+"
    )
    interests = models.CharField(_("interests"), max_length=300, blank=True)
    skills = models.CharField(_("skills"), max_length=300, blank=True)
    languages = models.CharField(_("languages"), max_length=100, blank=True)
    links = models.TextField(_("links"), max_length=2000, blank=True)
    charter_version = models.PositiveIntegerField(_("charter version accepted"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    decision_reason = models.TextField(_("reason given to the applicant"), blank=True)
    committee_note = models.TextField(_("committee note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("ambassador application")
        verbose_name_plural = _("ambassador applications")

    def __str__(self):
        return _("Application of %(name)s") % {"name": self.applicant}

    @property
    def language_codes(self) -> list[str]:
        return split_codes(self.languages)

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class Licence(models.Model):
    """The ambassador licence: being an ambassador is holding a valid one (active, started,
    not expired). One per member, renewed by moving its expiry."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Revoked")

    holder = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ambassador_licence"
    )
    starts_on = models.DateField(_("start"))
    expires_on = models.DateField(_("expiry"), db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    charter_version = models.PositiveIntegerField(_("charter version accepted"), default=0)
    reminded_for = models.DateField(
        _("expiry reminded"),
        null=True,
        blank=True,
        help_text=_("The expiry date the holder was last reminded of."),
    )
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ambassador licence")
        verbose_name_plural = _("ambassador licences")

    def __str__(self):
        return _("Licence of %(name)s") % {"name": self.holder}

    def is_valid(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status == self.Status.ACTIVE and self.starts_on <= today <= self.expires_on

    @classmethod
    def valid_q(cls, prefix: str = "", today=None) -> models.Q:
        """The filter of valid licences; `prefix` leads to the licence."""
        today = today or timezone.localdate()
        return models.Q(
            **{
                f"{prefix}status": cls.Status.ACTIVE,
                f"{prefix}starts_on__lte": today,
                f"{prefix}expires_on__gte": today,
            }
        )
