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
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

import linstor

from compat_helpers import article_cluster, assert_ok, create_rd, diff_snapshots, place, state_snapshot
from compat_infra import RestClient, connect_linstor, free_port
from database_engine import create_database, drop_database, psql
from test_database_tools import assert_damage_left_out, build_cluster

FAIL_WITHIN = 8.0
PASSWORD = "hunter2-not-shown"


@pytest.fixture
def database_url():
    """A new database on the test server, dropped after the test."""
    name = "depot_compat_" + uuid.uuid4().hex
    yield create_database(name)
    drop_database(name)


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


def _socket_url(database: str) -> str:
    """The test server's Unix-domain socket URL (scripts/postgres-test-server.sh socket-url), for `database`."""
    url = os.environ.get("DEPOT_TEST_POSTGRES_SOCKET_URL")
    if not url:
        pytest.fail("DEPOT_TEST_POSTGRES_SOCKET_URL is not set: scripts/test.sh sets it "
                    "(scripts/postgres-test-server.sh socket-url DIR).", pytrace=False)
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, ""))


def test_the_controller_reaches_postgresql_over_its_unix_socket(controller_factory, database_url):
    socket_url = _socket_url(urlsplit(database_url).path.lstrip("/"))
    first = controller_factory.start(extra_args=["--db-url", socket_url])
    stderr = first.stderr_text()
    assert "?host=/" in stderr and urlsplit(socket_url).password not in stderr, stderr
    lin = connect_linstor(first)
    assert_ok(lin.node_create("vulcan", "Satellite", "127.0.0.13"), "node create")
    lin.disconnect()
    assert first.terminate() == 0
    # The same database over TCP holds what was written through the socket.
    second = controller_factory.start(data_dir=controller_factory.new_data_dir("tcp"), extra_args=["--db-url", database_url])
    assert [n["name"] for n in RestClient("127.0.0.1", second.port, None).get("/v1/nodes").json] == ["vulcan"]
    # TLS cannot be had on the socket: asking for it is refused, not dropped.
    _expect_quick_failure(controller_factory, socket_url.replace("?", f"?sslmode=require&").replace(
        urlsplit(socket_url).password, PASSWORD), "cannot hold over a Unix-domain socket")


def test_a_lost_database_fails_calls_within_seconds_and_stops_the_controller(controller_factory):
    """A server of its own, stopped under the running controller: a change fails within the pool's
    wait with the reason, and the controller, which can no longer renew its lease, exits."""
    script = Path(__file__).resolve().parents[2] / "scripts" / "postgres-test-server.sh"
    server = Path(tempfile.mkdtemp(prefix="depot-pg-lost."))
    subprocess.run([str(script), "start", str(server)], check=True, capture_output=True, timeout=120)
    try:
        url = subprocess.run([str(script), "url", str(server)], check=True, capture_output=True, text=True).stdout.strip()
        controller = controller_factory.start(extra_args=["--db-url", url])
        controller_factory.expected_exit[controller.index] = {1}
        rest = RestClient("127.0.0.1", controller.port, None)
        assert rest.post("/v1/nodes", {"name": "before", "type": "SATELLITE", "net_interfaces": [
            {"name": "default", "address": "127.0.0.21", "satellite_port": 3366}]}).status == 201

        pg_ctl = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))[-1]
        subprocess.run(["runuser", "-u", "postgres", "--", str(pg_ctl), "stop", f"--pgdata={server / 'data'}", "--mode=immediate"],
                       check=True, capture_output=True, timeout=60)
        started = time.monotonic()
        reply = rest.post("/v1/nodes", {"name": "after", "type": "SATELLITE", "net_interfaces": [
            {"name": "default", "address": "127.0.0.22", "satellite_port": 3366}]})
        assert time.monotonic() - started < 10, "the change waited for the pool's retries"
        assert reply.status == 500 and "no connection to the server" in reply.json[0]["cause"], reply.text
        assert controller.wait_exit(15) == 1, controller.stderr_tail()
        assert "the lease could not be renewed" in controller.stderr_text()
    finally:
        if subprocess.run([str(script), "stop", str(server)], capture_output=True, timeout=120).returncode != 0:
            shutil.rmtree(server, ignore_errors=True)


def _corrupt(url: str) -> None:
    """The same three kinds of damage as test_database_tools.corrupt: a document that is not JSON,
    an unknown layer, a definition whose group vanished."""
    psql(url, "UPDATE nodes SET data = convert_to('{\"broken\":', 'UTF8') WHERE key = 'VULCAN'")
    psql(url, "UPDATE resource_rows SET layers = 'DRBD,QUANTUM' WHERE resource_key = 'SHAREDDATA' AND node_key = 'REMUS'")
    psql(url, "UPDATE resource_definitions SET data = convert_to(jsonb_set(convert_from(data, 'UTF8')::jsonb, "
              "'{resourceGroupName}', '\"vanished\"')::text, 'UTF8') WHERE key = 'LOCALDATA'")


def test_a_damaged_postgresql_database_still_starts_and_check_repairs_it(controller_factory, database_url):
    args = ["--db-url", database_url]
    original = controller_factory.start(extra_args=args)
    lin = connect_linstor(original)
    build_cluster(lin)
    lin.disconnect()
    assert original.terminate() == 0
    _corrupt(database_url)

    damaged = controller_factory.start(extra_args=args)
    lin = connect_linstor(damaged)
    assert sorted(n.name for n in lin.node_list()[0].nodes) == ["kronos", "remus", "romulus"]
    assert_damage_left_out(RestClient("127.0.0.1", damaged.port, None))
    reports = lin.error_report_list(with_content=True)
    assert any(r.exception == "DatabaseQuarantine" and "nodes 'VULCAN'" in r.text for r in reports), [r.text for r in reports]
    refused = lin.node_create("vulcan", "Satellite", "127.0.0.13")
    assert refused[0].is_error() and "left out at start" in refused[0].message, refused[0].message

    def check(*extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(damaged.binary), "check", *extra, "--db-url", database_url], capture_output=True, text=True, timeout=120)

    checked = check()
    assert checked.returncode == 4 and checked.stdout.count("PROBLEM") == 6, checked.stdout + checked.stderr
    busy = check("--repair")
    assert busy.returncode == 8, busy.stdout + busy.stderr
    lin.disconnect()
    assert damaged.terminate() == 0

    repaired = check("--repair")
    assert repaired.returncode == 1 and repaired.stdout.count("QUARANTINED") == 6, repaired.stdout + repaired.stderr
    clean = check()
    assert clean.returncode == 0 and "No problems found." in clean.stdout, clean.stdout
    kept = psql(database_url, "SELECT content FROM quarantined_rows WHERE table_name = 'resource_rows' AND row_key = '[\"SHAREDDATA\",\"REMUS\"]'")
    assert "QUANTUM" in kept, kept

    healthy = controller_factory.start(extra_args=args)
    assert RestClient("127.0.0.1", healthy.port, None).get("/v1/controller/quarantine").json == []
    lin = connect_linstor(healthy)
    assert_ok(lin.node_create("vulcan", "Satellite", "127.0.0.13"), "node create after the repair")
    lin.disconnect()
