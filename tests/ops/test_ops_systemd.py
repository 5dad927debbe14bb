"""The installed units run under systemd for real: this machine's OS is booted with systemd as
PID 1 in a systemd-nspawn container (`--volatile=yes`: the host's /usr, where the package put the
binaries and units, read-only; everything else a fresh tmpfs; its own network namespace with only
loopback), with /etc/depot and the loop devices passed in. `systemctl start` starts both units with
all their sandboxing; the controller serves REST, the satellite comes ONLINE and makes a FILE_THIN
volume on a loop device; `systemctl stop` ends both with status 0.

Skipped without systemd-nspawn (package systemd-container; scripts/install-test-deps.sh installs it).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from .ops_support import UNITS, run, wait_for

NODE = "opsunits"
POOL = "/var/lib/depot-ops-pool"


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def toolchain_library_dirs(binary: Path) -> list[str]:
    """Directories outside /usr the binary loads libraries from (a debug build's Swift runtime)."""
    listing = run(["ldd", str(binary)]).stdout
    paths = re.findall(r"=> (/\S+)", listing)
    return sorted({str(Path(path).parent) for path in paths if not path.startswith(("/usr/", "/lib/", "/lib64/"))})


class Container:
    """One systemd-nspawn container booting this machine's /usr; stopped by its PID."""

    def __init__(self, log: Path, binds: list[str]):
        self.machine = f"depot-ops-{os.getpid()}"
        self.log = log
        self.argv = [shutil.which("systemd-nspawn"), "--directory=/", "--volatile=yes", "--private-network", "--register=no",
                     "--keep-unit", f"--machine={self.machine}", "--console=pipe", *binds, "--boot"]
        self.proc: subprocess.Popen | None = None
        self.init: int | None = None

    def start(self) -> "Container":
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        wait_for(self._found_init, "systemd as the container's PID 1", timeout=60)
        wait_for(lambda: Path(f"/proc/{self.init}/root/run/systemd/private").exists(), "the container's systemd to listen", timeout=60)
        return self

    def _found_init(self) -> bool:
        assert self.proc is not None and self.proc.poll() is None, f"systemd-nspawn exited: {self.log.read_text()[-3000:]}"
        for child in children(self.proc.pid):
            if Path(f"/proc/{child}/comm").read_text().strip() == "systemd":
                self.init = child
                return True
        return False

    def run(self, *argv: str, check: bool = True, timeout: float = 60) -> subprocess.CompletedProcess:
        return run(["nsenter", "-t", str(self.init), "-a", "env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", *argv],
                   check=check, timeout=timeout)

    def depot(self, *words: str) -> str:
        return self.run("env", "LS_CONTROLLERS=127.0.0.1:3370", "depot", "--no-color", *words).stdout

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def test_units_run_under_systemd_with_their_sandboxing(package, workdir):
    if shutil.which("systemd-nspawn") is None or shutil.which("nsenter") is None:
        pytest.skip("needs systemd-nspawn (package systemd-container) and nsenter")
    loops = [f"--bind={device}" for device in sorted(map(str, Path("/dev").glob("loop[0-9]*")))]
    binds = ["--bind-ro=/etc/depot", "--bind=/dev/loop-control", *loops]
    binds += [f"--bind-ro={directory}" for directory in toolchain_library_dirs(Path("/usr/bin/depot-controller"))]
    container = Container(workdir / "container.log", binds)
    try:
        container.start()
        # The container has loopback only: its wait for a network would hold network-online.target
        # (which the units are ordered after) for two minutes.
        container.run("systemctl", "mask", "--runtime", "--now", "systemd-networkd-wait-online.service")
        container.run("systemctl", "start", *UNITS, timeout=120)

        def online() -> bool:
            listed = container.run("env", "LS_CONTROLLERS=127.0.0.1:3370", "depot", "--no-color", "node", "list", check=False).stdout
            return any(NODE in row and "Online" in row for row in listed.splitlines())

        wait_for(lambda: container.run("env", "LS_CONTROLLERS=127.0.0.1:3370", "depot", "--no-color", "controller", "version",
                                       check=False).returncode == 0, "the controller's REST API in the container")
        container.depot("node", "create", NODE, "127.0.0.1")
        wait_for(online, f"{NODE} ONLINE under systemd")
        container.run("mkdir", "-p", POOL)
        container.depot("storage-pool", "create", "filethin", NODE, "opspool", POOL)
        container.depot("resource-definition", "create", "--layer-list", "storage", "UnitData")
        container.depot("volume-definition", "create", "UnitData", "8m")
        created = container.depot("resource", "create", "--storage-pool", "opspool", NODE, "UnitData")
        assert "ready on node" in created, created
        assert "/dev/loop" in container.depot("volume", "list")
        container.depot("resource-definition", "delete", "UnitData")
        wait_for(lambda: container.run("ls", POOL).stdout.strip() == "", "the volume's image removed")

        container.run("systemctl", "stop", *UNITS)
        shown = container.run("systemctl", "show", "-p", "Result", "-p", "ExecMainStatus", "-p", "NRestarts", *UNITS).stdout
        assert sorted(shown.split()) == sorted(["Result=success", "ExecMainStatus=0", "NRestarts=0"] * 2), shown
    except BaseException:
        if container.init is not None:
            journal = container.run("journalctl", "--no-pager", "-u", UNITS[0], "-u", UNITS[1], check=False).stdout
            print(f"--- the units' journal ---\n{journal[-6000:]}")
        print(f"--- systemd-nspawn ---\n{container.log.read_text(errors='replace')[-3000:]}")
        raise
    finally:
        container.stop()
        # A volume the test could not delete stays attached to its loop device: detach it.
        listing = run(["losetup", "--list", "--noheadings", "--output", "NAME,BACK-FILE"], check=False).stdout
        for line in listing.splitlines():
            fields = line.split(None, 1)
            if len(fields) == 2 and fields[1].strip().startswith(POOL):
                subprocess.run(["losetup", "-d", fields[0]], capture_output=True)
        shutil.rmtree(f"/run/systemd/nspawn/propagate/{container.machine}", ignore_errors=True)
