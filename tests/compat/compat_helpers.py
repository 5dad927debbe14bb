"""Shared helpers of the compatibility suite: ret_code arithmetic, article setup, state snapshots.

ret_code layout (server notes 1.4, python-linstor sharedconsts): bits 62-63 type
(MASK_ERROR 0xC000000000000000, MASK_WARN 0x8000000000000000, MASK_INFO
0x4000000000000000), bits 24-25 operation (CRT 0x1000000, MOD 0x2000000, DEL
0x3000000), bits 18-22 object, bits 0-14 code.  On the wire it is a *signed*
int64, so errors are negative numbers.
"""

from __future__ import annotations

import json
from typing import Any, Iterable

import linstor
import linstor.sharedconsts as C
from linstor.responses import ApiCallResponse

MASK_TYPE = 0xC000000000000000
MASK_ERROR = 0xC000000000000000
MASK_WARN = 0x8000000000000000
MASK_INFO = 0x4000000000000000
MASK_OP = 0x3000000
MASK_OBJ = 0x7C0000
MASK_CODE = 0x7FFF
U64 = 0xFFFFFFFFFFFFFFFF

# The article's cluster, on loopback only (192.168.133.N -> 127.0.0.N, 192.168.144.N -> 127.0.1.N).
ARTICLE_NODES = [
    ("romulus", "Combined", "127.0.0.11", "127.0.1.11"),
    ("remus", "Satellite", "127.0.0.12", "127.0.1.12"),
    ("vulcan", "Satellite", "127.0.0.13", "127.0.1.13"),
    ("kronos", "Satellite", "127.0.0.14", "127.0.1.14"),
]
NODE_NAMES = [n[0] for n in ARTICLE_NODES]
SIZE_150M_KIB = 153600


def signed64(value: int) -> int:
    value &= U64
    return value - (1 << 64) if value & (1 << 63) else value


def rc_of(entry: Any) -> int:
    if isinstance(entry, ApiCallResponse):
        return entry.ret_code
    return entry["ret_code"]


def code(rc: int) -> int:
    return rc & MASK_CODE


def is_error_rc(rc: int) -> bool:
    return (rc & MASK_TYPE) == MASK_ERROR


def is_warn_rc(rc: int) -> bool:
    return (rc & MASK_TYPE) == MASK_WARN


def is_info_rc(rc: int) -> bool:
    return (rc & MASK_TYPE) == MASK_INFO


def describe(replies: Iterable[Any]) -> str:
    out = []
    for r in replies:
        data = r._rest_data if hasattr(r, "_rest_data") else r
        if isinstance(data, dict) and "ret_code" in data:
            rc = data["ret_code"]
            out.append(f"[{rc} = 0x{rc & U64:016X} code {code(rc)}] {data.get('message')!r}"
                       + (f" cause={data.get('cause')!r}" if data.get("cause") else ""))
        else:
            out.append(repr(data)[:300])
    return "\n    ".join(out) if out else "<no replies>"


def api_replies(replies: Iterable[Any]) -> list[ApiCallResponse]:
    return [r for r in replies if isinstance(r, ApiCallResponse)]


def assert_ok(replies: list[Any], what: str = "") -> list[ApiCallResponse]:
    """No error entry, at least one entry, every entry an ApiCallResponse."""
    assert replies, f"{what}: empty reply list"
    apis = api_replies(replies)
    assert len(apis) == len(replies), f"{what}: non-ApiCallRc replies: {describe(replies)}"
    errors = [r for r in apis if r.is_error()]
    assert not errors, f"{what}: unexpected error(s):\n    {describe(replies)}"
    return apis


def assert_has_rc(replies: list[Any], expected: int, what: str = "") -> ApiCallResponse:
    """Some entry's ret_code equals ``expected`` exactly (compared as signed int64)."""
    want = signed64(expected)
    for r in api_replies(replies):
        if r.ret_code == want:
            return r
    raise AssertionError(
        f"{what}: no entry with ret_code {want} (0x{expected & U64:016X}) in:\n    {describe(replies)}"
    )


def assert_error(replies: list[Any], fail_code: int, op: int | None = None, obj: int | None = None,
                 what: str = "") -> ApiCallResponse:
    """Some entry is an error with code ``fail_code & MASK_CODE`` and (if given) these op/obj masks."""
    want_code = fail_code & MASK_CODE
    apis = api_replies(replies)
    errors = [r for r in apis if is_error_rc(r.ret_code)]
    assert errors, f"{what}: expected an error with code {want_code}, got:\n    {describe(replies)}"
    for r in errors:
        rc = r.ret_code
        assert rc < 0, f"{what}: error ret_code {rc} is not a negative signed int64"
        if code(rc) != want_code:
            continue
        if op is not None:
            assert rc & MASK_OP == op, (
                f"{what}: ret_code {rc} (0x{rc & U64:016X}) has op mask 0x{rc & MASK_OP:X}, expected 0x{op:X}")
        if obj is not None:
            assert rc & MASK_OBJ == obj, (
                f"{what}: ret_code {rc} (0x{rc & U64:016X}) has object mask 0x{rc & MASK_OBJ:X}, expected 0x{obj:X}")
        return r
    raise AssertionError(f"{what}: no error with code {want_code} in:\n    {describe(replies)}")


def first_error(replies: list[Any]) -> ApiCallResponse | None:
    for r in api_replies(replies):
        if r.is_error():
            return r
    return None


# ---------------------------------------------------------------------------
# article setup through python-linstor

def create_article_nodes(lin: linstor.Linstor, names: Iterable[str] | None = None) -> None:
    wanted = set(names) if names is not None else None
    for name, ntype, addr, _drbd in ARTICLE_NODES:
        if wanted is not None and name not in wanted:
            continue
        replies = lin.node_create(name, ntype, addr)
        assert_ok(replies, f"node create {name}")
        assert_has_rc(replies, C.MASK_CRT | C.MASK_NODE | C.CREATED, f"node create {name}")


def create_article_netifs(lin: linstor.Linstor) -> None:
    for name, _ntype, _addr, drbd_addr in ARTICLE_NODES:
        replies = lin.netinterface_create(name, "drbd", drbd_addr)
        assert_ok(replies, f"node interface create {name} drbd")
        assert_has_rc(replies, C.MASK_CRT | C.MASK_NET_IF | C.CREATED, f"netif create {name}")


def create_thinpools(lin: linstor.Linstor, nodes: Iterable[str] = NODE_NAMES) -> None:
    for name in nodes:
        replies = lin.storage_pool_create(name, "thinpool", "LVM_THIN", "drbdpool/thinpool")
        assert_ok(replies, f"storage-pool create lvmthin {name} thinpool drbdpool/thinpool")
        assert_has_rc(replies, C.MASK_CRT | C.MASK_STOR_POOL | C.CREATED, f"storage pool create {name}")


def article_cluster(lin: linstor.Linstor, netifs: bool = False) -> None:
    create_article_nodes(lin)
    if netifs:
        create_article_netifs(lin)
    create_thinpools(lin)


def create_rd(lin: linstor.Linstor, name: str, layers: list[str] | None, size_kib: int | None = SIZE_150M_KIB,
              **kw) -> None:
    replies = lin.resource_dfn_create(name, layer_list=layers, **kw)
    assert_ok(replies, f"resource-definition create {name}")
    assert_has_rc(replies, C.MASK_CRT | C.MASK_RSC_DFN | C.CREATED, f"rd create {name}")
    if size_kib is not None:
        replies = lin.volume_dfn_create(name, size_kib)
        assert_ok(replies, f"volume-definition create {name} {size_kib}KiB")
        assert_has_rc(replies, C.MASK_CRT | C.MASK_VLM_DFN | C.CREATED, f"vd create {name}")


def place(lin: linstor.Linstor, rsc: str, nodes: Iterable[str], pool: str | None = "thinpool", **kw) -> list:
    rd = [linstor.linstorapi.ResourceData(n, rsc, storage_pool=pool, **kw) for n in nodes]
    replies = lin.resource_create(rd)
    assert_ok(replies, f"resource create {list(nodes)} {rsc}")
    assert_has_rc(replies, C.MASK_CRT | C.MASK_RSC | C.CREATED, f"resource create {rsc}")
    return replies


# ---------------------------------------------------------------------------
# reading state (python-linstor objects -> plain dicts)

def resources(lin: linstor.Linstor, **filters) -> list[dict]:
    resp = lin.resource_list_raise(**filters)
    return [r._rest_data for r in resp.resources]


def resource(lin: linstor.Linstor, rsc: str, node: str) -> dict | None:
    for r in resources(lin, filter_by_resources=[rsc]):
        if r["name"].lower() == rsc.lower() and r["node_name"].lower() == node.lower():
            return r
    return None


def rsc_dfns(lin: linstor.Linstor, **filters) -> dict[str, dict]:
    resp = lin.resource_dfn_list_raise(query_volume_definitions=True, **filters)
    return {d._rest_data["name"]: d._rest_data for d in resp.resource_definitions}


def nodes(lin: linstor.Linstor) -> dict[str, dict]:
    return {n._rest_data["name"]: n._rest_data for n in lin.node_list_raise().nodes}


def storage_pools(lin: linstor.Linstor, **filters) -> list[dict]:
    return [sp._rest_data for sp in lin.storage_pool_list_raise(**filters).storage_pools]


def storage_pool_dfn_names(lin: linstor.Linstor) -> set[str]:
    resp = lin.storage_pool_dfn_list()
    assert resp and not isinstance(resp[0], ApiCallResponse), f"spd list: {describe(resp)}"
    return {d.name for d in resp[0].storage_pool_definitions}


def resource_groups(lin: linstor.Linstor) -> dict[str, dict]:
    return {g._rest_data["name"]: g._rest_data for g in lin.resource_group_list_raise().resource_groups}


def drbd_of(rsc: dict) -> dict:
    layer = rsc.get("layer_object")
    assert layer is not None, f"resource {rsc.get('name')}@{rsc.get('node_name')} has no layer_object"
    assert layer.get("type") == "DRBD", f"top layer is {layer.get('type')!r}, expected 'DRBD': {layer}"
    assert "drbd" in layer, f"DRBD layer object without 'drbd' member: {layer}"
    return layer["drbd"]


def tcp_port(rsc: dict) -> int:
    ports = drbd_of(rsc).get("tcp_ports")
    assert isinstance(ports, list) and len(ports) == 1, f"tcp_ports {ports!r}, expected one port"
    return ports[0]


def minor_of_vd(rd: dict, vlm_nr: int = 0) -> int | None:
    for vd in rd.get("volume_definitions", []):
        if vd.get("volume_number") == vlm_nr:
            for ld in vd.get("layer_data", []):
                if ld.get("type") == "DRBD":
                    return (ld.get("data") or {}).get("minor_number")
    return None


def flags_of(obj: dict) -> list[str]:
    return [f.upper() for f in obj.get("flags", [])]


# ---------------------------------------------------------------------------
# raw state snapshot (for "nothing changed" checks)

SNAPSHOT_PATHS = [
    "/v1/nodes",
    "/v1/resource-definitions?with_volume_definitions=true",
    "/v1/view/resources",
    "/v1/view/storage-pools",
    "/v1/storage-pool-definitions",
    "/v1/resource-groups",
    "/v1/controller/properties",
]


def _canon(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _canon(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        items = [_canon(v) for v in value]
        return sorted(items, key=lambda x: json.dumps(x, sort_keys=True))
    return value


def state_snapshot(rest) -> dict[str, Any]:
    snap = {}
    for path in SNAPSHOT_PATHS:
        resp = rest.get(path)
        assert resp.status == 200, f"GET {path} -> {resp.status}: {resp.text[:300]}"
        snap[path] = _canon(resp.json)
    for name in ("romulus", "remus", "vulcan", "kronos"):
        resp = rest.get(f"/v1/nodes/{name}/net-interfaces")
        if resp.status == 200:
            snap[f"netif {name}"] = _canon(resp.json)
    return snap


def diff_snapshots(before: dict, after: dict) -> str:
    out = []
    for key in sorted(set(before) | set(after)):
        if before.get(key) != after.get(key):
            out.append(f"{key}:\n  before: {json.dumps(before.get(key))[:1500]}\n  after:  {json.dumps(after.get(key))[:1500]}")
    return "\n".join(out)
