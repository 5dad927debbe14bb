"""Helpers of the operations tests (tests/ops): running the project's install and package scripts,
reading systemd units and sample configs, and starting daemons from installed paths.

The binaries come from $DEPOT_OPS_SCRATCH_PATH/$DEPOT_OPS_CONFIGURATION (default .build/debug, what
CI has just built); the scripts install them with SKIP_BUILD=1, so no test compiles anything.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
SCRATCH_PATH = Path(os.environ.get("DEPOT_OPS_SCRATCH_PATH") or REPO / ".build")
CONFIGURATION = os.environ.get("DEPOT_OPS_CONFIGURATION", "debug")
BINARIES = ("depot-controller", "depot-satellite", "depot", "depot-pki")
UNITS = ("depot-controller.service", "depot-satellite.service")
CONFIGS = ("depot-controller.toml", "depot-satellite.toml")
APT_ENV = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
APT_LOCK = ["-o", "DPkg::Lock::Timeout=300"]
PACKAGE_PATHS = [Path("/usr/bin") / name for name in BINARIES] + [Path("/lib/systemd/system") / unit for unit in UNITS] \
    + [Path("/etc/depot") / config for config in CONFIGS]


def package_status() -> str:
    done = run(["dpkg-query", "-W", "-f=${Status}", "depot"], check=False)
    return done.stdout.strip() if done.returncode == 0 else ""


def purge() -> None:
    """Removes the depot package with its configs (apt-get, dpkg as the fallback)."""
    if package_status():
        run(["apt-get", "remove", "--purge", "-y", *APT_LOCK, "depot"], env=APT_ENV, check=False, timeout=600)
    if package_status():
        run(["dpkg", "--purge", "depot"], check=False, timeout=600)


def built_binaries_missing() -> list[str]:
    return [str(SCRATCH_PATH / CONFIGURATION / name) for name in BINARIES if not (SCRATCH_PATH / CONFIGURATION / name).exists()]


def script_env(**extra: str) -> dict[str, str]:
    """The environment for scripts/install.sh and scripts/build-deb.sh: already-built binaries."""
    env = dict(os.environ, SKIP_BUILD="1", CONFIGURATION=CONFIGURATION, SCRATCH_PATH=str(SCRATCH_PATH))
    env.update(extra)
    return env


def run(argv: list[str], timeout: float = 300, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL, **kwargs)
    if check:
        assert done.returncode == 0, f"{argv} exited {done.returncode}\n--- stdout ---\n{done.stdout}\n--- stderr ---\n{done.stderr}"
    return done


def unit_settings(path: Path) -> dict[str, list[str]]:
    """`Key` -> every value it is given in the unit file (comments skipped)."""
    settings: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";", "[")):
            continue
        key, _, value = line.partition("=")
        settings.setdefault(key.strip(), []).append(value.strip())
    return settings


SAMPLE_KEY = re.compile(r"^#?\s*([a-z][a-z_]*)\s*=")
SAMPLE_TABLE = re.compile(r"^#?\s*\[([a-z][a-z_]*)\]\s*$")


def sample_keys(path: Path) -> dict[str, set[str]]:
    """Keys a sample config names, set or commented out: "" -> top-level keys, table -> its keys."""
    keys: dict[str, set[str]] = {"": set()}
    table = ""
    for line in path.read_text().splitlines():
        if match := SAMPLE_TABLE.match(line):
            table = match.group(1)
            keys.setdefault(table, set())
        elif match := SAMPLE_KEY.match(line):
            keys[table].add(match.group(1))
    return keys


def accepted_keys(binary: Path, workdir: Path, table: str = "") -> tuple[set[str], set[str]]:
    """(keys, tables) a daemon accepts, from the message it gives for an unknown key.

    Both daemons refuse an unknown key naming the known ones ("known keys are a, b and the table
    [t]" / "the only key is k"); this reads that list so the test follows the Swift parsers.
    """
    config = workdir / f"unknown-key-{binary.name}-{table or 'top'}.toml"
    header = f"[{table}]\n" if table else ""
    config.write_text(f'{header}depot_ops_unknown_key = "x"\n')
    done = run([str(binary), "--config", str(config)], timeout=30, check=False)
    assert done.returncode == 2, f"{binary.name} with an unknown key exited {done.returncode}: {done.stderr}"
    match = re.search(r"(?:known keys are|the only key is) (.*?)\.?\s*$", done.stderr.strip(), re.S)
    assert match, f"{binary.name} did not name its known keys: {done.stderr}"
    listed = match.group(1)
    tables = set(re.findall(r"\[([a-z_]+)\]", listed))
    words = set(re.findall(r"\b[a-z]+(?:_[a-z]+)*\b", re.sub(r"\[[a-z_]+\]", "", listed)))
    return words - {"and", "the", "table", "tables"}, tables


def free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def wait_for(predicate, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def healthy(rest: str) -> bool:
    try:
        with urllib.request.urlopen(f"http://{rest}/health", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def view_resources(rest: str) -> list[dict]:
    with urllib.request.urlopen(f"http://{rest}/v1/view/resources", timeout=5) as response:
        return json.load(response)


class Daemon:
    """One process started by a test, with its log; stopped by its PID."""

    def __init__(self, argv: list[str], log: Path):
        self.argv = argv
        self.log = log
        self.proc: subprocess.Popen | None = None

    def start(self) -> "Daemon":
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        return self

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout: float = 15) -> int | None:
        """SIGTERM, then SIGKILL after `timeout`; the exit status, or None when it had to be killed."""
        if self.proc is None:
            return None
        if self.proc.poll() is not None:
            return self.proc.returncode
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return None

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError as error:
            return f"<cannot read {self.log}: {error}>"
