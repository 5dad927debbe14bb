"""Fixtures of the operations tests: Depot installed by scripts/install.sh into a staging directory.

The package tests (test_ops_package.py) install the real .deb on this machine; they need root and
remove it again (apt-get remove --purge) also when a test fails.

Run:  flock /tmp/depot-systest.lock python3 -m pytest -q -p no:cacheprovider tests/ops
Env:  DEPOT_OPS_SCRATCH_PATH (default .build), DEPOT_OPS_CONFIGURATION (default debug): where the
      already-built binaries are.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from ops_support import REPO, built_binaries_missing, run, script_env


@pytest.fixture(scope="session")
def built() -> None:
    missing = built_binaries_missing()
    if missing:
        pytest.skip(f"not built: {', '.join(missing)} (swift build, or set DEPOT_OPS_SCRATCH_PATH)")


@pytest.fixture(scope="session")
def staged(built):
    """A DESTDIR into which scripts/install.sh installed Depot with PREFIX=/usr (the package's layout)."""
    root = Path(tempfile.mkdtemp(prefix="depot-ops-stage-"))
    try:
        run([str(REPO / "scripts" / "install.sh")], env=script_env(PREFIX="/usr", DESTDIR=str(root)))
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def workdir():
    root = Path(tempfile.mkdtemp(prefix="depot-ops-"))
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)
