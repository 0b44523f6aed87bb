"""A feed card's cache key is a digest of everything its template reads (see
network.templatetags.post_cards): a field a card shows but its key leaves out would keep
showing the old HTML for hours. These tests read the card templates and fail when one of
them reads an attribute that the key's function does not."""

import inspect
import re

import pytest
from django.template import loader

from network.templatetags import post_cards

# Read by the template only through another attribute the key already holds.
DERIVED = {"get_status_display": "status", "get_absolute_url": "pk", "url": "url_path"}


def attributes_read(source: str, variable: str) -> set[str]:
    names = set(re.findall(rf"\b{variable}\.([a-z_]+)", source))
    return {DERIVED.get(name, name) for name in names}


def unkeyed(template_source: str, variable: str, key_function) -> set[str]:
    key_source = inspect.getsource(key_function)
    return {
        name
        for name in attributes_read(template_source, variable)
        if not re.search(rf"\.{name}\b|\"{name}\"|'{name}'", key_source)
    }


@pytest.mark.parametrize(
    ("template_name", "variable", "key_function"),
    [
        (post_cards.CARD_TEMPLATE, "post", post_cards.card_key),
        (post_cards.HUB_TEMPLATE, "page", post_cards.hub_card_key),
        ("includes/avatar.html", "person", post_cards._person),
    ],
)
def test_every_attribute_a_card_shows_is_in_its_key(template_name, variable, key_function):
    source = loader.get_template(template_name).template.source
    missing = unkeyed(source, variable, key_function)
    assert missing == set(), f"{template_name} shows {missing}, which its cache key ignores"


def test_the_check_sees_a_missing_attribute():
    """The check itself can fail: a field a card would show without its key is reported."""
    source = "{{ post.body }} {{ post.location }} {{ post.get_status_display }}"
    assert unkeyed(source, "post", post_cards.card_key) == {"location"}
