"""`depot key-value-store` (`kv`) against a real controller: list, show and modify as LINSTOR's
client prints them, and the REST state behind them."""

from __future__ import annotations

LIST_TABLE = """\
+-------+
| Name  |
|=======|
| drv   |
| other |
+-------+
"""

SHOW_TABLE = """\
+--------------------------+
| Key              | Value |
|==========================|
| volumes/vol1     | 1024  |
| volumes/vol2/tag | blue  |
+--------------------------+
"""

EMPTY_SHOW = """\
+-------------+
| Key | Value |
|=============|
+-------------+
"""


def test_modify_show_and_list(depot, depot_controller):
    depot.ok("key-value-store modify drv /volumes/vol1 1024")
    depot.ok("kv m drv volumes/vol2/tag blue")
    depot.ok("kv modify other k v")
    assert depot_controller.rest("/v1/key-value-store/drv") == [
        {"name": "drv", "props": {"volumes/vol1": "1024", "volumes/vol2/tag": "blue"}}
    ]
    assert depot.ok("--no-color kv list").out == LIST_TABLE
    assert depot.ok("kv l -p").out == LIST_TABLE
    assert depot.ok("--no-color kv show drv").out == SHOW_TABLE
    # Names are case-insensitive; an instance without properties shows an empty table.
    assert depot.ok("--no-color kv s DRV").out == SHOW_TABLE
    assert depot.ok("--no-color kv s nothing").out == EMPTY_SHOW


def test_machine_readable_output(depot):
    depot.ok("kv m drv a 1")
    replies = depot.ok("-m kv m drv b 2").json()
    assert [r["ret_code"] for r in replies] == [0x2100003]
    assert depot.ok("-m kv l").json() == [[{"name": "drv", "props": {"a": "1", "b": "2"}}]]
    assert depot.ok("-m kv s drv").json() == [[{"key": "a", "value": "1"}, {"key": "b", "value": "2"}]]
    assert depot.ok("-m kv s nothing").json() == [[]]


def test_missing_value_deletes_and_the_last_key_removes_the_instance(depot, depot_controller):
    depot.ok("kv m drv a 1")
    depot.ok("kv m drv b 2")
    depot.ok("kv m drv a")
    assert depot_controller.rest("/v1/key-value-store") == [{"name": "drv", "props": {"b": "2"}}]
    removed = depot.ok("--no-color kv m drv b")
    assert "SUCCESS" in removed.out and "no properties left" in removed.out, removed
    assert depot_controller.rest("/v1/key-value-store") == []


def test_bad_instance_name_is_refused_and_changes_nothing(depot, depot_controller):
    depot.ok("kv m drv a 1")
    refused = depot("--no-color", "kv", "m", "bad name", "k", "v")
    assert refused.code != 0, refused
    assert "ERROR" in refused.out and "'bad name' is invalid" in refused.out, refused
    assert depot_controller.rest("/v1/key-value-store") == [{"name": "drv", "props": {"a": "1"}}]
