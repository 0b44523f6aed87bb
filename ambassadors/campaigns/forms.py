"""Forms parse input only; the services decide (validation and permissions)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from content.models import Area

from ..models.licences import LANGUAGE_CHOICES
from ..models.missions import TracerStage
from .models import AUDIENCE_BANDS, Campaign, CreatorKind, Format, Platform

PLATFORM_ROWS = 5
IN_KIND_ROWS = 4
SPEC_ROWS = 4
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CreatorProfileForm(forms.Form):
    kind = forms.ChoiceField(label=_("I am"), choices=CreatorKind.choices)
    niches = forms.CharField(
        label=_("Niches"),
        required=False,
        max_length=300,
        help_text=_("Separated by commas: food, surf, heritage"),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas"),
        queryset=Area.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    rates = forms.CharField(
        label=_("Rates (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    arpp_certified = forms.BooleanField(
        label=_("I hold the ARPP “Certificat de l'Influence Responsable”"), required=False
    )
    arpp_certified_on = forms.DateField(label=_("Obtained on"), required=False, widget=DATE)
    legal_name = forms.CharField(
        label=_("Legal name (person or company)"), required=False, max_length=200
    )
    address = forms.CharField(
        label=_("Postal address"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    tax_residence = forms.CharField(
        label=_("Tax residence (country)"), required=False, max_length=100
    )
    company_number = forms.CharField(
        label=_("SIRET or company number"), required=False, max_length=40
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(PLATFORM_ROWS):
            self.fields[f"platform_{i}"] = forms.ChoiceField(
                label=_("Platform"),
                required=False,
                choices=[("", "—"), *Platform.choices],
            )
            self.fields[f"handle_{i}"] = forms.CharField(
                label=_("Handle or address"), required=False, max_length=200
            )
            self.fields[f"audience_{i}"] = forms.IntegerField(
                label=_("Audience"), required=False, min_value=0
            )
            self.fields[f"audience_on_{i}"] = forms.DateField(
                label=_("Declared on"), required=False, widget=DATE
            )

    @classmethod
    def initial_for(cls, profile) -> dict:
        if profile is None:
            return {}
        initial = {
            "kind": profile.kind,
            "niches": ", ".join(profile.niche_list),
            "languages": profile.language_codes,
            "areas": list(profile.areas.all()),
            "rates": profile.rates,
            "arpp_certified": profile.arpp_certified,
            "arpp_certified_on": profile.arpp_certified_on,
            "legal_name": profile.legal_name,
            "address": profile.address,
            "tax_residence": profile.tax_residence,
            "company_number": profile.company_number,
        }
        for i, p in enumerate(profile.platforms.all()[:PLATFORM_ROWS]):
            initial.update(
                {
                    f"platform_{i}": p.platform,
                    f"handle_{i}": p.handle,
                    f"audience_{i}": p.audience,
                    f"audience_on_{i}": p.audience_on,
                }
            )
        return initial

    def platform_rows(self):
        return [
            [self[f"{name}_{i}"] for name in ("platform", "handle", "audience", "audience_on")]
            for i in range(PLATFORM_ROWS)
        ]

    def platforms(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "platform": data.get(f"platform_{i}") or "",
                "handle": data.get(f"handle_{i}") or "",
                "audience": data.get(f"audience_{i}") or 0,
                "audience_on": data.get(f"audience_on_{i}"),
            }
            for i in range(PLATFORM_ROWS)
        ]


class CreatorSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *CreatorKind.choices]
    )
    niche = forms.CharField(label=_("Niche"), required=False, max_length=40)
    area = forms.ChoiceField(label=_("Area"), required=False)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("All")), *LANGUAGE_CHOICES]
    )
    band = forms.ChoiceField(
        label=_("Audience"),
        required=False,
        choices=[("", _("All")), *[(key, label) for key, label, _low, _high in AUDIENCE_BANDS]],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("All"))] + [
            (a.slug, a.name) for a in Area.objects.order_by("name")
        ]


class BriefForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Campaign.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    objectives = forms.CharField(
        label=_("Objectives"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    stage = forms.ChoiceField(label=_("TRACER stage"), choices=TracerStage.choices)
    audience = forms.CharField(
        label=_("Audience"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    key_messages = forms.CharField(
        label=_("Key messages"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    dos = forms.CharField(
        label=_("Do"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    donts = forms.CharField(
        label=_("Don't"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    relationship = forms.ChoiceField(label=_("Relationship"), choices=Campaign.Relationship.choices)
    cash_amount = forms.CharField(
        label=_("Cash per creator (€ excl. VAT)"), required=False, max_length=20, initial="0"
    )
    advertiser = forms.ModelChoiceField(
        label=_("Advertiser"),
        required=False,
        queryset=Page.objects.none(),
        empty_label=_("The agency"),
        help_text=_(
            "The agency or a partner organisation: the value ledger counts per advertiser."
        ),
    )
    usage_rights = forms.CharField(
        label=_("Usage rights granted"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    required_mentions = forms.CharField(
        label=_("Required mentions (one per line)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    pages = forms.ModelMultipleChoiceField(
        label=_("Hub pages to link to (tracked links)"),
        required=False,
        queryset=Page.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    open_to_applications = forms.BooleanField(label=_("Open to applications"), required=False)
    has_eductour = forms.BooleanField(label=_("With an eductour (press trip)"), required=False)
    eductour_starts_on = forms.DateField(label=_("Eductour from"), required=False, widget=DATE)
    eductour_ends_on = forms.DateField(label=_("Eductour until"), required=False, widget=DATE)
    eductour_programme = forms.CharField(
        label=_("Programme"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    eductour_meeting_point = forms.CharField(
        label=_("Meeting point"), required=False, max_length=300
    )
    eductour_seats = forms.IntegerField(label=_("Seats"), required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pages"].queryset = Page.objects.live().filter(depth__gt=1).order_by("title")
        from network.models import Organisation

        self.fields["advertiser"].queryset = Organisation.objects.order_by("name")
        for i in range(IN_KIND_ROWS):
            self.fields[f"item_label_{i}"] = forms.CharField(
                label=_("In-kind item"), required=False, max_length=200
            )
            self.fields[f"item_value_{i}"] = forms.CharField(
                label=_("Value per creator (€ excl. VAT)"), required=False, max_length=20
            )
        for i in range(SPEC_ROWS):
            self.fields[f"spec_platform_{i}"] = forms.ChoiceField(
                label=_("Platform"), required=False, choices=[("", "—"), *Platform.choices]
            )
            self.fields[f"spec_format_{i}"] = forms.ChoiceField(
                label=_("Format"), required=False, choices=[("", "—"), *Format.choices]
            )
            self.fields[f"spec_count_{i}"] = forms.IntegerField(
                label=_("Count"), required=False, min_value=1, max_value=100
            )
            self.fields[f"spec_due_on_{i}"] = forms.DateField(
                label=_("Due on"), required=False, widget=DATE
            )

    @classmethod
    def initial_for(cls, campaign) -> dict:
        if campaign is None:
            return {"kind": Campaign.Kind.CAMPAIGN, "cash_amount": "0"}
        names = [n for n in cls.base_fields if n != "pages"]
        initial = {name: getattr(campaign, name) for name in names}
        initial["pages"] = list(campaign.pages.all())
        for i, item in enumerate(campaign.in_kind_items.all()[:IN_KIND_ROWS]):
            initial[f"item_label_{i}"], initial[f"item_value_{i}"] = item.label, item.value
        for i, spec in enumerate(campaign.deliverable_specs.all()[:SPEC_ROWS]):
            initial.update(
                {
                    f"spec_platform_{i}": spec.platform,
                    f"spec_format_{i}": spec.format,
                    f"spec_count_{i}": spec.count,
                    f"spec_due_on_{i}": spec.due_on,
                }
            )
        return initial

    def item_rows(self):
        return [[self[f"item_label_{i}"], self[f"item_value_{i}"]] for i in range(IN_KIND_ROWS)]

    def spec_rows(self):
        return [
            [self[f"spec_{name}_{i}"] for name in ("platform", "format", "count", "due_on")]
            for i in range(SPEC_ROWS)
        ]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        plain = {name: data.get(name) for name in self.base_fields if name != "pages"}
        return {
            "data": plain,
            "in_kind": [
                {"label": data.get(f"item_label_{i}"), "value": data.get(f"item_value_{i}")}
                for i in range(IN_KIND_ROWS)
            ],
            "deliverables": [
                {
                    "platform": data.get(f"spec_platform_{i}"),
                    "format": data.get(f"spec_format_{i}"),
                    "count": data.get(f"spec_count_{i}"),
                    "due_on": data.get(f"spec_due_on_{i}"),
                }
                for i in range(SPEC_ROWS)
            ],
            "pages": list(data.get("pages") or []),
        }


class InviteForm(forms.Form):
    usernames = forms.CharField(
        label=_("Creators to invite (user names, separated by commas)"), max_length=2000
    )
    note = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CounterForm(forms.Form):
    cash = forms.CharField(label=_("Amount asked (€ excl. VAT)"), required=False, max_length=20)
    deliverables = forms.CharField(
        label=_("Deliverables proposed"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DeliverableForm(forms.Form):
    spec = forms.ChoiceField(label=_("Deliverable"), required=False)
    platform = forms.ChoiceField(label=_("Platform"), choices=Platform.choices)
    text = forms.CharField(
        label=_("Text or caption"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    image = forms.ImageField(label=_("Image"), required=False)
    video_url = forms.CharField(label=_("Video link"), required=False, max_length=500)
    declares_retouched = forms.BooleanField(label=_("My images are retouched"), required=False)
    declares_virtual = forms.BooleanField(
        label=_("My images are virtual (generated)"), required=False
    )

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["spec"].choices = [("", "—")] + [
            (str(s.pk), f"{s} · {s.due_on:%d/%m/%Y}") for s in campaign.deliverable_specs.all()
        ]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("approve", _("Approve")),
            ("request_changes", _("Request changes")),
            ("reject", _("Reject")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment for the creator"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PublishForm(forms.Form):
    url = forms.CharField(label=_("Published address"), max_length=500)
