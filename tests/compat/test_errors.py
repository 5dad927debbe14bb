"""Error handling of the REST API, with raw HTTP where python-linstor cannot produce the request.

LINSTOR's conventions (server notes 1.1 / 1.4, RequestHelper, ApiCallRcRestUtils):
- a body Jackson cannot map (malformed JSON, wrong types, unknown members) -> 400 with one
  ApiCallRc whose ret_code is API_CALL_PARSE_ERROR (MASK_ERROR | 0x0FFFFFFFFFFFFFFD);
- FAIL_NOT_FOUND_* -> 404; every other error (FAIL_INVLD_*, FAIL_EXISTS_*, ...) -> 500;
- ret_code is a signed int64; mutations carry the operation mask (CRT/MOD/DEL) and the
  object mask of the call's context; a list GET of a missing object has the bare code;
- deleting something that does not exist is a warning (WARN_NOT_FOUND), status 200.

After every bad request the suite checks that nothing changed (full state snapshot before ==
after) and that the controller still answers /health.
"""

from __future__ import annotations

import contextlib
import json
import select
import socket
import time

import pytest

import linstor.sharedconsts as C
from linstor.responses import ApiCallResponse

import openapi
from compat_helpers import (
    MASK_CODE, U64, article_cluster, assert_error, assert_ok, create_rd, describe, diff_snapshots,
    is_warn_rc, nodes, place, rsc_dfns, signed64, state_snapshot,
)

PARSE_ERROR = signed64(C.API_CALL_PARSE_ERROR)
NODE_EXISTS_WIRE = -4611686018406678028  # notes 1.4: MASK_ERROR|MASK_CRT|MASK_NODE|FAIL_EXISTS_NODE


@pytest.fixture
def cluster(lin, rest):
    """The article's nodes, drbd interfaces, thin pools, LocalData on vulcan+kronos."""
    article_cluster(lin, netifs=True)
    create_rd(lin, "LocalData", ["storage"])
    place(lin, "LocalData", ["vulcan", "kronos"])
    return lin


@contextlib.contextmanager
def unchanged(rest):
    before = state_snapshot(rest)
    yield
    assert rest.alive(), "controller stopped answering /health after a bad request"
    after = state_snapshot(rest)
    assert before == after, "state changed after a refused request:\n" + diff_snapshots(before, after)


def entries(resp) -> list[ApiCallResponse]:
    body = resp.json
    assert isinstance(body, list), f"error body must be an ApiCallRc list: {resp.text[:300]}"
    return [ApiCallResponse(x) for x in body]


def expect_parse_error(resp, what: str) -> None:
    assert resp.status == 400, f"{what}: expected 400, got {resp.status}: {resp.text[:300]}"
    rcs = entries(resp)
    assert rcs, f"{what}: empty list"
    assert rcs[0].ret_code == PARSE_ERROR, (
        f"{what}: ret_code {rcs[0].ret_code} (0x{rcs[0].ret_code & U64:016X}), "
        f"expected API_CALL_PARSE_ERROR {PARSE_ERROR}")
    assert rcs[0].message, f"{what}: no message"


def expect_error(resp, status: int, fail_code: int, op: int | None = None, obj: int | None = None,
                 what: str = "") -> ApiCallResponse:
    assert resp.status == status, f"{what}: expected HTTP {status}, got {resp.status}: {resp.text[:400]}"
    return assert_error(entries(resp), fail_code, op=op, obj=obj, what=what)


def node_body(name: str, addr: str = "127.0.0.21", **extra) -> dict:
    body = {
        "name": name, "type": "Satellite",
        "net_interfaces": [{"name": "default", "address": addr, "satellite_port": 3366,
                            "satellite_encryption_type": "Plain", "is_active": True}],
    }
    body.update(extra)
    return body


# ---------------------------------------------------------------------------
# 400: bodies that cannot be mapped

# (no trailing-garbage case: Jackson ignores tokens after the first complete value)
MALFORMED = ['{"name": "x",', "not json at all", "", "[", '{"name": "x" "type": 1}', "\x00\x01\x02"]
ENDPOINTS = [
    ("POST", "/v1/nodes"),
    ("PUT", "/v1/nodes/vulcan"),
    ("POST", "/v1/nodes/vulcan/net-interfaces"),
    ("POST", "/v1/nodes/vulcan/storage-pools"),
    ("POST", "/v1/resource-definitions"),
    ("PUT", "/v1/resource-definitions/LocalData"),
    ("POST", "/v1/resource-definitions/LocalData/volume-definitions"),
    ("POST", "/v1/resource-definitions/LocalData/resources"),
    ("POST", "/v1/resource-groups"),
    ("POST", "/v1/controller/properties"),
]


@pytest.mark.parametrize("method,path", ENDPOINTS)
def test_malformed_json_is_a_parse_error(cluster, rest, method, path):
    with unchanged(rest):
        for raw in MALFORMED:
            resp = rest.request(method, path, raw=raw)
            expect_parse_error(resp, f"{method} {path} body {raw!r}")


WRONG_TYPES = [
    ("POST", "/v1/nodes", {**node_body("typo1"), "name": {"nested": 1}}),
    ("POST", "/v1/nodes", node_body("typo2", net_interfaces="127.0.0.22")),
    ("POST", "/v1/nodes", {"name": "typo3", "type": "Satellite",
                           "net_interfaces": [{"name": "default", "address": "127.0.0.23",
                                               "satellite_port": "not-a-port"}]}),
    ("PUT", "/v1/nodes/vulcan", {"override_props": ["Aux/a"]}),
    ("POST", "/v1/resource-definitions", {"resource_definition": "NotAnObject"}),
    ("POST", "/v1/resource-definitions", {"resource_definition": {"name": "Typo4", "layer_data": "storage"}}),
    ("POST", "/v1/resource-definitions/LocalData/volume-definitions", {"volume_definition": {"size_kib": "lots"}}),
    ("POST", "/v1/resource-definitions/LocalData/volume-definitions", {"volume_definition": {"size_kib": [1]}}),
    ("POST", "/v1/resource-definitions/LocalData/resources", {"resource": {"node_name": "remus"}}),
    ("POST", "/v1/controller/properties", {"override_props": {"Aux/x": {"nested": 1}}}),
    ("POST", "/v1/resource-groups", {"name": "rg_typo", "select_filter": {"place_count": "two"}}),
]


@pytest.mark.parametrize("method,path,body", WRONG_TYPES, ids=[f"{m} {p} #{i}" for i, (m, p, _) in enumerate(WRONG_TYPES)])
def test_wrong_types_are_parse_errors(cluster, rest, method, path, body):
    with unchanged(rest):
        expect_parse_error(rest.request(method, path, body=body), f"{method} {path} {json.dumps(body)}")


UNKNOWN_MEMBERS = [
    ("POST", "/v1/nodes", node_body("unknown1", bogus_field=1)),
    ("POST", "/v1/nodes", {**node_body("unknown2"),
                           "net_interfaces": [{"name": "default", "address": "127.0.0.24", "colour": "red"}]}),
    ("POST", "/v1/resource-definitions", {"resource_definition": {"name": "Unknown3", "bogus": True}}),
    ("POST", "/v1/resource-definitions", {"resource_definition": {"name": "Unknown4"}, "drbd_bogus": 1}),
    ("PUT", "/v1/nodes/vulcan", {"override_props": {"Aux/a": "b"}, "unknown_member": 1}),
    ("POST", "/v1/resource-definitions/LocalData/volume-definitions",
     {"volume_definition": {"size_kib": 1024, "volume_number": 7, "sise_kib": 1}}),
    ("POST", "/v1/controller/properties", {"override_props": {"Aux/x": "1"}, "delete_propz": []}),
]


@pytest.mark.parametrize("method,path,body", UNKNOWN_MEMBERS,
                         ids=[f"{m} {p} #{i}" for i, (m, p, _) in enumerate(UNKNOWN_MEMBERS)])
def test_unknown_request_members_are_rejected(cluster, rest, method, path, body):
    with unchanged(rest):
        expect_parse_error(rest.request(method, path, body=body), f"{method} {path} {json.dumps(body)}")


# ---------------------------------------------------------------------------
# names

INVALID_NODE_NAMES = [
    "", "a", "-abc", "abc-", ".abc", "under_score", "with space", "semi;colon", "slash/x", "ünïcode",
    "a" * 64,                                      # label longer than 63
    "a" * 256,                                     # longer than 255
    ".".join(["a" * 63] * 3 + ["a" * 62]) + ".b",  # 256 chars, labels fine, too long in total
]
VALID_NODE_NAMES = ["ab", "node-1", "n1.example.com", "UPPERCASE", "a" * 63, ".".join(["c" * 63] * 4)]


@pytest.mark.parametrize("name", INVALID_NODE_NAMES, ids=[f"len{len(n)}:{n[:12]}" for n in INVALID_NODE_NAMES])
def test_invalid_node_names(cluster, rest, name):
    with unchanged(rest):
        resp = rest.post("/v1/nodes", node_body(name))
        expect_error(resp, 500, C.FAIL_INVLD_NODE_NAME, op=C.MASK_CRT, obj=C.MASK_NODE, what=f"node {name!r}")


def test_valid_node_names_at_the_limits(lin, rest):
    assert len(VALID_NODE_NAMES[-1]) == 255
    for i, name in enumerate(VALID_NODE_NAMES):
        resp = rest.post("/v1/nodes", node_body(name, addr=f"127.0.0.{40 + i}"))
        assert resp.status == 201, f"node {name!r} ({len(name)} chars): {resp.status} {resp.text[:300]}"
    listed = set(nodes(lin))
    assert set(VALID_NODE_NAMES) <= listed, listed


INVALID_RSC_NAMES = ["a", "a" * 49, "1abc", "-abc", "ab cd", "ab.cd", "__", "_1", "ab/cd", "äb", "ab:c"]
VALID_RSC_NAMES = ["ab", "_a", "a" * 48, "a-b_c", "A1", "Z_-9"]


@pytest.mark.parametrize("name", INVALID_RSC_NAMES, ids=[f"len{len(n)}:{n[:10]}" for n in INVALID_RSC_NAMES])
def test_invalid_resource_names(cluster, rest, name):
    with unchanged(rest):
        resp = rest.post("/v1/resource-definitions", {"resource_definition": {"name": name}})
        expect_error(resp, 500, C.FAIL_INVLD_RSC_NAME, op=C.MASK_CRT, obj=C.MASK_RSC_DFN, what=f"rd {name!r}")


def test_empty_resource_name_without_external_name(cluster, rest):
    """LINSTOR generates names only from external_name; "" alone is FAIL_MISSING_EXT_NAME."""
    with unchanged(rest):
        resp = rest.post("/v1/resource-definitions", {"resource_definition": {"name": ""}})
        assert resp.status == 500, resp
        err = next((e for e in entries(resp) if e.is_error()), None)
        assert err is not None, resp
        assert err.ret_code & MASK_CODE in (C.FAIL_MISSING_EXT_NAME & MASK_CODE, C.FAIL_INVLD_RSC_NAME & MASK_CODE), \
            describe(entries(resp))


def test_valid_resource_names_at_the_limits(lin, rest):
    for name in VALID_RSC_NAMES:
        resp = rest.post("/v1/resource-definitions", {"resource_definition": {"name": name}})
        assert resp.status == 201, f"rd {name!r}: {resp.status} {resp.text[:300]}"
    assert set(VALID_RSC_NAMES) <= set(rsc_dfns(lin))


def test_other_invalid_values(cluster, rest):
    with unchanged(rest):
        resp = rest.post("/v1/nodes", {**node_body("badtype"), "type": "Bogus"})
        expect_error(resp, 500, C.FAIL_INVLD_NODE_TYPE, op=C.MASK_CRT, what="node type Bogus")

        resp = rest.post("/v1/resource-definitions",
                         {"resource_definition": {"name": "BadLayer", "layer_data": [{"type": "BOGUS"}]}})
        expect_error(resp, 500, C.FAIL_INVLD_LAYER_KIND, op=C.MASK_CRT, what="layer BOGUS")

        # LUKS belongs between DRBD and storage: above DRBD it is an impossible stack, refused on
        # definitions and resource groups alike.
        for path, body in (
            ("/v1/resource-definitions", {"resource_definition": {"name": "Secret", "layer_data": [{"type": "LUKS"}, {"type": "DRBD"}, {"type": "STORAGE"}]}}),
            ("/v1/resource-groups", {"name": "SecretGroup", "select_filter": {"layer_stack": ["LUKS", "DRBD", "STORAGE"]}}),
        ):
            resp = rest.post(path, body)
            expect_error(resp, 500, C.FAIL_INVLD_LAYER_STACK, op=C.MASK_CRT, what=f"LUKS above DRBD at {path}")

        # LINSTOR answers an unknown provider kind with FAIL_INVLD_LAYER_KIND (LinstorParsingUtils.asProviderKind)
        resp = rest.post("/v1/nodes/vulcan/storage-pools",
                         {"storage_pool_name": "badpool", "provider_kind": "BOGUS",
                          "props": {"StorDriver/StorPoolName": "vg"}})
        assert resp.status == 500, resp
        err = next((e for e in entries(resp) if e.is_error()), None)
        assert err is not None and err.ret_code & MASK_CODE in (
            C.FAIL_INVLD_LAYER_KIND & MASK_CODE, C.FAIL_INVLD_PROVIDER & MASK_CODE,
            C.FAIL_INVLD_STOR_DRIVER & MASK_CODE), describe(entries(resp))

        resp = rest.post("/v1/controller/properties", {"override_props": {"NoSuchNamespace/no-such-key": "x"}})
        expect_error(resp, 500, C.FAIL_INVLD_PROP, what="unknown controller property key")

        resp = rest.post("/v1/resource-definitions/LocalData/resources",
                         [{"resource": {"node_name": "remus", "props": {"StorPoolName": "nosuchpool"}}}])
        assert resp.status in (404, 500), resp
        assert any(e.is_error() for e in entries(resp)), resp


# ---------------------------------------------------------------------------
# 404 and "had no effect"

def test_not_found_single_object_gets(cluster, rest):
    """RequestHelper.queryRequestResponse: 404 with the bare FAIL_NOT_FOUND_* code (no op/object mask)."""
    with unchanged(rest):
        resp = rest.get("/v1/nodes/ghost")
        assert resp.status == 404, resp
        assert entries(resp)[0].ret_code == signed64(C.FAIL_NOT_FOUND_NODE), describe(entries(resp))

        resp = rest.get("/v1/resource-definitions/GhostData")
        assert resp.status == 404, resp
        assert entries(resp)[0].ret_code == signed64(C.FAIL_NOT_FOUND_RSC_DFN), describe(entries(resp))


def test_not_found_sub_objects(cluster, rest):
    with unchanged(rest):
        expect_error(rest.get("/v1/nodes/ghost/net-interfaces"), 404, C.FAIL_NOT_FOUND_NODE, what="netifs of ghost")
        expect_error(rest.get("/v1/nodes/vulcan/net-interfaces/nosuch"), 404, C.FAIL_NOT_FOUND_NET_IF, what="netif")
        expect_error(rest.get("/v1/nodes/ghost/storage-pools"), 404, C.FAIL_NOT_FOUND_NODE, what="pools of ghost")
        expect_error(rest.get("/v1/nodes/vulcan/storage-pools/nosuchpool"), 404, C.FAIL_NOT_FOUND_STOR_POOL,
                     what="pool")
        expect_error(rest.get("/v1/resource-definitions/LocalData/resources/remus"), 404, C.FAIL_NOT_FOUND_RSC,
                     what="LocalData@remus")
        expect_error(rest.get("/v1/resource-groups/nosuchgroup"), 404, C.FAIL_NOT_FOUND_RSC_GRP, what="rg")


def test_not_found_in_mutations(cluster, rest):
    lin = cluster
    with unchanged(rest):
        expect_error(rest.put("/v1/nodes/ghost", {"override_props": {"Aux/a": "b"}}), 404,
                     C.FAIL_NOT_FOUND_NODE, op=C.MASK_MOD, obj=C.MASK_NODE, what="modify ghost")
        expect_error(rest.post("/v1/nodes/ghost/net-interfaces", {"name": "drbd", "address": "127.0.1.99"}), 404,
                     C.FAIL_NOT_FOUND_NODE, op=C.MASK_CRT, obj=C.MASK_NET_IF, what="netif on ghost")
        expect_error(rest.post("/v1/nodes/ghost/storage-pools",
                               {"storage_pool_name": "thinpool", "provider_kind": "LVM_THIN",
                                "props": {"StorDriver/StorPoolName": "drbdpool/thinpool"}}), 404,
                     C.FAIL_NOT_FOUND_NODE, op=C.MASK_CRT, obj=C.MASK_STOR_POOL, what="pool on ghost")
        expect_error(rest.post("/v1/resource-definitions/GhostData/volume-definitions",
                               {"volume_definition": {"size_kib": 1024}}), 404,
                     C.FAIL_NOT_FOUND_RSC_DFN, op=C.MASK_CRT, obj=C.MASK_VLM_DFN, what="vd on ghost rd")
        expect_error(rest.post("/v1/resource-definitions/LocalData/resources",
                               [{"resource": {"node_name": "ghost", "props": {"StorPoolName": "thinpool"}}}]), 404,
                     C.FAIL_NOT_FOUND_NODE, op=C.MASK_CRT, obj=C.MASK_RSC, what="resource on ghost")

        replies = lin.node_modify("ghost", property_dict={"Aux/a": "b"})
        assert replies and replies[0].is_error(C.FAIL_NOT_FOUND_NODE), describe(replies)
        assert (replies[0].ret_code & MASK_CODE) == (C.FAIL_NOT_FOUND_NODE & MASK_CODE)


def test_deleting_what_is_not_there_is_a_warning(cluster, rest):
    """"Deletion of ... had no effect": WARN_NOT_FOUND, HTTP 200."""
    problems = []
    with unchanged(rest):
        for path in ("/v1/nodes/ghost", "/v1/nodes/ghost/lost", "/v1/resource-definitions/GhostData",
                     "/v1/resource-definitions/LocalData/resources/remus", "/v1/nodes/vulcan/storage-pools/nosuch",
                     "/v1/resource-groups/nosuchgroup"):
            resp = rest.delete(path)
            rcs = entries(resp)
            if resp.status != 200 or any(e.is_error() for e in rcs) or not any(
                    is_warn_rc(e.ret_code) and (e.ret_code & MASK_CODE) == (C.WARN_NOT_FOUND & MASK_CODE)
                    for e in rcs):
                problems.append(f"DELETE {path}: expected 200 + WARN_NOT_FOUND, got {resp.status}: {describe(rcs)}")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------
# 500: already exists

def test_already_exists(cluster, rest):
    lin = cluster
    with unchanged(rest):
        resp = rest.post("/v1/nodes", node_body("romulus", addr="127.0.0.11"))
        err = expect_error(resp, 500, C.FAIL_EXISTS_NODE, op=C.MASK_CRT, obj=C.MASK_NODE, what="node romulus again")
        assert err.ret_code == NODE_EXISTS_WIRE, f"{err.ret_code} != {NODE_EXISTS_WIRE} (signed int64 on the wire)"
        replies = lin.node_create("ROMULUS", "Satellite", "127.0.0.31")  # names are case-insensitive
        assert_error(replies, C.FAIL_EXISTS_NODE, op=C.MASK_CRT, obj=C.MASK_NODE, what="ROMULUS")

        for name in ("LocalData", "localdata"):
            replies = lin.resource_dfn_create(name)
            assert_error(replies, C.FAIL_EXISTS_RSC_DFN, op=C.MASK_CRT, obj=C.MASK_RSC_DFN, what=f"rd {name}")

        replies = lin.volume_dfn_create("LocalData", 1024, volume_nr=0)
        assert_error(replies, C.FAIL_EXISTS_VLM_DFN, op=C.MASK_CRT, obj=C.MASK_VLM_DFN, what="vd 0 again")

        replies = lin.storage_pool_create("vulcan", "thinpool", "LVM_THIN", "drbdpool/thinpool")
        assert_error(replies, C.FAIL_EXISTS_STOR_POOL, op=C.MASK_CRT, obj=C.MASK_STOR_POOL, what="pool again")

        replies = lin.netinterface_create("vulcan", "drbd", "127.0.1.13")
        assert_error(replies, C.FAIL_EXISTS_NET_IF, op=C.MASK_CRT, obj=C.MASK_NET_IF, what="netif again")

        resp = rest.post("/v1/resource-definitions/LocalData/resources",
                         [{"resource": {"node_name": "vulcan", "props": {"StorPoolName": "thinpool"}}}])
        expect_error(resp, 500, C.FAIL_EXISTS_RSC, op=C.MASK_CRT, obj=C.MASK_RSC, what="resource again")

        replies = lin.resource_group_create("DfltRscGrp")
        assert_error(replies, C.FAIL_EXISTS_RSC_GRP, op=C.MASK_CRT, obj=C.MASK_RSC_GRP, what="DfltRscGrp again")


# ---------------------------------------------------------------------------
# sizes

@pytest.mark.parametrize("size", [-1, 0, -(2 ** 63)])
def test_invalid_volume_sizes(cluster, rest, size):
    with unchanged(rest):
        resp = rest.post("/v1/resource-definitions/LocalData/volume-definitions",
                         {"volume_definition": {"size_kib": size, "volume_number": 9}})
        expect_error(resp, 500, C.FAIL_INVLD_VLM_SIZE, op=C.MASK_CRT, obj=C.MASK_VLM_DFN, what=f"size {size}")


@pytest.mark.parametrize("size", [2 ** 63, 2 ** 64, 10 ** 30])
def test_sizes_beyond_int64(cluster, rest, size):
    with unchanged(rest):
        resp = rest.request("POST", "/v1/resource-definitions/LocalData/volume-definitions",
                            raw='{"volume_definition": {"size_kib": %d, "volume_number": 9}}' % size)
        assert resp.status in (400, 500), resp
        assert any(e.is_error() for e in entries(resp)), resp
        if resp.status == 400:
            expect_parse_error(resp, f"size {size}")


@pytest.mark.parametrize("size", [2 ** 40 + 1, 2 ** 62, 2 ** 63 - 1])
def test_absurd_drbd_sizes(cluster, rest, size):
    """DRBD volumes are limited to 2^40 KiB (MetaData.DRBD_MAX_kiB).  LINSTOR checks it when the
    first DRBD volume is created (VolumeDefinition.recheckVolumeSize); refusing it already at
    volume-definition create is fine too.  Either way nothing may be deployed."""
    lin = cluster
    create_rd(lin, "HugeData", ["drbd", "storage"], size_kib=None)
    replies = lin.volume_dfn_create("HugeData", size)
    if any(r.is_error() for r in replies):
        assert_error(replies, C.FAIL_INVLD_VLM_SIZE, op=C.MASK_CRT, what=f"vd {size}")
        assert not rsc_dfns(lin)["HugeData"].get("volume_definitions")
        return
    with unchanged(rest):
        resp = rest.post("/v1/resource-definitions/HugeData/resources",
                         [{"resource": {"node_name": "remus", "props": {"StorPoolName": "thinpool"}}}])
        expect_error(resp, 500, C.FAIL_INVLD_VLM_SIZE, what=f"resource with a {size} KiB DRBD volume")


# ---------------------------------------------------------------------------
# transport-level abuse

def _read_http_response(sock: socket.socket, timeout: float) -> bytes:
    sock.settimeout(timeout)
    chunks = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            data = sock.recv(65536)
        except socket.timeout:
            break
        except ConnectionResetError:
            break
        if not data:
            break
        chunks.append(data)
        blob = b"".join(chunks)
        head, sep, body = blob.partition(b"\r\n\r\n")
        if sep:
            length = None
            for line in head.split(b"\r\n")[1:]:
                k, _, v = line.partition(b":")
                if k.strip().lower() == b"content-length":
                    length = int(v.strip())
            if length is not None and len(body) >= length:
                break
    return b"".join(chunks)


def test_100mb_body_is_refused(cluster, rest, controller):
    total = 100 * 1024 * 1024
    prefix = b'{"resource_definition": {"name": "HugeBody", "props": {"Aux/big": "'
    suffix = b'"}}}'
    filler = total - len(prefix) - len(suffix)
    chunk = b"x" * (1024 * 1024)
    with unchanged(rest):
        sock = socket.create_connection(("127.0.0.1", controller.port), timeout=10)
        sent = 0
        try:
            sock.sendall(
                b"POST /v1/resource-definitions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/json\r\nConnection: close\r\n"
                + f"Content-Length: {total}\r\n\r\n".encode()
            )
            early = False
            try:
                sock.sendall(prefix)
                while sent < filler:
                    r, _, _ = select.select([sock], [], [], 0)
                    if r:
                        early = True  # the server answered before reading everything
                        break
                    n = min(len(chunk), filler - sent)
                    sock.sendall(chunk[:n])
                    sent += n
                if not early:
                    sock.sendall(suffix)
            except (BrokenPipeError, ConnectionResetError, socket.timeout):
                pass  # the server stopped reading or closed: look for its answer
            raw = _read_http_response(sock, timeout=60)
        finally:
            sock.close()
        assert raw.startswith(b"HTTP/1."), (
            f"no HTTP response to a 100 MB body (sent {sent} filler bytes): {raw[:200]!r}")
        status = int(raw.split(b" ", 2)[1])
        assert 400 <= status < 500, f"100 MB body: expected a 4xx status, got {raw[:300]!r}"
        head, _, body = raw.partition(b"\r\n\r\n")
        if b"application/json" in head.lower() and body.strip():
            problems = openapi.validate("POST", "/v1/resource-definitions", status, json.loads(body))
            assert not problems, problems
    assert "HugeBody" not in rsc_dfns(cluster)


def test_garbage_bytes_do_not_hurt(cluster, rest, controller):
    payloads = [
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(256)),  # a TLS hello on the plain port
        b"GARBAGE / HTTP/9.9\r\n\r\n",
        b"POST /v1/nodes HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{",  # truncated body, then close
        b"GET /v1/nodes HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
    ]
    with unchanged(rest):
        for payload in payloads:
            sock = socket.create_connection(("127.0.0.1", controller.port), timeout=10)
            try:
                try:
                    sock.sendall(payload)
                    sock.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                _read_http_response(sock, timeout=5)
            finally:
                sock.close()
            assert rest.alive(), f"controller died after {payload[:40]!r}"


def test_errors_come_as_json_lists_for_python_linstor(cluster):
    """python-linstor's _handle_response_error only parses application/json error bodies as lists."""
    lin = cluster
    replies = lin.resource_dfn_create("LocalData")
    assert replies and all(isinstance(r, ApiCallResponse) for r in replies), describe(replies)
    assert replies[0].is_error()
    assert replies[0].message
    assert_ok(lin.resource_dfn_create("StillWorks"), "a good request after the bad one")
