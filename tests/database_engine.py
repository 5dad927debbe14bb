"""The database engine under the system tests' controllers, and the PostgreSQL test server.

DEPOT_TEST_ENGINE picks the engine every harness-started controller uses:
  sqlite      (the default) the embedded database in the controller's data directory;
  postgresql  a new database on the server at DEPOT_TEST_POSTGRES_URL for each controller data
              directory (a restart on the same directory finds its database again), dropped when
              the harness releases the directory.
Tests that are about the embedded database itself (its file, backupdb, migrate-db from a data
directory) carry the ``sqlite_engine`` marker and keep SQLite under either setting; so does a
controller whose arguments already name a database (--db-url, --config).

DEPOT_TEST_POSTGRES_URL: a server URL whose user may create databases
(scripts/postgres-test-server.sh url DIR). DEPOT_TEST_POSTGRES=skip skips the PostgreSQL-only tests.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ENGINE = os.environ.get("DEPOT_TEST_ENGINE", "sqlite")
if ENGINE not in ("sqlite", "postgresql"):
    raise RuntimeError(f"DEPOT_TEST_ENGINE={ENGINE!r}: use sqlite or postgresql")

# Databases this process created for data directories: name -> URL.
_created: dict[str, str] = {}


def server_url() -> str:
    """The test server's URL; fails (or skips with DEPOT_TEST_POSTGRES=skip) saying how to start one."""
    if os.environ.get("DEPOT_TEST_POSTGRES") == "skip" and ENGINE != "postgresql":
        pytest.skip("DEPOT_TEST_POSTGRES=skip")
    url = os.environ.get("DEPOT_TEST_POSTGRES_URL")
    if not url:
        pytest.fail(
            "DEPOT_TEST_POSTGRES_URL is not set. Start a throwaway server (as root; scripts/test.sh does this itself):\n"
            '  dir=$(mktemp -d /tmp/depot-pg.XXXXXX) && scripts/postgres-test-server.sh start "$dir"\n'
            '  export DEPOT_TEST_POSTGRES_URL=$(scripts/postgres-test-server.sh url "$dir")\n'
            "or set DEPOT_TEST_POSTGRES=skip to skip these tests knowingly.",
            pytrace=False,
        )
    return url


def psql(url: str, sql: str) -> str:
    """Runs one statement with psql (argv, no shell); returns its unaligned output."""
    binary = shutil.which("psql")
    assert binary, "psql not found (Debian's postgresql-client; scripts/install-test-deps.sh installs postgresql)"
    done = subprocess.run([binary, "--no-psqlrc", "--quiet", "--tuples-only", "--no-align", "--set=ON_ERROR_STOP=1",
                           "--dbname", url, "--command", sql], check=True, timeout=60, capture_output=True, text=True)
    return done.stdout


def with_database(url: str, database: str) -> str:
    """`url` pointing at `database` instead of its own."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, ""))


def create_database(name: str) -> str:
    server = server_url()
    psql(server, f"CREATE DATABASE {name}")
    return with_database(server, name)


def drop_database(name: str) -> None:
    """Drops the database, ending what is still connected to it; a few tries, since a backend the
    server is just starting in it (an autovacuum worker) can make one attempt fail."""
    for attempt in range(5):
        try:
            psql(server_url(), f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            return
        except subprocess.CalledProcessError:
            if attempt == 4:
                raise
            time.sleep(0.5)


def _name_for(data_dir: Path) -> str:
    return "depot_sys_" + hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:24]


def controller_args(data_dir: Path, args: list[str] | tuple[str, ...] = (), sqlite: bool = False) -> list[str]:
    """The arguments that put a controller on the selected engine: none for SQLite, for a
    controller that already names its database, or for a test marked ``sqlite_engine``."""
    if ENGINE != "postgresql" or sqlite or any(a in ("--db-url", "--config") or a.startswith("--db-url=") for a in args):
        return []
    name = _name_for(data_dir)
    if name not in _created:
        _created[name] = create_database(name)
    return ["--db-url", _created[name]]


def release(data_dir: Path) -> None:
    """Drops the database made for `data_dir`, after its controllers stopped."""
    name = _name_for(data_dir)
    if _created.pop(name, None) is not None:
        drop_database(name)

