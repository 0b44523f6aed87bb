from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel


class ImportSource(models.Model):
    """A flow the agency takes in: a DATAtourisme flow or an Apidae JSON export, from a URL or
    an uploaded zip."""

    class Kind(models.TextChoices):
        DATATOURISME = "datatourisme", _("DATAtourisme flow")
        APIDAE = "apidae", _("Apidae JSON export")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(
        _("kind"), max_length=16, choices=Kind.choices, default=Kind.DATATOURISME
    )
    url = models.URLField(_("URL of the zip"), max_length=1000, blank=True)
    upload = models.FileField(
        _("or an uploaded zip"), upload_to="imports/", blank=True, max_length=255
    )
    places_parent = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("new places go under"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("A destination index."),
    )
    events_parent = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("new events go under"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("An event index; events are skipped without one."),
    )
    publish = models.BooleanField(
        _("publish new pages"), default=False, help_text=_("Otherwise they are kept as drafts.")
    )
    import_images = models.BooleanField(_("import photos"), default=True)
    daily = models.BooleanField(_("run every day"), default=True)
    full_flow = models.BooleanField(
        _("the flow is complete"),
        default=True,
        help_text=_("A record missing from a complete flow on two runs in a row is unpublished."),
    )
    created = models.DateTimeField(auto_now_add=True)
    # Set while a run holds the source; see services.acquire_source.
    running_since = models.DateTimeField(null=True, blank=True, editable=False)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("kind")]),
        MultiFieldPanel([FieldPanel("url"), FieldPanel("upload")], heading=_("Flow")),
        FieldRowPanel([FieldPanel("places_parent"), FieldPanel("events_parent")]),
        FieldRowPanel(
            [
                FieldPanel("publish"),
                FieldPanel("import_images"),
                FieldPanel("daily"),
                FieldPanel("full_flow"),
            ]
        ),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("import source")
        verbose_name_plural = _("import sources")

    def __str__(self):
        return self.name

    @property
    def last_run(self):
        return self.runs.order_by("-started").first()


class ImportRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    source = models.ForeignKey(ImportSource, on_delete=models.CASCADE, related_name="runs")
    started = models.DateTimeField(_("started"), auto_now_add=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    seen = models.PositiveIntegerField(_("records read"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    conflicts = models.PositiveIntegerField(_("conflicts"), default=0)
    unpublished = models.PositiveIntegerField(_("unpublished"), default=0)
    errors = models.PositiveIntegerField(_("errors"), default=0)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        ordering = ["-started", "-pk"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")

    def __str__(self):
        return f"{self.source} — {self.started:%Y-%m-%d %H:%M}"


class ImportFailure(models.Model):
    """A record a run could not import, and why."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="failures")
    identity = models.CharField(_("record"), max_length=255, blank=True)
    label = models.CharField(_("label"), max_length=255, blank=True)
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("failed record")
        verbose_name_plural = _("failed records")

    def __str__(self):
        return f"{self.identity or self.label}: {self.reason}"


class ImportedImage(models.Model):
    """A photo taken from a source URL, imported once whatever the number of records and runs
    that name it."""

    url = models.CharField(_("source URL"), max_length=1000, unique=True)
    image = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.CASCADE, related_name="+", null=True
    )
    credit = models.CharField(_("credit"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("imported photo")
        verbose_name_plural = _("imported photos")

    def __str__(self):
        return self.url


class ImportedRecord(models.Model):
    """One record of a source and the page made from it. `identity` is stable across the
    source's hosts (`<producer>/<uuid>` for DATAtourisme, the object id for Apidae)."""

    source = models.ForeignKey(ImportSource, on_delete=models.CASCADE, related_name="records")
    identity = models.CharField(_("identity"), max_length=255)
    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="imported_record"
    )
    # The platform's update time as the flow's index gives it: unchanged means skipped.
    source_updated = models.CharField(max_length=64, blank=True)
    updated_on = models.DateField(_("updated by the source on"), null=True, blank=True)
    source_uri = models.URLField(_("source URI"), max_length=500, blank=True)
    producer = models.CharField(_("producer"), max_length=255, blank=True)
    schema_types = models.JSONField(default=list, blank=True)
    image = models.ForeignKey(
        ImportedImage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The value of each source-owned field as last imported: a page field still equal to it
    # has not been edited and may be overwritten.
    imported_values = models.JSONField(default=dict, blank=True)
    missing_runs = models.PositiveSmallIntegerField(default=0)
    last_seen_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "identity"], name="one_record_per_identity")
        ]
        verbose_name = _("imported record")
        verbose_name_plural = _("imported records")

    def __str__(self):
        return self.identity

    @property
    def attribution(self) -> str:
        from django.utils import translation
        from django.utils.formats import date_format

        platform = "Apidae" if self.source.kind == ImportSource.Kind.APIDAE else "DATAtourisme"
        parts = [f"Source : {platform}"]
        if self.producer:
            parts.append(self.producer)
        if self.updated_on:
            # The licence's wording is French, whatever the visitor's language.
            with translation.override("fr"):
                parts.append(f"mis à jour le {date_format(self.updated_on, 'j F Y')}")
        if platform == "DATAtourisme":
            parts.append("Licence Ouverte 2.0")
        return " – ".join(parts)


class ImportConflict(models.Model):
    """A source-owned field that an editor changed and that the source changed too: the page
    keeps the editor's value until staff choose."""

    class Resolution(models.TextChoices):
        KEEP_MINE = "mine", _("Kept the page's value")
        TAKE_SOURCE = "source", _("Took the source's value")

    record = models.ForeignKey(ImportedRecord, on_delete=models.CASCADE, related_name="conflicts")
    field = models.CharField(_("field"), max_length=64)
    page_value = models.JSONField(_("value on the page"), null=True)
    source_value = models.JSONField(_("value in the source"), null=True)
    created = models.DateTimeField(_("found on"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved on"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.CharField(
        _("resolution"), max_length=8, choices=Resolution.choices, blank=True
    )

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("import conflict")
        verbose_name_plural = _("import conflicts")
        constraints = [
            models.UniqueConstraint(
                fields=["record", "field"],
                condition=models.Q(resolved_at__isnull=True),
                name="one_open_conflict_per_field",
            )
        ]

    def __str__(self):
        return f"{self.record} · {self.field}"
