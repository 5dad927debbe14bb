"""LINSTOR's key-value store: python-linstor's ``linstor.KV`` unmodified, and the raw REST calls.

What LINSTOR does (linstor-server ``api/rest/v1/KeyValueStore.java``, ``CtrlKvsApiCallHandler``,
``propscon/PropsContainer``) and these tests hold Depot to:
- ``PUT /v1/key-value-store/{instance}`` creates the instance with its first property and removes it
  with its last; success is ``MASK_CTRL_CONF | MASK_MOD | MODIFIED`` whatever happened;
- keys are free-form paths: ``/ns//key/`` is stored as ``ns/key``; a key longer than 256 is
  ``FAIL_INVLD_PROP`` (500) and changes nothing;
- a number or boolean sent as a value is stored as its text (Jackson's coercion);
- an invalid instance name is ``FAIL_INVLD_KVS_NAME`` (500, no op/object masks) on PUT and DELETE;
- ``GET .../{instance}`` of an unknown instance is 404 ``FAIL_NOT_FOUND_KVS``; ``DELETE`` of one is
  ``WARN_NOT_FOUND`` (200); a delete answers bare ``DELETED``.

Every response is validated against the OpenAPI file by the recorder.
"""

from __future__ import annotations

from urllib.parse import quote

import linstor
import linstor.sharedconsts as C

from compat_helpers import assert_error, assert_has_rc, assert_ok, signed64
from compat_infra import RestClient, connect_linstor

MODIFIED = C.MASK_CTRL_CONF | C.MASK_MOD | C.MODIFIED


def kv_props(rest: RestClient, name: str) -> dict[str, str] | None:
    """The instance's properties as GET /v1/key-value-store lists them; None when it is not listed."""
    resp = rest.get("/v1/key-value-store")
    assert resp.status == 200, resp
    found = [kv for kv in resp.json if kv["name"] == name]
    return found[0].get("props", {}) if found else None


def test_python_linstor_kv_round_trip_survives_restart(controller_factory, linstor_recording):
    proc = controller_factory.start()
    kv = linstor.KV("myKV", uri=proc.linstor_url)
    kv["volume"] = "vol-1"
    kv["foo/bar"] = "x"
    kv.namespace = "/drivers/cinder/"
    kv["size"] = "1024"
    kv["deep/er"] = "y"
    assert sorted(kv.items()) == [("deep/er", "y"), ("size", "1024")]
    assert kv["size"] == "1024" and "volume" not in kv
    kv.namespace = "/"
    assert kv["drivers/cinder/size"] == "1024"
    del kv["volume"]
    assert kv.pop("foo/bar") == "x"

    rest = RestClient("127.0.0.1", proc.port, linstor_recording)
    # KV sends '/drivers/cinder/size'; LINSTOR stores it without the leading '/'.
    assert kv_props(rest, "myKV") == {"drivers/cinder/size": "1024", "drivers/cinder/deep/er": "y"}

    assert proc.terminate() == 0, proc.stderr_tail()
    proc2 = controller_factory.start(data_dir=proc.data_dir)
    again = linstor.KV("myKV", namespace="/drivers/cinder", uri=proc2.linstor_url)
    assert dict(again.items()) == {"size": "1024", "deep/er": "y"}
    again["size"] = "2048"
    again.clear()  # the namespace's keys, in one call
    rest2 = RestClient("127.0.0.1", proc2.port, linstor_recording)
    # The last key went, and the instance with it.
    assert kv_props(rest2, "myKV") is None
    assert rest2.get("/v1/key-value-store/myKV").status == 404
    assert dict(linstor.KV("myKV", uri=proc2.linstor_url).items()) == {}


def test_keyvaluestore_calls_of_python_linstor(lin, rest):
    replies = lin.keyvaluestore_modify("drv", property_dict={"a": "1", "ns/b": "2", "DrbdOptions/NotAnOption": "free"})
    assert_has_rc(replies, MODIFIED, "kv modify")
    assert len(replies) == 1 and replies[0].is_success()
    assert lin.keyvaluestores().instances() == ["drv"]
    assert lin.keyvaluestore_list("drv").properties == {"a": "1", "ns/b": "2", "DrbdOptions/NotAnOption": "free"}
    # The name is case-insensitive and keeps the spelling it was created with.
    assert_ok(lin.keyvaluestore_modify("DRV", property_dict={"c": "3"}, delete_props=["a"]), "kv modify DRV")
    assert rest.get("/v1/key-value-store/DRV").json == [{"name": "drv", "props": {"c": "3", "ns/b": "2", "DrbdOptions/NotAnOption": "free"}}]
    # A namespace goes with every key below it, not a key of its own name.
    resp = rest.put("/v1/key-value-store/drv", {"override_props": {"ns": "own"}, "delete_namespaces": ["/ns/"]})
    assert resp.status == 200, resp
    assert kv_props(rest, "drv") == {"c": "3", "ns": "own", "DrbdOptions/NotAnOption": "free"}


def test_numbers_and_booleans_are_stored_as_their_text(rest):
    resp = rest.put("/v1/key-value-store/drv", raw='{"override_props": {"size": 1024, "ratio": 1.50, "exp": 1e3, "on": true, "off": false}}')
    assert resp.status == 200, resp
    assert [e["ret_code"] for e in resp.json] == [MODIFIED]
    # As Jackson: a number's literal text ("1.50", "1e3").
    assert kv_props(rest, "drv") == {"size": "1024", "ratio": "1.50", "exp": "1e3", "on": "true", "off": "false"}
    resp = rest.put("/v1/key-value-store/drv", raw='{"delete_props": [1024, "size"]}')
    assert resp.status == 200, resp
    assert "size" not in kv_props(rest, "drv")


def test_bad_names_and_keys_change_nothing(lin, rest):
    assert_ok(lin.keyvaluestore_modify("drv", property_dict={"keep": "1"}), "kv modify")
    before = rest.get("/v1/key-value-store").json
    for bad in ["bad name", "1kv", "x", "a" * 49, "kv;rm"]:
        resp = rest.put(f"/v1/key-value-store/{quote(bad, safe='')}", {"override_props": {"k": "v"}})
        assert resp.status == 500, (bad, resp)
        assert [e["ret_code"] for e in resp.json] == [signed64(C.FAIL_INVLD_KVS_NAME)], (bad, resp)
        assert bad in resp.json[0]["message"]
    assert_error(lin.keyvaluestore_modify("bad name", property_dict={"k": "v"}), C.FAIL_INVLD_KVS_NAME, what="python-linstor")
    resp = rest.delete("/v1/key-value-store/bad%20name")
    assert resp.status == 500 and resp.json[0]["ret_code"] == signed64(C.FAIL_INVLD_KVS_NAME), resp
    # A key too long for LINSTOR's property paths, and a null value: refused whole.
    resp = rest.put("/v1/key-value-store/drv", {"override_props": {"new": "1", "k" * 257: "v"}, "delete_props": ["keep"]})
    assert resp.status == 500 and resp.json[0]["ret_code"] == signed64(C.FAIL_INVLD_PROP), resp
    resp = rest.put("/v1/key-value-store/drv", {"override_props": {"new": None}})
    assert resp.status == 500 and resp.json[0]["ret_code"] == signed64(C.FAIL_INVLD_PROP), resp
    resp = rest.put("/v1/key-value-store/drv", {"override_props": {"new": "1"}, "unknown": True})
    assert resp.status == 400 and resp.json[0]["ret_code"] == signed64(C.API_CALL_PARSE_ERROR), resp
    assert rest.get("/v1/key-value-store").json == before


def test_get_and_delete_of_unknown_instances(lin, rest):
    resp = rest.get("/v1/key-value-store/ghost")
    assert resp.status == 404, resp
    assert [e["ret_code"] for e in resp.json] == [signed64(C.FAIL_NOT_FOUND_KVS)]
    # GET does not validate the name: an impossible one is simply not found.
    assert rest.get("/v1/key-value-store/x").status == 404
    resp = rest.delete("/v1/key-value-store/ghost")
    assert resp.status == 200 and [e["ret_code"] for e in resp.json] == [signed64(C.WARN_NOT_FOUND)], resp
    assert_ok(lin.keyvaluestore_modify("drv", property_dict={"k": "v"}), "kv modify")
    resp = rest.delete("/v1/key-value-store/DRV")
    assert resp.status == 200 and [e["ret_code"] for e in resp.json] == [C.DELETED], resp
    assert rest.get("/v1/key-value-store").json == []
    assert lin.keyvaluestore_list("drv").properties == {}


def test_an_acknowledged_change_survives_a_kill(controller_factory, linstor_recording):
    proc = controller_factory.start()
    lin = connect_linstor(proc)
    assert_ok(lin.keyvaluestore_modify("drv", property_dict={"k": "v"}), "kv modify")
    lin.disconnect()
    proc.kill()
    controller_factory.expected_exit[proc.index] = None
    proc2 = controller_factory.start(data_dir=proc.data_dir)
    assert kv_props(RestClient("127.0.0.1", proc2.port, linstor_recording), "drv") == {"k": "v"}
