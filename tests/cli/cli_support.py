"""Helpers of the `depot` CLI system tests: binaries, controller processes, the depot runner.

Kept apart from conftest.py under a unique module name, so that test files can import them while
other suites (tests/compat) have their own conftest.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO / "tests"))
import database_engine  # noqa: E402  (tests/database_engine.py)
START_TIMEOUT = 30.0

# The article's cluster on loopback (192.168.133.N -> 127.0.0.N, 192.168.144.N -> 127.0.1.N).
ARTICLE_NODES = [
    "node create --node-type Combined romulus 127.0.0.11",
    "node create --node-type satellite remus 127.0.0.12",
    "node create --node-type satellite vulcan 127.0.0.13",
    "node create --node-type satellite kronos 127.0.0.14",
]
ARTICLE_INTERFACES = [
    "node interface create romulus drbd 127.0.1.11",
    "node interface create remus drbd 127.0.1.12",
    "node interface create vulcan drbd 127.0.1.13",
    "node interface create kronos drbd 127.0.1.14",
]
NODES = ["romulus", "remus", "vulcan", "kronos"]


def by_name(items, key="name"):
    return {item[key]: item for item in items}


def binary(env_name: str, default: str) -> Path:
    value = os.environ.get(env_name)
    return Path(value) if value else REPO / ".build" / "debug" / default


def require_binary(env_name: str, default: str) -> Path:
    path = binary(env_name, default)
    if not path.exists() or not os.access(path, os.X_OK):
        pytest.skip(f"{default} binary not found at {path} (build it or set {env_name})")
    return path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Controller:
    port: int
    process: subprocess.Popen
    data_dir: Path

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def rest(self, path: str):
        """GET a REST path directly (the reference the CLI output is compared with)."""
        with urllib.request.urlopen(f"http://{self.address}{path}", timeout=10) as response:
            return json.loads(response.read().decode())


def start_controller(binary: Path, root: Path) -> Controller:
    port = free_port()
    data = root / f"data-{port}"
    log = open(root / f"controller-{port}.log", "wb")
    process = subprocess.Popen(
        [str(binary), "--data-dir", str(data), "--rest-bind", f"127.0.0.1:{port}"] + database_engine.controller_args(data),
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"depot-controller exited with {process.returncode}; see {log.name}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/controller/version", timeout=1):
                return Controller(port, process, data)
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("depot-controller did not answer in time")


def stop_controller(controller: Controller) -> None:
    if controller.process.poll() is None:
        controller.process.send_signal(signal.SIGTERM)
        try:
            controller.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            controller.process.kill()
            controller.process.wait()
    database_engine.release(controller.data_dir)


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


class DepotRunner:
    """Runs the depot binary with a clean environment pointed at one controller."""

    def __init__(self, binary: Path, home: Path, controller: Controller | None):
        self.binary = binary
        self.home = home
        self.controller = controller

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LS_")}
        env["HOME"] = str(self.home)
        env["LANG"] = "C.UTF-8"
        if self.controller is not None:
            env["LS_CONTROLLERS"] = self.controller.address
        env.update(extra or {})
        return env

    def __call__(self, *args: str, env: dict[str, str] | None = None, stdin: str | None = None,
                 timeout: float = 60) -> Result:
        completed = subprocess.run(
            [str(self.binary), *args], input=stdin, capture_output=True, text=True, env=self.env(env),
            timeout=timeout, start_new_session=True,
            stdin=None if stdin is not None else subprocess.DEVNULL,
        )
        return Result(completed.returncode, completed.stdout, completed.stderr)

    def line(self, text: str, **kwargs) -> Result:
        """Runs a command written as in the article (split on spaces)."""
        return self(*text.split(), **kwargs)

    def ok(self, text: str) -> Result:
        result = self(*text.split())
        assert result.code == 0, f"`depot {text}` exited {result.code}:\n{result.out}\n{result.err}"
        return result
