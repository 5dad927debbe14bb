"""System tests of the `depot` command-line client against a real `depot-controller`.

Each test that needs a controller gets its own: a free 127.0.0.1 port, a fresh temporary data
directory, stopped with SIGTERM afterwards. `depot` runs as a user runs it: a separate process, its
own HOME (so no user config file leaks in), no terminal (stdin /dev/null, new session), unless a
test drives it through a pipe or a pseudo-terminal.

Binaries: $DEPOT (default <repo>/.build/debug/depot) and $DEPOT_CONTROLLER (default
<repo>/.build/debug/depot-controller). A missing binary skips the tests that need it, with the reason.

Run:  python -m pytest -q tests/cli
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from .cli_support import Controller, DepotRunner, require_binary, start_controller, stop_controller


@pytest.fixture(scope="session")
def depot_bin() -> Path:
    return require_binary("DEPOT", "depot")


@pytest.fixture(scope="session")
def depot_controller_bin() -> Path:
    return require_binary("DEPOT_CONTROLLER", "depot-controller")


@pytest.fixture
def workdir():
    root = Path(tempfile.mkdtemp(prefix="depot-cli-"))
    (root / "home").mkdir()
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def depot_controller(depot_controller_bin, workdir):
    instance = start_controller(depot_controller_bin, workdir)
    yield instance
    stop_controller(instance)


@pytest.fixture
def depot_controller_factory(depot_controller_bin, workdir):
    started: list[Controller] = []

    def make() -> Controller:
        instance = start_controller(depot_controller_bin, workdir)
        started.append(instance)
        return instance

    yield make
    for instance in started:
        stop_controller(instance)


@pytest.fixture
def depot(depot_bin, workdir, depot_controller) -> DepotRunner:
    return DepotRunner(depot_bin, workdir / "home", depot_controller)


@pytest.fixture
def depot_offline(depot_bin, workdir) -> DepotRunner:
    """depot without a controller (LS_CONTROLLERS unset)."""
    return DepotRunner(depot_bin, workdir / "home", None)
