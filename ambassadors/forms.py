from django import forms
from django.utils.translation import gettext_lazy as _

from content.models import Area

from .models import Profile
from .models.licences import LANGUAGE_CHOICES
from .models.profiles import VISIBLE_FIELDS


class ApplicationForm(forms.Form):
    motivation = forms.CharField(
        label=_("Why do you want to be an ambassador?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=3000,
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas you know well"),
        queryset=Area.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interests = forms.CharField(
        label=_("Interests"),
        required=False,
        max_length=300,
        help_text=_("Separated by commas: cycling, food, jazz"),
    )
    skills = forms.CharField(
        label=_("Skills"),
        required=False,
        max_length=300,
        help_text=_("Separated by commas: photography, English, guiding"),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    links = forms.CharField(
        label=_("Links (one per line)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Your blog, your social profiles… five at most."),
    )
    accept_charter = forms.BooleanField(label=_("I have read and I accept the charter"))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("approve", _("Approve")),
            ("decline", _("Decline")),
            ("more_info", _("Ask for more information")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason given to the applicant"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note = forms.CharField(
        label=_("Committee note (staff only)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ProfileForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Profile
        fields = [
            "photo",
            "headline",
            "bio",
            "areas",
            "interests",
            "skills",
            "town",
            "latitude",
            "longitude",
            "greeter",
            "leaderboard_opt_out",
            *[f"{name}_visibility" for name in VISIBLE_FIELDS],
        ]
        widgets = {
            "areas": forms.CheckboxSelectMultiple,
            "bio": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "latitude": _("Of your town's centre: positions are rounded to about a kilometre."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["languages"] = self.instance.language_codes


class ProofForm(forms.Form):
    link = forms.CharField(label=_("Link"), required=False, max_length=500)
    text = forms.CharField(
        label=_("Text"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )
    photo = forms.FileField(label=_("Photo"), required=False)


class LinkForm(forms.Form):
    page = forms.IntegerField(widget=forms.HiddenInput)
