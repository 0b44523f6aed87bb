"""Builders for e-PR: contacts, segments, a published story (rows written directly; tests of
a service call the service)."""

import itertools

from ambassadors.models.licences import join_codes
from ambassadors.press.models import PressContact, PressSegment
from tests.ambassadors.factories import staff as staff_member
from tests.content.factories_pages import story, story_index

_counter = itertools.count(1)


def segment(name="Presse régionale"):
    return PressSegment.objects.get_or_create(name=name)[0]


def contact(*, segments=(), languages=("fr",), **fields):
    n = next(_counter)
    values = {
        "name": f"Journaliste {n}",
        "email": f"journaliste{n}@media.example",
        "outlet": f"Média {n}",
        "languages": join_codes(languages),
    }
    values.update(fields)
    found = PressContact.objects.create(**values)
    found.segments.set(segments)
    return found


def published_story(title="Les Embruns"):
    return story(story_index(), title, intro="Le festival ouvre la saison.")


def staff(username="presse-staff"):
    user = staff_member(username=username)
    user.email = f"{username}@agence.example"
    user.save(update_fields=["email"])
    return user
