from django import forms
from django.utils.translation import gettext_lazy as _

from content.models import Area, StoryPage

from ..models.licences import LANGUAGE_CHOICES, join_codes
from .models import PressContact, PressRelease, PressSegment


class PressContactForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Releases go in French, or in English to those who do not read French."),
    )
    segments = forms.ModelMultipleChoiceField(
        label=_("Segments"),
        queryset=PressSegment.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent_date = forms.DateField(
        label=_("Basis recorded on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = PressContact
        fields = [
            "name",
            "email",
            "outlet",
            "role",
            "beats",
            "languages",
            "area",
            "segments",
            "consent_basis",
            "consent_date",
            "status",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.all()
        if self.instance.pk:
            self.initial["languages"] = self.instance.language_codes

    def clean_languages(self):
        return join_codes(self.cleaned_data["languages"])

    def clean_consent_date(self):
        from django.utils import timezone

        value = self.cleaned_data["consent_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future."))
        return value

    def clean_email(self):
        from .services.contacts import email_taken, normalise_email

        email = normalise_email(self.cleaned_data["email"])
        if email_taken(email, exclude_pk=self.instance.pk):
            raise forms.ValidationError(_("A press contact already has this e-mail address."))
        return email


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "First line: the column names. Needed: email, name. Optional: outlet, role, "
            "beats, languages (fr, en…), area, segments (separated by |), consent_basis "
            "(consent or legitimate interest), consent_date."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class ReleaseForm(forms.Form):
    story = forms.ModelChoiceField(label=_("Story"), queryset=StoryPage.objects.none())
    segment = forms.ModelChoiceField(label=_("Segment"), queryset=PressSegment.objects.all())
    subject = forms.CharField(label=_("Subject of the e-mail"), max_length=150)
    pitch = forms.CharField(
        label=_("Pitch"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("A few lines for the journalists. Bold, italics, lists and links are kept."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["story"].queryset = (
            StoryPage.objects.live().public().order_by("-date", "-pk").only("pk", "title", "date")
        )

    @classmethod
    def for_release(cls, release: PressRelease, data=None):
        initial = {
            "story": release.story_id,
            "segment": release.segment_id,
            "subject": release.subject,
            "pitch": release.pitch,
        }
        return cls(data, initial=initial)
