"""Validate JSON response bodies against LINSTOR's REST API v1 OpenAPI file.

The contract is ``shared/reference/linstor-rest-v1-openapi.yaml`` (found as
``<repo>/../shared/reference/...`` or through the environment variable
``DEPOT_OPENAPI``).  The real LINSTOR controller does not follow that file to
the letter (``reference/linstor-server-notes.md`` section 1.1), and python-linstor
is written against the real server, so this module applies a small number of
documented relaxations -- and one tightening -- before validating:

R1  Output enums are Java enum names (node type ``SATELLITE`` where the file
    says ``Satellite``): every string ``enum`` is compared case-insensitively.
R2  Enum values the Java server emits but the file lacks (notes 1.3) are added:
    node types REMOTE_SPDK / EBS_TARGET, connection states MISSING_EXT_TOOLS /
    DUPLICATE_UNAME, provider kinds REMOTE_SPDK / STORAGE_SPACES(_THIN).
R3  ``oneOf`` becomes ``anyOf``: the file's oneOf lists (layer ``data``) have no
    discriminator and all-optional members, so one body matches several of them.
R4  Every error status (>= 400) carries an ApiCallRc *list*: the server builds
    all error bodies in ApiCallRcRestUtils (404 for FAIL_NOT_FOUND_*, 500 for the
    other errors, 400 for JSON parse errors) although the file documents few of
    those statuses and calls the 500 body a single ApiCallRc.  python-linstor
    iterates the error body, so a list is *required* here.
R5  ``required`` is relaxed only where the server omits a required member
    because it is empty (Jackson NON_EMPTY): PropertyWithDescription.value (a
    property whose value is "") and AuthTokenListResponse.list (no tokens).
R6  Single-object GETs that the Java server serves but the file does not list
    (notes 1.1: /v1/nodes/{node}, /v1/resource-definitions/{resource}, ...) are
    validated against the object's component schema.

Tightenings (also from notes 1.1):

T1  ``format: int32`` / ``int64`` integers must fit their range; ret_code is a
    *signed* int64 (errors are negative numbers on the wire).  JSON numbers
    with a fraction are not integers (Draft 4 semantics: 153600.0 fails).
T2  NON_EMPTY: members of an object schema with declared ``properties`` must
    not be null, "", [] or an empty map -- the server omits them (an empty
    *bean*, a member whose schema declares properties, is still written as {}).
    Entries of maps (props, obj_refs, ...) are not checked.  Set DEPOT_OPENAPI_ALLOW_EMPTY=1
    to turn this check off while bringing up a new server.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import re
from pathlib import Path
from typing import Any, Iterable

import jsonschema
import yaml
from jsonschema import Draft4Validator, FormatChecker
from jsonschema.exceptions import ValidationError

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent

INT32 = (-(2 ** 31), 2 ** 31 - 1)
INT64 = (-(2 ** 63), 2 ** 63 - 1)

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")

# R2: enum values the Java server really emits (notes 1.1 / 1.3).
EXTRA_ENUM_VALUES = {
    "Node.type": ["REMOTE_SPDK", "EBS_TARGET"],
    "Node.connection_status": ["MISSING_EXT_TOOLS", "DUPLICATE_UNAME"],
    "ProviderKind": ["REMOTE_SPDK", "STORAGE_SPACES", "STORAGE_SPACES_THIN"],
}

# R5: required members the server omits when empty (NON_EMPTY).
RELAXED_REQUIRED = {
    "PropertyWithDescription": {"value"},
    "AuthTokenListResponse": {"list"},
}

# R6: GETs of single objects served by the Java controller but missing in the file.
EXTRA_GET_ROUTES = {
    "/v1/nodes/{node}": "Node",
    "/v1/nodes/{node}/net-interfaces/{netinterface}": "NetInterface",
    "/v1/nodes/{node}/storage-pools/{storagepool}": "StoragePool",
    "/v1/resource-definitions/{resource}": "ResourceDefinition",
    "/v1/resource-definitions/{resource}/volume-definitions/{volume_number}": "VolumeDefinition",
    "/v1/resource-definitions/{resource}/resources/{node}": "Resource",
    "/v1/resource-groups/{resource_group}": "ResourceGroup",
    "/v1/resource-groups/{resource_group}/volume-groups/{volume_number}": "VolumeGroup",
}

# Path parameters whose value may contain '/' (JAX-RS "{key : .*}").
GREEDY_PARAMS = {"key"}


def locate_spec() -> Path:
    env = os.environ.get("DEPOT_OPENAPI")
    if env:
        return Path(env)
    return REPO.parent / "shared" / "reference" / "linstor-rest-v1-openapi.yaml"


def _allow_empty() -> bool:
    return os.environ.get("DEPOT_OPENAPI_ALLOW_EMPTY", "") not in ("", "0", "false", "no")


# ---------------------------------------------------------------------------
# custom keywords

def _enum_ci(validator, values, instance, schema):
    # R1: case-insensitive enum for strings.
    if not isinstance(instance, str):
        yield ValidationError(f"{instance!r} is not a string (expected one of {values})")
        return
    if instance.upper() not in {v.upper() for v in values}:
        yield ValidationError(f"{instance!r} is not one of {values} (case-insensitive)")


def _non_empty_members(validator, spec, instance, schema):
    # T2: NON_EMPTY members (an empty bean is still written as {}).
    if not spec or not isinstance(instance, dict) or _allow_empty():
        return
    beans = set(spec.get("beans", ())) if isinstance(spec, dict) else set()
    for key, value in instance.items():
        if value is None:
            yield ValidationError(f"member {key!r} is null; LINSTOR omits null members (NON_EMPTY)")
        elif value == {} and key in beans:
            continue
        elif value == "" or value == [] or value == {}:
            yield ValidationError(
                f"member {key!r} is empty ({json.dumps(value)}); LINSTOR omits empty members (NON_EMPTY)"
            )


def _int_range(lo: int, hi: int):
    def check(instance: Any) -> bool:
        if isinstance(instance, bool) or not isinstance(instance, int):
            return True  # type mismatches are reported by "type"
        return lo <= instance <= hi
    return check


FORMAT_CHECKER = FormatChecker()
FORMAT_CHECKER.checks("int32")(_int_range(*INT32))
FORMAT_CHECKER.checks("int64")(_int_range(*INT64))

CompatValidator = jsonschema.validators.extend(
    Draft4Validator,
    {"x-enum-ci": _enum_ci, "x-non-empty-members": _non_empty_members},
)


# ---------------------------------------------------------------------------
# schema transformation

def _is_bean(schema: Any, components: dict[str, Any], depth: int = 0) -> bool:
    """True if a member schema is a generated POJO (has declared properties).

    Jackson's NON_EMPTY never drops a bean (an object with only empty members is still
    written as {}), but it drops empty maps, lists and strings."""
    if not isinstance(schema, dict) or depth > 20:
        return False
    if "$ref" in schema:
        return _is_bean(components.get(schema["$ref"].rsplit("/", 1)[-1]), components, depth + 1)
    if schema.get("properties"):
        return True
    for key in ("allOf", "anyOf", "oneOf"):
        if any(_is_bean(s, components, depth + 1) for s in schema.get(key, [])):
            return True
    return False


def _transform(node: Any, components: dict[str, Any]) -> Any:
    """Apply R1/R3/T2 recursively (R2/R5 are applied per component first)."""
    if isinstance(node, list):
        return [_transform(x, components) for x in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "enum" and isinstance(value, list) and all(isinstance(v, str) for v in value):
            out["x-enum-ci"] = list(value)
        elif key == "oneOf":
            out["anyOf"] = _transform(value, components)
        elif key in ("properties",):
            out[key] = {k: _transform(v, components) for k, v in value.items()}
        elif key in ("example", "description", "readOnly", "writeOnly", "default", "nullable"):
            continue
        else:
            out[key] = _transform(value, components)
    props = node.get("properties")
    if isinstance(props, dict) and props:
        out["x-non-empty-members"] = {"beans": sorted(k for k, v in props.items() if _is_bean(v, components))}
    return out


class OpenApiSpec:
    """Loaded spec with path templates and response-schema lookup."""

    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path else locate_spec()
        with open(self.path, "r", encoding="utf-8") as fh:
            self.raw = yaml.safe_load(fh)
        schemas = copy.deepcopy(self.raw["components"]["schemas"])

        # R2
        for dotted, extra in EXTRA_ENUM_VALUES.items():
            parts = dotted.split(".")
            target = schemas[parts[0]]
            for p in parts[1:]:
                target = target["properties"][p]
            target["enum"] = list(target["enum"]) + [e for e in extra if e not in target["enum"]]
        # R5
        for comp, members in RELAXED_REQUIRED.items():
            if comp in schemas and "required" in schemas[comp]:
                schemas[comp]["required"] = [r for r in schemas[comp]["required"] if r not in members]
                if not schemas[comp]["required"]:
                    del schemas[comp]["required"]

        self.schemas = {k: _transform(v, schemas) for k, v in schemas.items()}
        self.responses = copy.deepcopy(self.raw["components"].get("responses", {}))
        self._inline: dict[str, Any] = {}
        self._routes: list[tuple[re.Pattern, str, int]] = []
        templates = set(self.raw["paths"].keys()) | set(EXTRA_GET_ROUTES.keys())
        for tpl in templates:
            self._routes.append((self._compile(tpl), tpl, self._literal_count(tpl)))

    # -- paths ---------------------------------------------------------------
    @staticmethod
    def _compile(tpl: str) -> re.Pattern:
        out = "^"
        for seg in tpl.strip("/").split("/"):
            m = re.fullmatch(r"\{([^}]+)\}", seg)
            if m:
                out += "/(.+)" if m.group(1) in GREEDY_PARAMS else "/([^/]+)"
            else:
                out += "/" + re.escape(seg)
        return re.compile(out + "$")

    @staticmethod
    def _literal_count(tpl: str) -> int:
        return sum(1 for seg in tpl.strip("/").split("/") if not seg.startswith("{"))

    def match_path(self, path: str) -> str | None:
        path = path.split("?", 1)[0].split("#", 1)[0]
        if len(path) > 1:
            path = path.rstrip("/")
        best = None
        for rx, tpl, literals in self._routes:
            if rx.match(path) and (best is None or literals > best[1]):
                best = (tpl, literals)
        return best[0] if best else None

    def methods_for(self, template: str) -> set[str]:
        item = self.raw["paths"].get(template, {})
        methods = {m.upper() for m in item if m in HTTP_METHODS}
        if template in EXTRA_GET_ROUTES:
            methods.add("GET")
        return methods

    # -- schemas -------------------------------------------------------------
    def _resolve_response(self, resp: dict) -> dict:
        if "$ref" in resp:
            name = resp["$ref"].rsplit("/", 1)[-1]
            return self.responses[name]
        return resp

    def response_schema(self, method: str, template: str, status: int) -> tuple[Any, str]:
        """Return (schema-or-None, why).  Raises LookupError if undocumented."""
        if status >= 400:
            # R4
            return {"$ref": "#/components/schemas/ApiCallRcList"}, "R4 error body = ApiCallRc list"
        m = method.lower()
        item = self.raw["paths"].get(template)
        if item is None or m not in item:
            if m == "get" and template in EXTRA_GET_ROUTES and status == 200:
                comp = EXTRA_GET_ROUTES[template]
                return {"$ref": f"#/components/schemas/{comp}"}, f"R6 single {comp}"
            raise LookupError(f"{method} {template} is not in the OpenAPI file")
        responses = item[m].get("responses", {})
        resp = responses.get(str(status)) or responses.get("default")
        if resp is None:
            raise LookupError(
                f"status {status} is not documented for {method} {template} "
                f"(documented: {sorted(responses)})"
            )
        resp = self._resolve_response(resp)
        content = resp.get("content") or {}
        media = content.get("application/json")
        if media is None:
            return None, "no JSON body documented"
        key = re.sub(r"[^A-Za-z0-9]+", "_", f"{m} {template} {status}")
        self._inline[key] = _transform(media["schema"], self.raw["components"]["schemas"])
        return {"$ref": "#/x-inline/" + key}, "spec"

    def _validator(self, ref_schema: dict) -> Draft4Validator:
        root = {
            "components": {"schemas": self.schemas},
            "x-inline": self._inline,
        }
        root.update(ref_schema)
        return CompatValidator(root, format_checker=FORMAT_CHECKER)

    @staticmethod
    def _errors(validator: Draft4Validator, instance: Any) -> list[str]:
        errs = []
        for err in sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path)):
            where = "/".join(str(p) for p in err.absolute_path) or "<root>"
            errs.extend(_flatten(err, where))
        return errs

    def validate_component(self, name: str, instance: Any) -> list[str]:
        if name not in self.schemas:
            raise KeyError(f"no component schema {name!r}")
        return self._errors(self._validator({"$ref": f"#/components/schemas/{name}"}), instance)

    def validate_response(self, method: str, path: str, status: int, body: Any) -> list[str]:
        """Validate one decoded JSON body.  Returns a list of problems (empty = ok)."""
        template = self.match_path(path)
        if template is None:
            return [f"{method} {path}: no path template in the OpenAPI file (or R6 list) matches"]
        try:
            schema, _why = self.response_schema(method, template, status)
        except LookupError as exc:
            return [f"{method} {path} -> {status}: {exc}"]
        if schema is None:
            return []
        problems = self._errors(self._validator(schema), body)
        if status >= 400 and isinstance(body, list):
            problems.extend(_check_error_list(body, status))
        return [f"{method} {path} -> {status} [{template}]: {p}" for p in problems]


def _flatten(err: ValidationError, where: str) -> list[str]:
    if err.context and err.validator in ("anyOf", "allOf"):
        # anyOf failures: report the best sub-error
        best = jsonschema.exceptions.best_match(err.context)
        sub = "/".join(str(p) for p in best.absolute_path) or where
        return [f"at {sub}: {best.message}"]
    return [f"at {where}: {err.message}"]


MASK_ERROR = 0xC000000000000000
MASK_WARN = 0x8000000000000000
MASK_TYPE = 0xC000000000000000


def _check_error_list(body: list, status: int) -> list[str]:
    """An error status must be explained by an error entry (ApiCallRcRestUtils)."""
    problems = []
    codes = [e.get("ret_code") for e in body if isinstance(e, dict)]
    if not codes:
        problems.append("error status with an empty ApiCallRc list")
        return problems
    if not any(isinstance(c, int) and (c & MASK_TYPE) == MASK_ERROR for c in codes):
        problems.append(f"error status {status} but no entry has the MASK_ERROR bits: {codes}")
    return problems


@functools.lru_cache(maxsize=4)
def load_spec(path: str | None = None) -> OpenApiSpec:
    return OpenApiSpec(Path(path) if path else None)


def validate_named(name: str, instance: Any) -> list[str]:
    """Validate ``instance`` against component schema ``name`` of the default spec."""
    return load_spec().validate_component(name, instance)


def validate(method: str, path: str, status: int, body: Any) -> list[str]:
    """Validate a response of the default spec (see OpenApiSpec.validate_response)."""
    return load_spec().validate_response(method, path, status, body)


def iter_problems(records: Iterable[dict]) -> list[str]:
    """Validate recorded exchanges ({method, path, status, content_type, text})."""
    spec = load_spec()
    problems: list[str] = []
    for rec in records:
        text = rec.get("text")
        path = rec["path"].split("?", 1)[0]
        if text is None:
            continue
        if not path.startswith("/v1/"):
            continue  # /health, /metrics are text
        if text == "":
            problems.append(f"{rec['method']} {rec['path']} -> {rec['status']}: empty body (expected JSON)")
            continue
        try:
            body = json.loads(text)
        except ValueError as exc:
            problems.append(f"{rec['method']} {rec['path']} -> {rec['status']}: body is not JSON ({exc}): {text[:200]!r}")
            continue
        ctype = rec.get("content_type") or ""
        if not ctype.lower().startswith("application/json"):
            # python-linstor parses error bodies only if Content-Type starts with application/json
            problems.append(
                f"{rec['method']} {rec['path']} -> {rec['status']}: Content-Type {ctype!r}, expected application/json"
            )
        problems.extend(spec.validate_response(rec["method"], rec["path"], rec["status"], body))
    return problems
