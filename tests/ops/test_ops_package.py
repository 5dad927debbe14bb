"""The Debian package, for real: scripts/build-deb.sh builds it from the already-built binaries,
`apt-get install ./depot_*.deb` installs it on this machine, the daemons run from /usr/bin with the
installed configs, a node comes ONLINE and serves a volume, and `apt-get remove --purge depot`
leaves the machine as it was (also when a test fails).

Needs root, apt-get and dpkg-deb; skipped when Depot is already installed here (not ours to remove).
The daemons run as plain processes, not as systemd services: these machines (and CI's) have no
systemd as PID 1. The units' own checks are in test_ops_install.py and below (systemd-analyze).
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import linstor
import pytest

from .ops_support import BINARIES, CONFIGS, PACKAGE_PATHS, REPO, UNITS, Daemon, free_port, healthy, package_status, run, view_resources, wait_for

SATELLITE_ADDRESS = "127.0.0.21"
NODE = "opsnode"
def test_package_is_named_versioned_and_depends_on_what_the_binaries_load(package):
    deb, version = package
    source = (REPO / "Sources/DepotController/DepotController.swift").read_text()
    assert f'version = "{version.split("~")[0]}"' in source, f"package version {version} is not DepotController.version"
    assert deb.name == f"depot_{version}_{run(['dpkg', '--print-architecture']).stdout.strip()}.deb"
    fields = {name: run(["dpkg-deb", "-f", str(deb), name]).stdout.strip() for name in ("Depends", "Recommends")}
    assert "libc6" in fields["Depends"].split(", ")
    for tool in ("lvm2", "drbd-utils", "cryptsetup-bin"):
        assert tool in fields["Recommends"].split(", ")
    conffiles = run(["dpkg-query", "--control-show", "depot", "conffiles"]).stdout.split()
    assert sorted(conffiles) == sorted(f"/etc/depot/{config}" for config in CONFIGS)


def test_installed_files_are_in_place_and_match_the_package(package):
    assert package_status() == "install ok installed"
    for path in PACKAGE_PATHS:
        assert path.is_file(), path
    for name in BINARIES:
        assert os.access(Path("/usr/bin") / name, os.X_OK), name
    assert not Path("/usr/bin/depot-bench").exists()
    assert stat.S_IMODE(Path("/etc/depot/depot-controller.toml").stat().st_mode) == 0o600
    assert stat.S_IMODE(Path("/var/lib/depot").stat().st_mode) == 0o700
    verify = run(["dpkg", "--verify", "depot"], check=False)
    assert verify.returncode == 0 and verify.stdout.strip() == "", f"dpkg --verify depot: {verify.stdout}"
    version = run(["/usr/bin/depot-controller", "--version"]).stdout.strip()
    assert version == package[1].split("~")[0]


def test_installed_units_pass_systemd_analyze_verify(package):
    tool = shutil.which("systemd-analyze")
    if tool is None:
        pytest.skip("systemd-analyze is missing (apt-get install systemd; scripts/install-test-deps.sh does)")
    done = run([tool, "verify", *(f"/lib/systemd/system/{unit}" for unit in UNITS)], check=False, timeout=60)
    assert done.returncode == 0 and done.stderr.strip() == "", f"systemd-analyze verify: {done.returncode}\n{done.stderr}"


def loop_devices_under(root: Path) -> list[str]:
    out = run(["losetup", "--list", "--noheadings", "--output", "NAME,BACK-FILE"], check=False).stdout
    pairs = [line.split(None, 1) for line in out.splitlines() if len(line.split(None, 1)) == 2]
    return [device for device, back in pairs if back.strip().startswith(str(root))]


def test_installed_daemons_bring_a_node_online_and_serve_a_volume(package, workdir):
    if shutil.which("losetup") is None:
        pytest.skip("needs losetup for a FILE_THIN pool")
    rest = f"127.0.0.1:{free_port('127.0.0.1')}"
    satellite_port = free_port(SATELLITE_ADDRESS)
    # The installed configs, with flags for what must not clash with this machine: flags win.
    controller = Daemon(["/usr/bin/depot-controller", "--config", "/etc/depot/depot-controller.toml",
                         "--data-dir", str(workdir / "controller"), "--rest-bind", rest], workdir / "controller.log")
    satellite = Daemon(["/usr/bin/depot-satellite", "--config", "/etc/depot/depot-satellite.toml",
                        "--bind", f"{SATELLITE_ADDRESS}:{satellite_port}", "--state-dir", str(workdir / "satellite"),
                        "--hostname", NODE, "--drbd-config-dir", str(workdir / "drbd"), "--drbd-system-include", "none"],
                       workdir / "satellite.log")
    pool = workdir / "pool"
    pool.mkdir()
    try:
        controller.start()
        satellite.start()
        try:
            wait_for(lambda: healthy(rest) or not controller.running(), "the installed controller's /health")
            assert controller.running(), controller.log_tail()
            client = linstor.Linstor(f"linstor://{rest}")
            client.connect()
            client.node_create(NODE, "Satellite", SATELLITE_ADDRESS, port=satellite_port)
            node = lambda: next(n for n in client.node_list()[0].nodes if n.name == NODE)  # noqa: E731
            wait_for(lambda: node().connection_status == "ONLINE", f"{NODE} ONLINE")

            listed = run(["/usr/bin/depot", "--no-color", "node", "list"], env=dict(os.environ, LS_CONTROLLERS=rest), timeout=60).stdout
            assert any(NODE in row and "Online" in row for row in listed.splitlines()), listed

            replies = client.storage_pool_create(NODE, "opspool", "FILE_THIN", str(pool))
            assert not any(r.is_error() for r in replies), [str(r) for r in replies]
            client.resource_dfn_create("OpsData", layer_list=["storage"])
            client.volume_dfn_create("OpsData", 8192)
            replies = client.resource_create([linstor.ResourceData(NODE, "OpsData", storage_pool="opspool")])
            assert not any(r.is_error() for r in replies), [str(r) for r in replies]
            image = pool / "OpsData_00000.img"
            assert image.stat().st_size == 8192 * 1024
            devices = [v.get("device_path") for r in view_resources(rest) for v in r.get("volumes", [])]
            assert devices and devices[0].startswith("/dev/loop"), devices

            replies = client.resource_dfn_delete("OpsData")
            assert not any(r.is_error() for r in replies), [str(r) for r in replies]
            wait_for(lambda: not image.exists(), "the volume's image removed")
            assert loop_devices_under(workdir) == []
        except BaseException:
            print(f"--- controller log ---\n{controller.log_tail()}\n--- satellite log ---\n{satellite.log_tail()}")
            raise
    finally:
        statuses = {"satellite": satellite.stop(), "controller": controller.stop()}
        for device in loop_devices_under(workdir):
            subprocess.run(["losetup", "-d", device], capture_output=True)
    assert statuses == {"satellite": 0, "controller": 0}, f"exit statuses after SIGTERM: {statuses}"
