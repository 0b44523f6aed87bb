from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.validators import validate_image_upload


class TracerStage(models.TextChoices):
    """The agency's funnel: every mission (and campaign) names the stage it serves."""

    TOUS_REUNIS = "tous_reunis", _("Tous réunis")
    REPUTATION = "reputation", _("Réputation")
    AFFINITES = "affinites", _("Affinités")
    CONVERTIR = "convertir", _("Convertir")
    ENGAGEMENT = "engagement", _("Engagement")
    RETENTION = "retention", _("Rétention")


class MissionType(models.TextChoices):
    SHARE = "share", _("Share a page on a social network")
    STORY = "story", _("Write a story")
    EVENT = "event", _("Attend or host an event")
    GREET = "greet", _("Greet a visitor")
    RECRUIT = "recruit", _("Recruit a new ambassador")
    FREE = "free", _("Free task with proof")


class Mission(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000)
    stage = models.CharField(_("TRACER stage"), max_length=16, choices=TracerStage.choices)
    type = models.CharField(_("type"), max_length=16, choices=MissionType.choices)
    points = models.PositiveIntegerField(_("points"), default=10)
    deadline = models.DateTimeField(_("deadline"))
    cap = models.PositiveIntegerField(
        _("participants at most"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page to share"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Optional segment: only ambassadors of this area / with this tag / speaking this language.
    segment_area = models.ForeignKey(
        "content.Area",
        verbose_name=_("segment: area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    segment_tag = models.CharField(_("segment: interest or skill"), max_length=100, blank=True)
    segment_language = models.CharField(_("segment: language"), max_length=8, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    taken_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("ambassadors:mission", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.deadline > timezone.now()

    @property
    def is_full(self) -> bool:
        return self.cap is not None and self.taken_count >= self.cap


class Participation(models.Model):
    class Status(models.TextChoices):
        TAKEN = "taken", _("Taken")
        SUBMITTED = "submitted", _("Proof sent")
        CHANGES = "changes", _("Changes asked")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="participations")
    ambassador = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mission_participations"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.TAKEN)
    taken_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "ambassador"], name="one_participation_per_mission"
            )
        ]
        ordering = ["-taken_at", "-pk"]

    def __str__(self):
        return f"{self.ambassador} · {self.mission}"


def proof_upload_to(instance, filename):
    return f"ambassadors/proofs/{instance.participation.ambassador_id}/{filename}"


class Submission(models.Model):
    """A proof that a mission was done. Reviewed in the one moderation queue."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CHANGES = "changes", _("Changes asked")

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="submissions"
    )
    link = models.URLField(_("link"), max_length=500, blank=True)
    text = models.TextField(_("text"), max_length=3000, blank=True)
    photo = models.ImageField(
        _("photo"), upload_to=proof_upload_to, blank=True, validators=[validate_image_upload]
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.WAITING, db_index=True
    )
    auto_approved = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("mission proof")
        verbose_name_plural = _("mission proofs")

    def __str__(self):
        return _("Proof for %(mission)s") % {"mission": self.participation.mission}

    def get_absolute_url(self):
        return reverse("ambassadors:mission", args=[self.participation.mission_id])
