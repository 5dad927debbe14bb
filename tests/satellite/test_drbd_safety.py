"""What Depot refuses and waits for so that DRBD data is not lost, and what it shows of the kernel:
real controller and satellites on 127.0.0.N, the real drbdadm and drbdmeta on loop devices, and the
DRBD kernel played by the stand-in in tests/drbd_standin (test code: this kernel has no DRBD module;
the stand-in imitates the behaviour seen on a real DRBD 9.3.3 module, issue 18)."""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.request

import linstor
from conftest import full, is_error, messages
from test_drbd import SIZE_KIB, shared_data, three_replicas, wait_up_to_date


def errors(replies) -> list[str]:
    return [full(r) for r in replies if r.is_error()]


def kernel_state(cluster, node: str) -> dict:
    """The stand-in's kernel state of a node (test-only view of what the module holds)."""
    return json.loads((cluster.kernel / node / "state.json").read_text())


def calls(cluster, node: str) -> list[str]:
    return (cluster.kernel / node / "calls.log").read_text().splitlines()


def disk_gone(cluster, name: str, node: str) -> bool:
    """The node's diskful replica is gone: no replica there, or (two disks left) the tie-breaker
    Depot puts on the freed node, and its backing image removed."""
    replica = cluster.resources(name).get(node)
    return (replica is None or "TIE_BREAKER" in replica.get("flags", [])) and not (cluster.pool_dir(node) / f"{name}_00000.img").exists()


def in_use(cluster, name: str, node: str) -> bool | None:
    return cluster.resources(name).get(node, {}).get("state", {}).get("in_use")


def test_a_replica_in_use_is_not_deleted_made_diskless_or_migrated_away(drbd_cluster):
    cluster = three_replicas(drbd_cluster)
    c = cluster.client
    # alpha mounts SharedData: DRBD promotes it and holds the device open.
    cluster.control("alpha", "primary", "SharedData")
    cluster.wait_for(lambda: in_use(cluster, "SharedData", "alpha") is True, "alpha reported in use")
    assert "InUse" in next(line for line in cluster.depot("resource", "list").splitlines() if "| alpha " in line)

    replies = c.resource_delete("alpha", "SharedData")
    assert any("still in use on node 'alpha'" in e and "Un-mount resource 'SharedData' on the node 'alpha'" in e
               for e in errors(replies)), messages(replies)
    assert is_error(c.resource_toggle_disk("alpha", "SharedData", diskless=True))
    assert is_error(c.resource_dfn_delete("SharedData"))
    cluster.drbd_node("delta", "127.0.0.5")
    assert not is_error(c.resource_create([linstor.ResourceData("delta", "SharedData", drbd_diskless=True)]))
    replies = c.resource_toggle_disk("delta", "SharedData", storage_pool="thinpool", migrate_from="alpha")
    assert any("in use on node 'alpha'" in e for e in errors(replies)), messages(replies)
    # Nothing was taken away: the replica, its configuration and its backing device are all there.
    time.sleep(1)
    assert "DELETE" not in cluster.resources("SharedData")["alpha"].get("flags", [])
    assert (cluster.config_dir("alpha") / "SharedData.res").exists()
    assert (cluster.pool_dir("alpha") / "SharedData_00000.img").exists()
    assert kernel_state(cluster, "alpha")["resources"]["SharedData"]["role"] == "Primary"

    # Unmounted, the same delete goes through.
    cluster.control("alpha", "secondary", "SharedData")
    cluster.wait_for(lambda: in_use(cluster, "SharedData", "alpha") is False, "alpha reported unused")
    assert not is_error(c.resource_delete("alpha", "SharedData"))
    cluster.wait_for(lambda: disk_gone(cluster, "SharedData", "alpha"), "alpha's replica gone")


def test_the_only_up_to_date_replica_keeps_its_disk(drbd_cluster):
    cluster = three_replicas(drbd_cluster)
    c = cluster.client
    for node in ["bravo", "charlie"]:
        cluster.control(node, "disk", "SharedData", "0", "Outdated")
    cluster.wait_for(lambda: cluster.disk_states("SharedData") == {"alpha": ["UpToDate"], "bravo": ["Outdated"], "charlie": ["Outdated"]},
                     "bravo and charlie Outdated")
    replies = c.resource_delete("alpha", "SharedData")
    assert any("holds the only UpToDate data" in e and "'bravo': Outdated" in e for e in errors(replies)), messages(replies)
    assert is_error(c.resource_toggle_disk("alpha", "SharedData", diskless=True))
    assert (cluster.pool_dir("alpha") / "SharedData_00000.img").exists()
    # A replica without good data may go.
    assert not is_error(c.resource_delete("charlie", "SharedData"))
    cluster.wait_for(lambda: disk_gone(cluster, "SharedData", "charlie"), "charlie's replica gone")


def test_a_kernel_that_refuses_down_keeps_the_backing_device(drbd_cluster):
    """The satellite's own guard: the controller could not see that charlie's replica is mounted
    (its satellite was down), so it accepted the delete; DRBD refuses to go down while the device is
    held open, and the satellite keeps the storage under it until it is released."""
    cluster = three_replicas(drbd_cluster)
    c = cluster.client
    # The stand-in refuses as the real module does.
    cluster.control("alpha", "primary", "SharedData")
    down = subprocess.run([str(cluster.drbdsetup("alpha")), "down", "SharedData"], capture_output=True, text=True)
    assert down.returncode == 11 and "(-12) Device is held open by someone" in down.stderr, down
    backing = kernel_state(cluster, "alpha")["resources"]["SharedData"]["devices"]["0"]["backing"]
    attach = subprocess.run([str(cluster.drbdsetup("alpha")), "attach", "1000", backing, backing, "internal"], capture_output=True, text=True)
    assert attach.returncode == 10 and "(124) Device is attached to a disk" in attach.stderr, attach
    cluster.control("alpha", "secondary", "SharedData")

    cluster.satellites["charlie"].stop()
    cluster.wait_for(lambda: cluster.node("charlie").connection_status == "OFFLINE", "charlie OFFLINE")
    cluster.control("charlie", "primary", "SharedData")
    assert not is_error(c.resource_delete("charlie", "SharedData"))
    cluster.restart_satellite("charlie")
    cluster.wait_for(lambda: "down SharedData" in calls(cluster, "charlie"), "charlie's satellite tried to take it down")
    time.sleep(2)
    assert (cluster.pool_dir("charlie") / "SharedData_00000.img").exists(), "storage under an open DRBD device was removed"
    assert (cluster.config_dir("charlie") / "SharedData.res").exists()
    assert "SharedData" in kernel_state(cluster, "charlie")["resources"]
    # Released, it goes with the next change.
    cluster.control("charlie", "secondary", "SharedData")
    c.resource_dfn_modify("SharedData", {"Aux/touch": "1"})
    cluster.wait_for(lambda: disk_gone(cluster, "SharedData", "charlie"), "charlie's replica gone once released", 40)


def test_resize_after_a_removed_replica_forgets_its_peer_and_really_grows(drbd_cluster):
    cluster = three_replicas(drbd_cluster)
    c = cluster.client
    charlie_id = cluster.resources("SharedData")["charlie"]["layer_object"]["drbd"]["node_id"]
    assert not is_error(c.resource_delete("charlie", "SharedData"))
    cluster.wait_for(lambda: disk_gone(cluster, "SharedData", "charlie"), "charlie's replica gone")
    for node in ["alpha", "bravo"]:
        cluster.wait_for(lambda node=node: f"forget-peer SharedData {charlie_id}" in calls(cluster, node), f"{node} forgot charlie's peer slot")
    # Two replicas get a diskless tie-breaker on charlie; a peer without a bitmap takes no slot, so
    # the resize must not wait for it even when it is cut off.
    cluster.wait_for(lambda: "TIE_BREAKER" in cluster.resources("SharedData").get("charlie", {}).get("flags", []), "tie-breaker on charlie")
    for node in ["alpha", "bravo"]:
        cluster.wait_for(lambda node=node: any(line.startswith(f"peer-device-options SharedData {charlie_id} 0") and "--bitmap=no" in line
                                               for line in calls(cluster, node)), f"{node} knows charlie as a peer without bitmap")
        cluster.control(node, "splitbrain", "SharedData", "charlie")
    before = {node: (cluster.pool_dir(node) / "SharedData_00000.img").stat().st_blocks for node in ["alpha", "bravo"]}
    replies = c.volume_dfn_modify("SharedData", 0, size=2 * SIZE_KIB)
    assert not is_error(replies), messages(replies)
    for node in ["alpha", "bravo"]:
        cluster.wait_for(lambda node=node: kernel_state(cluster, node)["resources"]["SharedData"]["devices"]["0"]["size"] >= 2 * SIZE_KIB,
                         f"DRBD on {node} grown")
        # Thin backing: the grown area was not resynced, so it was not allocated.
        grown = (cluster.pool_dir(node) / "SharedData_00000.img").stat().st_blocks - before[node]
        assert grown * 512 < SIZE_KIB * 1024 // 4, (node, grown)
    # A DRBD resize is cluster-wide: whichever node ran it first grew both, and the other found nothing
    # left to do. Every resize that ran skipped the resync.
    resizes = [line for node in ["alpha", "bravo"] for line in calls(cluster, node) if line.startswith("resize 1000")]
    assert resizes and all("--assume-clean" in line for line in resizes), resizes
    assert not any("Aborting" in (cluster.kernel / n / "kernel.log").read_text()
                   for n in ["alpha", "bravo"] if (cluster.kernel / n / "kernel.log").exists())


def test_a_resize_the_kernel_does_not_carry_out_is_an_error(drbd_cluster):
    cluster = three_replicas(drbd_cluster)
    c = cluster.client
    # charlie is cut off from both peers (a split brain keeps them apart across adjusts): DRBD still
    # knows it and keeps the old size.
    cluster.control("alpha", "splitbrain", "SharedData", "charlie")
    cluster.control("bravo", "splitbrain", "SharedData", "charlie")
    before = kernel_state(cluster, "alpha")["resources"]["SharedData"]["devices"]["0"]["size"]
    replies = c.volume_dfn_modify("SharedData", 0, size=2 * SIZE_KIB)
    failed = errors(replies)
    assert any("still has" in e and "after 'drbdadm resize'" in e and "'charlie'" in e for e in failed), messages(replies)
    assert "Aborting cluster-wide size change" in (cluster.kernel / "alpha" / "kernel.log").read_text()
    assert kernel_state(cluster, "alpha")["resources"]["SharedData"]["devices"]["0"]["size"] == before


def test_a_moved_replica_replaces_the_old_one_only_once_in_sync(drbd_cluster):
    cluster = drbd_cluster
    cluster.sync_seconds = 4
    cluster.handshake_seconds = 3
    for index, name in enumerate(["alpha", "bravo", "charlie", "delta"]):
        cluster.drbd_node(name, f"127.0.0.{index + 2}")
    c = cluster.client
    shared_data(cluster, ["alpha", "bravo", "charlie"])
    wait_up_to_date(cluster, "SharedData", ["alpha", "bravo", "charlie"], timeout=60)
    assert not is_error(c.resource_create([linstor.ResourceData("delta", "SharedData", drbd_diskless=True)]))
    cluster.wait_for(lambda: cluster.disk_states("SharedData").get("delta") == ["Diskless"], "delta diskless")
    replies = c.resource_toggle_disk("delta", "SharedData", storage_pool="thinpool", migrate_from="charlie")
    assert not is_error(replies), messages(replies)
    samples = []
    deadline = time.time() + 60
    while time.time() < deadline:
        resources = cluster.resources("SharedData")
        delta = resources.get("delta", {}).get("volumes", [{}])[0].get("state", {}).get("disk_state")
        charlie = resources.get("charlie")
        leaving = charlie is None or "DELETE" in charlie.get("flags", [])
        samples.append((delta, leaving))
        if charlie is None:
            break
        time.sleep(0.2)
    assert samples[-1][1], f"charlie's replica never went: {samples[-10:]}"
    # The thin replica was UpToDate before its handshake, then resynced (as DRBD 9 does) ...
    assert any(d and d.startswith("SyncTarget(") for d, _ in samples), samples
    # ... and charlie's replica was let go only after that resync.
    first_leaving = next(i for i, (_, leaving) in enumerate(samples) if leaving)
    last_syncing = max(i for i, (d, _) in enumerate(samples) if d and (d.startswith("SyncTarget(") or d == "Inconsistent"))
    assert last_syncing < first_leaving, samples


def test_node_lost_ends_with_quorum_protection_restored(drbd_cluster):
    cluster = drbd_cluster
    for index, name in enumerate(["alpha", "bravo", "charlie", "delta"]):
        cluster.drbd_node(name, f"127.0.0.{index + 2}")
    c = cluster.client
    assert not is_error(c.resource_group_create("pair", place_count=2, storage_pool="thinpool"))
    assert not is_error(c.resource_dfn_create("Pair", resource_group="pair", layer_list=["drbd", "storage"]))
    assert not is_error(c.volume_dfn_create("Pair", 65536))
    assert not is_error(c.resource_create([linstor.ResourceData(n, "Pair", storage_pool="thinpool") for n in ["alpha", "bravo"]]))
    resources = cluster.resources("Pair")
    assert "TIE_BREAKER" in resources["charlie"].get("flags", []), {n: r.get("flags", []) for n, r in resources.items()}
    cluster.wait_for(lambda: all(cluster.disk_states("Pair").get(n) == ["UpToDate"] for n in ["alpha", "bravo"]), "Pair UpToDate")
    cluster.satellites["bravo"].stop()
    cluster.wait_for(lambda: cluster.node("bravo").connection_status == "OFFLINE", "bravo OFFLINE")
    replies = c.node_lost("bravo")
    assert not is_error(replies), messages(replies)
    assert not any("Could not find a node for a tie breaker" in r.message for r in replies), messages(replies)
    resources = cluster.resources("Pair")
    assert {n for n, r in resources.items() if "DISKLESS" not in r.get("flags", [])} == {"alpha", "delta"}, resources.keys()
    assert "TIE_BREAKER" in resources["charlie"].get("flags", []) and "DELETE" not in resources["charlie"].get("flags", []), resources["charlie"].get("flags", [])
    definition = c.resource_dfn_list(filter_by_resource_definitions=["Pair"])[0].resource_definitions[0]
    assert definition.properties["DrbdOptions/Resource/quorum"] == "majority"
    cluster.wait_for(lambda: cluster.disk_states("Pair").get("delta") == ["UpToDate"], "the new replica synced", 40)
    assert "without quorum protection" not in cluster.depot("resource", "list")


def test_a_pair_without_tie_breaker_is_shown_and_gets_one_when_a_node_comes(drbd_cluster):
    cluster = drbd_cluster
    for index, name in enumerate(["alpha", "bravo"]):
        cluster.drbd_node(name, f"127.0.0.{index + 2}")
    c = cluster.client
    assert not is_error(c.resource_dfn_create("Pair", layer_list=["drbd", "storage"]))
    assert not is_error(c.volume_dfn_create("Pair", 65536))
    replies = c.resource_create([linstor.ResourceData(n, "Pair", storage_pool="thinpool") for n in ["alpha", "bravo"]])
    assert any("Could not find a node for a tie breaker" in r.message for r in replies), messages(replies)
    listing = cluster.depot("resource", "list")
    assert "without quorum protection" in listing and "Pair" in listing.split("without quorum protection")[1], listing
    # A third node with DRBD comes: the tie-breaker goes there without anyone asking.
    cluster.drbd_node("charlie", "127.0.0.4")
    cluster.wait_for(lambda: "TIE_BREAKER" in cluster.resources("Pair").get("charlie", {}).get("flags", []), "tie-breaker on charlie")
    definition = c.resource_dfn_list(filter_by_resource_definitions=["Pair"])[0].resource_definitions[0]
    assert definition.properties["DrbdOptions/Resource/quorum"] == "majority"
    assert "without quorum protection" not in cluster.depot("resource", "list")


def test_an_offline_nodes_replicas_are_unknown(drbd_cluster):
    cluster = three_replicas(drbd_cluster)
    cluster.satellites["charlie"].stop()
    cluster.wait_for(lambda: cluster.node("charlie").connection_status == "OFFLINE", "charlie OFFLINE")
    cluster.wait_for(lambda: cluster.disk_states("SharedData")["charlie"] == [None], "charlie's disk state no longer claimed")
    charlie = next(line for line in cluster.depot("resource", "list").splitlines() if "| charlie " in line)
    assert "Unknown" in charlie and "UpToDate" not in charlie and "Ok" not in charlie, charlie
    assert cluster.resources("SharedData")["charlie"].get("state", {}).get("in_use") is None


def test_a_frozen_device_is_not_shown_healthy(drbd_cluster):
    cluster = three_replicas(drbd_cluster)
    c = cluster.client
    assert not is_error(c.resource_dfn_modify("SharedData", {"DrbdOptions/Resource/on-no-quorum": "suspend-io"}))
    cluster.wait_for(lambda: "--on-no-quorum=suspend-io" in " ".join(calls(cluster, "alpha")), "alpha's kernel told to suspend without quorum")
    cluster.control("alpha", "primary", "SharedData")
    # alpha loses both peers: no quorum, and DRBD freezes its I/O while the disk stays UpToDate.
    for peer in ["bravo", "charlie"]:
        cluster.control("alpha", "splitbrain", "SharedData", peer)
    cluster.wait_for(lambda: cluster.disk_states("SharedData")["alpha"] == ["UpToDate, I/O suspended (quorum)"], "alpha shown frozen")
    alpha = next(line for line in cluster.depot("resource", "list").splitlines() if "| alpha " in line)
    assert "I/O suspended (quorum)" in alpha, alpha
    # The DRBD layer keeps the kernel's own disk state.
    drbd_volume = cluster.resources("SharedData")["alpha"]["layer_object"]["drbd"]["drbd_volumes"][0]
    assert drbd_volume["disk_state"] == "UpToDate", drbd_volume
    # A suspend by hand shows too, and resuming clears it.
    subprocess.run([str(cluster.drbdsetup("bravo")), "suspend-io", "1000"], check=True, capture_output=True)
    cluster.wait_for(lambda: cluster.disk_states("SharedData")["bravo"] == ["UpToDate, I/O suspended (user)"], "bravo shown frozen")
    subprocess.run([str(cluster.drbdsetup("bravo")), "resume-io", "1000"], check=True, capture_output=True)
    cluster.wait_for(lambda: cluster.disk_states("SharedData")["bravo"] == ["UpToDate"], "bravo shown running again")


def test_the_kernels_state_is_reported_while_a_long_apply_runs(drbd_cluster):
    import threading
    cluster = three_replicas(drbd_cluster)
    c = cluster.client
    assert not is_error(c.resource_dfn_create("Slow", layer_list=["drbd", "storage"]))
    assert not is_error(c.volume_dfn_create("Slow", SIZE_KIB))
    # alpha's next new-resource takes 10 s: the apply that creates Slow there is stuck that long.
    cluster.control("alpha", "delay", "new-resource", "10")
    creating = threading.Thread(target=lambda: c.resource_create([linstor.ResourceData("alpha", "Slow", storage_pool="thinpool")]))
    creating.start()
    try:
        cluster.wait_for(lambda: any(line.startswith("new-resource Slow") for line in calls(cluster, "alpha")), "alpha's apply reached DRBD")
        # Meanwhile alpha's kernel loses bravo: the list says so within a second or two, not when
        # the apply ends (drbdadm gives up on the stuck step after about 5 s).
        cluster.control("alpha", "splitbrain", "SharedData", "bravo")
        cluster.wait_for(lambda: cluster.resources("SharedData")["alpha"]["layer_object"]["drbd"]["connections"]["bravo"].get("connected") is False,
                         "alpha's lost connection shown while the apply runs", 2.5)
        assert any(line.startswith("new-resource Slow") for line in calls(cluster, "alpha"))
    finally:
        creating.join(30)


def test_a_replica_being_deleted_is_not_shown_connected(drbd_cluster):
    cluster = three_replicas(drbd_cluster)
    cluster.satellites["charlie"].stop()
    cluster.wait_for(lambda: cluster.node("charlie").connection_status == "OFFLINE", "charlie OFFLINE")
    assert not is_error(cluster.client.resource_delete("charlie", "SharedData"))
    charlie = next(line for line in cluster.depot("resource", "list").splitlines() if "| charlie " in line)
    assert "DELETING" in charlie and "| Ok " not in charlie and "TearDown(" in charlie, charlie


def test_nodes_do_not_advertise_luks_and_drbd_helpers_find_the_resources(drbd_cluster):
    cluster = three_replicas(drbd_cluster)
    with urllib.request.urlopen(f"http://{cluster.rest}/v1/nodes", timeout=5) as response:
        nodes = {n["name"]: n for n in json.load(response)}
    for node in ["alpha", "bravo", "charlie"]:
        assert "LUKS" not in nodes[node]["resource_layers"], nodes[node]["resource_layers"]
        # This kernel has no device-mapper: the probe says so, and LUKS replicas are refused here.
        reasons = " ".join(nodes[node]["unsupported_layers"]["LUKS"])
        assert any(reason in reasons for reason in ("dm-crypt", "device-mapper", "cryptsetup")), reasons
    table = cluster.depot("node", "info").splitlines()
    header = next(line for line in table if "| LUKS |" in line).split("|")
    column = next(i for i, cell in enumerate(header) if cell.strip() == "LUKS")
    for row in (line for line in table if line.startswith("| ") and "LUKS" not in line and "Node" not in line):
        if len(row.split("|")) == len(header) and row.split("|")[1].strip() in ("alpha", "bravo", "charlie"):
            assert row.split("|")[column].strip() == "-", row
    # DRBD's helpers run drbdadm with /etc/drbd.conf, which includes /etc/drbd.d/*.res: through
    # the satellite's include file there, they find Depot's resources.
    include = cluster.system_include("alpha")
    assert f'include "{cluster.config_dir("alpha")}/*.res";' in include.read_text()
    system_conf = cluster.root / "drbd.conf"
    system_conf.write_text(f'global {{ usage-count no; }}\ninclude "{include.parent}/*.res";\n')
    dumped = subprocess.run(["drbdadm", "-c", str(system_conf), "dump", "SharedData"], capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, env=dict(os.environ, __DRBD_NODE__="alpha", DRBD_DRIVER_VERSION_OVERRIDE="9.2.8"))
    assert dumped.returncode == 0 and "SharedData" in dumped.stdout and "on alpha" in dumped.stdout.replace('"', ""), dumped
