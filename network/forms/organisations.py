"""Forms of the organisation pages. They parse and validate input; the services in
network.services.organisations sanitise, check permissions and write."""

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField

from content.models import Area
from core.validators import validate_image_upload
from network.models import Organisation, OrganisationMembership, Sector
from network.services.organisations import MAX_TAGS, ORGANISATION_FIELDS

# With a context: a bare "Owner" is already translated by Wagtail for a page's owner.
ROLE_CHOICES = [
    (OrganisationMembership.Role.OWNER, pgettext_lazy("organisation role", "Owner")),
    (OrganisationMembership.Role.MEMBER, pgettext_lazy("organisation role", "Member")),
]

# What the form edits is what the service accepts (network.services.organisations).
EDITABLE_FIELDS = ORGANISATION_FIELDS


class OrganisationFilterForm(forms.Form):
    """The directory's search and filters; bad values are ignored rather than refused."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", _("All sectors")), *Sector.choices], required=False
    )
    area = forms.ModelChoiceField(
        label=_("Area"), queryset=Area.objects.all(), to_field_name="slug", required=False
    )
    tag = forms.SlugField(label=_("Tag"), required=False)

    def filters(self) -> dict:
        self.is_valid()
        return {
            name: self.cleaned_data.get(name)
            for name in ("q", "sector", "area", "tag")
            if name not in self.errors
        }


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "—"), *Sector.choices])
    area = forms.ModelChoiceField(
        label=_("Area"), queryset=Area.objects.order_by("name"), required=False
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What you do, for whom, and where. Bold, italics, lists and links."),
    )
    logo = forms.ImageField(
        label=_("Logo"),
        required=False,
        validators=[validate_image_upload],
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
        help_text=_("JPEG, PNG, WebP or GIF, 2 MB at most."),
    )
    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )
    email = forms.EmailField(label=_("Contact e-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=32)
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        max_digits=8,
        decimal_places=5,
        min_value=-90,
        max_value=90,
        help_text=_("For the map, e.g. 48.71320. Right-click a place on openstreetmap.org."),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        max_digits=8,
        decimal_places=5,
        min_value=-180,
        max_value=180,
        help_text=_("e.g. -3.96710"),
    )
    tags = TagField(
        label=_("Tags"),
        required=False,
        # Formatted when shown, in the reader's language.
        help_text=lazy(
            lambda: gettext("Separated by commas, %(count)s at most.") % {"count": MAX_TAGS},
            str,
        )(),
    )
    verified = forms.BooleanField(
        label=_("Verified by the agency"),
        required=False,
        help_text=_("Agency staff only: shows the badge on the organisation's page."),
    )

    def __init__(self, *args, can_verify: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_verify:
            del self.fields["verified"]

    @classmethod
    def initial_for(cls, organisation: Organisation) -> dict:
        initial = {field: getattr(organisation, field) for field in EDITABLE_FIELDS}
        initial["area"] = organisation.area_id
        initial["tags"] = list(organisation.tags.all())
        initial["verified"] = organisation.verified
        return initial

    def clean_tags(self):
        tags = self.cleaned_data.get("tags") or []
        if len(tags) > MAX_TAGS:
            raise forms.ValidationError(_("%(count)s tags at most."), params={"count": MAX_TAGS})
        return tags

    def clean(self):
        cleaned = super().clean()
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if (latitude is None) != (longitude is None) and not self.errors.keys() & {
            "latitude",
            "longitude",
        }:
            raise forms.ValidationError(_("Give both the latitude and the longitude, or neither."))
        return cleaned

    def changed_fields(self) -> dict:
        """The changed editable fields, as the service takes them."""
        return {
            field: self.cleaned_data[field]
            for field in self.changed_data
            if field in EDITABLE_FIELDS
        }


class MemberAddForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("The member's username, as in the address of their page."),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=ROLE_CHOICES, initial=OrganisationMembership.Role.MEMBER
    )
    title = forms.CharField(label=_("Job title"), required=False, max_length=80)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)
