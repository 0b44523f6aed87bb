"""`/ambassadors/`: the public list of the territory's ambassadors."""

import pytest
from django.contrib.auth.models import Group

from ambassadors.selectors import AMBASSADORS_GROUP
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def make_ambassadors(count):
    group, _ = Group.objects.get_or_create(name=AMBASSADORS_GROUP)
    people = UserFactory.create_batch(count)
    group.user_set.add(*people)
    return people


def test_it_lists_active_ambassadors_only(client):
    camille, inactive = make_ambassadors(2)
    inactive.is_active = False
    inactive.save()
    not_an_ambassador = UserFactory(display_name="Pas ambassadeur")
    html = client.get("/ambassadors/").text
    assert camille.get_display_name() in html
    assert inactive.get_display_name() not in html
    assert not_an_ambassador.get_display_name() not in html


@pytest.mark.parametrize("count", [1, 20])
def test_its_queries_do_not_grow_with_the_list(client, django_assert_num_queries, count):
    make_ambassadors(count)
    # Expect 1 query: the ambassadors (anonymous visitor: no session or user lookup).
    with django_assert_num_queries(1):
        assert client.get("/ambassadors/").status_code == 200
