"""Snapshots end to end: the article's snapshot section through `depot`, consistency (I/O held on
every replica while the snapshots are taken), restore, rollback, and a satellite killed in the
middle. Real controller and satellites on 127.0.0.N, FILE_THIN pools on real loop devices, the real
drbdadm and drbdmeta, and the DRBD kernel played by the stand-in in tests/drbd_standin (test code:
this kernel has no DRBD module)."""

from __future__ import annotations

import json
import signal
import urllib.error
import urllib.request
import threading
import time

import linstor
from conftest import full, is_error, messages
from test_drbd import SIZE_KIB, wait_up_to_date

PATTERN_OFFSET = 4096 * 16


def kernel_state(cluster, node: str) -> dict:
    return json.loads((cluster.kernel / node / "state.json").read_text())


def calls(cluster, node: str) -> list[str]:
    path = cluster.kernel / node / "calls.log"
    return path.read_text().splitlines() if path.exists() else []


def image(cluster, node: str, name: str = "SharedData", directory=None):
    return (directory or cluster.pool_dir(node)) / f"{name}_00000.img"


def write_pattern(cluster, nodes: list[str], pattern: bytes, name: str = "SharedData") -> None:
    """What a Primary's write does to every replica's backing device (the stand-in has no data path)."""
    for node in nodes:
        with open(image(cluster, node, name), "r+b") as f:
            f.seek(PATTERN_OFFSET)
            f.write(pattern * 64)


def read_pattern(cluster, node: str, name: str = "SharedData", directory=None) -> bytes:
    with open(image(cluster, node, name, directory), "rb") as f:
        f.seek(PATTERN_OFFSET)
        return f.read(8)


def snapshots(cluster) -> dict:
    import urllib.request
    with urllib.request.urlopen(f"http://{cluster.rest}/v1/view/snapshots", timeout=5) as response:
        return {(s["resource_name"], s["name"]): s for s in json.load(response)}


def article_nodes(cluster) -> dict:
    daemons = {}
    for index, name in enumerate(["romulus", "remus", "vulcan"]):
        daemons[name] = cluster.drbd_node(name, f"127.0.0.{index + 2}")
    assert not is_error(cluster.client.resource_dfn_create("SharedData", layer_list=["drbd", "storage"]))
    assert not is_error(cluster.client.volume_dfn_create("SharedData", SIZE_KIB))
    replies = cluster.client.resource_create([linstor.ResourceData(n, "SharedData", storage_pool="thinpool") for n in ["romulus", "remus", "vulcan"]])
    assert not is_error(replies), messages(replies)
    wait_up_to_date(cluster, "SharedData", ["romulus", "remus", "vulcan"])
    return daemons


def test_article_snapshot_section(drbd_cluster):
    cluster = drbd_cluster
    article_nodes(cluster)
    write_pattern(cluster, ["romulus", "remus", "vulcan"], b"BEFORE..")

    out = cluster.depot("snapshot", "create", "romulus", "remus", "SharedData", "Snap1")
    assert "Took snapshot of '[SharedData]' on 'romulus'" in out and "Resumed IO of '[SharedData]' on 'remus' after snapshot" in out, out
    # I/O was held on every replica, the one without the snapshot too, and runs again everywhere.
    for node in ["romulus", "remus", "vulcan"]:
        lines = calls(cluster, node)
        assert any(line.startswith("suspend-io") for line in lines) and any(line.startswith("resume-io") for line in lines), (node, lines)
        assert not kernel_state(cluster, node)["resources"]["SharedData"].get("suspended_user")
    taken = snapshots(cluster)[("SharedData", "Snap1")]
    assert taken["flags"] == ["SUCCESSFUL"] and taken["nodes"] == ["remus", "romulus"]
    assert all(s.get("create_timestamp") for s in taken["snapshots"])
    listed = cluster.depot("snapshot", "list")
    assert "Snap1" in listed and "Successful" in listed, listed

    # Data written after the snapshot does not reach it.
    write_pattern(cluster, ["romulus", "remus", "vulcan"], b"AFTER...")

    cluster.depot("resource-definition", "create", "SharedData_Restore")
    cluster.depot("volume-definition", "create", "SharedData_Restore", "150m")
    out = cluster.depot("snapshot", "resource", "restore", "--from-resource", "SharedData", "--from-snapshot", "Snap1",
                        "--to-resource", "SharedData_Restore", "romulus", "remus")
    assert "restored from resource 'SharedData', snapshot 'Snap1'" in out, out
    wait_up_to_date(cluster, "SharedData_Restore", ["romulus", "remus"])
    for node in ["romulus", "remus"]:
        assert read_pattern(cluster, node, "SharedData_Restore") == b"BEFORE..", node

    # A rollback refuses while a replica has no snapshot, and says what to do.
    out = cluster.depot("snapshot", "rollback", "SharedData", "Snap1", code=10)
    assert "was not taken on node 'vulcan'" in out and "resource delete vulcan SharedData" in out, out
    assert read_pattern(cluster, "romulus") == b"AFTER..."

    cluster.depot("resource", "delete", "vulcan", "SharedData")
    cluster.wait_for(lambda: not image(cluster, "vulcan").exists(), "vulcan's replica gone")
    # Two disks left: Depot keeps quorum with a tie-breaker on vulcan, which the article deletes too
    # (Depot would take it down and back with the others).
    assert "TIE_BREAKER" in cluster.resources("SharedData")["vulcan"]["flags"]
    cluster.depot("resource", "delete", "vulcan", "SharedData")
    cluster.wait_for(lambda: "vulcan" not in cluster.resources("SharedData"), "tie-breaker gone")

    out = cluster.depot("snapshot", "rollback", "SharedData", "Snap1")
    assert "rolled back to snapshot 'Snap1'" in out, out
    for node in ["romulus", "remus"]:
        assert read_pattern(cluster, node) == b"BEFORE..", node
    wait_up_to_date(cluster, "SharedData", ["romulus", "remus"])

    # New replicas resync from the rolled-back ones.
    cluster.drbd_node("kronos", "127.0.0.5")
    cluster.depot("resource", "create", "--storage-pool", "thinpool", "vulcan", "kronos", "SharedData")
    wait_up_to_date(cluster, "SharedData", ["romulus", "remus", "vulcan", "kronos"], timeout=60)

    # Snapshots outlive their replicas, but not their definition.
    out = cluster.depot("resource-definition", "delete", "SharedData", code=10)
    assert "because it has snapshots" in out, out
    cluster.depot("snapshot", "delete", "SharedData", "Snap1")
    assert ("SharedData", "Snap1") not in snapshots(cluster)
    cluster.wait_for(lambda: not any(p.name.startswith("SharedData_00000") and p.name != "SharedData_00000.img"
                                     for node in ["romulus", "remus"] for p in cluster.pool_dir(node).iterdir()),
                     "the snapshot images removed")


def test_article_snapshot_section_through_python_linstor(drbd_cluster):
    """The same section as python-linstor's calls (what scripts and drivers built on it send)."""
    cluster = drbd_cluster
    article_nodes(cluster)
    c = cluster.client
    write_pattern(cluster, ["romulus", "remus", "vulcan"], b"BEFORE..")
    replies = c.snapshot_create(["romulus", "remus"], "SharedData", "Snap1")
    assert not is_error(replies), messages(replies)
    listed = c.snapshot_dfn_list()[0].snapshots
    assert [(s.rsc_name, s.snapshot_name, sorted(s.nodes), s.flags) for s in listed] == [("SharedData", "Snap1", ["remus", "romulus"], ["SUCCESSFUL"])]
    assert [(v.number, v.size) for v in listed[0].snapshot_volume_definitions] == [(0, SIZE_KIB)]
    write_pattern(cluster, ["romulus", "remus", "vulcan"], b"AFTER...")

    assert not is_error(c.resource_dfn_create("SharedData_Restore"))
    assert not is_error(c.snapshot_volume_definition_restore("SharedData", "Snap1", "SharedData_Restore"))
    replies = c.snapshot_resource_restore(["romulus", "remus"], "SharedData", "Snap1", "SharedData_Restore")
    assert not is_error(replies), messages(replies)
    wait_up_to_date(cluster, "SharedData_Restore", ["romulus", "remus"])
    assert read_pattern(cluster, "remus", "SharedData_Restore") == b"BEFORE.."

    assert not is_error(c.resource_delete("vulcan", "SharedData"))
    cluster.wait_for(lambda: not image(cluster, "vulcan").exists(), "vulcan's replica gone")
    replies = c.snapshot_rollback("SharedData", "Snap1")
    assert not is_error(replies), messages(replies)
    assert all(read_pattern(cluster, node) == b"BEFORE.." for node in ["romulus", "remus"])
    wait_up_to_date(cluster, "SharedData", ["romulus", "remus"])
    replies = c.snapshot_delete("SharedData", "Snap1")
    assert not is_error(replies), messages(replies)
    assert c.snapshot_dfn_list()[0].snapshots == []


def test_snapshot_refusals_change_nothing(drbd_cluster):
    cluster = drbd_cluster
    cluster.drbd_node("alpha", "127.0.0.2")
    cluster.drbd_node("bravo", "127.0.0.3", pool_kind="FILE")
    c = cluster.client
    assert not is_error(c.resource_dfn_create("Thick", layer_list=["storage"]))
    assert not is_error(c.volume_dfn_create("Thick", 4096))
    assert not is_error(c.resource_create([linstor.ResourceData("bravo", "Thick", storage_pool="thinpool")]))
    replies = c.snapshot_create(["bravo"], "Thick", "Snap1")
    failed = [full(r) for r in replies if r.is_error()]
    assert failed and "(FILE) does not support snapshots" in failed[0], messages(replies)
    assert all(r.ret_code & 0x7FFF == 994 for r in replies if r.is_error())
    assert snapshots(cluster) == {}
    replies = c.snapshot_create([], "Thick", "x")
    assert is_error(replies) and "invalid" in " ".join(messages(replies)).lower(), messages(replies)
    replies = c.snapshot_create([], "Missing", "Snap1")
    assert is_error(replies) and "Resource definition 'Missing' not found" in " ".join(messages(replies))
    replies = c.snapshot_rollback("Thick", "Nope")
    assert is_error(replies) and "not found" in " ".join(messages(replies))
    replies = c.snapshot_delete("Thick", "Nope")
    assert not is_error(replies)

    # Storage only (no DRBD) on FILE_THIN: nothing to suspend, the snapshot is taken at once.
    assert not is_error(c.resource_dfn_create("Plain", layer_list=["storage"]))
    assert not is_error(c.volume_dfn_create("Plain", 4096))
    assert not is_error(c.resource_create([linstor.ResourceData("alpha", "Plain", storage_pool="thinpool")]))
    replies = c.snapshot_create([], "Plain", "Snap1")
    assert not is_error(replies), messages(replies)
    replies = c.snapshot_create([], "Plain", "snap1")
    assert any(r.ret_code & 0x7FFF == 514 for r in replies if r.is_error()), messages(replies)
    # Restoring into a definition with resources is refused.
    replies = c.snapshot_resource_restore(["alpha"], "Plain", "Snap1", "Thick")
    assert is_error(replies) and "already has resources" in " ".join(messages(replies))
    assert list(snapshots(cluster)) == [("Plain", "Snap1")]

    # Scheduled snapshots: a definition that gets AutoSnapshot/RunEvery takes one at once, then one
    # every RunEvery minutes; beyond AutoSnapshot/Keep the oldest automatic ones go, manual ones stay.
    assert not is_error(c.resource_dfn_modify("Plain", {"AutoSnapshot/RunEvery": "60", "AutoSnapshot/Keep": "1"}))
    cluster.wait_for(lambda: "SUCCESSFUL" in snapshots(cluster).get(("Plain", "autoSnap00001"), {}).get("flags", []), "the first automatic snapshot")
    auto = snapshots(cluster)[("Plain", "autoSnap00001")]
    assert sorted(auto["flags"]) == ["AUTO_SNAPSHOT", "SUCCESSFUL"], auto
    assert not is_error(c.resource_dfn_modify("Plain", {}, delete_props=["AutoSnapshot/RunEvery"]))
    time.sleep(6)
    assert not is_error(c.resource_dfn_modify("Plain", {"AutoSnapshot/RunEvery": "60"}))
    cluster.wait_for(lambda: ("Plain", "autoSnap00002") in snapshots(cluster) and ("Plain", "autoSnap00001") not in snapshots(cluster),
                     "the second automatic snapshot, the first pruned")
    assert ("Plain", "Snap1") in snapshots(cluster)


def test_a_satellite_killed_while_io_is_held_fails_the_snapshot_and_io_runs_again(drbd_cluster):
    cluster = drbd_cluster
    daemons = article_nodes(cluster)
    # vulcan's suspend is slow: the controller waits for it with romulus and remus already held.
    cluster.control("vulcan", "delay", "suspend-io", "4")
    result: dict = {}

    def take() -> None:
        result["replies"] = cluster.client.snapshot_create([], "SharedData", "Snap1")

    taker = threading.Thread(target=take)
    taker.start()
    cluster.wait_for(lambda: all(kernel_state(cluster, n)["resources"]["SharedData"].get("suspended_user") for n in ["romulus", "remus"]),
                     "romulus and remus hold I/O")
    listed = snapshots(cluster)[("SharedData", "Snap1")]
    assert listed["snapshots"][0]["snapshot_volumes"][0]["state"] == "Suspending I/O", listed
    assert "Incomplete (Suspending I/O)" in cluster.depot("snapshot", "list")
    daemons["vulcan"].stop(signal.SIGKILL)
    taker.join(timeout=60)
    replies = result["replies"]
    assert is_error(replies) and any("lost its connection" in full(r) for r in replies), [full(r) for r in replies]
    failed = snapshots(cluster)[("SharedData", "Snap1")]
    assert "FAILED_DISCONNECT" in failed["flags"] and "SUCCESSFUL" not in failed["flags"], failed
    # The others run again at once; the killed node's I/O runs again when its satellite returns.
    for node in ["romulus", "remus"]:
        cluster.wait_for(lambda node=node: not kernel_state(cluster, node)["resources"]["SharedData"].get("suspended_user"), f"{node} runs I/O")
    time.sleep(4)
    cluster.restart_satellite("vulcan")
    cluster.wait_for(lambda: cluster.node("vulcan").connection_status == "ONLINE", "vulcan back")
    cluster.wait_for(lambda: not kernel_state(cluster, "vulcan")["resources"]["SharedData"].get("suspended_user"), "vulcan runs I/O")
    # No half snapshot is kept anywhere; the failed one is deleted like any other.
    assert not any("Snap1" in p.name for node in ["romulus", "remus", "vulcan"] for p in cluster.pool_dir(node).iterdir())
    assert not is_error(cluster.client.snapshot_delete("SharedData", "Snap1"))
    assert snapshots(cluster) == {}


def rest(cluster, method: str, path: str, body: dict | None = None) -> tuple[int, object]:
    """A raw call as the Proxmox plugin makes it: no Content-Type, and no body at all when it has none."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://{cluster.rest}{path}", data=data, method=method)
    try:
        with urllib.request.urlopen(request, timeout=150) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def test_proxmox_vm_snapshot_rollback_and_restore_with_a_diskless_vm_node(drbd_cluster):
    """The Proxmox plugin's calls for a VM snapshot (create 201, rollback without a body 200, a
    restore into a definition named after the snapshot 200, delete 200), with the VM's node holding
    a diskless replica. Every replica stays down until all went back to the snapshot."""
    cluster = drbd_cluster
    for index, name in enumerate(["alpha", "bravo", "charlie"]):
        cluster.drbd_node(name, f"127.0.0.{index + 2}")
    rd, snap = "pm-1a2b3c4d", "snap_pm-1a2b3c4d_before"
    c = cluster.client
    assert not is_error(c.resource_dfn_create(rd, layer_list=["drbd", "storage"]))
    assert not is_error(c.volume_dfn_create(rd, SIZE_KIB))
    assert not is_error(c.resource_create([linstor.ResourceData(n, rd, storage_pool="thinpool") for n in ["alpha", "bravo"]]))
    wait_up_to_date(cluster, rd, ["alpha", "bravo"])
    # The VM starts on charlie, which has no disk: Proxmox makes the resource available there.
    status, replies = rest(cluster, "POST", f"/v1/resource-definitions/{rd}/resources/charlie/make-available", {})
    assert status == 200, replies
    write_pattern(cluster, ["alpha", "bravo"], b"BEFORE..", rd)

    status, replies = rest(cluster, "POST", f"/v1/resource-definitions/{rd}/snapshots", {"name": snap})
    assert status == 201, replies
    write_pattern(cluster, ["alpha", "bravo"], b"AFTER...", rd)

    # bravo is slow to go down: alpha, already rolled back, must not come up next to bravo's newer data.
    cluster.control("bravo", "delay", "down", "3")
    result: dict = {}
    rollback = threading.Thread(target=lambda: result.update(reply=rest(cluster, "POST", f"/v1/resource-definitions/{rd}/snapshot-rollback/{snap}")))
    rollback.start()
    cluster.wait_for(lambda: rd not in kernel_state(cluster, "alpha")["resources"], "alpha down for the rollback")
    time.sleep(1.5)
    assert rd not in kernel_state(cluster, "alpha")["resources"], "alpha came up before bravo rolled back"
    rollback.join(timeout=150)
    status, replies = result["reply"]
    assert status == 200 and not any(r["ret_code"] < 0 for r in replies), replies
    for node in ["alpha", "bravo"]:
        assert read_pattern(cluster, node, rd) == b"BEFORE..", node
    wait_up_to_date(cluster, rd, ["alpha", "bravo"])
    cluster.wait_for(lambda: cluster.disk_states(rd).get("charlie") == ["Diskless"], "the VM node's client back")

    # A backup or a clone: restore into a definition named after the snapshot, on every node that has it.
    status, replies = rest(cluster, "POST", "/v1/resource-definitions", {"resource_definition": {"name": snap}})
    assert status == 201, replies
    status, replies = rest(cluster, "POST", f"/v1/resource-definitions/{rd}/snapshot-restore-volume-definition/{snap}", {"to_resource": snap})
    assert status == 200, replies
    status, replies = rest(cluster, "POST", f"/v1/resource-definitions/{rd}/snapshot-restore-resource/{snap}", {"to_resource": snap})
    assert status == 200, replies
    wait_up_to_date(cluster, snap, ["alpha", "bravo"])
    assert read_pattern(cluster, "alpha", snap) == b"BEFORE.."

    # Deleting the VM snapshot: the restored copy first, then the snapshot.
    status, replies = rest(cluster, "DELETE", f"/v1/resource-definitions/{snap}")
    assert status == 200, replies
    cluster.wait_for(lambda: not cluster.resources(snap), "the restored copy gone")
    status, replies = rest(cluster, "DELETE", f"/v1/resource-definitions/{rd}/snapshots/{snap}")
    assert status == 200, replies
    assert snapshots(cluster) == {}


def test_clone_a_definition_through_a_snapshot(drbd_cluster):
    cluster = drbd_cluster
    for index, name in enumerate(["alpha", "bravo"]):
        cluster.drbd_node(name, f"127.0.0.{index + 2}")
    c = cluster.client
    assert not is_error(c.resource_dfn_create("Source", layer_list=["drbd", "storage"]))
    assert not is_error(c.volume_dfn_create("Source", SIZE_KIB))
    assert not is_error(c.resource_create([linstor.ResourceData(n, "Source", storage_pool="thinpool") for n in ["alpha", "bravo"]]))
    wait_up_to_date(cluster, "Source", ["alpha", "bravo"])
    write_pattern(cluster, ["alpha", "bravo"], b"ORIGINAL", "Source")

    out = cluster.depot("resource-definition", "clone", "Source", "Copy")
    assert "Waiting for cloning to complete..." in out and "Completed cloning Copy." in out, out
    cluster.depot("resource-definition", "wait-sync", "Copy")
    for node in ["alpha", "bravo"]:
        assert read_pattern(cluster, node, "Copy") == b"ORIGINAL", node
    # The snapshot it was made from is gone; the clone names its source.
    assert snapshots(cluster) == {}
    copy = next(d for d in c.resource_dfn_list()[0].resource_definitions if d.name == "Copy")
    assert copy.properties.get("cloned-from") == "Source" and "CLONING" not in copy.flags
    status, answer = rest(cluster, "GET", "/v1/resource-definitions/Source/clone/Copy")
    assert status == 200 and answer == {"status": "COMPLETE"}, answer
    status, answer = rest(cluster, "GET", "/v1/resource-definitions/Source/clone/Nope")
    assert status == 404, answer

    # A group whose pools the source's nodes lack is refused with LINSTOR's message and the reason.
    assert not is_error(c.resource_group_create("Elsewhere", storage_pool="otherpool"))
    status, answer = rest(cluster, "POST", "/v1/resource-definitions/Source/clone", {"name": "Moved", "resource_group": "Elsewhere"})
    message = answer["messages"][0]
    assert status == 500 and message["message"] == "No suitable storage pools found for cloning.", answer
    assert "node 'alpha'" in message["cause"] and message["ret_code"] & 0x7FFF == 996, message
    # A clone keeps its source's layers; asking for others is refused and creates nothing.
    status, answer = rest(cluster, "POST", "/v1/resource-definitions/Source/clone", {"name": "Other", "layer_list": ["storage"]})
    assert status == 500 and "keeps its layers" in answer["messages"][0]["message"], answer
    assert not {"Other", "Moved"} & {d.name for d in c.resource_dfn_list()[0].resource_definitions}

    # Into another pool (thick FILE, as the group places it): the data is copied from the snapshot.
    for node in ["alpha", "bravo"]:
        other = cluster.root / f"other-{node}"
        other.mkdir()
        assert not is_error(c.storage_pool_create(node, "otherpool", "FILE", str(other)))
    out = cluster.depot("resource-definition", "clone", "--resource-group", "Elsewhere", "Source", "Moved")
    assert "Completed cloning Moved." in out, out
    cluster.depot("resource-definition", "wait-sync", "Moved")
    for node in ["alpha", "bravo"]:
        assert read_pattern(cluster, node, "Moved", cluster.root / f"other-{node}") == b"ORIGINAL", node
        assert not image(cluster, node, "Moved").exists(), node
    placed = {r.node_name: r.volumes[0].storage_pool_name for r in c.resource_list(filter_by_resources=["Moved"])[0].resources}
    assert placed == {"alpha": "otherpool", "bravo": "otherpool"}, placed
    assert snapshots(cluster) == {}

    # A thick FILE definition takes no users' snapshots (as LINSTOR), yet clones: a copy of each image.
    status, answer = rest(cluster, "POST", "/v1/resource-definitions/Moved/snapshots", {"name": "Mine"})
    assert status == 500 and answer[0]["ret_code"] & 0x7FFF == 994, answer
    out = cluster.depot("resource-definition", "clone", "Moved", "Again")
    assert "Completed cloning Again." in out, out
    cluster.depot("resource-definition", "wait-sync", "Again")
    for node in ["alpha", "bravo"]:
        assert read_pattern(cluster, node, "Again", cluster.root / f"other-{node}") == b"ORIGINAL", node
    assert snapshots(cluster) == {}
    # The clones' own snapshots leave the disks too.
    cluster.wait_for(lambda: not [p for n in ["alpha", "bravo"] for d in [cluster.pool_dir(n), cluster.root / f"other-{n}"] for p in d.glob("*_clone_*")],
                     "no clone snapshot images left")

    # A restore into another pool (LINSTOR's --storpool-rename) is a copy as well.
    cluster.depot("snapshot", "create", "Source", "Kept")
    cluster.depot("resource-definition", "create", "Restored")
    cluster.depot("snapshot", "resource", "restore", "--from-resource", "Source", "--from-snapshot", "Kept", "--to-resource", "Restored",
                  "--storpool-rename", "thinpool=otherpool")
    wait_up_to_date(cluster, "Restored", ["alpha", "bravo"])
    for node in ["alpha", "bravo"]:
        assert read_pattern(cluster, node, "Restored", cluster.root / f"other-{node}") == b"ORIGINAL", node
    # Not into a pool without storage: refused, nothing restored.
    cluster.depot("resource-definition", "create", "Nowhere")
    status, answer = rest(cluster, "POST", "/v1/resource-definitions/Source/snapshot-restore-resource/Kept",
                          {"to_resource": "Nowhere", "stor_pool_rename": {"thinpool": "DfltDisklessStorPool"}})
    assert status == 500 and "is diskless" in answer[0]["message"], answer
    assert not cluster.resources("Nowhere")


def test_without_a_controller_the_satellites_resume_held_io(drbd_cluster):
    """A controller that dies while a snapshot holds I/O cannot finish it: each satellite resumes
    its I/O on its own once it has been without a controller for 15 seconds."""
    cluster = drbd_cluster
    article_nodes(cluster)
    cluster.control("vulcan", "delay", "suspend-io", "5")

    def take() -> None:
        try:
            rest(cluster, "POST", "/v1/resource-definitions/SharedData/snapshots", {"name": "Snap1"})
        except OSError:
            pass  # the controller is killed while it waits

    taker = threading.Thread(target=take)
    taker.start()
    cluster.wait_for(lambda: all(kernel_state(cluster, n)["resources"]["SharedData"].get("suspended_user") for n in ["romulus", "remus"]),
                     "romulus and remus hold I/O")
    cluster.controller.stop(signal.SIGKILL)
    taker.join(timeout=10)
    for node in ["romulus", "remus", "vulcan"]:
        cluster.wait_for(lambda node=node: not kernel_state(cluster, node)["resources"]["SharedData"].get("suspended_user"),
                         f"{node} runs I/O again without a controller", timeout=45)
    assert any("resume-io" in line for line in calls(cluster, "romulus"))
