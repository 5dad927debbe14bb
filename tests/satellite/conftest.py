"""Fixtures for the satellite system tests: a real depot-controller and real depot-satellite
processes on loopback addresses (127.0.0.2, 127.0.0.3, ...), FILE_THIN pools in a temp dir.

Every loop device a test's pools attached is detached at teardown (found by backing file), the
processes are stopped by PID, the temp dir is removed — also when the test fails.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import linstor
import pytest

REPO = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO / "tests"))
import database_engine  # noqa: E402  (tests/database_engine.py)


def binary(env: str, name: str) -> Path:
    return Path(os.environ.get(env) or REPO / ".build" / "debug" / name)


def is_error(replies) -> bool:
    return any(r.is_error() for r in replies)


def full(reply) -> str:
    """Everything a reply says: message, cause, correction and details."""
    return " | ".join(part for part in (reply.message, reply.cause, reply.correction, reply.details) if part)


def messages(replies) -> list[str]:
    return [full(r) for r in replies]


def free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class Daemon:
    """One started process with its log; stopped by PID."""

    def __init__(self, argv: list[str], log: Path, env: dict[str, str] | None = None):
        self.argv = argv
        self.log = log
        self.env = env
        self.proc: subprocess.Popen | None = None

    def start(self) -> "Daemon":
        self.proc = subprocess.Popen(
            self.argv, stdout=subprocess.DEVNULL, stderr=open(self.log, "ab"), stdin=subprocess.DEVNULL, env=self.env)
        return self

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 10) -> int | None:
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return None


class Cluster:
    """A controller plus satellites; each satellite listens on its own 127.0.0.N."""

    def __init__(self, root: Path, controller_args: list[str] | None = None):
        self.root = root
        self.daemons: list[Daemon] = []
        self.satellites: dict[str, Daemon] = {}
        self.ports: dict[str, tuple[str, int]] = {}
        port = free_port("127.0.0.1")
        self.rest = f"127.0.0.1:{port}"
        # The controller's arguments without the test's own: a restart with other flags keeps its
        # data directory, REST address and database.
        self.controller_base = [
            str(binary("DEPOT_CONTROLLER", "depot-controller")), "--data-dir", str(root / "controller"), "--rest-bind", self.rest,
        ] + database_engine.controller_args(root / "controller", list(controller_args or []))
        self.controller = Daemon(self.controller_base + list(controller_args or []), root / "controller.log").start()
        self.daemons.append(self.controller)
        self.wait_for(lambda: self._healthy(), "controller health")
        self.client = linstor.Linstor(f"linstor://{self.rest}")
        self.client.connect()

    def _healthy(self) -> bool:
        import urllib.request
        try:
            return urllib.request.urlopen(f"http://{self.rest}/health", timeout=1).status == 200
        except OSError:
            return False

    def start_satellite(self, name: str, address: str, extra_args: list[str] | None = None, env: dict[str, str] | None = None) -> Daemon:
        if name not in self.ports:
            self.ports[name] = (address, free_port(address))
        address, port = self.ports[name]
        daemon = Daemon(
            [str(binary("DEPOT_SATELLITE", "depot-satellite")), "--bind", f"{address}:{port}", "--state-dir",
             str(self.root / f"state-{name}"), "--hostname", name, "--rest-token-file", str(self.token_file(name))]
            + list(extra_args or []), self.root / f"{name}.log", env).start()
        self.daemons.append(daemon)
        self.satellites[name] = daemon
        return daemon

    def token_file(self, name: str) -> Path:
        """Where the node's satellite writes its REST token: in the test's directory, never in
        /var/lib/linstor.d, which every python-linstor client on this machine would read."""
        return self.root / f"auth-{name}.json"

    def online_node(self, name: str, address: str) -> Daemon:
        """Starts a satellite, registers its node and waits until the controller has it ONLINE."""
        daemon = self.start_satellite(name, address)
        node_address, port = self.ports[name]
        self.client.node_create(name, "Satellite", node_address, port=port)
        self.wait_for(lambda: self.node(name).connection_status == "ONLINE", f"{name} ONLINE")
        return daemon

    def file_pool(self, node: str, pool: str = "filepool") -> Path:
        """A FILE_THIN pool on the node in a directory of the test's own."""
        directory = self.pool_dir(node)
        self.client.storage_pool_create(node, pool, "FILE_THIN", str(directory))
        return directory

    def depot(self, *words: str, code: int = 0) -> str:
        """Runs the built `depot` (no colours) against this cluster's controller; returns stdout."""
        depot = binary("DEPOT", "depot")
        if not depot.exists():
            pytest.skip(f"depot not built at {depot}")
        done = subprocess.run([str(depot), "--no-color", *words], env=dict(os.environ, LS_CONTROLLERS=self.rest),
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == code, (words, done.returncode, done.stdout, done.stderr)
        return done.stdout

    def pool_dir(self, name: str) -> Path:
        path = self.root / f"pool-{name}"
        path.mkdir(exist_ok=True)
        return path

    @staticmethod
    def wait_for(predicate, what: str, timeout: float = 20) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if predicate():
                return
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}")

    def node(self, name: str):
        return next(n for n in self.client.node_list()[0].nodes if n.name == name)

    def loop_devices(self) -> list[tuple[str, str]]:
        out = subprocess.run(["losetup", "--list", "--noheadings", "--output", "NAME,BACK-FILE"], capture_output=True, text=True).stdout
        pairs = [line.split(None, 1) for line in out.splitlines() if line.strip()]
        return [(dev, back.strip()) for dev, back in pairs if back.strip().startswith(str(self.root))]

    def close(self) -> None:
        for daemon in reversed(self.daemons):
            daemon.stop()
        for device, _ in self.loop_devices():
            subprocess.run(["losetup", "-d", device], capture_output=True)
        database_engine.release(self.root / "controller")


@pytest.fixture
def cluster():
    for name, env in (("depot-controller", "DEPOT_CONTROLLER"), ("depot-satellite", "DEPOT_SATELLITE")):
        if not binary(env, name).exists():
            pytest.skip(f"{name} not built at {binary(env, name)}")
    if os.geteuid() != 0 or shutil.which("losetup") is None:
        pytest.skip("needs root and losetup for FILE_THIN pools on loop devices")
    root = Path(tempfile.mkdtemp(prefix="depot-sat-"))
    cluster = Cluster(root)
    try:
        yield cluster
    finally:
        cluster.close()
        shutil.rmtree(root, ignore_errors=True)


STANDIN = REPO / "tests" / "drbd_standin" / "drbd_kernel_standin.py"
# drbdmeta and drbdadm leave these behind (TESTING.md); the fixture removes the ones that appear.
DRBD_LEFTOVER_DIRS = [Path("/run/drbd"), Path("/var/lib/drbd"), Path("/run/lock")]


def drbd_leftovers() -> set[Path]:
    found = set()
    for directory in DRBD_LEFTOVER_DIRS:
        if directory.is_dir():
            found |= {p for p in directory.iterdir() if p.name.startswith("drbd")}
    return found


class DRBDCluster(Cluster):
    """A cluster whose satellites run the DRBD layer against the DRBD kernel stand-in (test code,
    tests/drbd_standin): real drbdadm and drbdmeta, simulated kernel. Each node gets its own
    127.0.0.N/32 on lo (drbdadm checks that a node's address is local), its own DRBD config dir
    and its own drbdsetup wrapper naming the node for the stand-in."""

    def __init__(self, root: Path, sync_seconds: float = 2, handshake_seconds: float = 1):
        self.kernel = root / "drbd-kernel"
        self.kernel.mkdir()
        self.sync_seconds = sync_seconds
        self.handshake_seconds = handshake_seconds
        self.added_addresses: list[str] = []
        super().__init__(root)

    def add_address(self, address: str) -> None:
        shown = subprocess.run(["ip", "-4", "-o", "addr", "show", "dev", "lo"], capture_output=True, text=True).stdout
        if f" {address}/32 " in shown:
            return
        subprocess.run(["ip", "addr", "add", f"{address}/32", "dev", "lo"], check=True)
        self.added_addresses.append(address)

    def drbdsetup(self, name: str) -> Path:
        """The node's drbdsetup: the stand-in with the node's name and the cluster's state dir."""
        wrapper = self.root / f"drbdsetup-{name}"
        wrapper.write_text(
            "#!/bin/sh\n# TEST-ONLY: the DRBD kernel stand-in as this node's drbdsetup.\n"
            f"export DRBD_STANDIN_CLUSTER='{self.kernel}' DRBD_STANDIN_NODE='{name}' DRBD_STANDIN_SYNC_SECONDS='{self.sync_seconds}' "
            f"DRBD_STANDIN_HANDSHAKE_SECONDS='{self.handshake_seconds}'\n"
            f"exec python3 '{STANDIN}' \"$@\"\n")
        wrapper.chmod(0o755)
        return wrapper

    def config_dir(self, name: str) -> Path:
        return self.root / f"drbd-{name}"

    def system_include(self, name: str) -> Path:
        """The node's stand-in for /etc/drbd.d/depot-resources.res (the host's /etc stays untouched)."""
        directory = self.root / f"etc-drbd.d-{name}"
        directory.mkdir(exist_ok=True)
        return directory / "depot-resources.res"

    def drbd_args(self, name: str) -> list[str]:
        return ["--drbdsetup", str(self.drbdsetup(name)), "--drbd-config-dir", str(self.config_dir(name)),
                "--drbd-system-include", str(self.system_include(name))]

    def drbd_node(self, name: str, address: str, pool_kind: str = "FILE_THIN", env: dict[str, str] | None = None) -> Daemon:
        """A DRBD-capable satellite, registered, ONLINE, with a pool 'thinpool' of `pool_kind`."""
        self.add_address(address)
        daemon = self.start_satellite(name, address, self.drbd_args(name), env)
        node_address, port = self.ports[name]
        self.client.node_create(name, "Satellite", node_address, port=port)
        self.wait_for(lambda: self.node(name).connection_status == "ONLINE", f"{name} ONLINE")
        self.client.storage_pool_create(name, "thinpool", pool_kind, str(self.pool_dir(name)))
        return daemon

    def restart_satellite(self, name: str) -> Daemon:
        address, _ = self.ports[name]
        return self.start_satellite(name, address, self.drbd_args(name))

    def failing_drbdmeta_path(self) -> str:
        """A PATH whose drbdmeta (TEST-ONLY) refuses create-md as a read-only device would and runs
        the real drbdmeta for everything else."""
        directory = self.root / "failing-drbdmeta"
        directory.mkdir(exist_ok=True)
        real = shutil.which("drbdmeta")
        script = directory / "drbdmeta"
        script.write_text(
            "#!/bin/sh\n# TEST-ONLY: create-md fails as on a read-only device; all else is the real drbdmeta.\n"
            'for arg in "$@"; do if [ "$arg" = create-md ]; then '
            'echo "open(${4:-device}) failed: Read-only file system" >&2; exit 20; fi; done\n'
            f'exec {real} "$@"\n')
        script.chmod(0o755)
        return f"{directory}:{os.environ.get('PATH', '/usr/sbin:/usr/bin:/sbin:/bin')}"

    def control(self, node: str, *args: str) -> str:
        return subprocess.run(
            ["python3", str(STANDIN), "control", str(self.kernel / node), "--node", node, *args],
            capture_output=True, text=True, check=True).stdout

    def resources(self, name: str) -> dict:
        """node -> resource JSON as /v1/view/resources gives it."""
        import json
        import urllib.request
        with urllib.request.urlopen(f"http://{self.rest}/v1/view/resources?resources={name}", timeout=5) as response:
            return {r["node_name"]: r for r in json.load(response)}

    def disk_states(self, name: str) -> dict:
        return {node: [v.get("state", {}).get("disk_state") for v in r.get("volumes", [])] for node, r in self.resources(name).items()}

    def close(self) -> None:
        super().close()
        for address in self.added_addresses:
            subprocess.run(["ip", "addr", "del", f"{address}/32", "dev", "lo"], capture_output=True)


@pytest.fixture
def drbd_cluster():
    for name, env in (("depot-controller", "DEPOT_CONTROLLER"), ("depot-satellite", "DEPOT_SATELLITE")):
        if not binary(env, name).exists():
            pytest.skip(f"{name} not built at {binary(env, name)}")
    missing = [tool for tool in ("losetup", "drbdadm", "drbdmeta", "ip") if shutil.which(tool) is None]
    if os.geteuid() != 0 or missing:
        pytest.skip(f"needs root and {', '.join(missing) or 'the DRBD tools'} (CI installs drbd-utils)")
    before = drbd_leftovers()
    root = Path(tempfile.mkdtemp(prefix="depot-drbd-"))
    cluster = DRBDCluster(root)
    try:
        yield cluster
    finally:
        cluster.close()
        shutil.rmtree(root, ignore_errors=True)
        for path in drbd_leftovers() - before:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
