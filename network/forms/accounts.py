from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField

from content.models import Area
from network.models import User
from network.services.accounts import MAX_INTERESTS


class ProfileForm(forms.ModelForm):
    """A member's own profile. The service sanitises the bio and the interests."""

    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.order_by("name"),
        required=False,
        help_text=_("Where you live or work in the territory."),
    )
    interests = TagField(
        label=_("Interests"),
        required=False,
        # Formatted when shown, in the reader's language.
        help_text=lazy(
            lambda: (
                gettext("Separated by commas, %(count)s at most: hiking, local food, start-ups…")
                % {"count": MAX_INTERESTS}
            ),
            str,
        )(),
    )

    class Meta:
        model = User
        fields = [
            "display_name",
            "first_name",
            "last_name",
            "avatar",
            "area",
            "show_town_on_map",
            "bio",
            "interests",
            "preferred_language",
        ]
        widgets = {
            "avatar": forms.ClearableFileInput(attrs={"accept": "image/*"}),
            "bio": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {"avatar": _("JPEG, PNG, WebP or GIF, 2 MB at most.")}

    def clean_interests(self):
        interests = self.cleaned_data.get("interests") or []
        if len(interests) > MAX_INTERESTS:
            raise forms.ValidationError(
                _("%(count)s interests at most."), params={"count": MAX_INTERESTS}
            )
        return interests


class PeopleFilterForm(forms.Form):
    """The member directory's search and filters; bad values are ignored, not refused."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    area = forms.ModelChoiceField(
        label=_("Area"), queryset=Area.objects.all(), to_field_name="slug", required=False
    )
    tag = forms.SlugField(label=_("Interest"), required=False)

    def filters(self) -> dict:
        self.is_valid()
        return {
            name: self.cleaned_data.get(name)
            for name in ("q", "area", "tag")
            if name not in self.errors
        }
