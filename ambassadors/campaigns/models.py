"""Influencer and press campaigns (issue 19): creators, briefs, casting, deliverables, the
value ledger and contracts. Rules of French law that change (mentions, the contract
threshold, the contract's template) are data: `ComplianceRules`, a Wagtail setting."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from core.validators import validate_image_upload

from ..models.missions import TracerStage

NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


CENT = Decimal("0.01")


def euros(amount) -> Decimal:
    """A sum of amounts, in euros and cents: SQLite's SUM drops the trailing zeros (690 for
    690.00) where PostgreSQL keeps them, so sums are given the amounts' own two decimals."""
    return (amount or Decimal(0)).quantize(CENT)


def money_field(label, **kwargs):
    return models.DecimalField(
        label,
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        validators=NON_NEGATIVE,
        **kwargs,
    )


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# Creators ------------------------------------------------------------------------------------


class CreatorKind(models.TextChoices):
    INFLUENCER = "influencer", _("Influencer")
    BLOGGER = "blogger", _("Blogger")
    JOURNALIST = "journalist", _("Journalist")
    MEDIA = "media", _("Media")


class Platform(models.TextChoices):
    INSTAGRAM = "instagram", "Instagram"
    TIKTOK = "tiktok", "TikTok"
    YOUTUBE = "youtube", "YouTube"
    FACEBOOK = "facebook", "Facebook"
    X = "x", "X"
    LINKEDIN = "linkedin", "LinkedIn"
    BLOG = "blog", _("Blog or website")
    PODCAST = "podcast", _("Podcast")
    NEWSLETTER = "newsletter", _("Newsletter")
    PRESS = "press", _("Press or broadcast")
    OTHER = "other", _("Other")


# Audience bands of the directory's filter: (key, label, lowest, highest excluded).
AUDIENCE_BANDS = [
    ("nano", _("Under 10,000"), 0, 10_000),
    ("micro", _("10,000 to 100,000"), 10_000, 100_000),
    ("macro", _("100,000 to 1 million"), 100_000, 1_000_000),
    ("mega", _("1 million or more"), 1_000_000, None),
]


class CreatorProfile(models.Model):
    """What a creator declares about themself: any member may have one. Only agency staff
    see the directory of creators; nothing here is public."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="creator_profile"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CreatorKind.choices)
    niches = models.CharField(
        _("niches"), max_length=300, blank=True, help_text=_("Separated by commas: food, surf")
    )
    # ",fr,en," as ambassadors' languages (one code is found with contains=",en,").
    languages = models.CharField(_("languages"), max_length=100, blank=True)
    areas = models.ManyToManyField("content.Area", verbose_name=_("areas"), blank=True)
    rates = models.TextField(_("rates"), max_length=2000, blank=True)
    arpp_certified = models.BooleanField(
        _("ARPP “Certificat de l'Influence Responsable”"), default=False
    )
    arpp_certified_on = models.DateField(_("certificate obtained on"), null=True, blank=True)
    legal_name = models.CharField(_("legal name (person or company)"), max_length=200, blank=True)
    address = models.TextField(_("postal address"), max_length=500, blank=True)
    tax_residence = models.CharField(_("tax residence (country)"), max_length=100, blank=True)
    company_number = models.CharField(_("SIRET or company number"), max_length=40, blank=True)
    # The sum of the platforms' declared audiences (kept by the service), for the bands.
    audience_total = models.PositiveBigIntegerField(default=0, editable=False, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("creator profile")
        verbose_name_plural = _("creator profiles")

    def __str__(self):
        return self.user.get_display_name()

    @property
    def niche_list(self) -> list[str]:
        return [n for n in self.niches.split(",") if n]

    @property
    def language_codes(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]


class CreatorPlatform(models.Model):
    profile = models.ForeignKey(CreatorProfile, on_delete=models.CASCADE, related_name="platforms")
    platform = models.CharField(_("platform"), max_length=16, choices=Platform.choices)
    handle = models.CharField(_("handle or address"), max_length=200)
    audience = models.PositiveBigIntegerField(_("audience (declared)"), default=0)
    audience_on = models.DateField(_("audience declared on"), default=timezone.localdate)

    class Meta:
        ordering = ["-audience", "pk"]
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")

    def __str__(self):
        return f"{self.get_platform_display()} {self.handle}"


# Rules as data -------------------------------------------------------------------------------

DEFAULT_CONTRACT_TEMPLATE = """\
CONTRAT D'INFLUENCE COMMERCIALE — {year}

Entre {advertiser}, l'annonceur,
et {creator_name}, {creator_address}, résidence fiscale : {creator_tax_residence},
numéro d'immatriculation : {creator_company_number}, l'influenceur ou l'influenceuse.

1. Missions confiées
{missions}

2. Rémunération et avantages en nature
Rémunération en numéraire : {cash} € HT.
Avantages en nature : {in_kind} (valeur totale {in_kind_value} € HT).
Valeur totale des prestations : {total} € HT.

3. Droits cédés
{rights}

4. Mentions obligatoires
Chaque contenu porte la mention {mentions}, claire, lisible et identifiable, conformément à la
loi n° 2023-451 du 9 juin 2023.

5. Droit applicable
Le présent contrat est soumis au droit français.
"""

# What a contract template must name: the mandatory clauses (décret n° 2025-1137).
CONTRACT_PLACEHOLDERS = (
    "advertiser",
    "creator_name",
    "creator_address",
    "creator_tax_residence",
    "missions",
    "cash",
    "in_kind",
    "total",
    "rights",
)


def validate_contract_template(value: str) -> None:
    missing = [name for name in CONTRACT_PLACEHOLDERS if "{" + name + "}" not in value]
    if missing:
        raise ValidationError(
            _("The template must contain %(fields)s (the mandatory clauses).")
            % {"fields": ", ".join("{" + name + "}" for name in missing)}
        )
    if "droit français" not in value.lower() and "french law" not in value.lower():
        raise ValidationError(_("The template must say that French law applies."))


@register_setting(icon="doc-full")
class ComplianceRules(BaseGenericSetting):
    """The rules of the law on influence (loi n° 2023-451, art. 5-2; ordonnance n° 2024-978;
    décret n° 2025-1137), as data staff edit: the next change of law is a setting."""

    advertising_mentions = models.TextField(
        _("advertising mentions"),
        default="Publicité\nCollaboration commerciale",
        help_text=_("One per line: a gifted or paid content must carry one of them."),
    )
    accepted_equivalents = models.TextField(
        _("equivalent mentions accepted by staff"),
        blank=True,
        default="",
        help_text=_("One per line: other wordings the agency accepts in their place."),
    )
    retouched_mention = models.CharField(
        _("mention for retouched images"), max_length=100, default="Images retouchées"
    )
    virtual_mention = models.CharField(
        _("mention for virtual images"), max_length=100, default="Images virtuelles"
    )
    contract_threshold = models.DecimalField(
        _("written contract from (€ excl. VAT)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("1000.00"),
        validators=NON_NEGATIVE,
        help_text=_("Per creator, advertiser and calendar year: cash plus in-kind value."),
    )
    contract_template = models.TextField(
        _("contract template"),
        default=DEFAULT_CONTRACT_TEMPLATE,
        validators=[validate_contract_template],
        help_text=_(
            "Placeholders: {year} {advertiser} {creator_name} {creator_address} "
            "{creator_tax_residence} {creator_company_number} {missions} {cash} {in_kind} "
            "{in_kind_value} {total} {rights} {mentions}"
        ),
    )

    class Meta:
        verbose_name = _("Campaign compliance rules")

    @property
    def mention_list(self) -> list[str]:
        return split_lines(self.advertising_mentions) + split_lines(self.accepted_equivalents)


# Briefs --------------------------------------------------------------------------------------


class Campaign(models.Model):
    """A brief: what the agency asks creators for, on what terms."""

    class Kind(models.TextChoices):
        CAMPAIGN = "campaign", _("Campaign")
        PRESS_INVITATION = "press_invitation", _("Press invitation")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        ARCHIVED = "archived", _("Archived")

    class Relationship(models.TextChoices):
        VOLUNTEER = "volunteer", _("Volunteer")
        GIFTED = "gifted", _("Gifted")
        PAID = "paid", _("Paid")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CAMPAIGN)
    title = models.CharField(_("title"), max_length=200)
    objectives = models.TextField(_("objectives"), max_length=4000)
    stage = models.CharField(_("TRACER stage"), max_length=16, choices=TracerStage.choices)
    audience = models.TextField(_("audience"), max_length=2000, blank=True)
    key_messages = models.TextField(_("key messages"), max_length=4000, blank=True)
    dos = models.TextField(_("do"), max_length=2000, blank=True)
    donts = models.TextField(_("don't"), max_length=2000, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    relationship = models.CharField(_("relationship"), max_length=16, choices=Relationship.choices)
    cash_amount = money_field(_("cash per creator (€ excl. VAT)"))
    usage_rights = models.TextField(_("usage rights granted"), max_length=2000, blank=True)
    required_mentions = models.TextField(
        _("required mentions"),
        max_length=1000,
        blank=True,
        help_text=_("One per line (a hashtag, an account to tag): every content carries them."),
    )
    advertiser = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("advertiser (empty: the agency)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    pages = models.ManyToManyField(
        "wagtailcore.Page", verbose_name=_("pages to link to"), blank=True, related_name="+"
    )
    open_to_applications = models.BooleanField(_("open to applications"), default=False)
    # The eductour (press trip), when there is one.
    has_eductour = models.BooleanField(_("eductour"), default=False)
    eductour_starts_on = models.DateField(_("eductour from"), null=True, blank=True)
    eductour_ends_on = models.DateField(_("eductour until"), null=True, blank=True)
    eductour_programme = models.TextField(_("programme"), max_length=4000, blank=True)
    eductour_meeting_point = models.CharField(_("meeting point"), max_length=300, blank=True)
    eductour_seats = models.PositiveIntegerField(_("seats"), null=True, blank=True)
    seats_taken = models.PositiveIntegerField(default=0, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The partners' private link to the report (/campaigns/shared/<token>/); empty: none.
    share_token = models.CharField(max_length=43, blank=True, default="", db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("brief")
        verbose_name_plural = _("briefs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(seats_taken__lte=models.F("eductour_seats"))
                | models.Q(eductour_seats__isnull=True),
                name="campaign_seats_within_eductour",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(cash_amount__gte=0), name="campaign_cash_not_negative"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("campaigns:campaign", args=[self.pk])

    @property
    def is_commercial(self) -> bool:
        """Gifted or paid: the advertising mention is due."""
        return self.relationship != self.Relationship.VOLUNTEER

    @property
    def advertiser_key(self) -> str:
        return f"org:{self.advertiser_id}" if self.advertiser_id else "agency"

    @property
    def reference(self) -> str:
        """The tracked links' `reference` for this brief."""
        return f"campaign:{self.pk}"

    @property
    def mention_list(self) -> list[str]:
        return split_lines(self.required_mentions)

    @property
    def seats_left(self):
        if not self.has_eductour or self.eductour_seats is None:
            return None
        return max(self.eductour_seats - self.seats_taken, 0)

    def new_share_token(self) -> str:
        self.share_token = secrets.token_urlsafe(32)
        return self.share_token


class InKindItem(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="in_kind_items")
    label = models.CharField(_("item"), max_length=200)
    value = money_field(_("value per creator (€ excl. VAT)"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("in-kind item")
        verbose_name_plural = _("in-kind items")

    def __str__(self):
        return self.label


class Format(models.TextChoices):
    POST = "post", _("Post")
    STORY = "story", _("Story")
    REEL = "reel", _("Reel or short video")
    VIDEO = "video", _("Video")
    ARTICLE = "article", _("Article")
    PODCAST = "podcast", _("Podcast episode")
    OTHER = "other", _("Other")


class DeliverableSpec(models.Model):
    """What the brief asks for: so many contents of a format on a platform, by a date."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="deliverable_specs"
    )
    platform = models.CharField(_("platform"), max_length=16, choices=Platform.choices)
    format = models.CharField(_("format"), max_length=16, choices=Format.choices)
    count = models.PositiveIntegerField(_("count"), default=1)
    due_on = models.DateField(_("due on"))

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("deliverable asked")
        verbose_name_plural = _("deliverables asked")

    def __str__(self):
        return f"{self.count} × {self.get_format_display()} {self.get_platform_display()}"


# Casting -------------------------------------------------------------------------------------


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


# Deliverables --------------------------------------------------------------------------------


def deliverable_upload_to(instance, filename):
    return f"campaigns/deliverables/{instance.engagement.creator_id}/{filename}"


class Deliverable(models.Model):
    """A content: its draft goes to staff for approval (the one moderation queue), then the
    creator gives the published URL, fetched once by a task."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for review")
        CHANGES = "changes", _("Changes asked")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        PUBLISHED = "published", _("Published")

    class Check(models.TextChoices):
        NONE = "", _("Not checked")
        PENDING = "pending", _("Check pending")
        OK = "ok", _("Online, mention found")
        NO_MENTION = "no_mention", _("Online, mention missing")
        FAILED = "failed", _("Not reachable")
        REFUSED = "refused", _("Address not allowed")

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="deliverables"
    )
    spec = models.ForeignKey(
        DeliverableSpec,
        verbose_name=_("deliverable asked"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliverables",
    )
    platform = models.CharField(_("platform"), max_length=16, choices=Platform.choices)
    text = models.TextField(_("text"), max_length=5000)
    image = models.ImageField(
        _("image"),
        upload_to=deliverable_upload_to,
        blank=True,
        validators=[validate_image_upload],
    )
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    declares_retouched = models.BooleanField(_("retouched images"), default=False)
    declares_virtual = models.BooleanField(_("virtual images"), default=False)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.WAITING, db_index=True
    )
    revision = models.PositiveIntegerField(default=1)
    review_comment = models.TextField(blank=True, default="")
    published_url = models.URLField(_("published address"), max_length=500, blank=True)
    url_check = models.CharField(max_length=16, choices=Check.choices, blank=True, default="")
    url_checked_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")

    def __str__(self):
        return _("%(platform)s content for %(brief)s") % {
            "platform": self.get_platform_display(),
            "brief": self.engagement.campaign,
        }

    def get_absolute_url(self):
        return reverse("campaigns:deliverable", args=[self.pk])


class DeliverableEvent(models.Model):
    """The deliverable's log: submitted, refused (with the reason), reviewed, published,
    checked. The review decisions themselves are the moderation queue's."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=24)
    comment = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.deliverable_id} {self.action}"


# Value ledger and contracts ------------------------------------------------------------------


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
