"""Fixtures of the operations tests: Depot installed by scripts/install.sh into a staging directory.

The package tests (test_ops_package.py) install the real .deb on this machine; they need root and
remove it again (apt-get remove --purge) also when a test fails.

Run:  flock /tmp/depot-systest.lock python3 -m pytest -q -p no:cacheprovider tests/ops
Env:  DEPOT_OPS_SCRATCH_PATH (default .build), DEPOT_OPS_CONFIGURATION (default debug): where the
      already-built binaries are.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from .ops_support import APT_ENV, APT_LOCK, PACKAGE_PATHS, REPO, built_binaries_missing, package_status, purge, run, script_env


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


@pytest.fixture(scope="session")
def package(built):
    """(path of the .deb, its version); installed with apt-get, purged at the end."""
    if os.geteuid() != 0:
        pytest.skip("installs a Debian package: needs root")
    missing = [tool for tool in ("apt-get", "dpkg-deb", "dpkg-query") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)}")
    present = [str(path) for path in [*PACKAGE_PATHS, Path("/etc/depot")] if path.exists()]
    if package_status() or present:
        pytest.skip(f"Depot is already installed here ({package_status() or ', '.join(present)}); the test would remove it")
    before = {path: path.exists() for path in (Path("/var/lib/depot"), Path("/var/log/depot"))}
    output = Path(tempfile.mkdtemp(prefix="depot-ops-deb-"))
    try:
        built_deb = run([str(REPO / "scripts/build-deb.sh")], env=script_env(OUTPUT_DIR=str(output), DEB_COMPRESSION="none"), timeout=600)
        debs = sorted(output.glob("depot_*.deb"))
        assert len(debs) == 1, (built_deb.stdout, built_deb.stderr)
        version = run(["dpkg-deb", "-f", str(debs[0]), "Version"]).stdout.strip()
        run(["apt-get", "install", "-y", *APT_LOCK, f"./{debs[0].name}"], cwd=output, env=APT_ENV, timeout=600)
        yield debs[0], version
    finally:
        purge()
        shutil.rmtree(output, ignore_errors=True)
    left = [str(path) for path in [*PACKAGE_PATHS, Path("/etc/depot")] if path.exists()]
    left += [str(path) for path, existed in before.items() if path.exists() and not existed]
    assert not package_status() and not left, f"apt-get remove --purge depot left: {package_status()} {left}"
