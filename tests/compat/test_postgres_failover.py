"""Several controllers on one PostgreSQL database: one active, the others standing by.

(a) Three controllers start on one database. Exactly one serves; the standbys answer REST with a
    307 to it (and /health with 503 "standby"), python-linstor's MultiLinstor given a standby first
    moves on to the active one, and `depot` connected to a standby follows the redirect.
(b) During a stream of mutations the active controller is killed with SIGKILL. A standby takes
    over within 5 s (lease 2 s); every mutation that was acknowledged is in the new active
    controller, and nothing that was never sent. The remaining standby redirects to the new one.
(c) A controller that is frozen (SIGSTOP) past its lease is deposed: a standby takes over, and
    once the old one runs again (SIGCONT) it cannot commit (fencing token) and stops by itself.
(d) migrate-db copies an embedded database to PostgreSQL (also one filled by depot-bench) and a
    controller on it serves the same state; an export restores into PostgreSQL with import-db.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import linstor

from compat_helpers import article_cluster, assert_ok, create_rd, diff_snapshots, place, state_snapshot
from compat_infra import RestClient, connect_linstor, free_port
from test_postgres import database_url  # noqa: F401 (fixture)

BUILD = Path(os.environ.get("DEPOT_CONTROLLER", Path(__file__).resolve().parents[2] / ".build/debug/depot-controller")).parent
DEPOT = Path(os.environ.get("DEPOT", BUILD / "depot"))
LEASE_SECONDS = 2
TAKEOVER_LIMIT = 5.0


def health(port: int) -> int | None:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", "/health")
        status = conn.getresponse().status
        conn.close()
        return status
    except OSError:
        return None


def wait_for(predicate, what: str, timeout: float = 30.0, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def get(port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), body


def start_group(controller_factory, url: str, count: int):
    """Starts `count` controllers on `url`; returns them with the active one first."""
    procs = []
    for _ in range(count):
        port = free_port()
        proc = controller_factory.spawn(
            port=port,
            extra_args=["--db-url", url, "--lease-seconds", str(LEASE_SECONDS), "--advertise-url", f"http://127.0.0.1:{port}"])
        procs.append(proc)
        if len(procs) == 1:
            proc.wait_healthy()
    for proc in procs[1:]:
        wait_for(lambda p=proc: health(p.port) == 503, f"{proc.name} standing by")
    return procs


def active_of(procs) -> object:
    return wait_for(lambda: next((p for p in procs if p.running() and health(p.port) == 200), None), "an active controller",
                    timeout=TAKEOVER_LIMIT * 3)


class Writer(threading.Thread):
    """Creates resource definitions one after another on whichever controller is active."""

    def __init__(self, ports: list[int]):
        super().__init__(daemon=True)
        self.ports = ports
        self.stop = threading.Event()
        self.acked: list[str] = []
        self.attempted: list[str] = []
        self.unexpected: list[str] = []

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            name = f"fo{n:05d}"
            self.attempted.append(name)
            if self.create(name):
                self.acked.append(name)
                n += 1
            else:
                time.sleep(0.02)

    def create(self, name: str) -> bool:
        for port in self.ports:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("POST", "/v1/resource-definitions", body=json.dumps({"resource_definition": {"name": name}}),
                             headers={"Content-Type": "application/json"})
                response = conn.getresponse()
                text = response.read().decode()
                conn.close()
            except OSError:
                continue
            if response.status == 201:
                return True
            if response.status == 409 or "already exists" in text:
                return True  # acknowledged before, its answer lost with the connection
            if response.status not in (307, 503, 500):
                self.unexpected.append(f"{port}: {response.status} {text[:200]}")
        return False


def test_standbys_redirect_and_a_standby_takes_over_without_losing_acknowledged_changes(database_url, controller_factory):
    procs = start_group(controller_factory, database_url, 3)
    active, standbys = procs[0], procs[1:]
    lin = connect_linstor(active)
    article_cluster(lin)
    lin.disconnect()

    status, headers, body = get(standbys[0].port, "/v1/nodes?limit=2")
    assert status == 307 and headers["Location"] == f"http://127.0.0.1:{active.port}/v1/nodes?limit=2", (status, headers)
    assert "standby" in json.loads(body)[0]["message"]
    multi = linstor.MultiLinstor([f"linstor://127.0.0.1:{standbys[0].port}", f"linstor://127.0.0.1:{active.port}"])
    multi.connect()
    assert sorted(n.name for n in multi.node_list_raise().nodes) == ["kronos", "remus", "romulus", "vulcan"]
    multi.disconnect()
    followed = subprocess.run([str(DEPOT), "--disable-config", "--controllers", f"127.0.0.1:{standbys[1].port}", "-m", "node", "list"],
                              capture_output=True, text=True, timeout=60, env={**os.environ, "LS_CONTROLLERS": ""})
    assert followed.returncode == 0 and len(json.loads(followed.stdout)[0]) == 4, followed.stdout + followed.stderr

    writer = Writer([p.port for p in procs])
    writer.start()
    wait_for(lambda: len(writer.acked) >= 30, "30 acknowledged mutations")
    active.kill()
    killed_at = time.monotonic()
    controller_factory.expected_exit[active.index] = None
    successor = active_of(standbys)
    takeover = time.monotonic() - killed_at
    acked_before = len(writer.acked)
    wait_for(lambda: len(writer.acked) >= acked_before + 20, "mutations on the new active controller")
    writer.stop.set()
    writer.join(timeout=30)
    print(f"takeover after SIGKILL: {takeover:.2f} s (lease {LEASE_SECONDS} s)")
    assert takeover < TAKEOVER_LIMIT, f"takeover took {takeover:.2f} s"
    assert not writer.unexpected, writer.unexpected

    status, _, body = get(successor.port, "/v1/resource-definitions")
    assert status == 200
    present = {rd["name"] for rd in json.loads(body) if rd["name"].startswith("fo")}
    missing = set(writer.acked) - present
    assert not missing, f"acknowledged but lost: {sorted(missing)[:10]}"
    assert present <= set(writer.attempted), f"never sent: {sorted(present - set(writer.attempted))[:10]}"

    other = next(p for p in standbys if p is not successor)
    status, headers, _ = get(other.port, "/v1/resource-definitions")
    assert status == 307 and headers["Location"].startswith(f"http://127.0.0.1:{successor.port}/")


def test_a_frozen_controller_is_deposed_and_cannot_commit(database_url, controller_factory):
    active, standby = start_group(controller_factory, database_url, 2)
    assert_ok(connect_linstor(active).node_create("alpha", "Satellite", "127.0.0.40"), "node")
    os.kill(active.proc.pid, signal.SIGSTOP)
    try:
        wait_for(lambda: health(standby.port) == 200, "the standby taking over", timeout=TAKEOVER_LIMIT * 2)
        assert_ok(connect_linstor(standby).node_create("bravo", "Satellite", "127.0.0.41"), "node on the new active")
    finally:
        os.kill(active.proc.pid, signal.SIGCONT)
    # Thawed, the deposed controller finds it lost the lease and stops; nothing it answers can commit.
    rc = active.wait_exit(timeout=15)
    controller_factory.expected_exit[active.index] = None
    assert rc not in (None, 0), f"the deposed controller still runs or exited cleanly: {rc}\n{active.stderr_tail()}"
    assert "lease" in active.stderr_text().lower(), active.stderr_tail()
    status, _, body = get(standby.port, "/v1/nodes")
    assert sorted(n["name"] for n in json.loads(body)) == ["alpha", "bravo"]


def test_migrate_db_from_sqlite_to_postgresql(database_url, controller_factory):
    source = controller_factory.start()
    lin = connect_linstor(source)
    article_cluster(lin)
    create_rd(lin, "SharedData", ["drbd", "storage"])
    place(lin, "SharedData", ["kronos", "remus", "romulus"])
    lin.disconnect()
    before = state_snapshot(RestClient("127.0.0.1", source.port, None))
    assert source.terminate() == 0

    tool = BUILD / "depot-controller"
    result = subprocess.run([str(tool), "migrate-db", "--data-dir", str(source.data_dir), "--to", database_url],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "resource_rows: 3 copied" in result.stdout and "verified" in result.stdout
    again = subprocess.run([str(tool), "migrate-db", "--data-dir", str(source.data_dir), "--to", database_url],
                           capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and "resource_rows: 3 already there" in again.stdout, again.stdout + again.stderr

    on_postgres = controller_factory.start(extra_args=["--db-url", database_url])
    after = state_snapshot(RestClient("127.0.0.1", on_postgres.port, None))
    assert before == after, "the controller on PostgreSQL differs:\n" + diff_snapshots(before, after)
    # And back, while it runs: refused, since it holds the lease.
    back = subprocess.run([str(tool), "migrate-db", "--from", database_url, "--to", f"sqlite:{on_postgres.data_dir}/copy/depot.sqlite"],
                          capture_output=True, text=True, timeout=120)
    assert back.returncode == 1 and "A controller is active" in back.stderr, back.stderr
    assert on_postgres.terminate() == 0
    back = subprocess.run([str(tool), "migrate-db", "--from", database_url, "--to", f"sqlite:{on_postgres.data_dir}/copy/depot.sqlite"],
                          capture_output=True, text=True, timeout=120)
    assert back.returncode == 0, back.stdout + back.stderr


def test_an_export_restores_into_postgresql(database_url, controller_factory):
    source = controller_factory.start()
    lin = connect_linstor(source)
    article_cluster(lin)
    create_rd(lin, "SharedData", ["drbd", "storage"])
    place(lin, "SharedData", ["kronos", "remus", "romulus"])
    lin.disconnect()
    rest = RestClient("127.0.0.1", source.port, None)
    before = state_snapshot(rest)
    assert rest.post("/v1/controller/database/export", {"backup_name": "to-postgres"}).status == 201
    assert source.terminate() == 0

    tool = BUILD / "depot-controller"
    result = subprocess.run([str(tool), "import-db", "--to", database_url, str(source.data_dir / "to-postgres.json")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "verified" in result.stdout, result.stdout + result.stderr
    on_postgres = controller_factory.start(extra_args=["--db-url", database_url])
    after = state_snapshot(RestClient("127.0.0.1", on_postgres.port, None))
    assert before == after, "the restored controller on PostgreSQL differs:\n" + diff_snapshots(before, after)


def test_a_database_filled_by_the_benchmark_migrates_to_postgresql(database_url, controller_factory):
    bench = subprocess.run(
        [str(BUILD / "depot-bench"), "--controller", str(BUILD / "depot-controller"), "--nodes", "10", "--definitions", "500",
         "--replicas", "2", "--clients", "8", "--placements", "0", "--warmups", "1", "--samples", "1", "--keep-data"],
        capture_output=True, text=True, timeout=900)
    kept = re.search(r"kept (\S+) \(data/", bench.stderr)
    assert bench.returncode == 0 and kept, bench.stdout[-2000:] + bench.stderr[-2000:]
    data = Path(kept.group(1)) / "data"
    try:
        source = controller_factory.start(data_dir=data)
        before = state_snapshot(RestClient("127.0.0.1", source.port, None))
        assert source.terminate() == 0
        tool = BUILD / "depot-controller"
        result = subprocess.run([str(tool), "migrate-db", "--data-dir", str(data), "--to", database_url],
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "resource_rows: 1000 copied" in result.stdout and "resource_definitions: 500 copied" in result.stdout, result.stdout
        on_postgres = controller_factory.start(extra_args=["--db-url", database_url])
        after = state_snapshot(RestClient("127.0.0.1", on_postgres.port, None))
        assert before == after, "the migrated benchmark database differs:\n" + diff_snapshots(before, after)
    finally:
        shutil.rmtree(data.parent, ignore_errors=True)
