"""The SQLite backend that keeps closed connections for the next request (core/db/sqlite3)."""

import threading

import pytest
from django.db.utils import ConnectionHandler

from core.db.sqlite3 import base as pool


@pytest.fixture
def database(tmp_path, django_db_blocker):
    """A wrapper on a database file of its own (the test database is in memory, never kept)."""
    django_db_blocker.unblock()
    handler = ConnectionHandler(
        {"default": {"ENGINE": "core.db.sqlite3", "NAME": str(tmp_path / "pool.sqlite3")}}
    )
    wrapper = handler["default"]
    yield wrapper
    wrapper.close()
    for conn in pool._idle.pop(str(tmp_path / "pool.sqlite3"), []):
        conn.close()
    django_db_blocker.restore()


def raw(wrapper):
    wrapper.ensure_connection()
    return wrapper.connection


def test_a_closed_connection_is_taken_again_with_its_settings(database):
    first = raw(database)
    with database.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys = OFF")
    database.close()
    second = raw(database)
    assert second is first
    with database.cursor() as cursor:
        assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_another_thread_takes_the_connection_a_request_closed(database):
    first = raw(database)
    database.close()
    taken = {}

    def request():
        database.inc_thread_sharing()  # the same wrapper from another thread, as in a test
        try:
            taken["conn"] = raw(database)
            with database.cursor() as cursor:
                taken["answer"] = cursor.execute("SELECT 1").fetchone()[0]
            database.close()
        finally:
            database.dec_thread_sharing()

    thread = threading.Thread(target=request)
    thread.start()
    thread.join()
    assert taken == {"conn": first, "answer": 1}


def test_a_connection_closed_inside_a_transaction_is_closed_for_real(database):
    first = raw(database)
    with database.cursor() as cursor:
        cursor.execute("CREATE TABLE t (x integer)")
    first.execute("BEGIN")
    first.execute("INSERT INTO t VALUES (1)")
    database.close()
    assert raw(database) is not first
    with database.cursor() as cursor:
        assert cursor.execute("SELECT count(*) FROM t").fetchone()[0] == 0


def test_a_connection_that_saw_an_error_is_not_kept(database):
    first = raw(database)
    database.errors_occurred = True
    database.close()
    assert raw(database) is not first


def test_idle_connections_are_bounded(database, tmp_path):
    handler = ConnectionHandler(
        {"default": {"ENGINE": "core.db.sqlite3", "NAME": str(tmp_path / "pool.sqlite3")}}
    )
    wrappers = [handler.create_connection("default") for _ in range(pool.MAX_IDLE + 2)]
    for wrapper in wrappers:
        raw(wrapper)
    for wrapper in wrappers:
        wrapper.close()
    assert len(pool._idle[str(tmp_path / "pool.sqlite3")]) == pool.MAX_IDLE


def test_an_in_memory_database_is_never_pooled(django_db_blocker):
    """Closing an in-memory database would destroy it: such a connection is never kept (the
    SQLite test database is one)."""
    handler = ConnectionHandler({"default": {"ENGINE": "core.db.sqlite3", "NAME": ":memory:"}})
    wrapper = handler["default"]
    with django_db_blocker.unblock():
        assert wrapper.is_in_memory_db()
        assert wrapper._pool_key() is None
        first = raw(wrapper)
        wrapper._close()  # what close() does for a file database: here it really closes
        assert all(first not in idle for idle in pool._idle.values())
        wrapper.connection = None
