"""The property catalogue over REST: the 13 ``GET …/properties/info`` calls, and keys from it set
through python-linstor and the spawn call.

Every response is validated against the OpenAPI file by the recorder (``PropsInfo`` maps); the
tests add what the schema cannot say: which keys each object lists, LINSTOR's ``prop_type`` words,
and that a key the listing shows is accepted with a valid value and refused with an invalid one.
"""

from __future__ import annotations

import pytest

import linstor.sharedconsts as C

from compat_helpers import assert_error, assert_ok, create_rd

# (path, a key the object takes, a key it does not take)
KINDS = [
    ("/v1/controller/properties/info", "BalanceResourcesInterval", "DrbdCurrentGi"),
    ("/v1/nodes/properties/info", "CopyAllSnapsOnEvacuate", "DrbdOptions/ExactSize"),
    ("/v1/storage-pool-definitions/properties/info", "MaxOversubscriptionRatio", "DrbdOptions/ExactSize"),
    ("/v1/nodes/vulcan/storage-pools/properties/info", "StorDriver/LvcreateType", "DrbdOptions/ExactSize"),
    ("/v1/resource-groups/properties/info", "DrbdOptions/ExactSize", "CopyAllSnapsOnEvacuate"),
    ("/v1/resource-groups/pve/volume-groups/properties/info", "Writecache/Options/Fua", "DrbdOptions/ExactSize"),
    ("/v1/resource-definitions/properties/info", "DrbdOptions/ExactSize", "CopyAllSnapsOnEvacuate"),
    ("/v1/resource-definitions/vm/volume-definitions/properties/info", "DrbdCurrentGi", "DrbdOptions/ExactSize"),
    ("/v1/resource-definitions/vm/resources/properties/info", "FileSystem/User", "DrbdOptions/ExactSize"),
    ("/v1/resource-definitions/vm/resources/vulcan/volumes/properties/info", "sys/fs/blkio_throttle_read", "DrbdOptions/ExactSize"),
    ("/v1/resource-definitions/vm/resource-connections/properties/info", "DrbdOptions/Net/protocol", "DrbdOptions/ExactSize"),
]


@pytest.mark.parametrize("path,listed,unlisted", KINDS)
def test_each_kind_lists_its_keys(rest, path, listed, unlisted):
    resp = rest.get(path)
    assert resp.status == 200, resp.text
    info = resp.json
    assert listed in info and unlisted not in info
    assert all(entry.get("prop_type") for entry in info.values())
    assert not any(key.startswith("Aux/") for key in info)


def test_linstors_type_words_and_omitted_empties(rest):
    info = rest.get("/v1/resource-definitions/properties/info").json
    assert info["DrbdOptions/PeerDevice/c-plan-ahead"] == {
        "prop_type": "range", "value": "(0 - 300)", "dflt": "20", "unit": "1/10 seconds",
    }
    assert info["DrbdOptions/Net/protocol"] == {"prop_type": "regex", "value": "(?:A|B|C)"}
    assert info["DrbdOptions/ExactSize"]["prop_type"] == "boolean_true_false"
    assert info["DrbdOptions/Resource/quorum"]["prop_type"] == "numeric_or_symbol"
    assert "value" not in rest.get("/v1/controller/properties/info").json["BalanceResourcesInterval"]


def test_all_kinds_at_once_and_drbd_proxy(rest):
    every = rest.get("/v1/controller/properties/info/all").json
    assert {"CTRL", "NODE", "RSC_DFN", "RSC_GRP", "VLM_DFN", "RSC", "VLM", "RSC_CONN", "NODE_CONN"} <= set(every)
    assert every["RSC_DFN"] == rest.get("/v1/resource-definitions/properties/info").json
    proxy = rest.get("/v1/resource-definitions/vm/drbd-proxy/properties/info").json
    assert set(proxy) == {"DRBD_PROXY", "DRBD_PROXY_LZMA", "DRBD_PROXY_LZ4", "DRBD_PROXY_ZLIB", "DRBD_PROXY_ZSTD"}
    assert proxy["DRBD_PROXY_LZ4"] == {}


def test_listed_keys_are_accepted_and_bad_values_refused(lin, rest):
    assert "BalanceResourcesInterval" in rest.get("/v1/controller/properties/info").json
    assert_ok(lin.controller_set_prop("BalanceResourcesInterval", "600"), "controller sp")
    assert lin.controller_props()[0].properties["BalanceResourcesInterval"] == "600"
    assert_error(lin.controller_set_prop("BalanceResourcesInterval", "soon"), C.FAIL_INVLD_PROP, what="bad long")

    create_rd(lin, "vm-100-disk-0", ["drbd", "storage"], size_kib=None)
    assert_ok(lin.resource_dfn_modify("vm-100-disk-0", {"DrbdOptions/ExactSize": "yes"}), "rd sp ExactSize")
    assert_error(lin.resource_dfn_modify("vm-100-disk-0", {"DrbdOptions/ExactSize": "maybe"}), C.FAIL_INVLD_PROP,
                 what="bad boolean")
    replies = lin.resource_dfn_modify("vm-100-disk-0", {"DrbdOptions/ExactSiz": "yes"})
    refusal = assert_error(replies, C.FAIL_INVLD_PROP, what="unknown key")
    assert "DrbdOptions/ExactSize" in (refusal.correction or "")


def test_spawn_takes_catalogue_keys_for_the_definition(lin, rest):
    assert_ok(lin.resource_group_create("pve"), "rg create")
    assert_ok(lin.volume_group_create("pve"), "vg create")
    body = {"resource_definition_name": "vm-101-disk-0", "volume_sizes": [10240], "definitions_only": True,
            "resource_definition_props": {"DrbdOptions/ExactSize": "yes"}}
    resp = rest.post("/v1/resource-groups/pve/spawn", body)
    assert resp.status in (200, 201), resp.text
    props = rest.get("/v1/resource-definitions/vm-101-disk-0").json["props"]
    assert props["DrbdOptions/ExactSize"] == "true"  # LINSTOR stores true-or-false keys as true/false
