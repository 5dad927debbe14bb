"""The controller on PostgreSQL: a real depot-controller started with --db-url.

(a) State built with python-linstor (nodes without satellites, storage pools, resource groups,
    definitions with volumes, resources, controller properties, a key-value store) is the same,
    uuids and allocations included, after the controller is stopped and a new one is started on
    the same database with an EMPTY data directory: the state is in PostgreSQL, not beside it.
    The connection uses sslmode=require (the test server has TLS on).
(b) A bad URL and an unreachable server stop the controller within seconds with a nonzero exit
    and a message that says why, and never shows the password.

The server: DEPOT_TEST_POSTGRES_URL (scripts/test.sh starts one with
scripts/postgres-test-server.sh). Without it these tests fail and say how to start one;
DEPOT_TEST_POSTGRES=skip skips them knowingly (scripts/test.sh never sets it). Each test makes a
database of its own with psql and drops it afterwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest

import linstor

from compat_helpers import article_cluster, assert_ok, create_rd, diff_snapshots, place, state_snapshot
from compat_infra import RestClient, connect_linstor, free_port

FAIL_WITHIN = 8.0
PASSWORD = "hunter2-not-shown"


def _server_url() -> str:
    if os.environ.get("DEPOT_TEST_POSTGRES") == "skip":
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


def _psql(url: str, sql: str) -> None:
    psql = shutil.which("psql")
    assert psql, "psql not found (Debian's postgresql-client; scripts/install-test-deps.sh installs postgresql)"
    subprocess.run([psql, "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--dbname", url, "--command", sql],
                   check=True, timeout=60, capture_output=True)


def _with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, ""))


@pytest.fixture
def database_url():
    """A new database on the test server, dropped after the test."""
    server = _server_url()
    name = "depot_compat_" + uuid.uuid4().hex
    _psql(server, f"CREATE DATABASE {name}")
    yield _with_database(server, name)
    _psql(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def build_state(lin: linstor.Linstor, url: str) -> None:
    article_cluster(lin)
    create_rd(lin, "LocalData", ["storage"])
    place(lin, "LocalData", ["vulcan", "kronos"])
    create_rd(lin, "SharedData", ["drbd", "storage"])
    place(lin, "SharedData", ["kronos", "remus", "romulus"])
    assert_ok(lin.resource_group_create("rg_pg", description="in postgres", place_count=2,
                                        storage_pool="thinpool", layer_list=["drbd", "storage"]), "rg")
    assert_ok(lin.volume_group_create("rg_pg", property_dict={"Aux/vg": "1"}), "vg")
    assert_ok(lin.controller_set_prop("Aux/postgres/marker", "42"), "ctrl prop")
    assert_ok(lin.node_modify("vulcan", property_dict={"Aux/site": "left"}), "node prop")
    assert_ok(lin.resource_modify("kronos", "SharedData", {"Aux/tag": "blue"}), "rsc prop")
    kv = linstor.KV("pgKV", namespace="/drivers/", uri=url)
    kv["size"] = "1024"
    kv["deep/er"] = "y"


def test_state_survives_restart_on_postgres(controller_factory, linstor_recording, database_url):
    db_url = database_url + ("&" if "?" in database_url else "?") + "sslmode=require"
    p1 = controller_factory.start(extra_args=["--db-url", db_url])
    stderr = p1.stderr_text()
    assert f"PostgreSQL postgresql://{urlsplit(database_url).username}@" in stderr and "sslmode=require" in stderr, stderr
    lin = connect_linstor(p1)
    build_state(lin, p1.linstor_url)
    before = state_snapshot(RestClient("127.0.0.1", p1.port, linstor_recording))
    lin.disconnect()
    assert p1.terminate() == 0, p1.stderr_tail()

    # A new data directory: only the database carries the state over.
    p2 = controller_factory.start(data_dir=controller_factory.new_data_dir("second"), extra_args=["--db-url", db_url])
    after = state_snapshot(RestClient("127.0.0.1", p2.port, linstor_recording))
    assert before == after, "state differs after restart:\n" + diff_snapshots(before, after)
    again = linstor.KV("pgKV", namespace="/drivers/", uri=p2.linstor_url)
    assert dict(again.items()) == {"size": "1024", "deep/er": "y"}

    password = urlsplit(database_url).password
    for proc in (p1, p2):
        assert password and password not in proc.stderr_text(), "the password is in the controller's log"


def _expect_quick_failure(controller_factory, db_url: str, reason: str) -> None:
    started = time.monotonic()
    proc = controller_factory.spawn(extra_args=["--db-url", db_url])
    controller_factory.expected_exit[proc.index] = None
    rc = proc.wait_exit(FAIL_WITHIN)
    elapsed = time.monotonic() - started
    stderr = proc.stderr_text()
    assert rc is not None, f"still running after {FAIL_WITHIN}s with --db-url {db_url!r}\n{stderr}"
    assert rc != 0, f"exit status 0 with --db-url {db_url!r}\n{stderr}"
    assert reason in stderr, f"{reason!r} not in the controller's stderr:\n{stderr}"
    assert PASSWORD not in stderr, f"the password is in the controller's stderr:\n{stderr}"
    assert elapsed < FAIL_WITHIN


def test_bad_url_stops_the_controller_with_the_reason(controller_factory):
    _expect_quick_failure(controller_factory, f"postgresql://depot:{PASSWORD}@127.0.0.1:5432", "names no database")
    _expect_quick_failure(controller_factory, f"mysql://depot:{PASSWORD}@127.0.0.1/depot", "scheme is 'mysql'")


def test_unreachable_server_stops_the_controller_with_the_reason(controller_factory):
    _expect_quick_failure(controller_factory, f"postgresql://depot:{PASSWORD}@127.0.0.1:{free_port()}/depot",
                          "Connection refused")


def test_wrong_password_stops_the_controller_with_the_reason(controller_factory, database_url):
    parts = urlsplit(database_url)
    netloc = f"{parts.username}:{PASSWORD}@{parts.hostname}:{parts.port}"
    _expect_quick_failure(controller_factory, urlunsplit((parts.scheme, netloc, parts.path, parts.query, "")),
                          "password authentication failed")
