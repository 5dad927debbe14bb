"""Process and HTTP plumbing of the compatibility suite (used by conftest.py and the tests).

ControllerProcess starts one depot-controller (free 127.0.0.1 port, stderr to a file),
waits for GET /health = 200 and stops it with SIGTERM; ControllerFactory owns all the
processes of one test.  Recorder keeps every (method, path, status, content-type, body)
a test saw; RestClient is a tiny recording HTTP client for requests python-linstor cannot
make; install_linstor_recorder wraps python-linstor's HTTP layer (without changing its files).
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Iterable

import pytest

import linstor
from linstor import linstorapi

import openapi

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE.parent))
import database_engine  # noqa: E402  (tests/database_engine.py)

START_TIMEOUT = float(os.environ.get("DEPOT_COMPAT_START_TIMEOUT", "30"))
STOP_TIMEOUT = float(os.environ.get("DEPOT_COMPAT_STOP_TIMEOUT", "10"))
HTTP_TIMEOUT = 30.0


def controller_binary() -> Path:
    env = os.environ.get("DEPOT_CONTROLLER")
    if env:
        return Path(env)
    return REPO / ".build" / "debug" / "depot-controller"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tail(path: Path, lines: int = 60) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return f"<cannot read {path}: {exc}>"
    text = data.decode("utf-8", "replace")
    return "\n".join(text.splitlines()[-lines:])


# ---------------------------------------------------------------------------
# recorder + raw client

class Recorder:
    """Collects (method, path, status, content-type, body text) of every response."""

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    def record(self, method: str, path: str, status: int, content_type: str | None, text: str | None) -> None:
        with self.lock:
            self.records.append(
                {"method": method, "path": path, "status": status, "content_type": content_type, "text": text}
            )

    def problems(self) -> list[str]:
        with self.lock:
            records = list(self.records)
        return openapi.iter_problems(records)


class Response:
    def __init__(self, status: int, headers: dict[str, str], raw: bytes):
        self.status = status
        self.headers = headers
        self.raw = raw
        self.text = raw.decode("utf-8", "replace")

    @property
    def json(self) -> Any:
        return json.loads(self.text)

    def __repr__(self) -> str:
        return f"Response({self.status}, {self.text[:300]!r})"


class RestClient:
    """Minimal HTTP client (one connection per request) that records every exchange."""

    def __init__(self, host: str, port: int, recorder: Recorder | None):
        self.host = host
        self.port = port
        self.recorder = recorder

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        raw: bytes | str | None = None,
        headers: dict[str, str] | None = None,
        record: bool = True,
        timeout: float = HTTP_TIMEOUT,
    ) -> Response:
        hdrs = {"User-Agent": "depot-compat-tests", "Accept": "application/json"}
        data: bytes | None = None
        if raw is not None:
            data = raw.encode() if isinstance(raw, str) else raw
            hdrs["Content-Type"] = "application/json"
        elif body is not None:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        if headers:
            hdrs.update(headers)
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.request(method, path, body=data, headers=hdrs)
            resp = conn.getresponse()
            payload = resp.read()
            out = Response(resp.status, {k.lower(): v for k, v in resp.getheaders()}, payload)
        finally:
            conn.close()
        if record and self.recorder is not None:
            self.recorder.record(method, path, out.status, out.headers.get("content-type"), out.text)
        return out

    def get(self, path: str, **kw) -> Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw) -> Response:
        return self.request("POST", path, body=body, **kw)

    def put(self, path: str, body: Any = None, **kw) -> Response:
        return self.request("PUT", path, body=body, **kw)

    def delete(self, path: str, **kw) -> Response:
        return self.request("DELETE", path, **kw)

    def alive(self) -> bool:
        try:
            return self.get("/health", record=False, timeout=10).status == 200
        except OSError:
            return False


# ---------------------------------------------------------------------------
# controller process

class ControllerProcess:
    """One depot-controller process."""

    _counter = 0

    def __init__(self, binary: Path, data_dir: Path, log_dir: Path, port: int | None = None,
                 extra_args: Iterable[str] = (), use_flags: bool = True, engine_args: Iterable[str] = ()):
        ControllerProcess._counter += 1
        self.index = ControllerProcess._counter
        self.binary = binary
        self.data_dir = data_dir
        self.port = port or free_port()
        self.stderr_path = log_dir / f"controller-{self.index}.stderr"
        self.stdout_path = log_dir / f"controller-{self.index}.stdout"
        self.extra_args = list(extra_args)
        self.use_flags = use_flags
        self.engine_args = list(engine_args)
        self.proc: subprocess.Popen | None = None
        self.returncode: int | None = None

    @property
    def name(self) -> str:
        return f"controller-{self.index} (port {self.port}, data {self.data_dir})"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def linstor_url(self) -> str:
        return f"linstor://127.0.0.1:{self.port}"

    def argv(self) -> list[str]:
        args = [str(self.binary)]
        if self.use_flags:
            args += ["--data-dir", str(self.data_dir), "--rest-bind", f"127.0.0.1:{self.port}"] + self.engine_args
        return args + self.extra_args

    def start(self) -> "ControllerProcess":
        self._err = open(self.stderr_path, "ab")
        self._out = open(self.stdout_path, "ab")
        self.proc = subprocess.Popen(
            self.argv(), stdin=subprocess.DEVNULL, stdout=self._out, stderr=self._err,
            cwd=str(self.data_dir.parent),
        )
        return self

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def wait_healthy(self, timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            if not self.running():
                rc = self.proc.poll() if self.proc else None
                raise RuntimeError(
                    f"{self.name} exited with status {rc} before /health answered\n"
                    f"argv: {self.argv()}\n--- stderr tail ---\n{self.stderr_tail()}"
                )
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/health")
                resp = conn.getresponse()
                resp.read()
                conn.close()
                if resp.status == 200:
                    return
                last = f"status {resp.status}"
            except OSError as exc:
                last = repr(exc)
            time.sleep(0.05)
        raise RuntimeError(
            f"{self.name}: GET /health did not answer 200 within {timeout}s (last: {last})\n"
            f"--- stderr tail ---\n{self.stderr_tail()}"
        )

    def wait_exit(self, timeout: float) -> int | None:
        if self.proc is None:
            return None
        try:
            self.returncode = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
        self._close_logs()
        return self.returncode

    def terminate(self, timeout: float = STOP_TIMEOUT) -> int | None:
        """SIGTERM; returns the exit status, or None if it did not exit in time (then SIGKILLed)."""
        if self.proc is None:
            return None
        if self.proc.poll() is not None:
            self.returncode = self.proc.returncode
            self._close_logs()
            return self.returncode
        self.proc.send_signal(signal.SIGTERM)
        rc = self.wait_exit(timeout)
        if rc is None:
            self.kill()
            return None
        return rc

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            try:
                self.returncode = self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        self._close_logs()

    def _close_logs(self) -> None:
        for fh in (getattr(self, "_err", None), getattr(self, "_out", None)):
            if fh is not None and not fh.closed:
                fh.close()

    def stderr_tail(self, lines: int = 60) -> str:
        if not self.stderr_path.exists() and getattr(self, "cached_tail", None) is not None:
            return self.cached_tail
        return tail(self.stderr_path, lines)

    def stderr_text(self) -> str:
        try:
            return self.stderr_path.read_text("utf-8", "replace")
        except OSError:
            return ""


class ControllerFactory:
    """Starts controllers for one test and stops them all at teardown."""

    def __init__(self, binary: Path, tmp_root: Path, sqlite: bool = False):
        self.binary = binary
        self.tmp_root = tmp_root
        # Keep the embedded database under DEPOT_TEST_ENGINE=postgresql (tests/database_engine.py).
        self.sqlite = sqlite
        self.procs: list[ControllerProcess] = []
        self.expected_exit: dict[int, set[int] | None] = {}

    def new_data_dir(self, name: str = "data") -> Path:
        path = self.tmp_root / name
        n = 1
        while path.exists():
            n += 1
            path = self.tmp_root / f"{name}{n}"
        path.mkdir(parents=True)
        return path

    def spawn(self, data_dir: Path | None = None, port: int | None = None, extra_args: Iterable[str] = (),
              use_flags: bool = True) -> ControllerProcess:
        """Start a process without waiting for health (for refusal tests)."""
        data_dir = data_dir or self.new_data_dir()
        extra_args = list(extra_args)
        engine_args = database_engine.controller_args(data_dir, extra_args, self.sqlite) if use_flags else []
        proc = ControllerProcess(self.binary, data_dir, self.tmp_root, port, extra_args, use_flags, engine_args)
        self.procs.append(proc)
        return proc.start()

    def start(self, data_dir: Path | None = None, extra_args: Iterable[str] = (), use_flags: bool = True,
              port: int | None = None) -> ControllerProcess:
        """Start a controller and wait for /health = 200 (retries on a port race)."""
        last_exc: Exception | None = None
        for _attempt in range(3):
            proc = self.spawn(data_dir, port, extra_args, use_flags)
            data_dir = proc.data_dir
            try:
                proc.wait_healthy()
                return proc
            except RuntimeError as exc:
                last_exc = exc
                proc.kill()
                self.expected_exit[proc.index] = None  # failed start: exit status not checked
                if port is not None or "address already in use" not in proc.stderr_text().lower():
                    break
        raise last_exc  # type: ignore[misc]

    def stop_all(self) -> list[str]:
        problems = []
        for proc in self.procs:
            if proc.proc is None:
                continue
            allowed = self.expected_exit.get(proc.index, {0})
            was_running = proc.running()
            rc = proc.terminate(STOP_TIMEOUT)
            if allowed is None:
                continue
            if was_running and rc is None:
                problems.append(
                    f"{proc.name} did not exit within {STOP_TIMEOUT}s of SIGTERM (killed)\n"
                    f"--- stderr tail ---\n{proc.stderr_tail()}"
                )
            elif rc is not None and rc not in allowed:
                problems.append(
                    f"{proc.name} exited with status {rc}, expected {sorted(allowed)}\n"
                    f"--- stderr tail ---\n{proc.stderr_tail()}"
                )
        for data_dir in {proc.data_dir for proc in self.procs}:
            database_engine.release(data_dir)
        return problems


# ---------------------------------------------------------------------------
# python-linstor response recording (monkeypatch, no file changes)

_current = threading.local()


def install_linstor_recorder(monkeypatch: pytest.MonkeyPatch, recorder: Recorder) -> None:
    orig_base = linstorapi.Linstor._rest_request_base
    orig_decode = linstorapi.Linstor.__dict__["_decode_response_data"].__func__

    def _rest_request_base(self, apicall, method, path, body=None, reconnect=True):
        response = orig_base(self, apicall, method, path, body, reconnect)
        if response is not None:
            try:
                response._depot_compat_request = (method, path)
            except AttributeError:
                pass
        return response

    def _decode_response_data(cls, response):
        text = orig_decode(cls, response)
        req = getattr(response, "_depot_compat_request", None)
        if req is not None:
            recorder.record(req[0], req[1], response.status, response.getheader("Content-Type"), text)
        return text

    monkeypatch.setattr(linstorapi.Linstor, "_rest_request_base", _rest_request_base)
    monkeypatch.setattr(linstorapi.Linstor, "_decode_response_data", classmethod(_decode_response_data))




def connect_linstor(proc: ControllerProcess) -> linstor.Linstor:
    client = linstor.Linstor(proc.linstor_url, timeout=int(HTTP_TIMEOUT))
    client.connect()
    return client


def port_is_free(port: int) -> bool:
    """True if nothing accepts connections on 127.0.0.1:port."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return False
    except OSError:
        return True
