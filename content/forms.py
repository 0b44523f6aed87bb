"""Forms of the content hub. They parse and validate input; services sanitise and save."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from content.models import Area
from content.services.contributions import (
    CONTRIBUTION_IMAGE_MAX_BYTES,
    INTRO_MAX_LENGTH,
    MAX_STORY_IMAGES,
)
from core.mail import validate_single_line
from core.validators import validate_image_upload

IMAGE_ACCEPT = "image/jpeg,image/png,image/webp,image/gif"
IMAGE_HELP = _("JPEG, PNG, WebP or GIF, 5 MB at most.")


def validate_contribution_image(upload):
    validate_image_upload(upload, max_bytes=CONTRIBUTION_IMAGE_MAX_BYTES)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several image files in one input, each checked to really be an image."""

    def __init__(self, *args, max_files=MAX_STORY_IMAGES, **kwargs):
        self.max_files = max_files
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": IMAGE_ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > self.max_files:
            raise ValidationError(
                _("%(count)s images at most."), code="too_many", params={"count": self.max_files}
            )
        cleaned = []
        errors = []
        for upload in files:
            upload = super().clean(upload, initial)
            try:
                validate_contribution_image(upload)
            except ValidationError as exc:
                errors.extend(
                    ValidationError(
                        _("%(name)s: %(error)s"),
                        code=exc.code,
                        params={"name": upload.name, "error": message},
                    )
                    for message in exc.messages
                )
            cleaned.append(upload)
        if errors:
            raise ValidationError(errors)
        return cleaned


class StoryProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255, validators=[validate_single_line])
    text = forms.CharField(
        label=_("Your story"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Leave a blank line between paragraphs."),
    )
    images = MultipleImageField(
        label=_("Photos"),
        required=False,
        help_text=_("Up to 3 photos. JPEG, PNG, WebP or GIF, 5 MB at most each."),
    )
    tags = forms.CharField(
        label=_("Tags"),
        max_length=255,
        required=False,
        help_text=_("Separated by commas, e.g. coast, hiking"),
    )
    area = forms.ModelChoiceField(
        label=_("Area"), queryset=Area.objects.all(), required=False, empty_label="—"
    )

    def clean_tags(self):
        tags = [tag.strip() for tag in self.cleaned_data["tags"].split(",")]
        tags = [tag for tag in tags if tag]
        if len(tags) > 10:
            raise ValidationError(_("10 tags at most."), code="too_many_tags")
        if any(len(tag) > 100 for tag in tags):
            raise ValidationError(_("A tag takes 100 characters at most."), code="tag_too_long")
        return tags


class SuggestionForm(forms.Form):
    what_is_wrong = forms.CharField(
        label=_("What is wrong or out of date?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    proposed_text = forms.CharField(
        label=_("Proposed text"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The text you would put on the page instead."),
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
        validators=[validate_contribution_image],
        help_text=IMAGE_HELP,
    )


class AcceptSuggestionForm(forms.Form):
    text = forms.CharField(
        label=_("Introduction to publish"),
        max_length=INTRO_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Edit the proposed text as it should appear on the page."),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The contributor will read it."),
    )


class PreviewLinkForm(forms.Form):
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365, initial=30)
