"""`depot` placement commands: `rg query-size-info`, `rg query-max-volume-size`, `--dry-run` on
`r c --auto-place` / `rd ap` / `rg spawn`, `node evacuate` and `node lost`.

These check what the client sends and how it prints what it gets, so they run against a canned
controller (a small HTTP server in this file, on 127.0.0.1) that records each request and answers
fixed JSON in LINSTOR's shapes. What the real controller decides is tested in
tests/satellite/test_placement.py.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from .cli_support import DepotRunner

VERSION = {"version": "1.33.0", "git_hash": "canned", "build_time": "2025-01-01T00:00:00+00:00",
           "rest_api_version": "1.25.0"}
MASK_ERROR = -(1 << 62)  # 0xC000000000000000 as a signed 64-bit value
MASK_INFO = 0x4000000000000000
FAIL_NOT_FOUND_RSC_GRP = 1069 | MASK_ERROR  # the code matters less than the error bits


class CannedController:
    """Answers (method, path) with fixed JSON and keeps every request it saw."""

    def __init__(self):
        self.answers: dict[tuple[str, str], tuple[int, object]] = {("GET", "/v1/controller/version"): (200, VERSION)}
        self.requests: list[tuple[str, str, object]] = []
        canned = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep pytest output clean
                pass

            def handle_one(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                path = self.path.split("?", 1)[0]
                if path != "/v1/controller/version":
                    canned.requests.append((self.command, path, json.loads(raw) if raw else None))
                status, body = canned.answers.get((self.command, path), (200, []))
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_OPTIONS = handle_one

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.server.server_address[1]}"

    def answer(self, method: str, path: str, body, status: int = 200) -> None:
        self.answers[(method, path)] = (status, body)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def canned():
    controller = CannedController()
    yield controller
    controller.close()


@pytest.fixture
def depot(depot_bin, workdir, canned) -> DepotRunner:
    runner = DepotRunner(depot_bin, workdir / "home", None)
    original = runner.env

    def env(extra=None):
        values = original(extra)
        values["LS_CONTROLLERS"] = canned.address
        return values

    runner.env = env
    return runner


def reply(message: str, ret_code: int, **extra) -> dict:
    return {"ret_code": ret_code, "message": message, **extra}


SPACE_INFO = {
    "space_info": {
        "max_vlm_size_in_kib": 10486784,  # 10 GiB + 1 MiB: not whole, two decimals
        "available_size_in_kib": 20971520,  # whole GiB: no decimals
        "capacity_in_kib": 157286400,
        "next_spawn_result": [
            {"node_name": "alpha", "stor_pool_name": "thinpool", "stor_pool_oversubscription_ratio": 20.0},
            {"node_name": "bravo", "stor_pool_name": "thinpool", "stor_pool_oversubscription_ratio": 20.0},
        ],
    }
}

QSI_TABLE = """\
+--------------------------------------------------------------+
| MaxVolumeSize | AvailableSize | Capacity | Next Spawn Result |
|==============================================================|
|     10.00 GiB |        20 GiB |  150 GiB | thinpool on alpha |
|               |               |          | thinpool on bravo |
+--------------------------------------------------------------+
"""


def test_query_size_info_sends_the_selector_and_prints_the_table(depot, canned):
    canned.answer("POST", "/v1/resource-groups/grp/query-size-info", SPACE_INFO)
    result = depot("--no-color", "rg", "qsi", "grp", "--place-count", "2", "-s", "thinpool",
                   "--replicas-on-different", "site", "--prov", "FILE_THIN")
    assert result.code == 0, result
    assert result.out == QSI_TABLE
    assert canned.requests == [("POST", "/v1/resource-groups/grp/query-size-info", {"select_filter": {
        "place_count": 2, "storage_pool_list": ["thinpool"], "replicas_on_different": ["Aux/site"],
        "provider_list": ["FILE_THIN"]}})]
    # The long name and no options: an empty filter, still wrapped in select_filter.
    assert depot("--no-color", "resource-group", "query-size-info", "grp").out == QSI_TABLE
    assert canned.requests[-1][2] == {"select_filter": {}}


def test_query_size_info_with_no_placement_shows_a_dash(depot, canned):
    canned.answer("POST", "/v1/resource-groups/grp/query-size-info", {"space_info": {
        "max_vlm_size_in_kib": 0, "available_size_in_kib": 0, "capacity_in_kib": 1024, "next_spawn_result": []}})
    result = depot("--no-color", "rg", "qsi", "grp")
    assert result.code == 0, result
    assert result.out.splitlines()[3] == "|         0 KiB |         0 KiB |    1 MiB | -                 |"


def test_query_size_info_machine_readable_is_the_answer_object(depot, canned):
    canned.answer("POST", "/v1/resource-groups/grp/query-size-info", SPACE_INFO)
    result = depot("-m", "rg", "qsi", "grp")
    assert result.code == 0, result
    assert result.json() == SPACE_INFO  # the object itself, not a list, as linstor -m prints it
    assert result.out.startswith('{\n  "space_info": {\n    "max_vlm_size_in_kib": 10486784,')


def test_query_size_info_reports_replace_the_table(depot, canned):
    canned.answer("POST", "/v1/resource-groups/grp/query-size-info", {
        **SPACE_INFO, "reports": [reply("Not enough available nodes", 996 | MASK_ERROR, cause="2 needed, 1 fit")]})
    result = depot("--no-color", "rg", "qsi", "grp")
    assert result.code == 10, result
    assert "MaxVolumeSize" not in result.out
    assert result.out == "ERROR:\nDescription:\n    Not enough available nodes\nCause:\n    2 needed, 1 fit\n"


def test_query_size_info_of_a_missing_group_prints_the_error(depot, canned):
    canned.answer("POST", "/v1/resource-groups/nope/query-size-info",
                  [reply("Resource group 'nope' not found.", FAIL_NOT_FOUND_RSC_GRP)], status=404)
    result = depot("--no-color", "rg", "qsi", "nope")
    assert result.code == 10, result
    assert result.out == "ERROR:\n    Resource group 'nope' not found.\n"


MAX_SIZES = {
    "candidates": [
        {"storage_pool": "thinpool", "max_volume_size_kib": 209715200, "all_thin": True,
         "node_names": ["alpha", "bravo", "charlie", "delta", "echo-long-node", "foxtrot"]},
        {"storage_pool": "thickpool", "max_volume_size_kib": 1536000, "all_thin": False, "node_names": ["alpha"]},
        {"storage_pool": "other", "max_volume_size_kib": 102400, "all_thin": True, "node_names": ["bravo", "charlie"]},
    ],
    "default_max_oversubscription_ratio": 20,
}
POOL_DEFINITIONS = [
    {"storage_pool_name": "thinpool", "props": {"MaxOversubscriptionRatio": "5"}},
    {"storage_pool_name": "thickpool", "props": {}},
    {"storage_pool_name": "other"},
]

QMVS_TABLE = """\
+------------------------------------------------------------------------------------------------------------+
| StoragePool | MaxVolumeSize | Provisioning                      | Nodes                                    |
|============================================================================================================|
| thinpool    |       200 GiB | Thin, oversubscription ratio 5.0  | alpha, bravo, charlie, delta, echo-lo... |
| thickpool   |      1.46 GiB | Thick                             | alpha                                    |
| other       |       100 MiB | Thin, oversubscription ratio 20.0 | bravo, charlie                           |
+------------------------------------------------------------------------------------------------------------+
"""


def test_query_max_volume_size_table(depot, canned):
    canned.answer("GET", "/v1/resource-groups/grp/query-max-volume-size", MAX_SIZES)
    canned.answer("GET", "/v1/storage-pool-definitions", POOL_DEFINITIONS)
    result = depot("--no-color", "rg", "qmvs", "grp")
    assert result.code == 0, result
    assert result.out == QMVS_TABLE
    assert [(m, p) for m, p, _ in canned.requests] == [
        ("GET", "/v1/resource-groups/grp/query-max-volume-size"), ("GET", "/v1/storage-pool-definitions")]


def test_query_max_volume_size_machine_readable_is_a_list(depot, canned):
    canned.answer("GET", "/v1/resource-groups/grp/query-max-volume-size", MAX_SIZES)
    result = depot("-m", "resource-group", "query-max-volume-size", "grp")
    assert result.code == 0, result
    assert result.json() == [MAX_SIZES]


def test_query_max_volume_size_error(depot, canned):
    canned.answer("GET", "/v1/resource-groups/nope/query-max-volume-size",
                  [reply("Resource group 'nope' not found.", FAIL_NOT_FOUND_RSC_GRP)], status=404)
    result = depot("--no-color", "rg", "qmvs", "nope")
    assert result.code == 10 and "Resource group 'nope' not found." in result.out, result


DRY_RUN_REPLY = [reply("Dry run: would place 'R' on 2 nodes", MASK_INFO | 1,
                       details="'alpha' (thinpool) score 1.0\n'bravo' (thinpool) score 0.5")]


@pytest.mark.parametrize("words,method,path", [
    (["r", "c", "--auto-place", "2", "--dry-run", "R"], "POST", "/v1/resource-definitions/R/autoplace"),
    (["rd", "ap", "--place-count", "2", "--dry-run", "R"], "POST", "/v1/resource-definitions/R/autoplace"),
    (["rg", "spawn", "--dry-run", "grp", "R", "20M"], "POST", "/v1/resource-groups/grp/spawn"),
])
def test_dry_run_goes_at_the_top_of_the_body_and_replies_print_as_usual(depot, canned, words, method, path):
    canned.answer(method, path, DRY_RUN_REPLY)
    result = depot("--no-color", *words)
    assert result.code == 0, result
    assert result.out == ("INFO:\nDescription:\n    Dry run: would place 'R' on 2 nodes\n"
                          "Details:\n    'alpha' (thinpool) score 1.0\n    'bravo' (thinpool) score 0.5\n")
    [(sent_method, sent_path, body)] = canned.requests
    assert (sent_method, sent_path) == (method, path)
    assert body["dry_run"] is True
    assert "dry_run" not in body["select_filter"]
    # Without the flag the body is LINSTOR's own: no dry_run member at all.
    canned.requests.clear()
    assert depot("--no-color", *[w for w in words if w != "--dry-run"]).code == 0
    assert "dry_run" not in canned.requests[0][2]


def test_dry_run_bodies_keep_the_other_members(depot, canned):
    depot("r", "c", "--auto-place", "3", "-s", "thinpool", "--dry-run", "R")
    assert canned.requests[-1][2] == {"diskless_on_remaining": None,
                                      "select_filter": {"place_count": 3, "storage_pool_list": ["thinpool"]},
                                      "dry_run": True}
    depot("rg", "spawn", "--dry-run", "grp", "R", "20M")
    assert canned.requests[-1][2] == {"resource_definition_name": "R", "volume_sizes": [20480], "partial": False,
                                      "definitions_only": False, "select_filter": {}, "dry_run": True}


def test_dry_run_without_auto_place_is_refused_and_sends_nothing(depot, canned):
    result = depot("r", "c", "--dry-run", "alpha", "R")
    assert result.code == 2, result
    assert "--dry-run" in result.err and "--auto-place" in result.err
    assert canned.requests == []


def test_node_evacuate_and_lost(depot, canned):
    canned.answer("PUT", "/v1/nodes/alpha/evacuate", [reply("Node 'alpha' evacuating", 1)])
    canned.answer("DELETE", "/v1/nodes/alpha/lost", [reply("Node 'alpha' deleted", 1)])
    result = depot("--no-color", "node", "evacuate", "alpha")
    assert result.code == 0 and "Node 'alpha' evacuating" in result.out, result
    # No targets: no body, as python-linstor sends it.
    assert canned.requests[-1] == ("PUT", "/v1/nodes/alpha/evacuate", None)
    assert depot("n", "evac", "alpha", "--target", "bravo", "charlie").code == 0
    assert canned.requests[-1] == ("PUT", "/v1/nodes/alpha/evacuate", {"target": ["bravo", "charlie"]})
    assert depot("n", "evac", "alpha", "--do-not-target", "delta").code == 0
    assert canned.requests[-1] == ("PUT", "/v1/nodes/alpha/evacuate", {"do_not_target": ["delta"]})
    both = depot("n", "evac", "alpha", "--target", "bravo", "--do-not-target", "delta")
    assert both.code == 2 and "not allowed with argument --target" in both.err, both
    assert len(canned.requests) == 3
    result = depot("--no-color", "node", "lost", "alpha")
    assert result.code == 0 and "Node 'alpha' deleted" in result.out, result
    assert canned.requests[-1] == ("DELETE", "/v1/nodes/alpha/lost", None)
    assert depot("n", "lo", "alpha").code == 0
    assert canned.requests[-1] == ("DELETE", "/v1/nodes/alpha/lost", None)
