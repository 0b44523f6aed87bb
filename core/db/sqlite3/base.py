"""SQLite, with the connections a request closes kept for the next one.

Under ASGI, Django runs each request in a thread of its own, so a persistent connection
(CONN_MAX_AGE) is never reused: every request opened a new SQLite connection and paid for
parsing the whole schema at its first statement (2–3 ms, more than a cached feed page's
queries). PostgreSQL has psycopg's pool for this (config/settings/base.py); Django offers none
for SQLite, so this backend keeps a few idle connections per database file. The settings set
CONN_MAX_AGE to 0 with it: each request closes its connection, which comes back here.

A connection is only kept when it is idle (no transaction open, no error seen) and not the
in-memory test database, and its per-connection settings are applied again when it is taken.
Django's SQLite connections are opened with check_same_thread=False and used by one wrapper
at a time, so handing one to another thread is safe.
"""

import threading

from django.db.backends.sqlite3 import base

# Idle connections kept per database file: more than the threads that query at once.
MAX_IDLE = 8

_lock = threading.Lock()
_idle: dict[str, list] = {}


class DatabaseWrapper(base.DatabaseWrapper):
    def _pool_key(self) -> str | None:
        if self.is_in_memory_db():
            return None
        return str(self.settings_dict["NAME"])

    def get_new_connection(self, conn_params):
        key = self._pool_key()
        if key is not None:
            with _lock:
                conn = _idle.get(key, []).pop() if _idle.get(key) else None
            if conn is not None:
                # What a request may have changed (constraint checks off while loading data).
                conn.execute("PRAGMA foreign_keys = ON")
                for init_command in self.init_commands:
                    if init_command := init_command.strip():
                        conn.execute(init_command)
                return conn
        return super().get_new_connection(conn_params)

    def _close(self):
        # Django has no public hook where a connection is closed: close() resets the wrapper
        # around `_close()`, which closes the connection itself (what other backends override
        # too). Pinned by tests/test_sqlite_pool.py: a Django upgrade that renames it fails there.
        conn, key = self.connection, self._pool_key()
        if (
            conn is not None
            and key is not None
            and not self.in_atomic_block
            and not self.errors_occurred
            and not conn.in_transaction
        ):
            with _lock:
                idle = _idle.setdefault(key, [])
                if len(idle) < MAX_IDLE:
                    idle.append(conn)
                    return None
        return super()._close()
