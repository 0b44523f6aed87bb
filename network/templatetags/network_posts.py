"""Template helpers of the post partials, which other pages include without a view of ours."""

from django import template

from network.forms.posts import PostForm

register = template.Library()


@register.simple_tag
def post_composer_form(form=None):
    """The composer's form: the one given (bound, with its errors), or a fresh one whose
    hidden idempotency key makes a double-submitted form create one post."""
    return form if isinstance(form, PostForm) else PostForm()
