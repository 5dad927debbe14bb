"""Fixtures for the black-box LINSTOR-compatibility suite of depot-controller.

Every test gets its own real controller process: a free 127.0.0.1 port, a fresh
temporary data directory, stderr captured to ``<tmp>/controller-N.stderr``.
The fixture waits for ``GET /health`` to answer 200, yields, then sends SIGTERM
and requires exit status 0 within STOP_TIMEOUT seconds; the temp dir is removed.
When a test fails, the tail of each controller's stderr is attached to the report.

Binary: ``$DEPOT_CONTROLLER`` or ``<repo>/.build/debug/depot-controller``; if it
does not exist every test is *skipped with that reason* (never passed).

Every JSON response a test sees -- through python-linstor (``lin``) or the raw
client (``rest``) -- is recorded and validated against the OpenAPI file at
teardown (see ``openapi.py`` for the documented relaxations).  python-linstor is
not modified: the recorder wraps ``Linstor._rest_request_base`` (to learn method
and path) and ``Linstor._decode_response_data`` (the one place python-linstor
reads a response body) with pytest's monkeypatch, for the duration of a test.

Run:  python -m pytest -q tests/compat
Env:  DEPOT_CONTROLLER=/path/to/depot-controller   DEPOT_OPENAPI=/path/to/spec.yaml
      DEPOT_COMPAT_KEEP=1 keeps the temp dirs;  DEPOT_OPENAPI_ALLOW_EMPTY=1 (see openapi.py)
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from compat_infra import (  # noqa: F401  (re-exported for tests)
    ControllerFactory, ControllerProcess, Recorder, RestClient, connect_linstor, controller_binary,
    install_linstor_recorder,
)

# ---------------------------------------------------------------------------
# fixtures

def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_engine: the test is about the embedded database; it keeps SQLite under "
                                       "DEPOT_TEST_ENGINE=postgresql (tests/database_engine.py)")


@pytest.fixture(scope="session")
def controller_bin() -> Path:
    path = controller_binary()
    if not path.exists():
        pytest.skip(f"depot-controller binary not found at {path} (build it or set DEPOT_CONTROLLER)")
    if not os.access(path, os.X_OK):
        pytest.skip(f"depot-controller at {path} is not executable")
    return path


@pytest.fixture
def controller_factory(controller_bin, request):
    keep = os.environ.get("DEPOT_COMPAT_KEEP")
    tmp_root = Path(tempfile.mkdtemp(prefix="depot-compat-"))
    factory = ControllerFactory(controller_bin, tmp_root, sqlite=request.node.get_closest_marker("sqlite_engine") is not None)
    request.node._depot_factory = factory
    yield factory
    problems = factory.stop_all()
    for proc in factory.procs:
        proc.cached_tail = proc.stderr_tail()
    if not keep:
        shutil.rmtree(tmp_root, ignore_errors=True)
    if problems:
        pytest.fail("controller shutdown problems:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def recorder(request):
    rec = Recorder()
    yield rec
    problems = rec.problems()
    if problems:
        shown = problems[:40]
        more = f"\n... and {len(problems) - 40} more" if len(problems) > 40 else ""
        pytest.fail(
            f"{len(problems)} response(s) do not match the OpenAPI contract (openapi.py):\n  "
            + "\n  ".join(shown) + more,
            pytrace=False,
        )


@pytest.fixture
def controller(controller_factory) -> ControllerProcess:
    return controller_factory.start()


@pytest.fixture
def base_url(controller) -> str:
    return controller.url


@pytest.fixture
def rest(controller, recorder) -> RestClient:
    return RestClient("127.0.0.1", controller.port, recorder)


@pytest.fixture
def lin(controller, recorder, monkeypatch):
    install_linstor_recorder(monkeypatch, recorder)
    client = connect_linstor(controller)
    yield client
    client.disconnect()


@pytest.fixture
def linstor_recording(recorder, monkeypatch) -> Recorder:
    """For tests that make their own Linstor clients (durability tests)."""
    install_linstor_recorder(monkeypatch, recorder)
    return recorder


# ---------------------------------------------------------------------------
# show the controller's stderr with failures

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if rep.failed:
        factory = getattr(item, "_depot_factory", None)
        if factory is not None:
            for proc in factory.procs:
                rep.sections.append((f"stderr tail of {proc.name}", proc.stderr_tail()))
