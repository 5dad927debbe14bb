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
import tempfile
import time
from pathlib import Path

import linstor
import pytest

REPO = Path(__file__).resolve().parent.parent.parent


def binary(env: str, name: str) -> Path:
    return Path(os.environ.get(env) or REPO / ".build" / "debug" / name)


def free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class Daemon:
    """One started process with its log; stopped by PID."""

    def __init__(self, argv: list[str], log: Path):
        self.argv = argv
        self.log = log
        self.proc: subprocess.Popen | None = None

    def start(self) -> "Daemon":
        self.proc = subprocess.Popen(self.argv, stdout=subprocess.DEVNULL, stderr=open(self.log, "ab"), stdin=subprocess.DEVNULL)
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
        self.controller = Daemon(
            [str(binary("DEPOT_CONTROLLER", "depot-controller")), "--data-dir", str(root / "controller"), "--rest-bind", self.rest]
            + list(controller_args or []),
            root / "controller.log").start()
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

    def start_satellite(self, name: str, address: str, extra_args: list[str] | None = None) -> Daemon:
        if name not in self.ports:
            self.ports[name] = (address, free_port(address))
        address, port = self.ports[name]
        daemon = Daemon(
            [str(binary("DEPOT_SATELLITE", "depot-satellite")), "--bind", f"{address}:{port}", "--state-dir",
             str(self.root / f"state-{name}"), "--hostname", name] + list(extra_args or []), self.root / f"{name}.log").start()
        self.daemons.append(daemon)
        self.satellites[name] = daemon
        return daemon

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
