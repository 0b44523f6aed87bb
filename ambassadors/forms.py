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


class DateInput(forms.DateInput):
    input_type = "date"


class GreeterRequestForm(forms.Form):
    """The public "meet a resident" form. Its bot checks (a honeypot and a signed time) are
    read by the view, outside the fields."""

    name = forms.CharField(label=_("Your first name"), max_length=80)
    email = forms.EmailField(
        label=_("Your e-mail"),
        help_text=_("We send you a link to confirm it; the greeter gets it once they accept."),
    )
    date_from = forms.DateField(label=_("Arriving on"), widget=DateInput)
    date_to = forms.DateField(label=_("Leaving on"), widget=DateInput)
    group_size = forms.IntegerField(
        label=_("People in your group"), min_value=1, max_value=6, initial=2
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    area = forms.ModelChoiceField(
        label=_("Where would you like to go?"),
        queryset=Area.objects.all(),
        required=False,
        empty_label=_("Anywhere"),
    )
    interests = forms.CharField(
        label=_("What you enjoy"),
        required=False,
        max_length=300,
        help_text=_("Separated by commas: markets, sailing, history"),
    )
    message = forms.CharField(
        label=_("A word for the greeter"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class GreeterOfferForm(forms.Form):
    active = forms.BooleanField(label=_("I welcome visitors as a greeter"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages I greet in"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas I show"),
        queryset=Area.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interests = forms.CharField(
        label=_("What I like to show"),
        required=False,
        max_length=300,
        help_text=_("Separated by commas: markets, harbour, hiking"),
    )


class FeedbackForm(forms.Form):
    text = forms.CharField(
        label=_("Your feedback"), max_length=500, widget=forms.Textarea(attrs={"rows": 4})
    )
