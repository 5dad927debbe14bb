"""Platform drivers, unchanged: the REST calls LINBIT's Proxmox plugin, linstor-csi (golinstor) and
python-linstor's high-level `linstor.Resource` make for a volume's life, replayed against real
controller and satellites on 127.0.0.N with DRBD (the kernel played by the stand-in in
tests/drbd_standin, test code).

Bodies are shaped as each driver sends them (Perl's numbers where LINSTOR's spec says strings, no
Content-Type header, `keep_tiebreaker=True`), and the status codes are the exact ones the drivers
compare against.
"""

from __future__ import annotations

import json
import subprocess
import urllib.error
import urllib.request

import linstor
from conftest import is_error, messages

GROUP = "drbdgrp"


def call(cluster, method: str, path: str, body=None, content_type: str | None = None):
    """(status, JSON) of a raw REST call as a driver makes it: by default without a Content-Type."""
    headers = {"Content-Type": content_type} if content_type else {}
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://{cluster.rest}{path}", method=method, headers=headers, data=data)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def ok(replies) -> bool:
    return isinstance(replies, list) and not any(r["ret_code"] & 0xC000000000000000 == 0xC000000000000000 for r in replies)


def view(cluster, resource: str) -> dict:
    status, entries = call(cluster, "GET", f"/v1/view/resources?resources={resource}")
    assert status == 200, entries
    return {entry["node_name"]: entry for entry in entries}


def in_sync(cluster, resource: str, nodes) -> bool:
    """Every replica connected to every other one, the disks UpToDate."""
    entries = view(cluster, resource)
    for node in nodes:
        entry = entries.get(node, {})
        links = entry.get("layer_object", {}).get("drbd", {}).get("connections", {})
        if len(links) != len(nodes) - 1 or not all(link.get("connected") for link in links.values()):
            return False
        if "DISKLESS" not in entry.get("flags", []) and cluster.disk_states(resource).get(node) != ["UpToDate"]:
            return False
    return True


def drbd_nodes(cluster, names: list[str]) -> None:
    for index, name in enumerate(names):
        cluster.drbd_node(name, f"127.0.0.{index + 2}")


def proxmox_group(cluster) -> None:
    """The storage's resource group as an administrator makes it for the plugin."""
    c = cluster.client
    assert not is_error(c.resource_group_create(GROUP, place_count=2, storage_pool="thinpool", layer_list=["drbd", "storage"]))
    assert not is_error(c.volume_group_create(GROUP))


def test_proxmox_plugin_allocates_attaches_resizes_and_frees_a_disk(drbd_cluster):
    cluster = drbd_cluster
    drbd_nodes(cluster, ["alpha", "bravo", "charlie"])
    proxmox_group(cluster)
    disk = "pm-1a2b3c4d"

    # Which controller answers.
    assert call(cluster, "GET", "/health")[0] == 200
    # Properties the controller sets itself, as LINSTOR does.
    cluster.wait_for(lambda: call(cluster, "GET", "/v1/nodes/alpha")[1].get("props", {}).get("NodeUname") == "alpha", "alpha's NodeUname")
    assert call(cluster, "GET", "/v1/nodes/alpha")[1]["props"]["CurStltConnName"] == "default"
    # alloc_image with preferlocal=yes on alpha.
    status, group = call(cluster, "GET", f"/v1/resource-groups/{GROUP}")
    assert status == 200 and group["select_filter"]["place_count"] == 2, group
    status, replies = call(cluster, "POST", f"/v1/resource-groups/{GROUP}/spawn", {
        "resource_definition_name": disk, "definitions_only": True, "volume_sizes": [65536],
        "resource_definition_props": {"DrbdOptions/ExactSize": "False", "DrbdOptions/Net/allow-two-primaries": "yes"}})
    assert status == 201, replies
    status, replies = call(cluster, "POST", f"/v1/resource-definitions/{disk}/resources/alpha/make-available", {"diskful": True})
    assert status == 200 and ok(replies), replies
    status, replies = call(cluster, "POST", f"/v1/resource-definitions/{disk}/autoplace", {})
    assert status == 201 and ok(replies), replies
    status, replies = call(cluster, "PUT", f"/v1/resource-definitions/{disk}", {"override_props": {"Aux/pm/vmid": 100}})
    assert status == 200 and ok(replies), replies
    status, definitions = call(cluster, "GET", "/v1/resource-definitions")
    assert [d["props"]["Aux/pm/vmid"] for d in definitions if d["name"] == disk] == ["100"]

    placed = view(cluster, disk)
    diskful = {node for node, entry in placed.items() if "DISKLESS" not in entry.get("flags", [])}
    assert "alpha" in diskful and len(diskful) == 2, placed
    # Two disks: the third node holds the tie-breaker.
    tie_breaker = next(node for node in placed if node not in diskful)
    assert "TIE_BREAKER" in placed[tie_breaker].get("flags", []), placed
    cluster.wait_for(lambda: in_sync(cluster, disk, placed), "both disks UpToDate and every replica connected")

    # activate_volume on the tie-breaker's node: it becomes a client the user wants.
    status, replies = call(cluster, "POST", f"/v1/resource-definitions/{disk}/resources/{tie_breaker}/make-available", {"diskful": False})
    assert status == 200 and ok(replies), replies
    assert [r["message"] for r in replies if r["ret_code"] & 0x7FFF == 0] == ["Resource already deployed as requested"], replies
    assert "TIE_BREAKER" not in view(cluster, disk)[tie_breaker].get("flags", [])
    # ...and on a node with a disk nothing changes.
    status, replies = call(cluster, "POST", f"/v1/resource-definitions/{disk}/resources/alpha/make-available", {"diskful": False})
    assert status == 200 and ok(replies), replies
    assert "DISKLESS" not in view(cluster, disk)["alpha"].get("flags", [])

    # status(): every group's size at once, the cache age as Perl may send it (a string).
    status, sizes = call(cluster, "POST", "/v1/queries/resource-groups/query-all-size-info", {"ignore_cache_older_than_sec": "60"})
    assert status == 200, sizes
    space = sizes["result"][GROUP]["space_info"]
    assert space["capacity_in_kib"] > 0 and space["available_size_in_kib"] >= 0, space

    # volume_resize: size_kib is bytes / 1024 from Perl, possibly fractional.
    status, replies = call(cluster, "PUT", f"/v1/resource-definitions/{disk}/volume-definitions/0", {"size_kib": 98304.5})
    assert status == 200 and ok(replies), replies
    status, volume = call(cluster, "GET", f"/v1/resource-definitions/{disk}/volume-definitions/0")
    assert volume["size_kib"] == 98304, volume

    # deactivate_volume on the client's node: the diskless replica goes, kept as tie-breaker as quorum needs one.
    status, replies = call(cluster, "DELETE", f"/v1/resource-definitions/{disk}/resources/{tie_breaker}?keep_tiebreaker=True")
    assert status == 200 and ok(replies), replies
    assert any(r["ret_code"] & 0x7FFF == 10006 for r in replies), replies
    assert "TIE_BREAKER" in view(cluster, disk)[tie_breaker].get("flags", [])

    # free_image: nothing in use, then the definition goes.
    assert not any(entry.get("state", {}).get("in_use") for entry in view(cluster, disk).values())
    status, replies = call(cluster, "DELETE", f"/v1/resource-definitions/{disk}")
    assert status == 200 and ok(replies), replies
    cluster.wait_for(lambda: not view(cluster, disk), "every replica gone")
    assert cluster.loop_devices() == []


def test_make_available_creates_what_the_node_lacks(drbd_cluster):
    cluster = drbd_cluster
    drbd_nodes(cluster, ["alpha", "bravo", "charlie", "delta"])
    proxmox_group(cluster)
    c = cluster.client
    assert not is_error(c.resource_group_spawn(GROUP, "Disk", [65536], definitions_only=True))

    # The first replica is diskful even when no disk was asked for: nothing could serve a client.
    status, replies = call(cluster, "POST", "/v1/resource-definitions/Disk/resources/alpha/make-available", {})
    assert status == 200 and ok(replies), replies
    assert "DISKLESS" not in view(cluster, "Disk")["alpha"].get("flags", [])
    # With a disk on alpha, a node that asks for nothing gets a DRBD client.
    status, replies = call(cluster, "POST", "/v1/resource-definitions/Disk/resources/bravo/make-available", {"diskful": False})
    assert status == 200 and ok(replies), replies
    bravo = view(cluster, "Disk")["bravo"]
    assert "DRBD_DISKLESS" in bravo.get("flags", []) and "TIE_BREAKER" not in bravo.get("flags", []), bravo
    # The client gets a disk when asked: toggled, keeping its DRBD identity.
    node_id = bravo["layer_object"]["drbd"]["node_id"]
    status, replies = call(cluster, "POST", "/v1/resource-definitions/Disk/resources/bravo/make-available", {"diskful": True})
    assert status == 200 and ok(replies), replies
    cluster.wait_for(lambda: cluster.disk_states("Disk").get("bravo") == ["UpToDate"], "bravo diskful and in sync")
    assert view(cluster, "Disk")["bravo"]["layer_object"]["drbd"]["node_id"] == node_id

    # A node whose pools the group does not allow: LINSTOR's words (OpenNebula matches them), 404, nothing made.
    assert not is_error(c.resource_group_modify(GROUP, storage_pool="otherpool"))
    # (Two disks now: charlie, first by name, holds the tie-breaker.)
    assert "TIE_BREAKER" in view(cluster, "Disk")["charlie"].get("flags", [])
    status, replies = call(cluster, "POST", "/v1/resource-definitions/Disk/resources/delta/make-available", {"diskful": True})
    assert status == 404, replies
    assert replies[0]["message"].startswith("Autoplacer could not find diskful stor pool on node delta"), replies
    assert "delta" not in view(cluster, "Disk")
    # A layer list that differs from the deployed replica's is refused.
    status, replies = call(cluster, "POST", "/v1/resource-definitions/Disk/resources/alpha/make-available", {"layer_list": ["storage"]})
    assert status == 500 and replies[0]["message"] == "Layerstack of deployed resource does not match", replies
    # Unknown definition or node: 404.
    assert call(cluster, "POST", "/v1/resource-definitions/Nope/resources/alpha/make-available", {})[0] == 404
    assert call(cluster, "POST", "/v1/resource-definitions/Disk/resources/nope/make-available", {})[0] == 404


def test_deleting_the_tie_breaker_turns_the_automatic_one_off_unless_kept(drbd_cluster):
    cluster = drbd_cluster
    drbd_nodes(cluster, ["alpha", "bravo", "charlie"])
    proxmox_group(cluster)
    c = cluster.client
    assert not is_error(c.resource_group_spawn(GROUP, "Pair", [65536]))
    placed = view(cluster, "Pair")
    tie_breaker = next(node for node, entry in placed.items() if "TIE_BREAKER" in entry.get("flags", []))

    # Kept: the delete is turned into nothing, as quorum still needs it.
    status, replies = call(cluster, "DELETE", f"/v1/resource-definitions/Pair/resources/{tie_breaker}?keep_tiebreaker=true")
    assert status == 200 and ok(replies), replies
    assert "TIE_BREAKER" in view(cluster, "Pair")[tie_breaker].get("flags", [])
    # Not kept: it goes, and the definition says why no new one comes.
    status, replies = call(cluster, "DELETE", f"/v1/resource-definitions/Pair/resources/{tie_breaker}")
    assert status == 200 and ok(replies), messages(replies) if not isinstance(replies, list) else replies
    assert any(r["message"].startswith("Disabling auto-tiebreaker on resource-definition 'Pair'") for r in replies), replies
    cluster.wait_for(lambda: tie_breaker not in view(cluster, "Pair"), "the tie-breaker gone")
    definition = c.resource_dfn_list(filter_by_resource_definitions=["Pair"])[0].resource_definitions[0]
    assert definition.properties["DrbdOptions/auto-add-quorum-tiebreaker"] == "false"
    # A client deleted with keep_tiebreaker turns it on again and is taken over as the tie-breaker.
    replies = c.resource_create([linstor.ResourceData(tie_breaker, "Pair", drbd_diskless=True)])
    assert not is_error(replies), messages(replies)
    status, replies = call(cluster, "DELETE", f"/v1/resource-definitions/Pair/resources/{tie_breaker}?keep_tiebreaker=True")
    assert status == 200 and ok(replies), replies
    assert [r["message"] for r in replies if r["ret_code"] & 0x7FFF == 10002] == ["Autotiebreaker automatically enabled due to --keep-tiebreaker"]
    assert "TIE_BREAKER" in view(cluster, "Pair")[tie_breaker].get("flags", [])


def test_python_linstor_resource_class_through_a_volume_life(drbd_cluster):
    cluster = drbd_cluster
    drbd_nodes(cluster, ["alpha", "bravo", "charlie"])
    proxmox_group(cluster)
    uri = f"linstor://{cluster.rest}"

    # Defined implicitly from an external name: LINSTOR's name derivation gives 'my_vol_1'.
    volume = linstor.Resource("my vol/1", uri=uri)
    volume.placement.redundancy = 2
    volume.placement.storage_pool = "thinpool"
    volume.volumes[0] = linstor.Volume("64MiB")
    volume.autoplace()
    assert volume.defined
    status, definition = call(cluster, "GET", "/v1/resource-definitions/my_vol_1")
    assert status == 200 and definition["external_name"] == "my vol/1", definition
    diskful = {node for node, entry in view(cluster, "my_vol_1").items() if "DISKLESS" not in entry.get("flags", [])}
    assert len(diskful) == 2, diskful
    # OpenNebula waits for a new volume this way; it answers once every disk is UpToDate.
    assert cluster.client.resource_dfn_wait_synced("my_vol_1", wait_interval=0.2, timeout=30)
    assert all(state == ["UpToDate"] for node, state in cluster.disk_states("my_vol_1").items() if node in diskful)
    assert call(cluster, "GET", "/v1/resource-definitions/nothing/sync-status")[0] == 404
    cluster.wait_for(lambda: in_sync(cluster, "my_vol_1", view(cluster, "my_vol_1")), "replicas in sync")

    # A diskless attach on the third node, which held the tie-breaker.
    other = ({"alpha", "bravo", "charlie"} - diskful).pop()
    volume.activate(other)
    assert volume.is_diskless(other)
    assert "TIE_BREAKER" not in view(cluster, "my_vol_1")[other].get("flags", [])
    cluster.wait_for(lambda: in_sync(cluster, "my_vol_1", view(cluster, "my_vol_1")), "the client connected")
    # Grow.
    volume.volumes[0].size = 96 * 1024 * 1024
    status, definition = call(cluster, "GET", "/v1/resource-definitions/my_vol_1/volume-definitions/0")
    assert definition["size_kib"] == 96 * 1024, definition
    # Detach: the client goes (quorum keeps it as the tie-breaker).
    volume.deactivate(other)
    assert "TIE_BREAKER" in view(cluster, "my_vol_1")[other].get("flags", [])

    # Snapshots, restore, rollback and clone, as OpenNebula's and Cinder's drivers use them.
    volume.snapshot_create("before")
    restored = volume.restore_from_snapshot("before", "my_vol_copy")
    assert restored.defined and set(view(cluster, "my_vol_copy")) >= diskful
    volume.snapshot_rollback("before")
    assert view(cluster, "my_vol_1")[other].get("flags") and "TIE_BREAKER" in view(cluster, "my_vol_1")[other]["flags"]
    cloned = volume.clone("my_vol_clone")
    assert cloned.defined and set(view(cluster, "my_vol_clone")) >= diskful
    for copy in (restored, cloned):
        copy.delete()
    volume.snapshot_delete("before")
    status, listed = call(cluster, "GET", "/v1/view/snapshots")
    assert status == 200 and listed == [], listed

    # From a resource group, as OpenNebula and Cinder spawn.
    spawned = linstor.Resource.from_resource_group(uri, GROUP, "Spawned", ["32MiB"])
    assert spawned.defined and len(view(cluster, "Spawned")) >= 2
    spawned.delete()
    volume.delete()
    cluster.wait_for(lambda: not any(view(cluster, name) for name in ["my_vol_1", "Spawned", "my_vol_copy", "my_vol_clone"]), "every volume gone")
    assert cluster.loop_devices() == []


def test_linstor_csi_provisions_publishes_expands_and_deletes_a_volume(drbd_cluster):
    cluster = drbd_cluster
    drbd_nodes(cluster, ["alpha", "bravo", "charlie"])
    pvc, group = "pvc-0b1c2d3e", "sc-1"
    json_type = "application/json"

    def csi(method: str, path: str, body=None):
        return call(cluster, method, path, body, content_type=json_type)

    # CreateVolume: everything is looked up first; 404 means "make it".
    assert csi("GET", f"/v1/resource-definitions/{pvc}")[0] == 404
    assert csi("GET", f"/v1/resource-groups/{group}")[0] == 404
    status, replies = csi("POST", "/v1/resource-groups", {"name": group, "select_filter": {}})
    assert status == 201 and ok(replies), replies
    status, replies = csi("PUT", f"/v1/resource-groups/{group}", {
        "select_filter": {"place_count": 2, "storage_pool_list": ["thinpool"], "layer_stack": ["DRBD", "STORAGE"]},
        "override_props": {"DrbdOptions/Resource/on-no-quorum": "io-error"}})
    assert status == 200 and ok(replies), replies
    status, replies = csi("POST", "/v1/resource-definitions", {"resource_definition": {"name": pvc, "resource_group_name": group}})
    assert status == 201 and ok(replies), replies
    assert csi("GET", f"/v1/resource-definitions/{pvc}/volume-definitions/0")[0] == 404
    status, replies = csi("POST", f"/v1/resource-definitions/{pvc}/volume-definitions", {
        "volume_definition": {"volume_number": 0, "size_kib": 65536, "props": {"FileSystem/Type": "ext4", "FileSystem/MkfsParams": ""}}})
    assert status == 201 and ok(replies), replies
    status, replies = csi("POST", f"/v1/resource-definitions/{pvc}/autoplace", {
        "select_filter": {"place_count": 1, "additional_place_count": 1, "node_name_list": ["alpha"]}})
    assert status == 201 and ok(replies), replies
    status, replies = csi("POST", f"/v1/resource-definitions/{pvc}/autoplace", {"select_filter": {"node_name_list": ["alpha", "bravo", "charlie"]}})
    assert status == 201, replies
    status, replies = csi("PUT", f"/v1/resource-definitions/{pvc}", {"override_props": {
        "Aux/csi-provisioning-completed-by": "linstor-csi/v1.10.1", "Aux/csi.storage.k8s.io/pvc/name": "data",
        "Aux/csi.storage.k8s.io/pvc/namespace": "default"}})
    assert status == 200 and ok(replies), replies
    status, resources = csi("GET", f"/v1/resource-definitions/{pvc}/resources")
    diskful = {r["node_name"] for r in resources if "DISKLESS" not in r.get("flags", [])}
    assert "alpha" in diskful and len(diskful) == 2, resources
    cluster.wait_for(lambda: in_sync(cluster, pvc, view(cluster, pvc)), "replicas in sync")

    # Periodic capacity and node info, with golinstor's list options.
    status, pools = csi("GET", "/v1/view/storage-pools?cached=true&limit=0&offset=0")
    assert status == 200 and any(p["storage_pool_name"] == "thinpool" for p in pools), pools
    status, nodes = csi("GET", "/v1/nodes?limit=0&offset=0")
    assert status == 200 and len(nodes) == 3, nodes
    # Health: every DRBD replica has a state and a promotion score above 0.
    for entry in view(cluster, pvc).values():
        assert "state" in entry and entry["layer_object"]["drbd"]["promotion_score"] > 0, entry

    # ControllerPublish on a node without a disk: make-available with '{}', then the device path.
    other = ({"alpha", "bravo", "charlie"} - diskful).pop()
    status, replies = csi("POST", f"/v1/resource-definitions/{pvc}/resources/{other}/make-available", {})
    assert status == 200 and ok(replies), replies
    status, volume = csi("GET", f"/v1/resource-definitions/{pvc}/resources/{other}/volumes/0")
    assert status == 200 and volume["device_path"].startswith("/dev/drbd"), volume
    # ControllerExpand.
    status, replies = csi("PUT", f"/v1/resource-definitions/{pvc}/volume-definitions/0", {"size_kib": 98304})
    assert status == 200 and ok(replies), replies
    # ControllerUnpublish: a key that is not there is deleted without complaint; the client goes.
    status, replies = csi("PUT", f"/v1/resource-definitions/{pvc}", {"delete_props": ["DrbdOptions/Net/allow-two-primaries"]})
    assert status == 200 and ok(replies), replies
    status, volume = csi("GET", f"/v1/resource-definitions/{pvc}/resources/{other}/volumes/0")
    assert volume["provider_kind"] == "DISKLESS", volume
    status, replies = csi("DELETE", f"/v1/resource-definitions/{pvc}/resources/{other}?keep_tiebreaker=false")
    assert status == 200 and ok(replies), replies

    # DeleteVolume: the group cannot go while a definition uses it.
    status, replies = csi("PUT", f"/v1/resource-definitions/{pvc}", {"override_props": {"BalanceResourcesEnabled": "False"}})
    assert status == 200 and ok(replies), replies
    status, replies = csi("DELETE", f"/v1/resource-groups/{group}")
    assert status != 200 and replies[0]["ret_code"] & (0xC000000000000000 | 0x7FFF) == 0xC000000000000000 | 501, replies
    status, resources = csi("GET", f"/v1/resource-definitions/{pvc}/resources")
    for resource in sorted(resources, key=lambda r: "DISKLESS" not in r.get("flags", [])):
        status, replies = csi("DELETE", f"/v1/resource-definitions/{pvc}/resources/{resource['node_name']}?keep_tiebreaker=false")
        assert status == 200 and ok(replies), replies
    status, snapshots = csi("GET", f"/v1/resource-definitions/{pvc}/snapshots")
    assert status == 200 and snapshots == [], snapshots
    status, replies = csi("DELETE", f"/v1/resource-definitions/{pvc}")
    assert status == 200 and ok(replies), replies
    cluster.wait_for(lambda: csi("GET", f"/v1/resource-definitions/{pvc}")[0] == 404, "the definition gone")
    status, replies = csi("DELETE", f"/v1/resource-groups/{group}")
    assert status == 200 and ok(replies), replies
    assert cluster.loop_devices() == []


def test_cinder_resource_group_class_and_opennebula_prefer_node_deploy(drbd_cluster):
    cluster = drbd_cluster
    drbd_nodes(cluster, ["alpha", "bravo", "charlie"])
    uri = f"linstor://{cluster.rest}"

    # Cinder 2.0: a volume type is a resource group made on first use through python-linstor's
    # ResourceGroup class ('[]' for an unknown group means "create"), set property by property,
    # each setter sending the whole state with empty lists for "no constraint".
    status, groups = call(cluster, "GET", "/v1/resource-groups?resource_groups=one-rg")
    assert status == 200 and groups == [], groups
    group = linstor.ResourceGroup("one-rg", uri=uri)
    group.redundancy = 2
    group.storage_pool = ["thinpool"]
    group.layer_list = ["drbd", "storage"]
    group.description = "For volume type \"gold\""
    group.property_dict = {"Aux/cinder-type": "gold"}
    status, groups = call(cluster, "GET", "/v1/resource-groups?resource_groups=one-rg")
    assert groups[0]["select_filter"]["place_count"] == 2, groups
    assert groups[0]["select_filter"]["storage_pool_list"] == ["thinpool"] and groups[0]["select_filter"]["storage_pool"] == "thinpool"
    assert groups[0]["props"]["Aux/cinder-type"] == "gold" and groups[0]["description"] == "For volume type \"gold\"", groups
    assert linstor.ResourceGroup("one-rg", uri=uri).redundancy == 2

    # OpenNebula's deploy with prefer_node: definitions only, a disk on the preferred node, then
    # autoplace the rest with the group's place count (no place_count in the request).
    image = "OpenNebula-Image-12"
    status, replies = call(cluster, "POST", "/v1/resource-groups/one-rg/spawn", {
        "resource_definition_name": image, "volume_sizes": [65536], "partial": False, "definitions_only": True, "select_filter": {}})
    assert status == 201 and ok(replies), replies
    status, replies = call(cluster, "POST", f"/v1/resource-definitions/{image}/resources/bravo/make-available", {"diskful": True})
    assert status == 200 and ok(replies), replies
    status, replies = call(cluster, "POST", f"/v1/resource-definitions/{image}/autoplace", {
        "diskless_on_remaining": False, "select_filter": {"diskless_on_remaining": False, "storage_pool_list": ["thinpool"]}})
    assert status == 201 and ok(replies), replies
    diskful = {node for node, entry in view(cluster, image).items() if "DISKLESS" not in entry.get("flags", [])}
    assert "bravo" in diskful and len(diskful) == 2, diskful
    # A second autoplace has nothing to do and still answers 201 (Proxmox and OpenNebula compare).
    status, replies = call(cluster, "POST", f"/v1/resource-definitions/{image}/autoplace", {})
    assert status == 201, replies
    # Monitoring: the group's pools and the cluster's pool capacities.
    status, pools = call(cluster, "GET", "/v1/view/storage-pools")
    assert status == 200 and all("free_capacity" in p for p in pools if p["provider_kind"] != "DISKLESS"), pools
    # Delete: snapshots first (none), then the definition; the first reply must be a plain success.
    status, snapshots = call(cluster, "GET", "/v1/view/snapshots")
    assert status == 200 and snapshots == [], snapshots
    status, replies = call(cluster, "DELETE", f"/v1/resource-definitions/{image}")
    assert status == 200 and replies[0]["ret_code"] & 0xC000000000000000 == 0, replies
    cluster.wait_for(lambda: not view(cluster, image), "every replica gone")
    group.delete()
    assert call(cluster, "GET", "/v1/resource-groups/one-rg")[0] == 404


def test_deactivate_keeps_the_data_and_activate_brings_the_replica_back(drbd_cluster):
    cluster = drbd_cluster
    drbd_nodes(cluster, ["alpha", "bravo", "charlie"])
    c = cluster.client
    assert not is_error(c.resource_dfn_create("Act", layer_list=["drbd", "storage"]))
    assert not is_error(c.volume_dfn_create("Act", 65536))
    replies = c.resource_create([linstor.ResourceData(node, "Act", storage_pool="thinpool") for node in ["alpha", "bravo", "charlie"]])
    assert not is_error(replies), messages(replies)
    cluster.wait_for(lambda: in_sync(cluster, "Act", ["alpha", "bravo", "charlie"]), "three replicas in sync")
    charlie_id = view(cluster, "Act")["charlie"]["layer_object"]["drbd"]["node_id"]
    image = cluster.pool_dir("charlie") / "Act_00000.img"

    # In use on bravo: refused, nothing changes.
    cluster.control("bravo", "primary", "Act")
    cluster.wait_for(lambda: view(cluster, "Act")["bravo"].get("state", {}).get("in_use") is True, "bravo in use")
    status, replies = call(cluster, "POST", "/v1/resource-definitions/Act/resources/bravo/deactivate")
    assert status == 500 and replies[0]["ret_code"] & 0x7FFF == 997, replies
    assert "INACTIVE" not in view(cluster, "Act")["bravo"].get("flags", [])
    cluster.control("bravo", "secondary", "Act")

    # charlie is taken out: no device, no .res, no connection from its peers; its data stays, and
    # its peers keep its bitmap slot (no forget-peer), so coming back resyncs only what changed.
    status, replies = call(cluster, "POST", "/v1/resource-definitions/Act/resources/charlie/deactivate")
    assert status == 200 and ok(replies), replies
    assert "INACTIVE" in view(cluster, "Act")["charlie"].get("flags", [])
    cluster.wait_for(lambda: not (cluster.config_dir("charlie") / "Act.res").exists(), "charlie's .res removed")
    cluster.wait_for(lambda: "Act" not in json.loads((cluster.kernel / "charlie" / "state.json").read_text())["resources"], "charlie down")
    cluster.wait_for(lambda: 'on "charlie"' not in (cluster.config_dir("alpha") / "Act.res").read_text(), "alpha drops charlie")
    assert image.exists()
    assert not subprocess.run(["losetup", "-j", str(image)], capture_output=True, text=True).stdout.strip(), "loop device detached"
    for node in ["alpha", "bravo"]:
        assert f"forget-peer Act {charlie_id}" not in (cluster.kernel / node / "calls.log").read_text()
    status, replies = call(cluster, "POST", "/v1/resource-definitions/Act/resources/charlie/deactivate")
    assert status == 200 and [r["message"] for r in replies] == ["Resource is already deactivated. Noop"], replies

    # Back: the same image, the same metadata (no new create-md), connected and UpToDate again.
    created_before = (cluster.root / "charlie.log").read_text().count("DRBD metadata created")
    assert created_before == 1
    status, replies = call(cluster, "POST", "/v1/resource-definitions/Act/resources/charlie/activate")
    assert status == 200 and ok(replies), replies
    cluster.wait_for(lambda: in_sync(cluster, "Act", ["alpha", "bravo", "charlie"]), "charlie back in sync", 40)
    assert (cluster.root / "charlie.log").read_text().count("DRBD metadata created") == created_before
    assert "INACTIVE" not in view(cluster, "Act")["charlie"].get("flags", [])
    status, replies = call(cluster, "POST", "/v1/resource-definitions/Act/resources/charlie/activate")
    assert status == 200 and [r["message"] for r in replies] == ["Resource is already activated. Noop"], replies
    assert call(cluster, "POST", "/v1/resource-definitions/Act/resources/delta/activate")[0] == 404


def test_docker_volume_plugin_creates_mounts_unmounts_and_removes_a_volume(drbd_cluster):
    cluster = drbd_cluster
    drbd_nodes(cluster, ["alpha", "bravo", "charlie"])
    # No automatic tie-breaker, so that the mounting node has no replica at all.
    assert not is_error(cluster.client.controller_set_prop("DrbdOptions/auto-add-quorum-tiebreaker", "false"))
    volume = "vol1"

    # Create: a definition with the plugin's marker and file system, a volume, two replicas.
    status, replies = call(cluster, "POST", "/v1/resource-definitions", {"resource_definition": {"name": volume, "props": {
        "Aux/is-linstor-docker-volume": "true", "FileSystem/Type": "ext4", "FileSystem/MkfsParams": ""}}}, content_type="application/json")
    assert status == 201 and ok(replies), replies
    status, replies = call(cluster, "POST", f"/v1/resource-definitions/{volume}/volume-definitions", {"volume_definition": {"size_kib": 65536}})
    assert status == 201 and ok(replies), replies
    status, replies = call(cluster, "POST", f"/v1/resource-definitions/{volume}/autoplace", {"select_filter": {"place_count": 2, "storage_pool": "thinpool"}})
    assert status == 201 and ok(replies), replies
    diskful = {node for node, entry in view(cluster, volume).items() if "DISKLESS" not in entry.get("flags", [])}
    me = next(node for node in ["alpha", "bravo", "charlie"] if node not in diskful)

    # Mount where there is no replica: look (404), then create a diskless one.
    assert call(cluster, "GET", f"/v1/resource-definitions/{volume}/resources/{me}")[0] == 404
    status, replies = call(cluster, "POST", f"/v1/resource-definitions/{volume}/resources/{me}",
                           {"resource": {"name": volume, "node_name": me, "flags": ["DISKLESS"]}})
    assert status == 201 and ok(replies), replies
    assert "DRBD_DISKLESS" in view(cluster, volume)[me].get("flags", [])
    status, definition = call(cluster, "GET", f"/v1/resource-definitions/{volume}")
    assert definition["props"]["FileSystem/Type"] == "ext4", definition
    status, device = call(cluster, "GET", f"/v1/resource-definitions/{volume}/resources/{me}/volumes/0")
    assert status == 200 and device["device_path"].startswith("/dev/drbd"), device

    # Unmount: the diskless replica goes.
    status, entries = call(cluster, "GET", f"/v1/view/resources?nodes={me}&resources={volume}")
    assert entries[0]["volumes"][0]["provider_kind"] == "DISKLESS", entries
    status, replies = call(cluster, "DELETE", f"/v1/resource-definitions/{volume}/resources/{me}")
    assert status == 200 and ok(replies), replies
    cluster.wait_for(lambda: me not in view(cluster, volume), f"the client on {me} gone")

    # Remove: its snapshots (none), then the definition.
    status, snapshots = call(cluster, "GET", f"/v1/resource-definitions/{volume}/snapshots")
    assert status == 200 and snapshots == [], snapshots
    assert call(cluster, "GET", f"/v1/resource-definitions/{volume}/snapshots/none")[0] == 404
    status, replies = call(cluster, "DELETE", f"/v1/resource-definitions/{volume}")
    assert status == 200 and ok(replies), replies
    cluster.wait_for(lambda: not view(cluster, volume), "every replica gone")
    status, definitions = call(cluster, "GET", "/v1/resource-definitions")
    assert not [d for d in definitions if d.get("props", {}).get("Aux/is-linstor-docker-volume") == "true"], definitions


def cinder_group(client, volume_type: dict):
    """What LINBIT's Cinder driver 2.0 does for a volume type (`_resource_group_for_volume_type`):
    `cinder-<type id>` made or updated through python-linstor's ResourceGroup, setter by setter,
    with the extra specs as Cinder hands them over (every value a string, `redundancy` too)."""
    specs = volume_type["extra_specs"]
    group = linstor.ResourceGroup("cinder-" + volume_type["id"], existing_client=client)
    description = 'For volume type "%s"' % volume_type["name"]
    if group.description != description:
        group.description = description
    if group.nr_volumes != 1:
        group.nr_volumes = 1
    if group.storage_pool != specs["linstor:storage_pool"].split(","):
        group.storage_pool = specs["linstor:storage_pool"].split(",")
    if group.diskless_on_remaining is not False:
        group.diskless_on_remaining = False
    if group.layer_list != specs["linstor:layer_list"].split(","):
        group.layer_list = specs["linstor:layer_list"].split(",")
    if group.redundancy != specs["linstor:redundancy"]:
        group.redundancy = specs["linstor:redundancy"]
    extra = {k[len("linstor:property:"):].replace(":", "/"): v for k, v in specs.items() if k.startswith("linstor:property:")}
    existing = group.property_dict
    if any(existing.get(k) != v for k, v in extra.items()):
        existing.update(extra)
        group.property_dict = existing
    return group


def cinder_resource(client, name: str):
    """`_get_existing_resource`: the volume's resource, which must be defined."""
    resource = linstor.Resource(name, existing_client=client)
    assert resource.defined, name
    return resource


def cinder_attach(client, resource, host: str) -> str:
    """`_ensure_resource_path`: make-available on the host, then the device from `volume list`."""
    resource.activate(host)
    volumes = client.volume_list_raise(filter_by_nodes=[host], filter_by_resources=[resource.name])
    assert len(volumes.resources) == 1, volumes.resources
    links = [v for k, v in volumes.resources[0].volumes[0].properties.items() if k.startswith("Satellite/Device/Symlinks/")]
    return next((link for link in links if "by-res" in link), links[0] if links else f"/dev/drbd/by-res/{resource.name}/0")


def test_openstack_cinder_driver_through_a_volume_life(drbd_cluster):
    """LINBIT's Cinder driver 2.0 (linstordrv.py, DRBD direct attach), call by call through
    python-linstor as it makes them: setup check, volume type group, create, stats, attach on a
    compute node without a replica, live migration, extend, snapshot, volume from snapshot, clone,
    revert, retype, detach, delete."""
    cluster = drbd_cluster
    drbd_nodes(cluster, ["alpha", "bravo", "charlie"])
    client = linstor.MultiLinstor([f"linstor://{cluster.rest}"], timeout=60)
    gib = 1024 * 1024

    # check_for_setup_error
    linstor.Resource("test", existing_client=client)
    with client as c:
        version = c.controller_version().rest_api_version
        nodes = c.node_list_raise(filter_by_nodes=["charlie"])
    assert tuple(int(n) for n in version.split(".")) >= (1, 4, 0) and len(nodes.nodes) == 1

    gold = {"id": "8d3c6a0e-2f4b-4c1e-9a51-0b5e6f7d8a90", "name": "gold", "extra_specs": {
        "linstor:storage_pool": "thinpool", "linstor:layer_list": "drbd,storage", "linstor:redundancy": "2",
        "linstor:property:DrbdOptions:Net:max-buffers": "8000"}}
    silver = {"id": "1f0e9d8c-7b6a-4594-8372-615049382716", "name": "silver", "extra_specs": dict(gold["extra_specs"])}
    group = cinder_group(client, gold)
    status, groups = call(cluster, "GET", f"/v1/resource-groups?resource_groups={group.name}")
    assert groups[0]["select_filter"]["place_count"] == 2 and groups[0]["props"]["DrbdOptions/Net/max-buffers"] == "8000", groups
    status, volume_groups = call(cluster, "GET", f"/v1/resource-groups/{group.name}/volume-groups")
    assert status == 200 and [v["volume_number"] for v in volume_groups] == [0], volume_groups
    # The next volume of the type sets the redundancy again (Cinder's "2" never equals LINSTOR's 2).
    cinder_group(client, gold)
    assert call(cluster, "GET", f"/v1/resource-groups/{group.name}")[1]["select_filter"]["place_count"] == 2

    # create_volume: 1 GiB as KiB
    name = "volume-5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d"
    linstor.Resource.from_resource_group(uri="[unused]", resource_group_name=group.name, resource_name=name,
                                         vlm_sizes=[1 * gib], existing_client=client)
    volume = cinder_resource(client, name)
    diskful = {node for node, entry in view(cluster, name).items() if "DISKLESS" not in entry.get("flags", [])}
    assert len(diskful) == 2, diskful
    cluster.wait_for(lambda: in_sync(cluster, name, view(cluster, name)), "two replicas in sync", 40)

    # _update_volume_stats
    with client as c:
        pools = [p for p in c.storage_pool_list_raise().storage_pools if not p.is_diskless()]
        definitions = c.resource_dfn_list_raise().resource_definitions
    assert sum(p.free_space.total_capacity for p in pools) > 0 and any(p.is_thin() for p in pools)
    assert sum(vd.size for rd in definitions for vd in rd.volume_definitions) == 1 * gib

    # initialize_connection on the compute node without a replica: a diskless client (the tie-breaker's node).
    compute = ({"alpha", "bravo", "charlie"} - diskful).pop()
    path = cinder_attach(client, volume, compute)
    assert path.endswith(f"/{name}/0"), path
    assert volume.is_diskless(compute)
    cluster.wait_for(lambda: in_sync(cluster, name, view(cluster, name)), "the compute node connected")
    # Live migration to a node with a replica: two primaries allowed meanwhile, then reset.
    target = sorted(diskful)[0]
    volume.allow_two_primaries = True
    status, definition = call(cluster, "GET", f"/v1/resource-definitions/{name}")
    assert definition["props"]["DrbdOptions/Net/allow-two-primaries"] == "yes", definition
    cinder_attach(client, volume, target)
    assert not volume.is_diskless(target)
    volume.allow_two_primaries = False
    status, definition = call(cluster, "GET", f"/v1/resource-definitions/{name}")
    assert definition["props"]["DrbdOptions/Net/allow-two-primaries"] == "no", definition
    # terminate_connection on the source host: its diskless client goes.
    volume.deactivate(compute)
    cluster.wait_for(lambda: compute not in view(cluster, name) or "TIE_BREAKER" in view(cluster, name)[compute].get("flags", []),
                     "the compute node's client gone")
    # extend_volume
    volume.volumes[0].size = 2 * gib * 1024
    status, vd = call(cluster, "GET", f"/v1/resource-definitions/{name}/volume-definitions/0")
    assert vd["size_kib"] == 2 * gib, vd

    # create_snapshot, create_volume_from_snapshot (grown to the new volume's size), revert
    snapshot = "snapshot-0c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d5e"
    volume.snapshot_create(snapshot)
    restored_name = "volume-6e5d4c3b-2a19-4807-b6a5-c4d3e2f1a0b9"
    restored = volume.restore_from_snapshot(snapshot, restored_name)
    if restored.volumes[0].size < 3 * gib * 1024:
        restored.volumes[0].size = 3 * gib * 1024
    assert set(view(cluster, restored_name)) >= diskful
    status, vd = call(cluster, "GET", f"/v1/resource-definitions/{restored_name}/volume-definitions/0")
    assert vd["size_kib"] == 3 * gib, vd
    volume.snapshot_rollback(snapshot)
    # create_cloned_volume: a temporary snapshot, a restore, the snapshot deleted (and its v1 name too, absent).
    clone_id = "7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2918"
    clone_name = "volume-" + clone_id
    volume.snapshot_create("for-" + clone_id)
    try:
        cloned = cinder_resource(client, name).restore_from_snapshot("for-" + clone_id, clone_name)
    finally:
        volume.snapshot_delete("for-" + clone_id)
        volume.snapshot_delete("SN_for-" + clone_id)
    assert cloned.defined and set(view(cluster, clone_name)) >= diskful

    # retype: the definition moves to the other type's group.
    other = cinder_group(client, silver)
    with client as c:
        replies = c.resource_dfn_modify(name, property_dict={}, resource_group=other.name)
        assert c.all_api_responses_no_error(replies), [r.message for r in replies]
    status, definition = call(cluster, "GET", f"/v1/resource-definitions/{name}")
    assert definition["resource_group_name"] == other.name, definition

    # delete_snapshot (and its v1 name), then delete_volume for each: the volume, then its group,
    # whose delete fails while another volume uses it (the driver ignores that).
    volume.snapshot_delete(snapshot)
    volume.snapshot_delete("SN_" + snapshot.split("-", 1)[1])
    for vol in [name, restored_name, clone_name]:
        resource = cinder_resource(client, vol)
        resource.delete(snapshots=False)
        try:
            linstor.ResourceGroup(resource.resource_group_name, existing_client=client).delete()
        except linstor.LinstorError:
            assert vol != clone_name, "the last volume of the group goes with it"
    cluster.wait_for(lambda: not any(view(cluster, vol) for vol in [name, restored_name, clone_name]), "every volume gone")
    for grp in [group.name, other.name]:
        assert call(cluster, "GET", f"/v1/resource-groups/{grp}")[0] == 404, grp
    assert cluster.loop_devices() == []


def test_linstor_csi_snapshots_restores_and_clones_a_volume(drbd_cluster):
    """linstor-csi's (golinstor's) VolumeSnapshot, volume-from-snapshot and volume-from-volume calls."""
    cluster = drbd_cluster
    drbd_nodes(cluster, ["alpha", "bravo", "charlie"])
    source, group, snap = "pvc-1a2b3c4d", "sc-1", "snapshot-7c9e6f5a"

    def csi(method: str, path: str, body=None):
        return call(cluster, method, path, body, content_type="application/json")

    status, replies = csi("POST", "/v1/resource-groups", {"name": group, "select_filter": {"place_count": 2, "storage_pool_list": ["thinpool"]}})
    assert status == 201 and ok(replies), replies
    for name in [source, "pvc-restored"]:
        status, replies = csi("POST", "/v1/resource-definitions", {"resource_definition": {"name": name, "resource_group_name": group}})
        assert status == 201 and ok(replies), replies
    status, replies = csi("POST", f"/v1/resource-definitions/{source}/volume-definitions", {
        "volume_definition": {"volume_number": 0, "size_kib": 65536, "props": {"Aux/csi-volume-name": source}}})
    assert status == 201 and ok(replies), replies
    status, replies = csi("POST", f"/v1/resource-definitions/{source}/autoplace", {"select_filter": {"place_count": 2}})
    assert status == 201 and ok(replies), replies
    status, replies = csi("PUT", f"/v1/resource-definitions/{source}", {"override_props": {"Aux/csi-provisioning-completed-by": "linstor-csi/v1.10.1"}})
    assert status == 200 and ok(replies), replies
    cluster.wait_for(lambda: in_sync(cluster, source, view(cluster, source)), "source in sync")

    # CreateSnapshot: the multi call, then the view until SUCCESSFUL, with what the driver reads.
    status, replies = csi("POST", "/v1/actions/snapshot/multi", {"snapshots": [{"name": snap, "resource_name": source}]})
    assert status == 201 and ok(replies), replies

    def listed():
        return next((s for s in csi("GET", "/v1/view/snapshots")[1] if s["name"] == snap), {})
    cluster.wait_for(lambda: "SUCCESSFUL" in listed().get("flags", []), "the snapshot ready")
    entry = listed()
    assert entry["resource_name"] == source and isinstance(entry["snapshots"][0]["create_timestamp"], int), entry
    volume = entry["volume_definitions"][0]
    assert volume["volume_number"] == 0 and volume["size_kib"] == 65536, volume
    assert volume["volume_definition_props"]["Aux/csi-volume-name"] == source, volume

    # Volume from the snapshot: volume definitions, then one replica on a node that has the snapshot, then placement.
    status, snapshot = csi("GET", f"/v1/resource-definitions/{source}/snapshots/{snap}")
    assert status == 200 and "SUCCESSFUL" in snapshot["flags"], snapshot
    assert csi("GET", "/v1/resource-definitions/pvc-restored/volume-definitions") == (200, [])
    status, replies = csi("POST", f"/v1/resource-definitions/{source}/snapshot-restore-volume-definition/{snap}", {"to_resource": "pvc-restored"})
    assert status == 200 and ok(replies), replies
    assert csi("GET", "/v1/resource-definitions/pvc-restored/resources") == (200, [])
    first = sorted(snapshot["nodes"])[0]
    status, node = csi("GET", f"/v1/nodes/{first}")
    assert node["connection_status"] == "ONLINE", node
    status, replies = csi("POST", f"/v1/resource-definitions/{source}/snapshot-restore-resource/{snap}", {"to_resource": "pvc-restored", "nodes": [first]})
    assert status == 200 and ok(replies), replies
    status, replies = csi("POST", "/v1/resource-definitions/pvc-restored/autoplace", {"select_filter": {"place_count": 2}})
    assert status == 201 and ok(replies), replies
    cluster.wait_for(lambda: len(view(cluster, "pvc-restored")) >= 2 and in_sync(cluster, "pvc-restored", view(cluster, "pvc-restored")),
                     "the restored volume on two nodes, in sync", 40)

    # Volume from a volume: LINSTOR's clone, polled until COMPLETE.
    assert csi("GET", f"/v1/resource-definitions/{source}/clone/pvc-cloned")[0] == 404
    status, started = csi("POST", f"/v1/resource-definitions/{source}/clone", {
        "name": "pvc-cloned", "layer_list": ["DRBD", "STORAGE"], "resource_group": group, "delete_props": ["Aux/csi-provisioning-completed-by"]})
    assert status == 201 and started["source_name"] == source and started["clone_name"] == "pvc-cloned", started
    assert started["location"] == f"/v1/resource-definitions/{source}/clone/pvc-cloned", started
    cluster.wait_for(lambda: csi("GET", f"/v1/resource-definitions/{source}/clone/pvc-cloned")[1] == {"status": "COMPLETE"}, "the clone complete", 40)
    status, cloned = csi("GET", "/v1/resource-definitions/pvc-cloned")
    assert "Aux/csi-provisioning-completed-by" not in cloned.get("props", {}) and cloned["props"]["cloned-from"] == source, cloned
    assert "CLONING" not in cloned.get("flags", []) and cloned["resource_group_name"] == group, cloned

    # DeleteSnapshot (an empty query string), then every volume; the group goes last.
    status, replies = csi("DELETE", f"/v1/resource-definitions/{source}/snapshots/{snap}?")
    assert status == 200 and ok(replies), replies
    for name in ["pvc-cloned", "pvc-restored", source]:
        status, replies = csi("DELETE", f"/v1/resource-definitions/{name}")
        assert status == 200 and ok(replies), replies
    cluster.wait_for(lambda: not any(view(cluster, n) for n in ["pvc-cloned", "pvc-restored", source]), "every volume gone")
    status, replies = csi("DELETE", f"/v1/resource-groups/{group}")
    assert status == 200 and ok(replies), replies
    assert cluster.loop_devices() == []
