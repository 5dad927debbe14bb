"""`-m --output-version v0|v1` for every list command, on the article's objects.

v1 (the default) prints the controller's list as it came, inside a list: `[[...]]`. v0 prints
python-linstor's older `data_v0` shape of the same response: `[{"nodes": [...]}]`,
`[{"stor_pools": [...]}]`, `[{"rsc_dfns": [...]}]`, `[{"resource_states": [...], "resources": [...]}]`,
`[{"snapshot_dfns": [...]}]` (or `[{}]`), while resource and volume groups have no v0 form of their own.
Each v0 output is checked against the v1 output of the same command, converted here by the rules of
linstor-api-py `linstor/responses.py`, and, where python-linstor is installed (it is a test
dependency), by python-linstor's own response classes.
"""

from __future__ import annotations

import json

import pytest

from .cli_support import ARTICLE_INTERFACES, ARTICLE_NODES, NODES

CONNECTION_STATUS = {
    "OFFLINE": 0, "CONNECTED": 1, "ONLINE": 2, "VERSION_MISMATCH": 3, "FULL_SYNC_FAILED": 4,
    "AUTHENTICATION_ERROR": 5, "UNKNOWN": 6, "HOSTNAME_MISMATCH": 7, "OTHER_CONTROLLER": 8,
    "AUTHENTICATED": 9, "NO_STLT_CONN": 10, "MISSING_EXT_TOOLS": 11, "DUPLICATE_UNAME": 12,
}
DRIVERS = {"DISKLESS": "DisklessDriver", "LVM": "LvmDriver", "LVM_THIN": "LvmThinDriver", "ZFS": "ZfsDriver",
           "ZFS_THIN": "ZfsThinDriver", "SPDK": "SpdkDriver"}


def kv(props):
    return [{"key": k, "value": v} for k, v in (props or {}).items()]


def drbd_data(layers):
    return next((layer["data"] for layer in layers or [] if layer["type"] == "DRBD" and layer.get("data")), None)


def node_v0(node):
    d = dict(node)
    d["props"] = kv(node.get("props"))
    d["connection_status"] = CONNECTION_STATUS[node.get("connection_status", "UNKNOWN")]
    d["net_interfaces"] = [
        {"address": i["address"], "name": i["name"], "stlt_port": i.get("satellite_port"),
         "stlt_encryption_type": i.get("satellite_encryption_type")}
        for i in node.get("net_interfaces", [])
    ]
    return d


def pool_v0(pool):
    d = {"stor_pool_uuid": pool.get("uuid"), "stor_pool_name": pool["storage_pool_name"],
         "node_name": pool["node_name"], "free_space_mgr_name": pool.get("free_space_mgr_name")}
    if "free_capacity" in pool:
        d["free_space"] = {"stor_pool_name": pool["storage_pool_name"], "free_capacity": pool["free_capacity"],
                           "total_capacity": pool.get("total_capacity")}
    d["driver"] = DRIVERS.get(pool.get("provider_kind"), "")
    d["static_traits"] = kv(pool.get("static_traits"))
    if pool.get("props"):
        d["props"] = kv(pool["props"])
    return d


def vd_v0(vd):
    d = {"vlm_nr": vd["volume_number"], "vlm_size": vd["size_kib"], "vlm_dfn_uuid": vd.get("uuid")}
    if vd.get("flags"):
        d["vlm_flags"] = vd["flags"]
    if vd.get("props"):
        d["vlm_props"] = kv(vd["props"])
    if drbd_data(vd.get("layer_data")):
        d["vlm_minor"] = drbd_data(vd["layer_data"])["minor_number"]
    return d


def rd_v0(rd):
    d = {"rsc_name": rd["name"], "rsc_dfn_uuid": rd.get("uuid"),
         "vlm_dfns": [vd_v0(vd) for vd in rd.get("volume_definitions", [])]}
    if rd.get("flags"):
        d["rsc_dfn_flags"] = rd["flags"]
    if rd.get("props"):
        d["rsc_dfn_props"] = kv(rd["props"])
    data = drbd_data(rd.get("layer_data"))
    if data:
        d["rsc_dfn_port"] = data.get("port")
        d["rsc_dfn_secret"] = data["secret"]
    return d


def state_v0(r):
    d = {"rsc_name": r["name"], "node_name": r["node_name"]}
    if r.get("state", {}).get("in_use") is not None:
        d["in_use"] = r["state"]["in_use"]
    if r.get("volumes"):
        d["vlm_states"] = [{"vlm_nr": v["volume_number"], "disk_state": v.get("state", {}).get("disk_state")}
                           for v in r["volumes"]]
    return d


def volume_v0(v):
    d = {"stor_pool_name": v.get("storage_pool_name"), "vlm_nr": v["volume_number"], "vlm_uuid": v.get("uuid"),
         "device_path": v.get("device_path")}
    data = drbd_data(v.get("layer_data_list"))
    if data:
        d["vlm_minor_nr"] = data["drbd_volume_definition"]["minor_number"]
        if data.get("backing_device"):
            d["backing_disk"] = data["backing_device"]
        d["meta_disk"] = data.get("meta_disk", "")
        if data.get("allocated_size_kib"):
            d["allocated"] = v.get("allocated_size_kib")
    return d


def resource_v0(r):
    return {"name": r["name"], "uuid": r.get("uuid"), "node_name": r["node_name"], "rsc_flags": r.get("flags", []),
            "props": kv(r.get("props")), "vlms": [volume_v0(v) for v in r.get("volumes", [])]}


def snapshot_v0(s):
    return {"rsc_name": s["resource_name"], "snapshot_name": s["name"], "uuid": s.get("uuid"),
            "snapshot_dfn_flags": s.get("flags", []), "snapshots": [{"node_name": n} for n in s.get("nodes", [])],
            "snapshot_vlm_dfns": [{"vlm_nr": v["volume_number"], "vlm_size": v["size_kib"]}
                                  for v in s.get("volume_definitions", [])]}


CONVERT = {
    "nodes": lambda items: {"nodes": [node_v0(n) for n in items]},
    "pools": lambda items: {"stor_pools": [pool_v0(p) for p in items]},
    "rds": lambda items: {"rsc_dfns": [rd_v0(rd) for rd in items]},
    "resources": lambda items: {"resource_states": [state_v0(r) for r in items],
                                "resources": [resource_v0(r) for r in items]},
    "snapshots": lambda items: {"snapshot_dfns": [snapshot_v0(s) for s in items]} if items else {},
    "same": lambda items: items,
}

try:
    from linstor import responses
except ImportError:  # the hand-written conversion above still checks every shape
    responses = None

PYTHON_LINSTOR = {"nodes": "NodeListResponse", "pools": "StoragePoolListResponse",
                  "rds": "ResourceDefinitionResponse", "resources": "ResourceResponse",
                  "snapshots": "SnapshotResponse", "same": "ResourceGroupResponse"}

LISTS = [
    ("node list", "nodes"),
    ("n l -n romulus", "nodes"),
    ("node interface list kronos", "nodes"),
    ("node info", "nodes"),
    ("storage-pool list", "pools"),
    ("sp l -n vulcan", "pools"),
    ("resource-definition list", "rds"),
    ("volume-definition list", "rds"),
    ("resource list", "resources"),
    ("r l -r SharedData", "resources"),
    ("resource list-volumes", "resources"),
    ("volume list", "resources"),
    ("resource-group list", "same"),
    ("volume-group list grp1", "same"),
    ("snapshot list", "snapshots"),
]


@pytest.fixture
def article(depot):
    """The article's cluster: nodes, interfaces, pools, LocalData and SharedData, plus a resource group."""
    for line in ARTICLE_NODES + ARTICLE_INTERFACES:
        depot.ok(line)
    for node in NODES:
        depot.ok(f"storage-pool create lvmthin {node} thinpool drbdpool/thinpool")
    depot.ok("resource-definition create --layer-list storage LocalData")
    depot.ok("volume definition create LocalData 150m")
    depot.ok("resource create --storage-pool thinpool vulcan kronos LocalData")
    depot.ok("resource-definition create --layer-list drbd,storage SharedData")
    depot.ok("volume definition create SharedData 150m")
    if depot.line("resource create --storage-pool thinpool --auto-place 3 SharedData").code != 0:
        depot.ok("resource create --storage-pool thinpool kronos remus romulus SharedData")
    depot.ok("resource-group create --place-count 2 -s thinpool grp1")
    depot.ok("volume-group create grp1")
    return depot


def machine(depot, *words, env=None):
    result = depot(*words, env=env)
    assert result.code == 0, (words, result)
    assert result.out.endswith("\n") and result.err == ""
    return result


@pytest.mark.parametrize("command,kind", LISTS, ids=[c for c, _ in LISTS])
def test_v0_is_the_v1_list_in_linstors_older_shape(article, command, kind):
    v1 = machine(article, "-m", *command.split())
    v1_default = machine(article, "-m", "--output-version", "v1", *command.split())
    assert v1.out == v1_default.out, "v1 is the default"
    v1_data = v1.json()
    assert isinstance(v1_data, list) and len(v1_data) == 1 and isinstance(v1_data[0], list), "v1 prints [[...]]"
    v0 = machine(article, "--output-version", "v0", "-m", *command.split())
    v0_data = v0.json()
    assert isinstance(v0_data, list) and len(v0_data) == 1
    # Same JSON, same key order: compare the text Python would print.
    expected = [CONVERT[kind](v1_data[0])]
    assert v0.out == json.dumps(expected, indent=2) + "\n"
    # And as python-linstor (a test dependency) converts it itself, which is what linstor-client prints.
    if responses is not None and kind in PYTHON_LINSTOR:
        name = "VolumeGroupResponse" if command.startswith("volume-group") else PYTHON_LINSTOR[kind]
        reference = getattr(responses, name)(v1_data[0]).data_v0
        assert v0.out == json.dumps([reference], indent=2) + "\n"


def test_v0_shapes_of_the_article_objects(article, depot_controller):
    nodes = machine(article, "--output-version=v0", "-m", "n", "l").json()[0]["nodes"]
    assert sorted(n["name"] for n in nodes) == sorted(NODES)
    kronos = next(n for n in nodes if n["name"] == "kronos")
    assert kronos["connection_status"] == CONNECTION_STATUS[depot_controller.rest("/v1/nodes/kronos")["connection_status"]]
    assert {"key": "CurStltConnName", "value": "default"} in kronos["props"]
    assert [(i["name"], i["address"]) for i in kronos["net_interfaces"]] == [("default", "127.0.0.14"),
                                                                            ("drbd", "127.0.1.14")]
    assert kronos["net_interfaces"][0]["stlt_port"] == 3366

    pools = machine(article, "--output-version", "v0", "-m", "sp", "l").json()[0]["stor_pools"]
    thin = next(p for p in pools if p["node_name"] == "romulus" and p["stor_pool_name"] == "thinpool")
    assert thin["driver"] == "LvmThinDriver"
    assert thin["props"] == [{"key": "StorDriver/StorPoolName", "value": "drbdpool/thinpool"}]

    rds = {rd["rsc_name"]: rd for rd in machine(article, "--output-version", "v0", "-m", "vd", "l").json()[0]["rsc_dfns"]}
    assert [v["vlm_size"] for v in rds["LocalData"]["vlm_dfns"]] == [153600]
    assert "rsc_dfn_secret" not in rds["LocalData"] and "rsc_dfn_secret" in rds["SharedData"]
    # `rd l` asks without volume definitions, as linstor does.
    assert all(rd["vlm_dfns"] == [] for rd in machine(article, "--output-version", "v0", "-m", "rd", "l").json()[0]["rsc_dfns"])

    listed = machine(article, "--output-version", "v0", "-m", "r", "l").json()[0]
    placed = {(r["name"], r["node_name"]) for r in depot_controller.rest("/v1/view/resources")}
    assert {(s["rsc_name"], s["node_name"]) for s in listed["resource_states"]} == placed
    assert {(r["name"], r["node_name"]) for r in listed["resources"]} == placed
    local = next(r for r in listed["resources"] if r["name"] == "LocalData" and r["node_name"] == "vulcan")
    assert local["props"] == [{"key": "StorPoolName", "value": "thinpool"}]
    assert [(v["stor_pool_name"], v["vlm_nr"]) for v in local["vlms"]] == [("thinpool", 0)]

    assert machine(article, "--output-version", "v0", "-m", "s", "l").out == "[\n  {}\n]\n"


def test_other_machine_readable_outputs_do_not_depend_on_the_version(article):
    for command in ["node list-properties romulus", "controller list-properties", "rd lp SharedData",
                    "controller version", "node describe", "error-reports list"]:
        v1 = machine(article, "-m", *command.split())
        v0 = machine(article, "-m", "--output-version", "v0", *command.split())
        if command == "controller version":
            assert json.loads(v0.out) == json.loads(v1.out)  # the build time may differ between calls
        else:
            assert v0.out == v1.out, command


def test_v0_replies_and_from_file(article, workdir):
    created = machine(article, "--output-version", "v0", "-m", "rd", "c", "Extra").json()
    assert created and all("obj_refs" not in reply and "ret_code" in reply for reply in created)
    assert any({"key": "RscDfn", "value": "Extra"} in reply.get("object_refs", []) for reply in created)
    saved = workdir / "nodes.json"
    saved.write_text(machine(article, "-m", "n", "l").out)
    offline = machine(article, "--output-version", "v0", "-m", "n", "l", "--from-file", str(saved))
    assert offline.out == machine(article, "--output-version", "v0", "-m", "n", "l").out


def test_output_version_parsing(article):
    default_env = machine(article, "-m", "n", "l", env={"LS_OUTPUT_VERSION": "v0"}).json()
    assert isinstance(default_env[0], dict) and "nodes" in default_env[0], "LS_OUTPUT_VERSION sets the default"
    overridden = machine(article, "-m", "--output-version", "v1", "n", "l", env={"LS_OUTPUT_VERSION": "v0"}).json()
    assert isinstance(overridden[0], list)
    configured = machine(article, "-m", "n", "l", env={"LS_CLIENT_OUTPUT_VERSION": "v0"}).json()
    assert "nodes" in configured[0]

    for words in (["--output-version", "v2"], ["--output-version", "V0"], ["--output-version=1"]):
        bad = article(*words, "-m", "n", "l")
        assert bad.code == 2 and bad.out == "", (words, bad)
        assert bad.err.startswith("usage: depot ")
        value = words[-1].split("=")[-1]
        assert f"depot: error: argument --output-version: invalid choice: '{value}' (choose from 'v0', 'v1')" in bad.err
    missing = article("-m", "n", "l", "--output-version", "v0")
    assert missing.code == 2, "global options go before the command, as in linstor"

    # linstor takes LS_OUTPUT_VERSION unchecked and prints `null`; depot refuses it, only where -m uses it.
    bad_env = article("-m", "n", "l", env={"LS_OUTPUT_VERSION": "v9"})
    assert bad_env.code == 2 and "LS_OUTPUT_VERSION: invalid choice: 'v9' (choose from 'v0', 'v1')" in bad_env.err
    assert article("--no-color", "n", "l", env={"LS_OUTPUT_VERSION": "v9"}).code == 0
