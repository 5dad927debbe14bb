"""Schemathesis against one real depot-controller, over every LINSTOR call Depot serves.

The OpenAPI description is LINSTOR's file cut down to what Depot serves (``served_api.py``).
Schemathesis generates requests for each operation -- LINSTOR's examples, its coverage phase
(boundary and wrong-typed values) and Hypothesis fuzzing, valid and invalid inputs both -- and
sends them to a controller on 127.0.0.1 with a fresh data directory.  The checks are Depot's
contract, not schemathesis' defaults:

* the controller does not crash: the process is alive after every response and ``GET /health``
  answers 200 after the run; no request goes unanswered within REQUEST_TIMEOUT (a hang);
* a 5xx answer is one of LINSTOR's errors: a JSON list of ApiCallRc objects (``ret_code`` an
  integer, ``message`` a string), at least one of them with the error severity bits.  Depot answers
  LINSTOR's errors with 500 plus an ApiCallRc list by design, so ``not_a_server_error`` is not used.

Response bodies are not validated against the file here (tests with the ``recorder`` fixture do
that, with openapi.py's relaxations).

Bounds: MAX_EXAMPLES fuzzed cases per operation, Hypothesis deadline off, derandomized (the same
cases every run), no example database; every request times out after REQUEST_TIMEOUT seconds;
operations that would start after BUDGET seconds are skipped, saying so.

Network: only 127.0.0.1.  Before a request is sent, any IP literal in its body that is not a
loopback address becomes 127.0.0.1 and every valid ``satellite_port`` becomes a port this test
holds bound and closed, so the controller's satellite dialing (nodes are dialed at their active
interface) only ever meets a refused connection on loopback.  The run starts from a few objects
(nodes n1/n2, pool pool1, group rg1, definition rd1 with a replica on n1, key-value store kv1),
restored before every operation, and path parameters are drawn from those names as well as
generated, so that calls reach past "not found".

Env: DEPOT_SCHEMATHESIS_EXAMPLES (default 20), DEPOT_SCHEMATHESIS_BUDGET seconds (default 300).
Run: flock /tmp/depot-systest.lock python3 -m pytest -q -p no:cacheprovider tests/compat/test_schemathesis.py
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import socket
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed (scripts/install-test-deps.sh)")
import hypothesis  # noqa: E402
import requests  # noqa: E402

from schemathesis.core import NotSet  # noqa: E402

import served_api  # noqa: E402
from compat_infra import ControllerFactory, ControllerProcess, RestClient  # noqa: E402

MAX_EXAMPLES = int(os.environ.get("DEPOT_SCHEMATHESIS_EXAMPLES", "20"))
BUDGET = float(os.environ.get("DEPOT_SCHEMATHESIS_BUDGET", "300"))
REQUEST_TIMEOUT = 15.0

MASK_ERROR = 0xC000000000000000

# Names of the objects seed() makes, offered to the generator for path parameters.
SEEDED_PATH_VALUES: dict[str, list] = {
    "node": ["n1", "n2"],
    "node_a": ["n1", "n2"],
    "node_b": ["n2", "n1"],
    "fromnode": ["n2"],
    "resource": ["rd1"],
    "resource_group": ["rg1"],
    "storagepool": ["pool1"],
    "disklesspool": ["DfltDisklessStorPool"],
    "netinterface": ["default"],
    "volume_number": [0],
    "instance": ["kv1"],
    "snapshot": ["snap1"],
    "resourceClone": ["clone1"],
    "key": ["Aux/seeded"],
}


def _with_seeded_names(spec: dict) -> dict:
    """A generation hint, not part of the description: path parameters may also be seeded names."""
    spec = copy.deepcopy(spec)

    def hint(param: dict) -> None:
        values = SEEDED_PATH_VALUES.get(param.get("name"))
        if param.get("in") == "path" and values and "schema" in param:
            param["schema"] = {"anyOf": [{"enum": values}, param["schema"]]}

    for param in spec.get("components", {}).get("parameters", {}).values():
        hint(param)
    for item in spec["paths"].values():
        for param in item.get("parameters", []):
            if "$ref" not in param:
                hint(param)
        for method in served_api.HTTP_METHODS:
            for param in item.get(method, {}).get("parameters", []):
                if "$ref" not in param:
                    hint(param)
    return spec


CONFIG = schemathesis.Config.from_dict({
    "generation": {
        "mode": "all",
        "max-examples": MAX_EXAMPLES,
        "deterministic": True,
        "database": "none",
    },
    "phases": {"stateful": {"enabled": False}},
    "request-timeout": REQUEST_TIMEOUT,
})
schema = schemathesis.openapi.from_dict(_with_seeded_names(served_api.served_spec_cached()), config=CONFIG)


# ---------------------------------------------------------------------------
# the controller under test

class Depot:
    """One controller for the module; restarted (fresh data) if a case crashed it."""

    def __init__(self, binary: Path):
        self.tmp_root = Path(tempfile.mkdtemp(prefix="depot-schemathesis-"))
        self.binary = stable_copy(binary, self.tmp_root / "depot-controller")
        self.factory = ControllerFactory(self.binary, self.tmp_root)
        # A bound, never listening socket: connections to it are refused (satellite ports point here).
        self.closed_port_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.closed_port_socket.bind(("127.0.0.1", 0))
        self.closed_port = self.closed_port_socket.getsockname()[1]
        self.proc: ControllerProcess | None = None
        self.crashes: list[str] = []
        self.started = time.monotonic()
        self.calls: Counter = Counter()
        self.statuses: dict[str, Counter] = defaultdict(Counter)
        self.skipped: list[str] = []
        self.start()
        # Controller numbers count across the whole pytest session: remember this module's first.
        self.first_index = self.proc.index

    @property
    def url(self) -> str:
        assert self.proc is not None
        return self.proc.url

    def start(self) -> None:
        self.proc = self.factory.start()
        self.rest = RestClient("127.0.0.1", self.proc.port, None)
        self.seed()

    def ensure_running(self) -> None:
        if self.proc is None or not self.proc.running():
            self.factory.expected_exit[self.proc.index] = None  # already reported as a crash
            self.start()

    def seed(self) -> None:
        """Make (again) the objects whose names SEEDED_PATH_VALUES offers; answers are not checked."""
        r = self.rest
        for node in ("n1", "n2"):
            r.post("/v1/nodes", {"name": node, "type": "SATELLITE", "net_interfaces": [
                {"name": "default", "address": "127.0.0.1", "satellite_port": self.closed_port,
                 "satellite_encryption_type": "PLAIN"}]})
            r.post(f"/v1/nodes/{node}/storage-pools", {
                "storage_pool_name": "pool1", "provider_kind": "FILE_THIN",
                "props": {"StorDriver/StorPoolName": "/var/lib/depot-schemathesis-none"}})
        r.post("/v1/resource-groups", {"name": "rg1", "select_filter": {"place_count": 1}})
        r.post("/v1/resource-groups/rg1/volume-groups", {"volume_number": 0})
        r.post("/v1/resource-definitions", {"resource_definition": {"name": "rd1", "resource_group_name": "rg1"}})
        r.post("/v1/resource-definitions/rd1/volume-definitions", {"volume_definition": {"volume_number": 0, "size_kib": 102400}})
        r.post("/v1/resource-definitions/rd1/resources", [{"resource": {"node_name": "n1", "props": {"StorPoolName": "pool1"}}}])
        r.post("/v1/resource-definitions/rd1/snapshots", {"name": "snap1"})
        r.put("/v1/key-value-store/kv1", {"override_props": {"seeded": "yes"}})
        r.post("/v1/controller/properties", {"override_props": {"Aux/seeded": "yes"}})

    def stop(self) -> list[str]:
        problems = self.factory.stop_all()
        self.closed_port_socket.close()
        return problems


def stable_copy(binary: Path, target: Path, wait: float = 120.0) -> Path:
    """A private copy of the controller binary, so that a rebuild during the run changes nothing.

    The build may replace the file at any moment: wait until it exists and has not changed for a
    second before copying."""
    deadline = time.monotonic() + wait
    last = None
    while time.monotonic() < deadline:
        try:
            st = binary.stat()
            now = (st.st_size, st.st_mtime_ns)
        except OSError:
            now = None
        if now is not None and now == last:
            shutil.copy2(binary, target)
            if (target.stat().st_size, binary.stat().st_mtime_ns) == now:
                return target
        last = now
        time.sleep(1.0)
    raise RuntimeError(f"{binary} did not settle within {wait:.0f}s (being rebuilt?)")


@pytest.fixture(scope="module")
def depot(controller_bin):
    d = Depot(Path(controller_bin).resolve())
    yield d
    problems = d.stop()
    if not os.environ.get("DEPOT_COMPAT_KEEP"):
        shutil.rmtree(d.tmp_root, ignore_errors=True)
    if problems:
        pytest.fail("controller shutdown problems:\n" + "\n".join(problems), pytrace=False)


# ---------------------------------------------------------------------------
# loopback only

def _ip_literal(text: str) -> tuple[int, bytes] | None:
    """(family, bytes) if glibc's inet_pton -- what the controller uses -- reads ``text`` as an IP."""
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            return family, socket.inet_pton(family, text)
        except (OSError, ValueError, UnicodeEncodeError):
            continue
    return None


def _is_loopback(family: int, raw: bytes) -> bool:
    if family == socket.AF_INET:
        return raw[0] == 127
    if raw == bytes(15) + b"\x01":
        return True
    return raw[:12] == bytes(10) + b"\xff\xff" and raw[12] == 127  # ::ffff:127.x.y.z


def loopback_only(value, closed_port: int):
    """``value`` with every non-loopback IP literal replaced and every valid satellite port closed."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if (key == "satellite_port" and isinstance(item, int) and not isinstance(item, bool)
                    and 1 <= item <= 65535):
                out[key] = closed_port
            else:
                out[key] = loopback_only(item, closed_port)
        return out
    if isinstance(value, list):
        return [loopback_only(item, closed_port) for item in value]
    if isinstance(value, str):
        parsed = _ip_literal(value)
        if parsed is not None and not _is_loopback(*parsed):
            return "127.0.0.1"
    return value


# ---------------------------------------------------------------------------
# checks

def _describe(case, response) -> str:
    body = case.body if not isinstance(case.body, NotSet) else None
    try:
        sent = json.dumps(body)
    except (TypeError, ValueError):
        sent = repr(body)
    return (f"{case.method.upper()} {case.formatted_path}"
            + (f"?{requests.compat.urlencode(case.query, doseq=True)}" if case.query else "")
            + f"\n  body: {sent[:2000]}"
            + (f"\n  -> {response.status_code} {response.text[:2000]!r}" if response is not None else ""))


def make_checks(depot: Depot):
    def controller_alive(ctx, response, case):
        """The controller process still runs after answering."""
        if not depot.proc.running():
            rc = depot.proc.proc.poll()
            report = (f"controller exited with status {rc} after\n  {_describe(case, response)}\n"
                      f"--- stderr tail ---\n{depot.proc.stderr_tail(40)}")
            depot.crashes.append(report)
            raise AssertionError(report)

    def server_error_has_apicallrc(ctx, response, case):
        """A 5xx answer carries a JSON list of ApiCallRc, at least one an error."""
        if response.status_code < 500:
            return
        try:
            body = json.loads(response.text)
        except ValueError:
            raise AssertionError(f"{response.status_code} with a body that is not JSON: {response.text[:500]!r}")
        # LINSTOR's clone answers its errors inside the clone-started object, with 500
        # (ResourceDefinitions.mapToCloneStarted): the ApiCallRc list is its `messages`.
        if case.method.upper() == "POST" and case.path.endswith("/clone") and isinstance(body, dict):
            body = body.get("messages")
        if not isinstance(body, list) or not body:
            raise AssertionError(f"{response.status_code} with a body that is not a non-empty list: {response.text[:500]!r}")
        for entry in body:
            if not (isinstance(entry, dict) and isinstance(entry.get("ret_code"), int)
                    and not isinstance(entry.get("ret_code"), bool) and isinstance(entry.get("message"), str)):
                raise AssertionError(f"{response.status_code} with an entry that is not an ApiCallRc "
                                     f"(ret_code integer, message string): {json.dumps(entry)[:500]}")
        if not any((entry["ret_code"] & MASK_ERROR) == MASK_ERROR for entry in body):
            raise AssertionError(f"{response.status_code} but no ApiCallRc has the error severity bits: "
                                 f"{[e['ret_code'] for e in body]}")

    return [controller_alive, server_error_has_apicallrc]


# ---------------------------------------------------------------------------
# the tests

@pytest.fixture
def operation_start(depot, request):
    """Per operation: skip when the budget is spent; restart after a crash; restore the seeded objects."""
    elapsed = time.monotonic() - depot.started
    if elapsed > BUDGET:
        depot.skipped.append(request.node.name)
        pytest.skip(f"time budget of {BUDGET:.0f}s spent ({elapsed:.0f}s); this operation was not fuzzed")
    depot.ensure_running()
    depot.seed()
    return depot


@schema.parametrize()
@hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate, hypothesis.Phase.shrink],
)
def test_api(case, operation_start):
    depot = operation_start
    depot.ensure_running()  # a crash during shrinking: go on against a new controller
    if not isinstance(case.body, NotSet):
        case.body = loopback_only(case.body, depot.closed_port)
    label = case.operation.label
    depot.calls[label] += 1
    try:
        response = case.call(base_url=depot.url, timeout=REQUEST_TIMEOUT)
    except requests.Timeout:
        raise AssertionError(f"no answer within {REQUEST_TIMEOUT}s (hang):\n  {_describe(case, None)}")
    except requests.ConnectionError as exc:
        if not depot.proc.running():
            report = (f"controller exited with status {depot.proc.proc.poll()} during\n  {_describe(case, None)}\n"
                      f"--- stderr tail ---\n{depot.proc.stderr_tail(40)}")
            depot.crashes.append(report)
            raise AssertionError(report)
        raise
    depot.statuses[label][response.status_code] += 1
    case.validate_response(response, checks=make_checks(depot))


def test_controller_healthy_after_fuzzing(depot, request):
    """Runs after test_api: no crash happened, the first controller is still up and healthy."""
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    total = sum(depot.calls.values())
    statuses = Counter()
    for counts in depot.statuses.values():
        statuses.update(counts)
    elapsed = time.monotonic() - depot.started
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(
                f"\nschemathesis {schemathesis.__version__}: {len(depot.calls)} operations, {total} requests "
                f"in {elapsed:.0f}s (max {MAX_EXAMPLES} fuzzed examples per operation); statuses "
                + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items())))
            if depot.skipped:
                reporter.write_line(f"not fuzzed (time budget): {len(depot.skipped)}: {depot.skipped}")
    assert not depot.crashes, f"{len(depot.crashes)} crash(es):\n" + "\n\n".join(depot.crashes)
    assert depot.proc.index == depot.first_index and depot.proc.running(), "the controller was restarted or is down"
    assert depot.rest.get("/health", timeout=10).status == 200


def test_served_routes_match_the_swift_sources():
    """served_api.SERVED/EXCLUDED name every route the controller registers, and no other."""
    if not served_api.REST_SOURCES.is_dir():
        pytest.skip(f"no Swift sources at {served_api.REST_SOURCES}")
    drift = served_api.route_drift()
    assert not drift, "\n".join(drift)
