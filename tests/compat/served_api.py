"""The OpenAPI description of what Depot serves, cut from LINSTOR's REST API v1 file at run time.

``served_spec()`` loads ``linstor-rest-v1-openapi.yaml`` (located as ``openapi.locate_spec()``
does: ``$DEPOT_OPENAPI`` or ``<repo>/../shared/reference/``) and keeps only the operations
(method + path) Depot's controller routes (``Sources/DepotController/REST/RESTRoutes*.swift``)
answer, plus the single-object GETs that the Java controller and Depot serve but the file
lacks (``openapi.EXTRA_GET_ROUTES``, R6 there, and ``GET …/volumes/{volume_number}``), each
answering its component schema.  Nothing else of the file is changed: schemas, parameters and
examples are LINSTOR's.  ``servers`` is dropped (the tests pass the controller's address).

``SERVED`` is the list; ``EXCLUDED`` names what Depot serves but a generic fuzzer must not call,
with the reason.  ``route_drift()`` compares both lists with the routes registered in the Swift
sources, so a route added to or removed from the controller shows up as a test failure.
"""

from __future__ import annotations

import copy
import functools
import re
from pathlib import Path

import yaml

import openapi

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
REST_SOURCES = REPO / "Sources" / "DepotController" / "REST"

RD = "/v1/resource-definitions/{resource}"
RSC = RD + "/resources/{node}"
RG = "/v1/resource-groups/{resource_group}"

# (method, path template of LINSTOR's file) of every LINSTOR call Depot's REST routes answer.
SERVED: list[tuple[str, str]] = [
    # controller
    ("GET", "/v1/controller/version"),
    ("GET", "/v1/controller/properties"),
    ("POST", "/v1/controller/properties"),
    ("DELETE", "/v1/controller/properties/{key}"),
    ("GET", "/v1/controller/properties/info"),
    ("GET", "/v1/controller/properties/info/all"),
    ("PUT", "/v1/controller/config"),
    ("POST", "/v1/controller/backup/db"),
    ("POST", "/v1/controller/database/export"),
    # authentication tokens (initialize-token-auth: see EXCLUDED)
    ("GET", "/v1/controller/auth/token"),
    ("POST", "/v1/controller/auth/token"),
    ("PUT", "/v1/controller/auth/token/{authtokenid}"),
    ("DELETE", "/v1/controller/auth/token/{authtokenid}"),
    # encryption
    ("GET", "/v1/encryption/passphrase"),
    ("POST", "/v1/encryption/passphrase"),
    ("PUT", "/v1/encryption/passphrase"),
    ("PATCH", "/v1/encryption/passphrase"),
    # nodes
    ("GET", "/v1/nodes"),
    ("POST", "/v1/nodes"),
    ("GET", "/v1/nodes/properties/info"),
    ("GET", "/v1/nodes/{node}"),
    ("PUT", "/v1/nodes/{node}"),
    ("DELETE", "/v1/nodes/{node}"),
    ("DELETE", "/v1/nodes/{node}/lost"),
    ("PUT", "/v1/nodes/{node}/evacuate"),
    ("PUT", "/v1/nodes/{node}/restore"),
    ("PUT", "/v1/nodes/{node}/reconnect"),
    ("PUT", "/v1/nodes/{node}/config"),
    ("GET", "/v1/nodes/{node}/net-interfaces"),
    ("POST", "/v1/nodes/{node}/net-interfaces"),
    ("GET", "/v1/nodes/{node}/net-interfaces/{netinterface}"),
    ("PUT", "/v1/nodes/{node}/net-interfaces/{netinterface}"),
    ("DELETE", "/v1/nodes/{node}/net-interfaces/{netinterface}"),
    # storage pools
    # physical storage (no satellites in the compat tests: the lists are empty, a node is offline)
    ("GET", "/v1/physical-storage"),
    ("GET", "/v1/physical-storage/{node}"),
    ("POST", "/v1/physical-storage/{node}"),
    ("GET", "/v1/nodes/{node}/storage-pools"),
    ("POST", "/v1/nodes/{node}/storage-pools"),
    ("GET", "/v1/nodes/{node}/storage-pools/properties/info"),
    ("GET", "/v1/nodes/{node}/storage-pools/{storagepool}"),
    ("PUT", "/v1/nodes/{node}/storage-pools/{storagepool}"),
    ("DELETE", "/v1/nodes/{node}/storage-pools/{storagepool}"),
    ("GET", "/v1/view/storage-pools"),
    ("GET", "/v1/storage-pool-definitions"),
    ("POST", "/v1/storage-pool-definitions"),
    ("GET", "/v1/storage-pool-definitions/properties/info"),
    ("GET", "/v1/storage-pool-definitions/{storagepool}"),
    ("PUT", "/v1/storage-pool-definitions/{storagepool}"),
    ("DELETE", "/v1/storage-pool-definitions/{storagepool}"),
    # resource definitions and volume definitions
    ("GET", "/v1/resource-definitions"),
    ("POST", "/v1/resource-definitions"),
    ("GET", "/v1/resource-definitions/properties/info"),
    ("GET", RD),
    ("PUT", RD),
    ("DELETE", RD),
    ("GET", RD + "/sync-status"),
    ("GET", RD + "/drbd-proxy/properties/info"),
    ("GET", RD + "/volume-definitions"),
    ("POST", RD + "/volume-definitions"),
    ("GET", RD + "/volume-definitions/properties/info"),
    ("GET", RD + "/volume-definitions/{volume_number}"),
    ("PUT", RD + "/volume-definitions/{volume_number}"),
    ("DELETE", RD + "/volume-definitions/{volume_number}"),
    ("PUT", RD + "/volume-definitions/{volume_number}/encryption-passphrase"),
    # resources
    ("POST", RD + "/autoplace"),
    ("GET", RD + "/resources"),
    ("POST", RD + "/resources"),
    ("GET", RD + "/resources/properties/info"),
    ("GET", RSC),
    ("POST", RSC),
    ("PUT", RSC),
    ("DELETE", RSC),
    ("POST", RSC + "/make-available"),
    ("POST", RSC + "/activate"),
    ("POST", RSC + "/deactivate"),
    ("PUT", RSC + "/toggle-disk"),
    ("PUT", RSC + "/toggle-disk/diskless"),
    ("PUT", RSC + "/toggle-disk/diskless/{disklesspool}"),
    ("PUT", RSC + "/toggle-disk/diskful"),
    ("PUT", RSC + "/toggle-disk/diskful/{storagepool}"),
    ("PUT", RSC + "/migrate-disk/{fromnode}"),
    ("PUT", RSC + "/migrate-disk/{fromnode}/{storagepool}"),
    ("GET", RSC + "/volumes"),
    ("GET", RSC + "/volumes/properties/info"),
    ("GET", RSC + "/volumes/{volume_number}"),
    ("PUT", RSC + "/volumes/{volume_number}"),
    ("GET", "/v1/view/resources"),
    # connections
    ("GET", "/v1/node-connections"),
    ("PUT", "/v1/node-connections/{node_a}/{node_b}"),
    ("GET", RD + "/resource-connections"),
    ("GET", RD + "/resource-connections/properties/info"),
    ("GET", RD + "/resource-connections/{node_a}/{node_b}"),
    ("PUT", RD + "/resource-connections/{node_a}/{node_b}"),
    # resource groups and volume groups
    ("GET", "/v1/resource-groups"),
    ("POST", "/v1/resource-groups"),
    ("GET", "/v1/resource-groups/properties/info"),
    ("POST", "/v1/resource-groups/adjustall"),
    ("GET", RG),
    ("PUT", RG),
    ("DELETE", RG),
    ("POST", RG + "/spawn"),
    ("POST", RG + "/adjust"),
    ("GET", RG + "/query-max-volume-size"),
    ("POST", RG + "/query-size-info"),
    ("POST", "/v1/queries/resource-groups/query-all-size-info"),
    ("GET", RG + "/volume-groups"),
    ("POST", RG + "/volume-groups"),
    ("GET", RG + "/volume-groups/properties/info"),
    ("GET", RG + "/volume-groups/{volume_number}"),
    ("PUT", RG + "/volume-groups/{volume_number}"),
    ("DELETE", RG + "/volume-groups/{volume_number}"),
    # key-value store
    ("GET", "/v1/key-value-store"),
    ("GET", "/v1/key-value-store/{instance}"),
    ("PUT", "/v1/key-value-store/{instance}"),
    ("DELETE", "/v1/key-value-store/{instance}"),
    # snapshots and clones
    ("GET", RD + "/snapshots"),
    ("POST", RD + "/snapshots"),
    ("GET", RD + "/snapshots/{snapshot}"),
    ("PUT", RD + "/snapshots/{snapshot}"),
    ("DELETE", RD + "/snapshots/{snapshot}"),
    ("POST", RD + "/snapshot-restore-resource/{snapshot}"),
    ("POST", RD + "/snapshot-restore-volume-definition/{snapshot}"),
    ("POST", RD + "/snapshot-rollback/{snapshot}"),
    ("POST", "/v1/actions/snapshot/multi"),
    ("GET", "/v1/view/snapshots"),
    ("POST", RD + "/clone"),
    ("GET", RD + "/clone/{resourceClone}"),
    # error reports
    ("GET", "/v1/error-reports"),
    ("PATCH", "/v1/error-reports"),
    ("GET", "/v1/error-reports/{reportid}"),
    ("DELETE", "/v1/error-reports/{reportid}"),
    ("GET", "/v1/stats/error-reports"),
    # object counts
    ("GET", "/v1/stats/nodes"),
    ("GET", "/v1/stats/resource-groups"),
    ("GET", "/v1/stats/resource-definitions"),
    ("GET", "/v1/stats/resources"),
    ("GET", "/v1/stats/storage-pools"),
]

# Served by Depot but not fuzzed: (method, path as Depot routes it) -> reason.
EXCLUDED: dict[tuple[str, str], str] = {
    ("POST", "/v1/controller/auth/initialize-token-auth"):
        "turns token authentication on: every later call of the run would answer 401",
    ("GET", "/v1/events/nodes"): "server-sent event stream (never ends)",
    ("GET", "/v1/events/drbd/promotion"): "server-sent event stream (never ends)",
    ("GET", "/v1/events/resources"): "server-sent event stream (never ends; Depot's own, not in LINSTOR's file)",
    ("GET", "/health"): "not LINSTOR's API (the test checks it after the run)",
    ("GET", "/metrics"): "Prometheus text, not LINSTOR's JSON API",
    ("GET", "/v1/sos-report"): "asks every satellite for an inventory and writes an archive (tests/satellite/test_sos_report.py)",
    ("GET", "/v1/sos-report/download"): "a tar.gz archive, not JSON (tests/satellite/test_sos_report.py)",
    ("GET", "/v1/controller/quarantine"): "Depot's own, not in LINSTOR's file (tests/compat/test_database_tools.py)",
}

# GETs of single objects that Depot serves and LINSTOR's file lacks, beyond openapi.EXTRA_GET_ROUTES.
EXTRA_GETS = dict(openapi.EXTRA_GET_ROUTES)
EXTRA_GETS[RSC + "/volumes/{volume_number}"] = "Volume"

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "options", "head", "trace")


def load_linstor_spec(path: Path | None = None) -> dict:
    with open(path or openapi.locate_spec(), "r", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _extra_get(template: str, component: str) -> dict:
    return {
        "summary": f"single {component} (served by the Java controller and Depot, not in the file)",
        "operationId": "depotGet" + component,
        "responses": {
            "200": {
                "description": component,
                "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
            },
            "404": {"description": "not found (ApiCallRc list)"},
        },
    }


def served_spec(path: Path | None = None) -> dict:
    """LINSTOR's OpenAPI document reduced to the operations in ``SERVED`` (a new dict)."""
    raw = load_linstor_spec(path)
    wanted: dict[str, set[str]] = {}
    for method, template in SERVED:
        wanted.setdefault(template, set()).add(method.lower())
    paths: dict[str, dict] = {}
    missing = []
    for template, methods in wanted.items():
        item = raw["paths"].get(template)
        if item is None:
            missing.append(template)
            continue
        out = {k: copy.deepcopy(v) for k, v in item.items() if k not in HTTP_METHODS}
        for method in sorted(methods):
            if method in item:
                out[method] = copy.deepcopy(item[method])
            elif method == "get" and template in EXTRA_GETS:
                out[method] = _extra_get(template, EXTRA_GETS[template])
            else:
                missing.append(f"{method.upper()} {template}")
        paths[template] = out
    if missing:
        raise LookupError(f"served operations not found in {openapi.locate_spec()}: {missing}")
    spec = {k: copy.deepcopy(v) for k, v in raw.items() if k not in ("paths", "servers")}
    spec["paths"] = paths
    return spec


@functools.lru_cache(maxsize=1)
def served_spec_cached() -> dict:
    return served_spec()


# ---------------------------------------------------------------------------
# drift against the Swift sources

_ROUTE = re.compile(r'router\.(get|post|put|delete|patch)\(\s*(?:RouterPath\()?"(/[^"]*)"')
_KIND_PATH = re.compile(r'\(\s*"(/v1/[^"]+)",\s*\.')


def _normalize(path: str) -> str:
    segments = []
    for seg in path.strip("/").split("/"):
        if seg.startswith(":") or (seg.startswith("{") and seg.endswith("}")) or seg == "**":
            segments.append("{}")
        else:
            segments.append(seg)
    return "/" + "/".join(segments)


def swift_literal_routes(sources: Path = REST_SOURCES) -> set[tuple[str, str]]:
    """(METHOD, normalized path) of the routes registered with a literal path in the Swift sources."""
    routes: set[tuple[str, str]] = set()
    for file in sorted(sources.glob("RESTRoutes*.swift")):
        text = file.read_text("utf-8")
        for method, path in _ROUTE.findall(text):
            routes.add((method.upper(), _normalize(path)))
        if file.name == "RESTRoutes+PropertiesInfo.swift":
            for path in _KIND_PATH.findall(text):
                routes.add(("GET", _normalize(path)))
    return routes


def route_drift(sources: Path = REST_SOURCES) -> list[str]:
    """Differences between SERVED/EXCLUDED and the Swift route registrations (empty = none)."""
    swift = swift_literal_routes(sources)
    listed = {(m, _normalize(p)) for m, p in SERVED} | {(m, _normalize(p)) for m, p in EXCLUDED}
    problems = []
    for method, path in sorted(swift - listed):
        if path == "/v1/{}":  # the not-implemented catch-all (/v1/**)
            continue
        problems.append(f"{method} {path} is routed in Swift but neither in SERVED nor in EXCLUDED")
    # Routes built from computed paths (toggle-disk, migrate-disk, make-available, (de)activate)
    # are not literal in Swift: for those, the last literal segment must appear in a REST source.
    text = "\n".join(f.read_text("utf-8") for f in sources.glob("RESTRoutes*.swift"))
    for method, path in sorted(listed - swift):
        literal = [s for s in path.split("/") if s and s != "{}"][-1]
        if f'"/{literal}' not in text and f'/{literal}"' not in text:
            problems.append(f"{method} {path} is listed but no Swift route mentions '{literal}'")
    return problems
