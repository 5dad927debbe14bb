"""Tables, `-m` JSON, reply blocks and exit codes, as `linstor` prints them."""

from __future__ import annotations

from .cli_support import ARTICLE_NODES

RED = "\x1b[1;31m"
GREEN = "\x1b[1;32m"
RESET = "\x1b[0m"

NODE_TABLE = """\
+---------------------------------------------------------+
| Node    | NodeType  | Addresses               | State   |
|=========================================================|
| kronos  | SATELLITE | 127.0.0.14:3366 (PLAIN) | OFFLINE |
| remus   | SATELLITE | 127.0.0.12:3366 (PLAIN) | OFFLINE |
| romulus | COMBINED  | 127.0.0.11:3366 (PLAIN) | OFFLINE |
| vulcan  | SATELLITE | 127.0.0.13:3366 (PLAIN) | OFFLINE |
+---------------------------------------------------------+
"""

POOL_TABLE = """\
+----------------------------------------------------------------------------------------------------------------------------------------------------+
| StoragePool          | Node    | Driver   | PoolName          | FreeCapacity | TotalCapacity | CanSnapshots | State | SharedName                   |
|====================================================================================================================================================|
| DfltDisklessStorPool | romulus | DISKLESS |                   |              |               | False        | Ok    | romulus;DfltDisklessStorPool |
| thinpool             | romulus | LVM_THIN | drbdpool/thinpool |              |               | True         | Ok    | romulus;thinpool             |
+----------------------------------------------------------------------------------------------------------------------------------------------------+
"""

VD_TABLE = """\
+--------------------------------------------------------------------+
| ResourceName | VolumeNr | VolumeMinor | Size       | Gross | State |
|====================================================================|
| LocalData    | 0        |             | 150 MiB    |       | ok    |
| SharedData   | 0        | 1000        | 146.48 MiB |       | ok    |
+--------------------------------------------------------------------+
"""


def make_nodes(depot):
    for line in ARTICLE_NODES:
        depot.ok(line)


def test_node_list_table_ascii_and_colors(depot):
    make_nodes(depot)
    assert depot.ok("--no-color node list").out == NODE_TABLE
    colored = depot.ok("node list").out
    # LINSTOR colours OFFLINE red even when stdout is not a terminal.
    assert f"| {RED}OFFLINE{RESET} |" in colored
    assert colored.replace(RED, "").replace(RESET, "") == NODE_TABLE
    assert depot.ok("n l -p").out == NODE_TABLE


def test_utf8_frames_and_groupby(depot):
    make_nodes(depot)
    table = depot.ok("--no-color n l").out
    # Non-terminal stdout means ASCII frames, as --no-utf8.
    assert table.startswith("+---")
    grouped = depot.ok("--no-color n l -g nodetype").out.splitlines()
    rows = [line.split("|")[1].strip() for line in grouped[3:-1] if not line.startswith("|-")]
    assert rows == ["romulus", "kronos", "remus", "vulcan"]


def test_storage_pool_and_volume_definition_tables(depot):
    depot.ok("node create --node-type Combined romulus 127.0.0.11")
    depot.ok("storage-pool create lvmthin romulus thinpool drbdpool/thinpool")
    assert depot.ok("--no-color sp l").out == POOL_TABLE
    depot.ok("rd c -l storage LocalData")
    depot.ok("vd c LocalData 150m")
    depot.ok("rd c -l drbd,storage SharedData")
    depot.ok("vd c SharedData 150000K")
    assert depot.ok("--no-color vd l").out == VD_TABLE


def test_machine_readable_shapes(depot, depot_controller):
    make_nodes(depot)
    nodes = depot.ok("-m n l").json()
    assert isinstance(nodes, list) and len(nodes) == 1 and isinstance(nodes[0], list)
    replies = depot.ok("-m node create extra 127.0.0.20").json()
    assert isinstance(replies, list) and replies[0]["ret_code"] > 0
    assert "obj_refs" in replies[0] or "message" in replies[0]
    v0 = depot.ok("--output-version v0 -m node create extra2 127.0.0.21").json()
    assert all("obj_refs" not in reply for reply in v0)
    # Quirk kept from linstor: with -m, an API error still exits 0.
    failed = depot.line("-m node create extra 127.0.0.20")
    assert failed.code == 0 and failed.json()[0]["ret_code"] < 0
    props = depot.ok("-m node list-properties romulus").json()
    assert props == [[{"key": k, "value": v} for k, v in depot_controller.rest("/v1/nodes/romulus")["props"].items()]] or \
        sorted(props[0], key=lambda p: p["key"]) == sorted(
            ({"key": k, "value": v} for k, v in depot_controller.rest("/v1/nodes/romulus")["props"].items()), key=lambda p: p["key"])


def test_reply_blocks_and_exit_codes(depot):
    make_nodes(depot)
    created = depot.ok("--no-color resource-definition create res1")
    lines = created.out.splitlines()
    assert lines[0] == "SUCCESS:" and lines[1] == "Description:"
    assert lines[2] == "    New resource definition 'res1' created."
    assert lines[3] == "Details:"
    duplicate = depot.line("--no-color resource-definition create res1")
    assert duplicate.code == 10
    assert duplicate.out.startswith("ERROR:\n")
    assert "    A resource definition with the name 'res1' already exists." in duplicate.out
    colored = depot.line("resource-definition create res1")
    assert colored.out.startswith(f"{RED}ERROR:\n{RESET}")
    missing = depot.line("--no-color node delete nosuch")
    assert missing.code in (0, 10)
    assert missing.out.split("\n")[0] in ("WARNING:", "ERROR:")
    warned = depot.line("--warn-as-error --no-color node delete nosuch")
    if "WARNING:" in missing.out:
        assert warned.code == 10
    not_found = depot.line("node list-properties nosuch")
    assert not_found.code == 3 and "Node 'nosuch' not found on controller." in not_found.err


def test_usage_errors_exit_2(depot):
    bad = depot.line("node create")
    assert bad.code == 2
    assert bad.err.startswith("usage: depot node create")
    assert "depot node create: error: too few arguments" in bad.err
    assert depot.line("resource create SharedData").code == 2  # no node and no --auto-place
    assert "Node name missing" in depot.line("resource create SharedData").err
    choice = depot.line("node create --node-type blah x 127.0.0.30")
    assert choice.code == 2 and "invalid choice: 'blah'" in choice.err
    assert depot.line("nosuchcommand").code == 2
    assert depot.line("node frobnicate").code == 2


def test_help_pages(depot_offline):
    top = depot_offline("--help")
    assert top.code == 0 and top.out.startswith("usage: depot")
    for group in ["node (n)", "resource-definition (rd)", "volume-definition (vd)", "storage-pool (sp)", "snapshot (s)"]:
        assert group in top.out
    node = depot_offline("node", "--help")
    assert node.code == 0 and " - create (c)" in node.out and " - interface (i)" in node.out
    create = depot_offline("node", "create", "--help")
    assert create.code == 0
    assert create.out.startswith("usage: depot node create [-h] [-p PORT]")
    assert "--node-type {controller,auxiliary,combined,satellite}" in create.out
    assert "positional arguments:" in create.out and "  ip " in create.out
    assert depot_offline("help", "node", "create").out == create.out
    listing = depot_offline("list-commands")
    assert "- node (n)" in listing.out and "- resource-definition (rd)" in listing.out


def test_version_and_controller_version(depot):
    assert depot.ok("--version").out.startswith("depot ")
    version = depot.ok("controller version").out
    assert version.startswith("linstor controller ") and "; GIT-hash: " in version
    machine = depot.ok("-m c v").json()
    assert "rest_api_version" in machine
