"""Forms of the post pages. They parse input only; network.services.posts checks and writes."""

import re
import uuid

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from network.models import Reaction
from network.models.posts import MAX_COMMENT_LENGTH, MAX_POST_IMAGES, MAX_POST_LENGTH

IMAGE_ACCEPT = "image/jpeg,image/png,image/webp,image/gif"


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several files under one name; each is validated by the post service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": IMAGE_ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleImageField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


def new_idempotency_key() -> str:
    """A fresh key for each rendered composer: submitting it twice makes one post."""
    return uuid.uuid4().hex


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Your post"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("**bold**, *italics*, lists with “- ”, links and @mentions."),
    )
    images = MultipleImageField(
        label=_("Images"),
        required=False,
        # Formatted when shown, in the reader's language.
        help_text=lazy(
            lambda: (
                gettext("Up to %(max)s images (JPEG, PNG, WebP), 5 MB each.")
                % {"max": MAX_POST_IMAGES}
            ),
            str,
        )(),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=600,
        help_text=_("Separated by commas."),
    )
    shared_post = forms.IntegerField(required=False, widget=forms.HiddenInput)
    shared_page = forms.IntegerField(required=False, widget=forms.HiddenInput)
    idempotency_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.initial.get("idempotency_key"):
            self.initial["idempotency_key"] = new_idempotency_key()
        self.fields["body"].widget.attrs["maxlength"] = MAX_POST_LENGTH * 2


class EditPostForm(forms.Form):
    body = forms.CharField(
        label=_("Your post"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("**bold**, *italics*, lists with “- ”, links and @mentions."),
    )
    tags = forms.CharField(label=_("Tags"), required=False, max_length=600)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=MAX_COMMENT_LENGTH * 2,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReactionForm(forms.Form):
    kind = forms.ChoiceField(choices=Reaction.Kind.choices)


# The stored HTML back into the composer's light markup, for the edit form ------------------

_LINK_RE = re.compile(r'<a href="([^"]*)"[^>]*>(.*?)</a>', re.DOTALL)


def body_for_editing(html: str) -> str:
    """Turn a post's sanitised HTML (what network.services.posts.format_body makes) back
    into the text its author typed, as near as can be: paragraphs, line breaks, lists,
    **bold** and *italics*. Links whose text differs from their target stay as HTML."""
    from html import unescape

    if not html:
        return ""

    def link(match):
        href, text = unescape(match.group(1)), unescape(match.group(2))
        if text == href:
            return href  # a bare URL, linked by the sanitiser
        if text.startswith("@") and href.rstrip("/").endswith("/" + text[1:]):
            return text  # a mention, linked by the post service
        return match.group(0)

    text = _LINK_RE.sub(link, html)
    text = re.sub(r"</?(strong|b)>", "**", text)
    text = re.sub(r"</?(em|i)>", "*", text)
    text = re.sub(r"<br\s*/?>", "\n", text)
    text = re.sub(r"<ol>(.*?)</ol>", lambda m: _items(m.group(1), numbered=True), text, flags=re.S)
    text = re.sub(r"<ul>(.*?)</ul>", lambda m: _items(m.group(1), numbered=False), text, flags=re.S)
    text = re.sub(r"</p>\s*<p>", "\n\n", text)
    text = re.sub(r"</?p>", "", text)
    text = re.sub(r"</?blockquote>", "\n", text)
    # Only the <a> kept above is still markup; the rest was text, so entities go back.
    parts = re.split(r"(<a href=\"[^\"]*\"[^>]*>.*?</a>)", text, flags=re.S)
    return "".join(part if part.startswith("<a ") else unescape(part) for part in parts).strip()


def _items(inner: str, *, numbered: bool) -> str:
    items = re.findall(r"<li>(.*?)</li>", inner, flags=re.S)
    lines = [f"{n}. {item}" if numbered else f"- {item}" for n, item in enumerate(items, 1)]
    return "\n\n" + "\n".join(lines) + "\n\n"
