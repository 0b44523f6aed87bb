from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import NotAllowed
from core.sanitizer import clean_html, clean_text

from ..models import Profile
from ..models.licences import join_codes


@transaction.atomic
def update_profile(*, actor, profile: Profile, form) -> Profile:
    """Save the profile form: the bio through the sanitiser, tags cleaned."""
    if profile.user_id != actor.pk:
        raise NotAllowed(_("This is not your profile."))
    profile = form.save(commit=False)
    profile.bio = clean_html(profile.bio)
    profile.headline = clean_text(profile.headline)
    profile.town = clean_text(profile.town)
    profile.languages = join_codes(form.cleaned_data.get("languages") or [])
    profile.save()
    form.save_m2m()
    names = [clean_text(t)[:50] for t in profile.interests.names()]
    profile.search_text = " ".join(
        [actor.get_display_name(), profile.headline, profile.town, *names]
    )
    profile.save(update_fields=["search_text"])
    return profile
