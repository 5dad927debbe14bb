"""The article's workflow (seed/linstor-article.txt) through python-linstor, without satellites.

Every step the article takes that needs no satellite is replayed with python-linstor
API calls (node create, node interface create, storage-pool create lvmthin, resource-
definition create --layer-list, volume-definition create 150m, resource create
--storage-pool, resource/volume list, resource-definition delete, ...) plus the
object kinds a client needs around them (resource groups, volume groups, spawn,
controller properties, node delete/lost, net interfaces, storage pools, list filters).

Addresses are loopback only: 192.168.133.N -> 127.0.0.N, 192.168.144.N -> 127.0.1.N.
Nothing connects to them; nodes stay OFFLINE.

Where the real LINSTOR controller keeps a deletion *pending* while the satellite is
offline (resource / resource-definition delete mark the objects DELETE and wait for the
satellite; CtrlRscDeleteApiCallHandler, CtrlRscDfnDeleteApiCallHandler), the tests
accept both that behaviour and an immediate removal, and check the consequences of
whichever happened (freed or still-held TCP ports and minors).
"""

from __future__ import annotations

import pytest

import linstor
import linstor.sharedconsts as C
from linstor.linstorapi import ResourceData
from linstor.responses import ApiCallResponse

from compat_helpers import (
    ARTICLE_NODES, NODE_NAMES, SIZE_150M_KIB, MASK_CODE,
    article_cluster, assert_error, assert_has_rc, assert_ok, create_article_netifs,
    create_article_nodes, create_rd, create_thinpools, describe, drbd_of, flags_of, is_info_rc,
    minor_of_vd, nodes, place, resource, resource_groups, resources, rsc_dfns, storage_pool_dfn_names,
    storage_pools, tcp_port,
)

# The article: "deleting the last storage pool does not automatically delete the storage
# pool definition".  NOTE: LINSTOR >= 1.20.1 (commit 27d66f70b "StorPoolDfn: Delete with
# last StorPool") does delete a non-default definition with its last pool.  Depot follows
# the article here (brief); flip this if the lead decides otherwise.
SPD_SURVIVES_LAST_POOL = True


def rsc_names(rows: list[dict]) -> set[tuple[str, str]]:
    return {(r["name"], r["node_name"]) for r in rows}


def deletion_state(lin: linstor.Linstor, rsc: str, node: str) -> str:
    """'gone' if the resource disappeared, 'pending' if it is still listed with DELETE."""
    row = resource(lin, rsc, node)
    if row is None:
        return "gone"
    assert "DELETE" in flags_of(row), (
        f"{rsc}@{node} is still listed after its deletion was acknowledged, without the DELETE flag: {row}"
    )
    return "pending"


# ---------------------------------------------------------------------------
# controller basics

def test_controller_version(lin, rest):
    ver = lin.controller_version()
    api = tuple(int(x) for x in ver.rest_api_version.split("."))
    assert ver.rest_api_version.startswith("1."), ver.rest_api_version
    assert api >= (1, 0, 8), f"rest_api_version {ver.rest_api_version}: resource groups need >= 1.0.8"
    assert rest.get("/health").status == 200
    # python-linstor's controller_info() reads version, git_hash and build_time (KeyError without)
    info = lin.controller_info()  # "LINSTOR,Controller,<version>,<git_hash>,<build_time>"
    assert info.startswith("LINSTOR,Controller,"), info


def test_default_objects(lin):
    spds = storage_pool_dfn_names(lin)
    assert {"DfltStorPool", "DfltDisklessStorPool"} <= spds, spds
    assert "DfltRscGrp" in resource_groups(lin)
    assert nodes(lin) == {}
    assert resources(lin) == []
    assert rsc_dfns(lin) == {}


# ---------------------------------------------------------------------------
# nodes and network interfaces

def test_article_node_create(lin, rest):
    create_article_nodes(lin)
    listed = nodes(lin)
    assert set(listed) == set(NODE_NAMES)
    uuids = set()
    for name, ntype, addr, _ in ARTICLE_NODES:
        node = listed[name]
        assert node["type"] == ntype.upper(), f"{name}: type {node['type']!r}, LINSTOR prints the Java enum name"
        assert node.get("connection_status") == "OFFLINE", f"{name}: {node.get('connection_status')!r}"
        netifs = node.get("net_interfaces", [])
        assert len(netifs) == 1, netifs
        nic = netifs[0]
        assert nic["name"] == "default"
        assert nic["address"] == addr
        assert nic.get("satellite_port") == 3366
        assert nic.get("satellite_encryption_type") == "PLAIN"
        assert nic.get("is_active") is True, f"the node's only satellite connection must be active: {nic}"
        assert node.get("uuid") and node["uuid"] not in uuids
        uuids.add(node["uuid"])
    # python-linstor's machine-readable rendering needs exact enum names
    lin.node_list_raise().data_v0

    single = rest.get("/v1/nodes/romulus")
    assert single.status == 200, single
    assert single.json["name"] == "romulus" and single.json["type"] == "COMBINED"
    upper = rest.get("/v1/nodes/ROMULUS")  # names are case-insensitive, display spelling kept
    assert upper.status == 200, upper
    assert upper.json["name"] == "romulus"

    # LINSTOR gives every satellite/combined node its DfltDisklessStorPool
    pools = {(p["node_name"], p["storage_pool_name"]): p for p in storage_pools(lin)}
    for name in NODE_NAMES:
        p = pools.get((name, "DfltDisklessStorPool"))
        assert p is not None, f"no DfltDisklessStorPool on {name}: {sorted(pools)}"
        assert p["provider_kind"] == "DISKLESS"


def test_article_node_interfaces(lin, rest):
    create_article_nodes(lin)
    create_article_netifs(lin)
    for name, _t, addr, drbd_addr in ARTICLE_NODES:
        resp = rest.get(f"/v1/nodes/{name}/net-interfaces")
        assert resp.status == 200, resp
        by_name = {n["name"]: n for n in resp.json}
        assert set(by_name) == {"default", "drbd"}
        assert by_name["default"]["address"] == addr
        drbd = by_name["drbd"]
        assert drbd["address"] == drbd_addr
        assert "satellite_port" not in drbd, f"a plain interface has no satellite port: {drbd}"
        assert drbd.get("is_active") is False, drbd
        one = rest.get(f"/v1/nodes/{name}/net-interfaces/drbd")
        assert one.status == 200 and one.json["address"] == drbd_addr, one

    replies = lin.netinterface_modify("vulcan", "drbd", ip="127.0.1.23")
    assert_ok(replies, "netif modify")
    nic = rest.get("/v1/nodes/vulcan/net-interfaces/drbd").json
    assert nic["address"] == "127.0.1.23"
    assert nodes(lin)["vulcan"]["net_interfaces"][0]["address"] == "127.0.0.13", "default untouched"

    replies = lin.netinterface_delete("vulcan", "drbd")
    assert_ok(replies, "netif delete")
    names = [n["name"] for n in nodes(lin)["vulcan"]["net_interfaces"]]
    assert names == ["default"], names
    gone = rest.get("/v1/nodes/vulcan/net-interfaces/drbd")
    assert gone.status == 404, gone
    assert_error([ApiCallResponse(x) for x in gone.json], C.FAIL_NOT_FOUND_NET_IF, what="GET deleted netif")


# ---------------------------------------------------------------------------
# storage pools

def test_article_storage_pools(lin, rest):
    create_article_nodes(lin)
    create_thinpools(lin)
    thin = [p for p in storage_pools(lin) if p["storage_pool_name"] == "thinpool"]
    assert sorted(p["node_name"] for p in thin) == sorted(NODE_NAMES)
    for p in thin:
        assert p["provider_kind"] == "LVM_THIN"
        assert p.get("props", {}).get("StorDriver/StorPoolName") == "drbdpool/thinpool", p
        # LINSTOR omits capacities until a satellite reported them; nothing has reported
        assert "free_capacity" not in p and "total_capacity" not in p, f"invented capacity: {p}"
        assert p.get("uuid")
    assert "thinpool" in storage_pool_dfn_names(lin), "storage pool definition is created implicitly"
    lin.storage_pool_list_raise().data_v0

    one = rest.get("/v1/nodes/vulcan/storage-pools/thinpool")
    assert one.status == 200, one
    assert one.json["storage_pool_name"] == "thinpool" and one.json["node_name"] == "vulcan"
    per_node = rest.get("/v1/nodes/vulcan/storage-pools")
    assert per_node.status == 200
    assert {p["storage_pool_name"] for p in per_node.json} == {"thinpool", "DfltDisklessStorPool"}


# ---------------------------------------------------------------------------
# LocalData: storage layer only

def test_article_local_data(lin):
    article_cluster(lin)
    assert lin.parse_volume_size_to_kib("150m") == SIZE_150M_KIB
    create_rd(lin, "LocalData", ["storage"], lin.parse_volume_size_to_kib("150m"))
    place(lin, "LocalData", ["vulcan", "kronos"])

    rds = rsc_dfns(lin)
    rd = rds["LocalData"]
    assert [ld["type"] for ld in rd.get("layer_data", [])] == ["STORAGE"], rd.get("layer_data")
    vds = rd.get("volume_definitions", [])
    assert len(vds) == 1 and vds[0]["volume_number"] == 0 and vds[0]["size_kib"] == SIZE_150M_KIB, vds
    assert minor_of_vd(rd) is None, "a storage-only resource has no DRBD minor"
    assert rd.get("resource_group_name") == "DfltRscGrp"

    rows = resources(lin, filter_by_resources=["LocalData"])
    assert rsc_names(rows) == {("LocalData", "vulcan"), ("LocalData", "kronos")}
    for r in rows:
        layer = r["layer_object"]
        assert layer["type"] == "STORAGE", layer
        assert not layer.get("children"), layer
        svols = layer["storage"]["storage_volumes"]
        assert [v["volume_number"] for v in svols] == [0], svols
        assert r.get("props", {}).get("StorPoolName") == "thinpool", r.get("props")
        vols = r["volumes"]
        assert len(vols) == 1, vols
        v = vols[0]
        assert v["volume_number"] == 0
        assert v["storage_pool_name"] == "thinpool"
        assert v["provider_kind"] == "LVM_THIN"
        assert [ld["type"] for ld in v.get("layer_data_list", [])] == ["STORAGE"], v.get("layer_data_list")
        assert r.get("uuid") and isinstance(r.get("create_timestamp"), int)
    # the client's own views of it
    resp = lin.resource_list_raise(filter_by_resources=["LocalData"])
    resp.data_v0
    for res in resp.resources:
        assert [vol.storage_pool_name for vol in res.volumes] == ["thinpool"]
        assert [vol.storage_pool_driver_name for vol in res.volumes] == ["LVM_THIN"]
    lin.resource_dfn_list_raise().data_v0


# ---------------------------------------------------------------------------
# SharedData: drbd,storage

def check_drbd_resource(r: dict, port: int, minor: int, peer_slots: int = 7) -> int:
    d = drbd_of(r)
    where = f"{r['name']}@{r['node_name']}"
    assert d.get("tcp_ports") == [port], f"{where}: tcp_ports {d.get('tcp_ports')}, expected [{port}]"
    assert d.get("peer_slots") == peer_slots, f"{where}: peer_slots {d.get('peer_slots')}"
    assert d.get("al_stripes") == 1, f"{where}: al_stripes {d.get('al_stripes')}"
    assert d.get("al_size") == 32, f"{where}: al_size {d.get('al_size')}"
    dvols = d.get("drbd_volumes", [])
    assert len(dvols) == 1, f"{where}: drbd_volumes {dvols}"
    dv = dvols[0]
    assert dv["drbd_volume_definition"]["minor_number"] == minor, f"{where}: {dv}"
    assert dv["drbd_volume_definition"]["volume_number"] == 0, f"{where}: {dv}"
    # python-linstor's Volume.data_v0 reads allocated_size_kib of the DRBD volume unconditionally;
    # LINSTOR always sends it (-1 until known)
    assert "allocated_size_kib" in dv and "usable_size_kib" in dv, f"{where}: {dv}"
    # LINSTOR learns device paths from the satellite; if the controller states one, it must be right
    if "device_path" in dv:
        assert dv["device_path"] == f"/dev/drbd{minor}", f"{where}: {dv}"
    children = r["layer_object"].get("children", [])
    assert [c["type"] for c in children] == ["STORAGE"], f"{where}: children {children}"
    assert [v["volume_number"] for v in children[0]["storage"]["storage_volumes"]] == [0]
    vols = r["volumes"]
    assert len(vols) == 1, vols
    v = vols[0]
    assert v["storage_pool_name"] == "thinpool" and v["provider_kind"] == "LVM_THIN", v
    assert {ld["type"] for ld in v.get("layer_data_list", [])} == {"DRBD", "STORAGE"}, v.get("layer_data_list")
    if "device_path" in v:
        assert v["device_path"] == f"/dev/drbd{minor}", v
    return d["node_id"]


def check_drbd_rd(rd: dict, minor: int) -> None:
    layers = rd.get("layer_data", [])
    assert [ld["type"] for ld in layers] == ["DRBD", "STORAGE"], layers
    data = layers[0].get("data") or {}
    assert data.get("peer_slots") == 7, data
    # Json.java COMPAT_RD_PORT: old clients require a port member; -1 = no preferred port
    assert data.get("port") == -1, f"RD DRBD data port {data.get('port')!r}, LINSTOR sends -1 (COMPAT_RD_PORT)"
    assert isinstance(data.get("secret"), str) and data["secret"], f"no DRBD shared secret: {data}"
    assert str(data.get("transport_type", "")).upper() == "IP", data
    assert minor_of_vd(rd) == minor, rd.get("volume_definitions")


def test_article_shared_data_drbd(lin):
    article_cluster(lin)
    create_rd(lin, "LocalData", ["storage"])
    place(lin, "LocalData", ["vulcan", "kronos"])

    create_rd(lin, "SharedData", ["drbd", "storage"])
    # the minor is allocated with the volume definition
    check_drbd_rd(rsc_dfns(lin)["SharedData"], 1000)

    # the article lets the autoplacer pick kronos, remus, romulus; we name them
    place(lin, "SharedData", ["kronos", "remus", "romulus"])
    check_drbd_rd(rsc_dfns(lin)["SharedData"], 1000)
    ids = []
    for node in ("kronos", "remus", "romulus"):
        r = resource(lin, "SharedData", node)
        assert r is not None, f"SharedData@{node} not listed"
        ids.append(check_drbd_resource(r, 7000, 1000))
    assert sorted(ids) == [0, 1, 2], f"DRBD node ids {ids}"
    lin.resource_list_raise().data_v0
    lin.resource_dfn_list_raise().data_v0

    # a second DRBD resource: next port on the nodes it shares, next minor cluster-wide
    create_rd(lin, "OtherData", ["drbd", "storage"])
    place(lin, "OtherData", ["romulus", "remus", "vulcan"])
    check_drbd_rd(rsc_dfns(lin)["OtherData"], 1001)
    expected_port = {"romulus": 7001, "remus": 7001, "vulcan": 7000}  # vulcan has no DRBD resource yet
    ids = [check_drbd_resource(resource(lin, "OtherData", n), p, 1001) for n, p in expected_port.items()]
    assert sorted(ids) == [0, 1, 2], ids
    # the first one is untouched
    for node in ("kronos", "remus", "romulus"):
        check_drbd_resource(resource(lin, "SharedData", node), 7000, 1000)


def test_article_autoplace_needs_online_nodes(lin):
    """resource create --auto-place 3 SharedData: no satellite is online, so nothing can be placed."""
    article_cluster(lin)
    create_rd(lin, "SharedData", ["drbd", "storage"])
    replies = lin.resource_auto_place("SharedData", 3, storage_pool="thinpool")
    assert any(isinstance(r, ApiCallResponse) and r.is_error() for r in replies), describe(replies)
    assert resources(lin, filter_by_resources=["SharedData"]) == []


def test_article_replica_migration(lin):
    """resource create -s thinpool vulcan SharedData; resource delete kronos SharedData."""
    article_cluster(lin)
    create_rd(lin, "SharedData", ["drbd", "storage"])
    place(lin, "SharedData", ["kronos", "remus", "romulus"])
    place(lin, "SharedData", ["vulcan"])
    r = resource(lin, "SharedData", "vulcan")
    assert check_drbd_resource(r, 7000, 1000) == 3, "fourth peer gets the lowest free node id"

    replies = lin.resource_delete("kronos", "SharedData")
    assert_ok(replies, "resource delete kronos SharedData")
    state = deletion_state(lin, "SharedData", "kronos")
    for node in ("remus", "romulus", "vulcan"):
        row = resource(lin, "SharedData", node)
        assert row is not None and "DELETE" not in flags_of(row), f"SharedData@{node}: {row}"
    if state == "gone":
        listed = {r["node_name"] for r in resources(lin, filter_by_resources=["SharedData"])}
        assert listed == {"remus", "romulus", "vulcan"}


def test_delete_frees_port_and_minor_for_reuse(lin):
    article_cluster(lin)
    create_rd(lin, "SharedData", ["drbd", "storage"])
    place(lin, "SharedData", ["kronos", "remus", "romulus"])
    create_rd(lin, "OtherData", ["drbd", "storage"])
    place(lin, "OtherData", ["romulus", "remus"])
    for n in ("romulus", "remus"):
        check_drbd_resource(resource(lin, "OtherData", n), 7001, 1001)

    replies = lin.resource_dfn_delete("SharedData")
    assert_ok(replies, "resource-definition delete SharedData")
    rds = rsc_dfns(lin)
    if "SharedData" in rds:
        # LINSTOR: the definition and its resources wait (DELETE) for the offline satellites;
        # their ports and the minor stay allocated until then
        assert "DELETE" in flags_of(rds["SharedData"]), rds["SharedData"]
        for n in ("kronos", "remus", "romulus"):
            assert deletion_state(lin, "SharedData", n) == "pending"
        want_port = {"romulus": 7002, "remus": 7002, "kronos": 7001}
        want_minor = 1002
    else:
        assert resources(lin, filter_by_resources=["SharedData"]) == []
        # lowest free number, not next: 7000 and minor 1000 are free again, 7001/1001 still used
        want_port = {"romulus": 7000, "remus": 7000, "kronos": 7000}
        want_minor = 1000

    create_rd(lin, "ThirdData", ["drbd", "storage"])
    assert minor_of_vd(rsc_dfns(lin)["ThirdData"]) == want_minor
    place(lin, "ThirdData", list(want_port))
    for n, p in want_port.items():
        check_drbd_resource(resource(lin, "ThirdData", n), p, want_minor)
    for n in ("romulus", "remus"):
        check_drbd_resource(resource(lin, "OtherData", n), 7001, 1001)


def test_resource_definition_delete_cascades(lin, rest):
    """resource definition delete LocalData: resources and volume definitions go with it."""
    article_cluster(lin)
    create_rd(lin, "LocalData", ["storage"])
    place(lin, "LocalData", ["vulcan", "kronos"])
    create_rd(lin, "SharedData", ["drbd", "storage"])
    place(lin, "SharedData", ["kronos", "remus", "romulus"])

    replies = lin.resource_dfn_delete("LocalData")
    assert_ok(replies, "resource-definition delete LocalData")

    rds = rsc_dfns(lin)
    if "LocalData" in rds:
        assert "DELETE" in flags_of(rds["LocalData"]), rds["LocalData"]
        for n in ("vulcan", "kronos"):
            assert deletion_state(lin, "LocalData", n) == "pending"
    else:
        assert resources(lin, filter_by_resources=["LocalData"]) == []
        gone = rest.get("/v1/resource-definitions/LocalData")
        assert gone.status == 404, gone
        assert_error([ApiCallResponse(x) for x in gone.json], C.FAIL_NOT_FOUND_RSC_DFN)
        # its volumes no longer hold the pool
        assert_ok(lin.storage_pool_delete("vulcan", "thinpool"), "pool delete after cascade")

    shared = resources(lin, filter_by_resources=["SharedData"])
    assert {r["node_name"] for r in shared} == {"kronos", "remus", "romulus"}
    assert all("DELETE" not in flags_of(r) for r in shared), shared
    assert "DELETE" not in flags_of(rds["SharedData"])


# ---------------------------------------------------------------------------
# storage pool definitions, modify, delete

def test_storage_pool_definition_stays_after_last_pool(lin):
    create_article_nodes(lin)
    assert_ok(lin.storage_pool_create("vulcan", "extra", "LVM", "drbdpool"), "create extra")
    assert "extra" in storage_pool_dfn_names(lin)
    assert_ok(lin.storage_pool_delete("vulcan", "extra"), "delete extra")
    assert not [p for p in storage_pools(lin) if p["storage_pool_name"] == "extra"]
    spds = storage_pool_dfn_names(lin)
    if SPD_SURVIVES_LAST_POOL:
        assert "extra" in spds, f"article: the definition stays after its last pool is deleted ({spds})"
        assert_ok(lin.storage_pool_dfn_delete("extra"), "storage-pool-definition delete extra")
        assert "extra" not in storage_pool_dfn_names(lin)
    assert {"DfltStorPool", "DfltDisklessStorPool"} <= storage_pool_dfn_names(lin)


def test_storage_pool_modify_and_delete(lin):
    article_cluster(lin)
    create_rd(lin, "LocalData", ["storage"])
    place(lin, "LocalData", ["vulcan", "kronos"])

    assert_ok(lin.storage_pool_modify("vulcan", "thinpool", {"Aux/tier": "fast"}), "sp modify")
    sp = storage_pools(lin, filter_by_nodes=["vulcan"], filter_by_stor_pools=["thinpool"])
    assert len(sp) == 1
    assert sp[0]["props"].get("Aux/tier") == "fast"
    assert sp[0]["props"].get("StorDriver/StorPoolName") == "drbdpool/thinpool"
    assert_ok(lin.storage_pool_modify("vulcan", "thinpool", None, delete_props=["Aux/tier"]), "sp del prop")
    sp = storage_pools(lin, filter_by_nodes=["vulcan"], filter_by_stor_pools=["thinpool"])
    assert "Aux/tier" not in sp[0].get("props", {})

    # refused while LocalData's volume lives in it
    replies = lin.storage_pool_delete("vulcan", "thinpool")
    assert_error(replies, C.FAIL_IN_USE, op=C.MASK_DEL, obj=C.MASK_STOR_POOL, what="delete pool in use")
    assert storage_pools(lin, filter_by_nodes=["vulcan"], filter_by_stor_pools=["thinpool"])

    # an unused one goes
    assert_ok(lin.storage_pool_delete("remus", "thinpool"), "delete unused pool")
    assert not storage_pools(lin, filter_by_nodes=["remus"], filter_by_stor_pools=["thinpool"])

    # the default diskless pool cannot be deleted (CtrlStorPoolApiCallHandler)
    replies = lin.storage_pool_delete("remus", "DfltDisklessStorPool")
    assert_error(replies, C.FAIL_INVLD_STOR_POOL_NAME, what="delete DfltDisklessStorPool")


# ---------------------------------------------------------------------------
# resource groups, volume groups, spawn

def test_resource_group_lifecycle(lin, rest):
    article_cluster(lin)
    replies = lin.resource_group_create(
        "rg_article", description="article group", place_count=2, storage_pool="thinpool",
        layer_list=["drbd", "storage"], property_dict={"Aux/owner": "compat"},
    )
    assert_ok(replies, "rg create")
    assert_has_rc(replies, C.MASK_CRT | C.MASK_RSC_GRP | C.CREATED, "rg create")
    rg = resource_groups(lin)["rg_article"]
    assert rg.get("description") == "article group"
    sf = rg.get("select_filter", {})
    assert sf.get("place_count") == 2, sf
    assert sf.get("storage_pool_list") == ["thinpool"], sf
    assert [x.upper() for x in sf.get("layer_stack", [])] == ["DRBD", "STORAGE"], sf
    assert rg.get("props", {}).get("Aux/owner") == "compat"
    single = rest.get("/v1/resource-groups/rg_article")
    assert single.status == 200 and single.json["name"] == "rg_article", single

    replies = lin.resource_group_modify("rg_article", description="changed", place_count=3,
                                        property_dict={"Aux/more": "yes"}, delete_props=["Aux/owner"])
    assert_ok(replies, "rg modify")
    rg = resource_groups(lin)["rg_article"]
    assert rg.get("description") == "changed"
    assert rg["select_filter"].get("place_count") == 3
    assert rg.get("props", {}).get("Aux/more") == "yes" and "Aux/owner" not in rg.get("props", {})

    replies = lin.resource_dfn_create("GroupedData", resource_group="rg_article")
    assert_ok(replies, "rd create in group")
    assert rsc_dfns(lin)["GroupedData"].get("resource_group_name") == "rg_article"

    replies = lin.resource_group_delete("rg_article")
    assert_error(replies, C.FAIL_EXISTS_RSC_DFN, what="delete group that still has definitions")
    assert "rg_article" in resource_groups(lin)

    assert_ok(lin.resource_dfn_delete("GroupedData"), "rd delete")
    assert "GroupedData" not in rsc_dfns(lin), "a definition without resources is deleted at once"
    assert_ok(lin.resource_group_delete("rg_article"), "rg delete")
    assert "rg_article" not in resource_groups(lin)
    assert "DfltRscGrp" in resource_groups(lin)


def test_volume_group_lifecycle(lin):
    assert_ok(lin.resource_group_create("rg_vg"), "rg create")
    assert_ok(lin.volume_group_create("rg_vg"), "vg create (auto number)")
    assert_ok(lin.volume_group_create("rg_vg", volume_nr=5, property_dict={"Aux/x": "1"}), "vg create 5")
    vgs = {v.number: v._rest_data for v in lin.volume_group_list_raise("rg_vg").volume_groups}
    assert sorted(vgs) == [0, 5], vgs
    assert vgs[5].get("props", {}).get("Aux/x") == "1"

    replies = lin.volume_group_create("rg_vg", volume_nr=5)
    assert_error(replies, C.FAIL_EXISTS_VLM_GRP, what="duplicate volume group")

    assert_ok(lin.volume_group_modify("rg_vg", 5, property_dict={"Aux/y": "2"}, delete_props=["Aux/x"]), "vg mod")
    vgs = {v.number: v._rest_data for v in lin.volume_group_list_raise("rg_vg").volume_groups}
    assert vgs[5].get("props") == {"Aux/y": "2"}, vgs[5]

    assert_ok(lin.volume_group_delete("rg_vg", 0), "vg delete 0")
    vgs = [v.number for v in lin.volume_group_list_raise("rg_vg").volume_groups]
    assert vgs == [5], vgs


def test_spawn_definitions_only(lin):
    article_cluster(lin)
    assert_ok(lin.resource_group_create("rg_spawn", place_count=2, storage_pool="thinpool",
                                        layer_list=["drbd", "storage"]), "rg create")
    assert_ok(lin.volume_group_create("rg_spawn"), "vg create")
    replies = lin.resource_group_spawn("rg_spawn", "SpawnedData", [SIZE_150M_KIB], definitions_only=True)
    assert_ok(replies, "spawn --definitions-only")
    # CtrlRscGrpApiCallHandler: INFO_NO_RSC_SPAWNED ("... created but no resources deployed")
    assert any(is_info_rc(r.ret_code) and (r.ret_code & MASK_CODE) == (C.INFO_NO_RSC_SPAWNED & MASK_CODE)
               for r in replies), describe(replies)

    rd = rsc_dfns(lin)["SpawnedData"]
    assert rd.get("resource_group_name") == "rg_spawn"
    vds = rd.get("volume_definitions", [])
    assert [(v["volume_number"], v["size_kib"]) for v in vds] == [(0, SIZE_150M_KIB)], vds
    assert [ld["type"] for ld in rd.get("layer_data", [])] == ["DRBD", "STORAGE"], "layer stack from the group"
    assert minor_of_vd(rd) == 1000
    assert resources(lin, filter_by_resources=["SpawnedData"]) == []

    # the default group has no volume groups: sizes are taken as given (partial)
    replies = lin.resource_group_spawn("DfltRscGrp", "Spawned2", [4096], definitions_only=True)
    assert_ok(replies, "spawn from DfltRscGrp")
    vds = rsc_dfns(lin)["Spawned2"].get("volume_definitions", [])
    assert [(v["volume_number"], v["size_kib"]) for v in vds] == [(0, 4096)]


def test_spawn_with_placement_is_an_error(lin):
    article_cluster(lin)
    assert_ok(lin.resource_group_create("rg_place", place_count=2, storage_pool="thinpool",
                                        layer_list=["drbd", "storage"]), "rg create")
    assert_ok(lin.volume_group_create("rg_place"), "vg create")
    replies = lin.resource_group_spawn("rg_place", "PlacedData", [SIZE_150M_KIB])
    assert any(isinstance(r, ApiCallResponse) and r.is_error() for r in replies), (
        "spawn asking for 2 replicas with no online satellite must report an error:\n    " + describe(replies))
    assert resources(lin, filter_by_resources=["PlacedData"]) == [], "nothing may be placed"


# ---------------------------------------------------------------------------
# controller properties

def test_controller_properties(lin, rest):
    def props() -> dict:
        resp = lin.controller_props()
        assert resp and not isinstance(resp[0], ApiCallResponse), describe(resp)
        return resp[0].properties

    before = props()
    assert "Aux/compat/owner" not in before
    assert_ok(lin.controller_set_prop("Aux/compat/owner", "article"), "set prop")
    assert props().get("Aux/compat/owner") == "article"
    assert_ok(lin.controller_set_prop("Aux/compat/owner", "second"), "overwrite prop")
    assert props().get("Aux/compat/owner") == "second"
    assert_ok(lin.controller_set_prop("TcpPortAutoRange", "7000-7999"), "set a whitelisted key")
    assert props().get("TcpPortAutoRange") == "7000-7999"
    assert_ok(lin.controller_del_prop("Aux/compat/owner"), "delete prop")
    assert "Aux/compat/owner" not in props()

    assert_ok(lin.controller_set_prop("Aux/compat/other", "x"), "set prop")
    resp = rest.delete("/v1/controller/properties/Aux/compat/other")
    assert resp.status == 200, resp
    assert "Aux/compat/other" not in props()
    after = props()
    after.pop("TcpPortAutoRange", None)
    before.pop("TcpPortAutoRange", None)
    assert after == before


# ---------------------------------------------------------------------------
# node delete / lost

def test_node_delete_refused_while_it_holds_resources(lin):
    article_cluster(lin)
    create_rd(lin, "SharedData", ["drbd", "storage"])
    place(lin, "SharedData", ["romulus"])
    place(lin, "SharedData", ["remus"], pool=None, drbd_diskless=True)
    dl = resource(lin, "SharedData", "remus")
    assert {"DISKLESS", "DRBD_DISKLESS"} <= set(flags_of(dl)), flags_of(dl)
    assert dl["volumes"][0]["storage_pool_name"] == "DfltDisklessStorPool"
    assert dl["volumes"][0]["provider_kind"] == "DISKLESS"

    # romulus holds the last disk of SharedData while remus is attached diskless.  LINSTOR
    # (CtrlNodeDeleteApiCallHandler) answers FAIL_IN_USE per resource plus FAIL_NODE_HAS_USED_RSC.
    replies = lin.node_delete("romulus")
    listed = nodes(lin)
    assert "romulus" in listed and "DELETE" not in flags_of(listed["romulus"]), describe(replies)
    assert "DELETE" not in flags_of(resource(lin, "SharedData", "romulus"))
    assert_error(replies, C.FAIL_NODE_HAS_USED_RSC, op=C.MASK_DEL, obj=C.MASK_NODE, what="node delete romulus")


def test_node_delete_with_an_ordinary_resource(lin):
    """Refused, or (LINSTOR) marked DELETE together with its resources while the satellite is
    offline -- never dropped with its resources left behind."""
    article_cluster(lin)
    create_rd(lin, "LocalData", ["storage"])
    place(lin, "LocalData", ["vulcan"])
    replies = lin.node_delete("vulcan")
    listed = nodes(lin)
    assert "vulcan" in listed, "a node that holds resources cannot disappear on a plain delete"
    if any(r.is_error() for r in replies):
        assert "DELETE" not in flags_of(listed["vulcan"])
        assert "DELETE" not in flags_of(resource(lin, "LocalData", "vulcan"))
    else:
        assert "DELETE" in flags_of(listed["vulcan"]), listed["vulcan"]
        assert "DELETE" in flags_of(resource(lin, "LocalData", "vulcan"))


def test_node_delete_of_an_empty_node(lin):
    article_cluster(lin)
    replies = lin.node_delete("kronos")
    assert_ok(replies, "node delete kronos")
    assert "kronos" not in nodes(lin)
    assert not [p for p in storage_pools(lin) if p["node_name"] == "kronos"], "its pools go with it"
    assert "thinpool" in storage_pool_dfn_names(lin)


def test_node_lost(lin):
    article_cluster(lin)
    create_rd(lin, "LocalData", ["storage"])
    place(lin, "LocalData", ["vulcan", "kronos"])
    create_rd(lin, "SharedData", ["drbd", "storage"])
    place(lin, "SharedData", ["vulcan", "remus", "romulus"])

    replies = lin.node_lost("vulcan")
    assert_ok(replies, "node lost vulcan")
    assert "vulcan" not in nodes(lin)
    rows = resources(lin)
    assert not [r for r in rows if r["node_name"] == "vulcan"], "its resources are gone at once"
    assert rsc_names(rows) == {("LocalData", "kronos"), ("SharedData", "remus"), ("SharedData", "romulus")}
    for n in ("remus", "romulus"):
        check_drbd_resource(resource(lin, "SharedData", n), 7000, 1000)
    assert {"LocalData", "SharedData"} <= set(rsc_dfns(lin))


# ---------------------------------------------------------------------------
# list filters

@pytest.fixture
def filter_cluster(lin):
    article_cluster(lin)
    create_rd(lin, "LocalData", ["storage"])
    place(lin, "LocalData", ["vulcan", "kronos"])
    create_rd(lin, "SharedData", ["drbd", "storage"])
    place(lin, "SharedData", ["kronos", "remus", "romulus"])
    assert_ok(lin.storage_pool_create("remus", "extra", "LVM", "drbdpool"), "sp create extra")
    create_rd(lin, "ExtraData", ["storage"])
    place(lin, "ExtraData", ["remus"], pool="extra")
    assert_ok(lin.resource_modify("kronos", "SharedData", {"Aux/tag": "blue"}), "resource modify")
    return lin


def test_view_resources_filters(filter_cluster, rest):
    lin = filter_cluster
    everything = rsc_names(resources(lin))
    assert everything == {("LocalData", "vulcan"), ("LocalData", "kronos"), ("SharedData", "kronos"),
                          ("SharedData", "remus"), ("SharedData", "romulus"), ("ExtraData", "remus")}
    assert rsc_names(resources(lin, filter_by_nodes=["kronos"])) == {("LocalData", "kronos"), ("SharedData", "kronos")}
    assert rsc_names(resources(lin, filter_by_nodes=["KRONOS"])) == {("LocalData", "kronos"), ("SharedData", "kronos")}
    assert {n for _, n in rsc_names(resources(lin, filter_by_resources=["SharedData"]))} == {"kronos", "remus", "romulus"}
    assert rsc_names(resources(lin, filter_by_nodes=["kronos"], filter_by_resources=["LocalData"])) == {
        ("LocalData", "kronos")}
    assert rsc_names(resources(lin, filter_by_nodes=["remus", "vulcan"])) == {
        ("LocalData", "vulcan"), ("SharedData", "remus"), ("ExtraData", "remus")}

    by_pool = [r._rest_data for r in lin.volume_list_raise(filter_by_stor_pools=["extra"]).resources]
    assert rsc_names(by_pool) == {("ExtraData", "remus")}
    by_pool = [r._rest_data for r in lin.volume_list_raise(filter_by_stor_pools=["thinpool"]).resources]
    assert rsc_names(by_pool) == everything - {("ExtraData", "remus")}

    assert rsc_names(resources(lin, filter_by_props=["Aux/tag=blue"])) == {("SharedData", "kronos")}
    assert rsc_names(resources(lin, filter_by_props=["Aux/tag"])) == {("SharedData", "kronos")}
    assert rsc_names(resources(lin, filter_by_props=["Aux/tag=red"])) == set()
    assert rsc_names(resources(lin, filter_by_props=["StorPoolName=extra"])) == {("ExtraData", "remus")}
    assert resources(lin, filter_by_nodes=["nosuchnode"]) == []

    # raw query with repeated parameters, as python-linstor sends them
    resp = rest.get("/v1/view/resources?resources=LocalData&resources=ExtraData&nodes=remus&nodes=vulcan")
    assert resp.status == 200, resp
    assert rsc_names(resp.json) == {("LocalData", "vulcan"), ("ExtraData", "remus")}


def test_view_storage_pools_filters(filter_cluster, rest):
    lin = filter_cluster

    def names(rows):
        return {(p["node_name"], p["storage_pool_name"]) for p in rows}

    assert names(storage_pools(lin, filter_by_nodes=["vulcan"])) == {("vulcan", "thinpool"),
                                                                     ("vulcan", "DfltDisklessStorPool")}
    assert names(storage_pools(lin, filter_by_stor_pools=["thinpool"])) == {(n, "thinpool") for n in NODE_NAMES}
    assert names(storage_pools(lin, filter_by_nodes=["remus"], filter_by_stor_pools=["extra", "thinpool"])) == {
        ("remus", "extra"), ("remus", "thinpool")}
    assert names(storage_pools(lin, filter_by_props=["StorDriver/StorPoolName=drbdpool/thinpool"])) == {
        (n, "thinpool") for n in NODE_NAMES}
    assert names(storage_pools(lin, filter_by_props=["StorDriver/StorPoolName=drbdpool"])) == {("remus", "extra")}
    assert storage_pools(lin, filter_by_stor_pools=["nosuchpool"]) == []


def test_list_limit_offset(lin, rest):
    create_article_nodes(lin)
    full = rest.get("/v1/nodes")
    assert full.status == 200
    all_names = [n["name"] for n in full.json]
    assert sorted(all_names) == sorted(NODE_NAMES)
    page = rest.get("/v1/nodes?limit=2")
    assert [n["name"] for n in page.json] == all_names[:2]
    page = rest.get("/v1/nodes?offset=1&limit=2")
    assert [n["name"] for n in page.json] == all_names[1:3]
    one = rest.get("/v1/nodes?nodes=vulcan&nodes=kronos")
    assert sorted(n["name"] for n in one.json) == ["kronos", "vulcan"]


def test_view_resources_omits_resources_without_volumes(lin, rest):
    """CtrlVlmListApiCallHandler skips resources that have no volume (LINSTOR quirk clients see)."""
    article_cluster(lin)
    create_rd(lin, "EmptyData", ["storage"], size_kib=None)
    place(lin, "EmptyData", ["vulcan"])
    assert resources(lin, filter_by_resources=["EmptyData"]) == []
    per_rd = rest.get("/v1/resource-definitions/EmptyData/resources")
    assert per_rd.status == 200, per_rd
    assert [r["node_name"] for r in per_rd.json] == ["vulcan"]


def test_volume_modify_sets_and_deletes_a_volumes_properties(lin, rest):
    article_cluster(lin)
    create_rd(lin, "LocalData", ["storage"], SIZE_150M_KIB)
    place(lin, "LocalData", ["vulcan"])
    replies = lin.volume_modify("vulcan", "LocalData", 0, {"Aux/tier": "gold", "DrbdOptions/Disk/disk-flushes": "no"})
    assert not any(r.is_error() for r in replies), replies  # (and a warning: vulcan's satellite is not running)
    assert replies[0].message == "Volume with volume number '0' on resource 'LocalData' on node 'vulcan' modified."
    volume = rest.get("/v1/resource-definitions/LocalData/resources/vulcan/volumes").json[0]
    assert volume["props"]["Aux/tier"] == "gold" and volume["props"]["DrbdOptions/Disk/disk-flushes"] == "no", volume
    replies = lin.volume_modify("vulcan", "LocalData", 0, {}, delete_props=["Aux/tier"])
    assert not any(r.is_error() for r in replies), replies
    assert "Aux/tier" not in rest.get("/v1/resource-definitions/LocalData/resources/vulcan/volumes").json[0].get("props", {})
    # A key a volume does not take, and a volume that does not exist: refused, nothing changed.
    resp = rest.put("/v1/resource-definitions/LocalData/resources/vulcan/volumes/0", {"override_props": {"PrefNic": "x"}})
    assert resp.status == 500 and resp.json[0]["ret_code"] & 0x7FFF == 213, resp.json
    resp = rest.put("/v1/resource-definitions/LocalData/resources/vulcan/volumes/3", {"override_props": {"Aux/a": "b"}})
    assert resp.status == 404, resp.json
