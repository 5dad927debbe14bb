"""REST security against a real depot-controller: HTTPS from PEM files (made by depot-pki), client
certificates, the HTTP->HTTPS redirect, REST/AutoHTTPS, and LINSTOR 1.34 bearer tokens, driven by
python-linstor, raw requests as the Proxmox plugin sends them (``Authorization: Bearer``) and the
depot CLI.  Loopback only.
"""

from __future__ import annotations

import http.client
import json
import os
import ssl
import subprocess
import time
from pathlib import Path

import pytest

import linstor
from linstor import LinstorApiCallError, LinstorError

import database_engine  # tests/database_engine.py, on the path through compat_infra
from compat_infra import free_port

BUILD = Path(os.environ.get("DEPOT_CONTROLLER", Path(__file__).resolve().parents[2] / ".build/debug/depot-controller")).parent
PKI = BUILD / "depot-pki"
DEPOT = Path(os.environ.get("DEPOT", BUILD / "depot"))


@pytest.fixture
def pki(tmp_path) -> Path:
    if not PKI.exists():
        pytest.skip(f"depot-pki not built at {PKI}")
    directory = tmp_path / "pki"
    subprocess.run([str(PKI), "init", "--dir", str(directory)], check=True, capture_output=True)
    subprocess.run([str(PKI), "issue", "controller", "--dir", str(directory), "--address", "127.0.0.1"],
                   check=True, capture_output=True)
    subprocess.run([str(PKI), "issue", "admin", "--dir", str(directory)], check=True, capture_output=True)
    other = tmp_path / "other"
    subprocess.run([str(PKI), "init", "--dir", str(other)], check=True, capture_output=True)
    subprocess.run([str(PKI), "issue", "intruder", "--dir", str(other)], check=True, capture_output=True)
    return tmp_path


def https_args(pki: Path, port: int, client_ca: bool) -> list[str]:
    args = ["--https-certificate", str(pki / "pki/controller.crt"), "--https-key", str(pki / "pki/controller.key"),
            "--https-bind", f"127.0.0.1:{port}"]
    if client_ca:
        args += ["--https-ca", str(pki / "pki/ca.crt")]
    return args


def request(method: str, port: int, path: str, body: dict | None = None, token: str | None = None,
            context: ssl.SSLContext | None = None, source: str | None = None):
    """One request as the Proxmox plugin makes it; returns (status, headers, parsed body)."""
    source_address = (source, 0) if source else None
    if context is None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=source_address)
    else:
        conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=context, source_address=source_address)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    parsed = json.loads(data) if data and response.getheader("Content-Type", "").startswith("application/json") else data
    return response.status, response, parsed


def client_context(pki: Path, certificate: str | None = "admin", ca: str = "pki/ca.crt") -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(pki / ca))
    if certificate:
        context.load_cert_chain(str(pki / f"pki/{certificate}.crt"), str(pki / f"pki/{certificate}.key"))
    return context


def linstor_client(url: str, pki: Path | None = None, certificate: str | None = None, token: str | None = None):
    client = linstor.Linstor(url, timeout=10, auth_token=token)
    if pki is not None:
        client.cafile = str(pki / "pki/ca.crt")
    if certificate:
        client.certfile = str(pki / f"pki/{certificate}.crt")
        client.keyfile = str(pki / f"pki/{certificate}.key")
    client.connect()
    return client


def depot(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    if not DEPOT.exists():
        pytest.skip(f"depot not built at {DEPOT}")
    return subprocess.run([str(DEPOT), "--disable-config", *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "LS_CONTROLLERS": "", **(env or {})})


def test_https_with_a_ca_file_and_client_certificates(controller_factory, pki):
    https = free_port()
    controller = controller_factory.start(extra_args=https_args(pki, https, client_ca=True))

    client = linstor_client(f"linstor+ssl://127.0.0.1:{https}", pki, certificate="admin")
    assert client.controller_version().rest_api_version
    client.node_create("alpha", "Satellite", "127.0.0.11")
    assert [n.name for n in client.node_list_raise().nodes] == ["alpha"]
    client.disconnect()

    # Plain HTTP redirects /v1 to HTTPS (python-linstor's probe follows it), /health stays.
    status, response, _ = request("GET", controller.port, "/v1/nodes")
    assert status == 302
    assert response.getheader("Location") == f"https://127.0.0.1:{https}/v1/nodes"
    assert request("GET", controller.port, "/health")[0] == 200
    client = linstor_client(f"linstor://127.0.0.1:{controller.port}", pki, certificate="admin")
    assert [n.name for n in client.node_list_raise().nodes] == ["alpha"]
    client.disconnect()

    # No client certificate, or one another CA signed: the handshake is refused.
    with pytest.raises((LinstorError, ssl.SSLError, OSError)):
        linstor_client(f"linstor+ssl://127.0.0.1:{https}", pki).node_list_raise()
    intruder = ssl.create_default_context(cafile=str(pki / "pki/ca.crt"))
    intruder.load_cert_chain(str(pki / "other/intruder.crt"), str(pki / "other/intruder.key"))
    with pytest.raises((ssl.SSLError, OSError)):
        request("GET", https, "/v1/nodes", context=intruder)
    # A CA file that did not sign the controller's certificate: verification fails.
    with pytest.raises(ssl.SSLError):
        request("GET", https, "/v1/nodes", context=client_context(pki, ca="other/ca.crt"))

    # depot: LINSTOR's --cafile/--certfile/--keyfile, directly and through the redirect.
    tls = ["--cafile", str(pki / "pki/ca.crt"), "--certfile", str(pki / "pki/admin.crt"), "--keyfile", str(pki / "pki/admin.key")]
    for url in (f"linstor+ssl://127.0.0.1:{https}", f"127.0.0.1:{controller.port}"):
        result = depot("--controllers", url, *tls, "-m", "node", "list")
        assert result.returncode == 0, result.stderr
        assert [n["name"] for n in json.loads(result.stdout)[0]] == ["alpha"]
    refused = depot("--controllers", f"linstor+ssl://127.0.0.1:{https}", "--cafile", str(pki / "pki/ca.crt"), "node", "list")
    assert refused.returncode == 20
    wrong_ca = depot("--controllers", f"linstor+ssl://127.0.0.1:{https}", "--cafile", str(pki / "other/ca.crt"),
                     "--certfile", str(pki / "pki/admin.crt"), "--keyfile", str(pki / "pki/admin.key"), "node", "list")
    assert wrong_ca.returncode == 20


def test_bearer_tokens_over_https(controller_factory, pki, tmp_path):
    https = free_port()
    data_dir = controller_factory.new_data_dir()
    controller = controller_factory.start(data_dir=data_dir, extra_args=https_args(pki, https, client_ca=False))
    context = client_context(pki, certificate=None)

    # Before initialization nothing is enforced; initialize answers the first token once.
    assert request("GET", https, "/v1/nodes", context=context)[0] == 200
    status, _, replies = request("POST", https, "/v1/controller/auth/initialize-token-auth", {"description": "admin"},
                                 context=context)
    assert status == 201
    token = replies[0]["obj_refs"]["token"]
    assert replies[0]["message"] == f"Token authentication initialized successfully. Init token {token}"

    # No token, a wrong one: 401 with LINSTOR's challenge and reply.
    for presented in (None, "wrong-token"):
        status, response, body = request("GET", https, "/v1/nodes", token=presented, context=context)
        assert status == 401
        assert response.getheader("WWW-Authenticate") == 'Bearer realm="linstor-controller"'
        assert body[0]["message"] == "Unauthorized: token invalid or not provided"
    assert request("GET", https, "/health", context=context)[0] == 200

    # python-linstor with a CA file and the token; and without the token.
    client = linstor_client(f"linstor+ssl://127.0.0.1:{https}", pki, token=token)
    client.node_create("alpha", "Satellite", "127.0.0.11")
    client.disconnect()
    with pytest.raises(LinstorApiCallError):
        linstor_client(f"linstor+ssl://127.0.0.1:{https}", pki)
    with pytest.raises(LinstorApiCallError):
        linstor_client(f"linstor+ssl://127.0.0.1:{https}", pki, token="wrong-token")

    # A second token, listed without its text; then revoked: refused at once.
    status, _, replies = request("POST", https, "/v1/controller/auth/token", {"description": "proxmox"}, token=token,
                                 context=context)
    assert status == 201
    second = replies[0]["obj_refs"]["token"]
    assert request("GET", https, "/v1/resource-definitions", token=second, context=context)[0] == 200
    _, _, listing = request("GET", https, "/v1/controller/auth/token", token=token, context=context)
    assert listing["count"] == 2
    assert [t["description"] for t in listing["list"]] == ["admin", "proxmox"]
    assert all(t["is_active"] and t["is_user_token"] and "created_at" in t for t in listing["list"])
    assert token not in json.dumps(listing) and second not in json.dumps(listing)
    second_id = listing["list"][1]["id"]
    status, _, replies = request("DELETE", https, f"/v1/controller/auth/token/{second_id}", token=token, context=context)
    assert status == 200 and replies[0]["message"] == "Auth token revoked successfully"
    assert request("GET", https, "/v1/resource-definitions", token=second, context=context)[0] == 401
    with pytest.raises(LinstorApiCallError):
        linstor_client(f"linstor+ssl://127.0.0.1:{https}", pki, token=second)

    # An expired token; IP filters for another and for this client address.
    _, _, replies = request("POST", https, "/v1/controller/auth/token",
                            {"description": "old", "expires_at": "2000-01-01T00:00:00Z"}, token=token, context=context)
    assert request("GET", https, "/v1/nodes", token=replies[0]["obj_refs"]["token"], context=context)[0] == 401
    _, _, replies = request("POST", https, "/v1/controller/auth/token", {"description": "n2", "ip_filter": "127.0.0.2"},
                            token=token, context=context)
    filtered = replies[0]["obj_refs"]["token"]
    assert request("GET", https, "/v1/nodes", token=filtered, context=context)[0] == 401
    assert request("GET", https, "/v1/nodes", token=filtered, context=context, source="127.0.0.2")[0] == 200

    # depot reads the token from LINSTOR's auth.json format.
    token_file = tmp_path / "auth.json"
    token_file.write_text(json.dumps({"token": token}))
    result = depot("--controllers", f"linstor+ssl://127.0.0.1:{https}", "--cafile", str(pki / "pki/ca.crt"),
                   "--token-file", str(token_file), "-m", "node", "list")
    assert result.returncode == 0, result.stderr
    assert [n["name"] for n in json.loads(result.stdout)[0]] == ["alpha"]
    token_file.write_text(json.dumps({"token": second}))
    refused = depot("--controllers", f"linstor+ssl://127.0.0.1:{https}", "--cafile", str(pki / "pki/ca.crt"),
                    "--token-file", str(token_file), "node", "list")
    assert refused.returncode != 0

    # Tokens are durable, stored hashed.
    assert controller.terminate() == 0
    if controller.engine_args:
        stored = database_engine.psql(controller.engine_args[1], "SELECT encode(data, 'escape') FROM auth_tokens").encode()
        assert stored.count(b"tokenHash") == 4, stored
    else:
        stored = (data_dir / "depot.sqlite").read_bytes()
    assert token.encode() not in stored
    controller = controller_factory.start(data_dir=data_dir, extra_args=https_args(pki, https, client_ca=False))
    assert request("GET", https, "/v1/nodes", context=context)[0] == 401
    assert request("GET", https, "/v1/nodes", token=token, context=context)[0] == 200


def test_initialize_turns_on_auto_https(controller_factory, pki):
    https = free_port()
    controller = controller_factory.start(extra_args=["--https-bind", f"127.0.0.1:{https}"])
    status, _, replies = request("POST", controller.port, "/v1/controller/auth/initialize-token-auth", {})
    assert status == 201
    token = replies[0]["obj_refs"]["token"]
    deadline = time.monotonic() + 15
    while request("GET", controller.port, "/v1/controller/version")[0] != 302:
        assert time.monotonic() < deadline, "plain HTTP did not start redirecting to HTTPS"
        time.sleep(0.1)
    # python-linstor follows the redirect; without --cafile it does not verify the self-signed certificate.
    client = linstor_client(f"linstor://127.0.0.1:{controller.port}", token=token)
    assert client.controller_version().rest_api_version
    assert client._ctrl_host == f"linstor+ssl://127.0.0.1:{https}"
    client.controller_set_prop("REST/AutoHTTPS", "false")
    client.disconnect()
    deadline = time.monotonic() + 15
    while request("GET", controller.port, "/v1/controller/version", token=token)[0] != 200:
        assert time.monotonic() < deadline, "plain HTTP still redirects after REST/AutoHTTPS=false"
        time.sleep(0.1)


def test_https_disabled_in_the_configuration_ignores_auto_https(controller_factory, pki, tmp_path):
    https = free_port()
    config = tmp_path / "controller.toml"
    config.write_text(f'[https]\nenabled = false\nlisten_addr = "127.0.0.1"\nport = {https}\n'
                      f'certificate = "{pki / "pki/controller.crt"}"\nkey = "{pki / "pki/controller.key"}"\n')
    controller = controller_factory.start(extra_args=["--config", str(config)])
    status, _, _ = request("POST", controller.port, "/v1/controller/properties", {"override_props": {"REST/AutoHTTPS": "true"}})
    assert status == 201
    time.sleep(1)
    assert request("GET", controller.port, "/v1/controller/version")[0] == 200
    with pytest.raises(OSError):
        request("GET", https, "/v1/controller/version", context=client_context(pki, certificate=None))
    assert controller.terminate() == 0
