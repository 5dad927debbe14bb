"""DRBD replication end to end: real controller and satellites on 127.0.0.N, the real drbdadm and
drbdmeta on loop devices, and the DRBD kernel played by the stand-in in tests/drbd_standin (test
code: this kernel has no DRBD module)."""

from __future__ import annotations

import os

import linstor
from conftest import full, is_error, messages

SIZE_KIB = 153600  # the article's 150m



def shared_data(cluster, nodes: list[str], name: str = "SharedData") -> None:
    c = cluster.client
    assert not is_error(c.resource_dfn_create(name, layer_list=["drbd", "storage"]))
    assert not is_error(c.volume_dfn_create(name, SIZE_KIB))
    replies = c.resource_create([linstor.ResourceData(node, name, storage_pool="thinpool") for node in nodes])
    assert not is_error(replies), messages(replies)


def connections(cluster, name: str) -> dict:
    """node -> peer -> connected, as the resource list reports it."""
    return {node: {peer: c.get("connected") for peer, c in r.get("layer_object", {}).get("drbd", {}).get("connections", {}).items()}
            for node, r in cluster.resources(name).items()}


def wait_up_to_date(cluster, name: str, nodes: list[str], timeout: float = 30) -> None:
    """Every replica UpToDate and connected to every other one."""
    def settled() -> bool:
        links = connections(cluster, name)
        return all(cluster.disk_states(name).get(node) == ["UpToDate"] and all(links.get(node, {False: False}).values())
                   for node in nodes)
    cluster.wait_for(settled, f"{name} UpToDate and connected on {nodes} (now {cluster.disk_states(name)}, {connections(cluster, name)})", timeout)


def three_replicas(cluster):
    """alpha, bravo and charlie with SharedData on all three, UpToDate and connected."""
    for index, name in enumerate(["alpha", "bravo", "charlie"]):
        cluster.drbd_node(name, f"127.0.0.{index + 2}")
    shared_data(cluster, ["alpha", "bravo", "charlie"])
    wait_up_to_date(cluster, "SharedData", ["alpha", "bravo", "charlie"])
    return cluster


def test_article_shared_data_three_replicas(drbd_cluster):
    cluster = three_replicas(drbd_cluster)
    resources = cluster.resources("SharedData")
    for node, resource in resources.items():
        drbd = resource["layer_object"]["drbd"]
        assert drbd["tcp_ports"] == [7000]
        assert resource["volumes"][0]["device_path"] == "/dev/drbd1000"
        assert drbd["drbd_volumes"][0]["drbd_volume_definition"]["minor_number"] == 1000
        peers = {peer: c["connected"] for peer, c in drbd["connections"].items()}
        assert peers == {p: True for p in ["alpha", "bravo", "charlie"] if p != node}, peers
        assert resource["state"]["in_use"] is False
        res = (cluster.config_dir(node) / "SharedData.res").read_text()
        assert f'on "{node}"' in res and "device minor 1000;" in res and "quorum majority;" in res
    # Three diskful replicas: quorum by majority, no tie-breaker.
    definition = cluster.client.resource_dfn_list(filter_by_resource_definitions=["SharedData"])[0].resource_definitions[0]
    assert definition.properties["DrbdOptions/Resource/quorum"] == "majority"
    assert len(resources) == 3
    # The stand-in saw the real drbdadm bring the resource up with the satellite's configuration.
    calls = (cluster.kernel / "alpha" / "calls.log").read_text()
    assert "new-resource SharedData 0" in calls or "new-resource SharedData" in calls
    assert "attach 1000" in calls


def test_thick_peers_sync_from_the_initial_source(drbd_cluster):
    cluster = drbd_cluster
    cluster.sync_seconds = 4
    for index, name in enumerate(["alpha", "bravo"]):
        cluster.drbd_node(name, f"127.0.0.{index + 2}", pool_kind="FILE")
    cluster.client.controller_set_prop("DrbdOptions/auto-add-quorum-tiebreaker", "false")
    shared_data(cluster, ["alpha", "bravo"])
    seen: set[str] = set()
    synced: set[bool] = set()

    def progressed() -> bool:
        states = cluster.disk_states("SharedData")
        seen.update(s for v in states.values() for s in v if s)
        synced.add(cluster.client.resource_dfn_sync_status("SharedData").synced_on_all)
        return states.get("alpha") == ["UpToDate"] and states.get("bravo") == ["UpToDate"]

    cluster.wait_for(progressed, "bravo synced from alpha", timeout=40)
    assert any(s.startswith("SyncTarget(") and s.endswith("%)") for s in seen), seen
    # sync-status said "not yet" while bravo synced, and says "synced" now.
    assert False in synced and cluster.client.resource_dfn_sync_status("SharedData").synced_on_all
    # alpha was the source: it never needed a sync itself.
    volume = cluster.resources("SharedData")["bravo"]["volumes"][0]
    assert volume["state"]["replication_states"]["alpha"]["replication_state"] == "Established"


def test_migrate_a_replica_then_delete_the_definition(drbd_cluster):
    cluster = drbd_cluster
    for index, name in enumerate(["alpha", "bravo", "charlie", "delta"]):
        cluster.drbd_node(name, f"127.0.0.{index + 2}")
    c = cluster.client
    shared_data(cluster, ["alpha", "bravo", "charlie"])
    wait_up_to_date(cluster, "SharedData", ["alpha", "bravo", "charlie"])
    # The article's migration: a diskless replica on delta takes over charlie's disk.
    replies = c.resource_create([linstor.ResourceData("delta", "SharedData", drbd_diskless=True)])
    assert not is_error(replies), messages(replies)
    cluster.wait_for(lambda: cluster.disk_states("SharedData").get("delta") == ["Diskless"], "delta diskless")
    assert "disk none;" in (cluster.config_dir("delta") / "SharedData.res").read_text()
    replies = c.resource_toggle_disk("delta", "SharedData", storage_pool="thinpool", migrate_from="charlie")
    assert not is_error(replies), messages(replies)
    cluster.wait_for(lambda: "charlie" not in cluster.resources("SharedData"), "charlie's replica gone after delta synced", 40)
    assert cluster.disk_states("SharedData")["delta"] == ["UpToDate"]
    assert not (cluster.config_dir("charlie") / "SharedData.res").exists()
    assert not (cluster.pool_dir("charlie") / "SharedData_00000.img").exists()

    replies = c.resource_dfn_delete("SharedData")
    assert not is_error(replies), messages(replies)
    cluster.wait_for(lambda: not cluster.resources("SharedData"), "all replicas gone")
    for node in ["alpha", "bravo", "delta"]:
        assert not (cluster.config_dir(node) / "SharedData.res").exists()
    assert cluster.loop_devices() == []


def test_two_replicas_get_a_tie_breaker_and_a_client_replaces_it(drbd_cluster):
    cluster = drbd_cluster
    for index, name in enumerate(["alpha", "bravo", "charlie", "delta"]):
        cluster.drbd_node(name, f"127.0.0.{index + 2}")
    c = cluster.client
    assert not is_error(c.resource_dfn_create("Pair", layer_list=["drbd", "storage"]))
    assert not is_error(c.volume_dfn_create("Pair", 65536))
    replies = c.resource_create([linstor.ResourceData(node, "Pair", storage_pool="thinpool") for node in ["alpha", "bravo"]])
    assert not is_error(replies), messages(replies)
    assert any("Tie breaker" in r.message for r in replies), messages(replies)
    resources = cluster.resources("Pair")
    assert "TIE_BREAKER" in resources["charlie"]["flags"]
    cluster.wait_for(lambda: cluster.disk_states("Pair").get("charlie") == ["Diskless"], "tie-breaker attached diskless")
    assert "disk none;" in (cluster.config_dir("charlie") / "Pair.res").read_text()
    definition = c.resource_dfn_list(filter_by_resource_definitions=["Pair"])[0].resource_definitions[0]
    assert definition.properties["DrbdOptions/Resource/quorum"] == "majority"
    # A real client on delta makes the tie-breaker unnecessary.
    replies = c.resource_create([linstor.ResourceData("delta", "Pair", drbd_diskless=True)])
    assert not is_error(replies), messages(replies)
    cluster.wait_for(lambda: "charlie" not in cluster.resources("Pair"), "tie-breaker removed")
    assert not (cluster.config_dir("charlie") / "Pair.res").exists()


def test_delete_with_a_node_offline_finishes_when_it_returns(drbd_cluster):
    cluster = drbd_cluster
    for index, name in enumerate(["alpha", "bravo", "charlie"]):
        cluster.drbd_node(name, f"127.0.0.{index + 2}")
    c = cluster.client
    shared_data(cluster, ["alpha", "bravo", "charlie"])
    wait_up_to_date(cluster, "SharedData", ["alpha", "bravo", "charlie"])
    cluster.satellites["charlie"].stop()
    cluster.wait_for(lambda: cluster.node("charlie").connection_status == "OFFLINE", "charlie OFFLINE")
    replies = c.resource_dfn_delete("SharedData")
    assert not is_error(replies), messages(replies)
    cluster.wait_for(lambda: set(cluster.resources("SharedData")) == {"charlie"}, "only charlie's replica left")
    definitions = c.resource_dfn_list()[0].resource_definitions
    assert [d.name for d in definitions] == ["SharedData"] and "DELETE" in definitions[0].flags
    assert (cluster.config_dir("charlie") / "SharedData.res").exists()
    cluster.restart_satellite("charlie")
    cluster.wait_for(lambda: not c.resource_dfn_list()[0].resource_definitions, "definition gone once charlie cleaned up", 40)
    assert not (cluster.config_dir("charlie") / "SharedData.res").exists()
    assert cluster.loop_devices() == []


def test_standalone_and_failed_disks_are_visible(drbd_cluster):
    cluster = three_replicas(drbd_cluster)
    cluster.control("alpha", "standalone", "SharedData", "bravo")
    cluster.wait_for(
        lambda: cluster.resources("SharedData")["alpha"]["layer_object"]["drbd"]["connections"]["bravo"]
        == {"connected": False, "message": "StandAlone"}, "StandAlone reported")
    cluster.control("bravo", "disk", "SharedData", "0", "Failed")
    cluster.wait_for(lambda: cluster.disk_states("SharedData")["bravo"] == ["Failed"], "Failed disk reported")


def test_error_paths_reach_the_caller_and_change_nothing_live(drbd_cluster):
    cluster = drbd_cluster
    for index, name in enumerate(["alpha", "bravo"]):
        cluster.drbd_node(name, f"127.0.0.{index + 2}")
    c = cluster.client
    c.controller_set_prop("DrbdOptions/auto-add-quorum-tiebreaker", "false")
    shared_data(cluster, ["alpha", "bravo"])
    wait_up_to_date(cluster, "SharedData", ["alpha", "bravo"])
    live = (cluster.config_dir("alpha") / "SharedData.res").read_text()
    # A value DRBD would reject is refused when it is set, with the allowed range; nothing is
    # stored and no node sees it. (drbdadm rejecting a generated file is tested with the real drbdadm
    # in DRBDConfigurationTests: the file never goes live and drbdadm's words reach the caller.)
    replies = c.resource_dfn_modify("SharedData", {"DrbdOptions/Net/max-buffers": "banana"})
    errors = [r for r in replies if r.is_error()]
    assert errors and any("max-buffers" in full(r) and "32 to 131072" in full(r) for r in errors), messages(replies)
    definition = c.resource_dfn_list(filter_by_resource_definitions=["SharedData"])[0].resource_definitions[0]
    assert "DrbdOptions/Net/max-buffers" not in definition.properties
    replies = c.resource_dfn_modify("SharedData", {"DrbdOptions/Net/max-bufers": "8000"})
    assert is_error(replies) and any("Did you mean max-buffers" in full(r) for r in replies), messages(replies)
    assert (cluster.config_dir("alpha") / "SharedData.res").read_text() == live
    assert not (cluster.config_dir("alpha") / "SharedData.res.new").exists()
    # A valid one reaches every node's file through drbdadm adjust.
    assert not is_error(c.resource_dfn_modify("SharedData", {"DrbdOptions/Net/max-buffers": "8000"}))
    assert "max-buffers 8000;" in (cluster.config_dir("alpha") / "SharedData.res").read_text()
    c.resource_dfn_modify("SharedData", {}, delete_props=["DrbdOptions/Net/max-buffers"])

    # The kernel refuses the attach on a new node: the error names the command and its output.
    cluster.drbd_node("charlie", "127.0.0.4")
    cluster.control("charlie", "fail", "attach", "--code", "10", "--message", "1000: Failure: (119) No valid meta-data signature found.", "--times", "0")
    replies = c.resource_create([linstor.ResourceData("charlie", "SharedData", storage_pool="thinpool")])
    errors = [r for r in replies if r.is_error()]
    assert errors and any("attach 1000" in full(r) and "No valid meta-data signature found" in full(r) for r in errors), messages(replies)
    cluster.control("charlie", "clear-failures")

    # A node without the DRBD module never gets a DRBD replica, and says why.
    cluster.start_satellite("delta", "127.0.0.5")
    address, port = cluster.ports["delta"]
    c.node_create("delta", "Satellite", address, port=port)
    cluster.wait_for(lambda: cluster.node("delta").connection_status == "ONLINE", "delta ONLINE")
    c.storage_pool_create("delta", "thinpool", "FILE_THIN", str(cluster.pool_dir("delta")))
    replies = c.resource_create([linstor.ResourceData("delta", "SharedData", storage_pool="thinpool")])
    assert is_error(replies) and any("DRBD kernel module not available" in full(r) for r in replies), messages(replies)
    assert "delta" not in cluster.resources("SharedData")


def test_failing_create_md_is_reported_and_nothing_is_brought_up(drbd_cluster):
    cluster = drbd_cluster
    cluster.drbd_node("alpha", "127.0.0.2")
    cluster.drbd_node("bravo", "127.0.0.3", env={**os.environ, "PATH": cluster.failing_drbdmeta_path()})
    c = cluster.client
    assert not is_error(c.resource_dfn_create("SharedData", layer_list=["drbd", "storage"]))
    assert not is_error(c.volume_dfn_create("SharedData", SIZE_KIB))
    replies = c.resource_create([linstor.ResourceData("bravo", "SharedData", storage_pool="thinpool")])
    errors = [r for r in replies if r.is_error()]
    assert errors and any("create-md" in full(r) and "Read-only" in full(r) for r in errors), messages(replies)
    assert not (cluster.config_dir("bravo") / "SharedData.res").exists()
    assert "new-resource" not in ((cluster.kernel / "bravo" / "calls.log").read_text() if (cluster.kernel / "bravo" / "calls.log").exists() else "")



def test_split_brain_shows_in_depot_and_the_state_article(drbd_cluster):
    cluster = three_replicas(drbd_cluster)
    listing = cluster.depot("resource", "list")
    assert listing.count("| Ok ") == 3 and listing.count("UpToDate") == 3, listing
    assert "/dev/drbd1000" in cluster.depot("volume", "list")
    # DRBD on alpha detects a split brain with bravo: its helper runs and the link stays StandAlone.
    cluster.control("alpha", "splitbrain", "SharedData", "bravo")
    cluster.wait_for(
        lambda: cluster.resources("SharedData")["alpha"]["layer_object"]["drbd"]["connections"]["bravo"]
        == {"connected": False, "message": "SplitBrain"}, "split brain reported")
    listing = cluster.depot("resource", "list")
    alpha = next(line for line in listing.splitlines() if "| alpha " in line)
    assert "SplitBrain(bravo)" in alpha, listing
    # Resolved (by the admin on the node): the next adjust reconnects and the list is clean again.
    cluster.control("alpha", "resolve", "SharedData", "bravo")
    cluster.client.resource_dfn_modify("SharedData", {"Aux/touch": "1"})
    wait_up_to_date(cluster, "SharedData", ["alpha", "bravo", "charlie"])


def test_growing_a_volume_resizes_drbd_after_its_backing_device(drbd_cluster):
    cluster = three_replicas(drbd_cluster)
    before = (cluster.pool_dir("alpha") / "SharedData_00000.img").stat().st_size
    replies = cluster.client.volume_dfn_modify("SharedData", 0, size=2 * SIZE_KIB)
    assert not is_error(replies), messages(replies)
    for node in ["alpha", "bravo", "charlie"]:
        image = cluster.pool_dir(node) / "SharedData_00000.img"
        cluster.wait_for(lambda image=image: image.stat().st_size > before + SIZE_KIB * 1024 - 1, f"{node}'s backing device grown")
        log = cluster.kernel / node / "calls.log"
        cluster.wait_for(lambda log=log: any(line.startswith("resize 1000") for line in log.read_text().splitlines()),
                         f"drbdadm resize on {node} (calls: {log.read_text().splitlines()[-5:]}, {(cluster.root / (node + '.log')).read_text()[-1500:]})")


def test_paths_of_a_resource_connection_reach_the_res_files(drbd_cluster):
    cluster = drbd_cluster
    for index, name in enumerate(["alpha", "bravo"]):
        cluster.drbd_node(name, f"127.0.0.{index + 2}")
        cluster.add_address(f"127.0.1.{index + 2}")
        assert not is_error(cluster.client.netinterface_create(name, "data", f"127.0.1.{index + 2}"))
    c = cluster.client
    c.controller_set_prop("DrbdOptions/auto-add-quorum-tiebreaker", "false")
    shared_data(cluster, ["alpha", "bravo"])
    wait_up_to_date(cluster, "SharedData", ["alpha", "bravo"])
    replies = c.resource_conn_modify("SharedData", "alpha", "bravo", {
        "Paths/p1/alpha": "default", "Paths/p1/bravo": "default", "Paths/p2/alpha": "data", "Paths/p2/bravo": "data",
        "DrbdOptions/Net/protocol": "A"}, [])
    assert not is_error(replies), messages(replies)
    res = (cluster.config_dir("alpha") / "SharedData.res").read_text()
    assert "path {" in res and 'host "alpha" address ipv4 127.0.1.2:7000;' in res and "protocol A;" in res, res
    # drbdadm added the second path to the running connection, and the link stayed up.
    calls = (cluster.kernel / "alpha" / "calls.log").read_text()
    assert "new-path SharedData 1 ipv4:127.0.1.2:7000 ipv4:127.0.1.3:7000" in calls, calls
    wait_up_to_date(cluster, "SharedData", ["alpha", "bravo"])
