"""The database never bricks the controller: export, backup, restore, migration, check and repair.

(a) POST /v1/controller/database/export and python-linstor's controller_backupdb write files in the
    data directory; a name with a path is refused and writes nothing. `depot-controller import-db`
    restores the export into a new database, and a controller on it shows exactly the REST state of
    the original (uuids, allocations, properties). Importing again resumes (nothing to do); into a
    database holding something else it is refused.
(b) `depot-controller migrate-db` copies the database and verifies it; run again, it resumes; a
    target holding other objects is refused.
(c) Corrupt rows injected into a copy (a node that does not decode, a resource with an unknown
    layer, a definition whose group is gone): the controller starts, serves the rest, names them in
    `GET /v1/controller/quarantine`, `depot node list` and an error report, and refuses to write over
    them. `depot-controller check` lists them (exit 4) and refuses --repair while the controller
    runs; after it stops, `check --repair` moves them into the quarantine (exit 1) and the next
    start is clean.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
from pathlib import Path

import linstor
import pytest

from compat_helpers import (
    article_cluster, assert_ok, create_rd, diff_snapshots, nodes, place, state_snapshot,
)
from compat_infra import RestClient, connect_linstor

# These tools work on the embedded database's file and data directory.
pytestmark = pytest.mark.sqlite_engine

BUILD = Path(os.environ.get("DEPOT_CONTROLLER", Path(__file__).resolve().parents[2] / ".build/debug/depot-controller")).parent
CONTROLLER = BUILD / "depot-controller"
DEPOT = Path(os.environ.get("DEPOT", BUILD / "depot"))


def tool(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(CONTROLLER), *args], capture_output=True, text=True, timeout=120)


def depot(port: int, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(DEPOT), "--disable-config", "--controllers", f"127.0.0.1:{port}", *args],
                          capture_output=True, text=True, timeout=60, env={**os.environ, "LS_CONTROLLERS": ""})


def build_cluster(lin: linstor.Linstor) -> None:
    article_cluster(lin)
    create_rd(lin, "SharedData", ["drbd", "storage"])
    place(lin, "SharedData", ["kronos", "remus", "romulus"])
    create_rd(lin, "LocalData", ["storage"])
    place(lin, "LocalData", ["vulcan"])
    assert_ok(lin.resource_group_create("rg_keep", place_count=2, storage_pool="thinpool"), "rg")
    assert_ok(lin.controller_set_prop("Aux/marker", "42"), "controller property")


def test_export_backup_and_import_into_a_new_database(controller_factory, tmp_path):
    source = controller_factory.start()
    lin = connect_linstor(source)
    build_cluster(lin)
    rest = RestClient("127.0.0.1", source.port, None)
    before = state_snapshot(rest)

    reply = rest.post("/v1/controller/database/export", {"backup_name": "nightly"})
    assert reply.status == 201, reply.text
    export = source.data_dir / "nightly.json"
    assert reply.json[0]["message"] == f"Exported database to {export}"
    assert reply.json[0]["ret_code"] == 0
    assert stat.S_IMODE(export.stat().st_mode) == 0o600
    document = json.loads(export.read_text())
    assert document["format"] == "depot-database-export"
    assert len(document["kinds"]["resource_rows"]) == 4
    assert document["digests"]["nodes"]["count"] == 4

    replies = lin.controller_backupdb("before-upgrade")
    assert_ok(replies, "backupdb")
    backup = source.data_dir / "before-upgrade.sqlite"
    assert replies[0].message == f"Database backup created: {backup}"
    with sqlite3.connect(backup) as db:
        assert db.execute("SELECT COUNT(*) FROM nodes").fetchone()[0] == 4

    by_cli = depot(source.port, "controller", "backupdb", "by-cli")
    assert by_cli.returncode == 0 and "Database backup created" in by_cli.stdout, by_cli.stdout + by_cli.stderr
    assert (source.data_dir / "by-cli.sqlite").exists()

    for bad in ("../escape", "/etc/passwd", ".hidden"):
        reply = rest.post("/v1/controller/database/export", {"backup_name": bad})
        assert reply.status >= 400 and "is not a valid backup name" in reply.json[0]["message"], reply.text
    assert not (source.data_dir.parent / "escape.json").exists()
    lin.disconnect()
    assert source.terminate() == 0

    target = controller_factory.new_data_dir("restored")
    result = tool("import-db", "--to", f"sqlite:{target}/depot.sqlite", str(export))
    assert result.returncode == 0, result.stderr
    assert "verified" in result.stdout
    again = tool("import-db", "--to", f"sqlite:{target}/depot.sqlite", str(export))
    assert again.returncode == 0 and "resource_rows: 4 already there" in again.stdout, again.stdout + again.stderr

    restored = controller_factory.start(data_dir=target)
    after = state_snapshot(RestClient("127.0.0.1", restored.port, None))
    assert before == after, "the restored controller differs:\n" + diff_snapshots(before, after)
    assert restored.terminate() == 0

    # An export that was edited, and a target that holds something else, are refused.
    document["kinds"]["nodes"][0]["name"] = "intruder"
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(document))
    refused = tool("import-db", "--to", f"sqlite:{tmp_path}/other/depot.sqlite", str(edited))
    assert refused.returncode == 1 and "do not match its checksum" in refused.stderr, refused.stderr
    occupied = controller_factory.new_data_dir("occupied")
    other = controller_factory.start(data_dir=occupied)
    assert_ok(connect_linstor(other).node_create("stranger", "Satellite", "127.0.0.30"), "node")
    assert other.terminate() == 0
    refused = tool("import-db", "--to", f"sqlite:{occupied}/depot.sqlite", str(export))
    assert refused.returncode == 1 and "Copy into a new, empty database" in refused.stderr, refused.stderr


def test_migrate_db_copies_verifies_and_resumes(controller_factory):
    source = controller_factory.start()
    lin = connect_linstor(source)
    build_cluster(lin)
    before = state_snapshot(RestClient("127.0.0.1", source.port, None))
    lin.disconnect()

    # The controller holds its database: migrating under it is refused.
    target = controller_factory.new_data_dir("migrated")
    busy = tool("migrate-db", "--data-dir", str(source.data_dir), "--to", f"sqlite:{target}/depot.sqlite")
    assert busy.returncode == 1 and "Stop it first" in busy.stderr, busy.stderr
    assert source.terminate() == 0

    result = tool("migrate-db", "--data-dir", str(source.data_dir), "--to", f"sqlite:{target}/depot.sqlite")
    assert result.returncode == 0, result.stderr
    assert "resource_rows: 4 copied" in result.stdout and "verified" in result.stdout
    resumed = tool("migrate-db", "--data-dir", str(source.data_dir), "--to", f"sqlite:{target}/depot.sqlite")
    assert resumed.returncode == 0 and "copied" not in resumed.stdout.replace("Copied", ""), resumed.stdout

    migrated = controller_factory.start(data_dir=target)
    after = state_snapshot(RestClient("127.0.0.1", migrated.port, None))
    assert before == after, "the migrated controller differs:\n" + diff_snapshots(before, after)
    assert_ok(connect_linstor(migrated).node_create("newcomer", "Satellite", "127.0.0.31"), "node on the copy")
    assert migrated.terminate() == 0
    refused = tool("migrate-db", "--data-dir", str(source.data_dir), "--to", f"sqlite:{target}/depot.sqlite")
    assert refused.returncode == 1 and "already holds 5 nodes" in refused.stderr, refused.stderr


def corrupt(database: Path) -> None:
    with sqlite3.connect(database) as db:
        db.execute("UPDATE nodes SET data = X'7B2262726F6B656E223A' WHERE key = 'VULCAN'")
        db.execute("UPDATE resource_rows SET layers = 'DRBD,QUANTUM' WHERE resource_key = 'SHAREDDATA' AND node_key = 'REMUS'")
        db.execute("UPDATE resource_definitions SET data = CAST(json_set(CAST(data AS TEXT), '$.resourceGroupName', 'vanished') AS BLOB) "
                   "WHERE key = 'LOCALDATA'")


def assert_damage_left_out(rest: RestClient) -> None:
    """What `corrupt` (or the PostgreSQL test's same damage) leaves out at start, and why."""
    left_out = {(row["table"], "/".join(row["key"])): row["reason"] for row in rest.get("/v1/controller/quarantine").json}
    assert set(left_out) == {
        ("nodes", "VULCAN"), ("storage_pools", "VULCAN/THINPOOL"), ("storage_pools", "VULCAN/DFLTDISKLESSSTORPOOL"),
        ("resource_rows", "SHAREDDATA/REMUS"), ("resource_definitions", "LOCALDATA"), ("resource_rows", "LOCALDATA/VULCAN"),
    }, left_out
    assert left_out[("resource_rows", "SHAREDDATA/REMUS")] == "unknown layer QUANTUM"
    assert left_out[("resource_definitions", "LOCALDATA")] == "its resource group vanished does not exist"
    assert left_out[("nodes", "VULCAN")] == "the document: The given data was not valid JSON."


def test_a_damaged_database_still_starts_and_check_repairs_it(controller_factory, tmp_path):
    original = controller_factory.start()
    lin = connect_linstor(original)
    build_cluster(lin)
    lin.disconnect()
    assert original.terminate() == 0
    copy = controller_factory.new_data_dir("damaged")
    shutil.copy(original.data_dir / "depot.sqlite", copy / "depot.sqlite")
    corrupt(copy / "depot.sqlite")

    damaged = controller_factory.start(data_dir=copy)
    lin = connect_linstor(damaged)
    assert sorted(nodes(lin)) == ["kronos", "remus", "romulus"]
    assert_damage_left_out(RestClient("127.0.0.1", damaged.port, None))

    listing = depot(damaged.port, "node", "list")
    assert listing.returncode == 0, listing.stderr
    assert "left out 6 stored object(s)" in listing.stderr and "nodes 'VULCAN'" in listing.stderr, listing.stderr
    reports = lin.error_report_list(with_content=True)
    assert any(r.exception == "DatabaseQuarantine" and "resource_rows 'SHAREDDATA/REMUS'" in r.text for r in reports), \
        [r.text for r in reports]

    refused = lin.node_create("vulcan", "Satellite", "127.0.0.13")
    assert refused[0].is_error() and "left out at start" in refused[0].message, refused[0].message
    assert sorted(nodes(lin)) == ["kronos", "remus", "romulus"]

    checked = tool("check", "--data-dir", str(copy))
    assert checked.returncode == 4, checked.stdout + checked.stderr
    assert checked.stdout.count("PROBLEM") == 6
    busy = tool("check", "--repair", "--data-dir", str(copy))
    assert busy.returncode == 8 and "Stop it first" in busy.stderr, busy.stderr
    lin.disconnect()
    assert damaged.terminate() == 0

    repaired = tool("check", "--repair", "--data-dir", str(copy))
    assert repaired.returncode == 1, repaired.stdout + repaired.stderr
    assert repaired.stdout.count("QUARANTINED") == 6
    clean = tool("check", "--data-dir", str(copy))
    assert clean.returncode == 0 and "No problems found." in clean.stdout and "holds 6 row(s)" in clean.stdout, clean.stdout
    with sqlite3.connect(copy / "depot.sqlite") as db:
        kept = dict(db.execute("SELECT row_key, content FROM quarantined_rows WHERE table_name = 'resource_rows'").fetchall())
    assert "QUANTUM" in kept['["SHAREDDATA","REMUS"]']

    healthy = controller_factory.start(data_dir=copy)
    rest = RestClient("127.0.0.1", healthy.port, None)
    assert rest.get("/v1/controller/quarantine").json == []
    lin = connect_linstor(healthy)
    assert_ok(lin.node_create("vulcan", "Satellite", "127.0.0.13"), "node create after the repair")
    assert "left out" not in depot(healthy.port, "node", "list").stderr
    lin.disconnect()
