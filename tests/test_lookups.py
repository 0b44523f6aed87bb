"""`__one_of` (core/db/lookups.py): a list of ids sent as one value."""

import pytest
from django.db import connection
from django.db.models import F

from network.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_matches_exactly_the_ids_given():
    first, second, third = UserFactory.create_batch(3)
    assert set(User.objects.filter(pk__one_of={first.pk, third.pk})) == {first, third}
    assert not User.objects.filter(pk__one_of=frozenset()).exists()
    # Ids that no row has are only missed, and values are read as integers.
    assert list(User.objects.filter(pk__one_of={str(second.pk), 10**12})) == [second]


def test_it_works_on_an_expression_and_a_foreign_key_column():
    user = UserFactory()
    UserFactory()
    by_key = User.objects.alias(key=F("pk") + 0).filter(key__one_of={user.pk})
    assert list(by_key) == [user]
    assert list(User.objects.filter(groups__one_of=set()).values_list("pk", flat=True)) == []


def test_the_ids_cost_one_parameter_at_most_whatever_their_number():
    few_sql, few_params = User.objects.filter(pk__one_of={1, 2, 3}).query.sql_with_params()
    many_sql, many_params = User.objects.filter(
        pk__one_of=set(range(1, 500))
    ).query.sql_with_params()
    if connection.vendor == "postgresql":
        # Written into the SQL (see the module): a member's repeated feed query is prepared
        # with their own ids, never a generic plan made without them.
        assert "'{1,2,3}'::bigint[]" in few_sql
        assert few_params == many_params == ()
    else:
        assert few_sql == many_sql
        assert len(few_params) == len(many_params) == 1


def test_only_integers_reach_the_sql():
    user = UserFactory()
    with pytest.raises(ValueError):
        list(User.objects.filter(pk__one_of={"1}'::bigint[]); DELETE FROM network_user; --"}))
    assert User.objects.filter(pk=user.pk).exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)
def test_a_query_repeated_on_a_connection_is_prepared_with_its_plan_kept():
    user = UserFactory()
    for _ in range(6):
        assert list(User.objects.filter(pk__one_of={user.pk}).values_list("pk", flat=True)) == [
            user.pk
        ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any(f"'{{{user.pk}}}'::bigint[]" in statement for statement in prepared)
