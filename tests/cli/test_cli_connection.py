"""Finding the controller: LS_CONTROLLERS, --controllers, config files, LS_CLIENT_*, failures."""

from __future__ import annotations

import time

from .cli_support import free_port


def test_controller_down_prints_one_line_and_exits_20(depot_offline):
    port = free_port()
    result = depot_offline("--controllers", f"127.0.0.1:{port}", "node", "list")
    assert result.code == 20
    assert result.out == ""
    assert result.err == f"Error: Unable to connect to linstor://127.0.0.1:{port}: [Errno 111] Connection refused\n"


def test_default_is_localhost_3370(depot_offline):
    result = depot_offline("node", "list", env={"LS_CONTROLLERS": ""})
    assert result.code in (0, 20)
    if result.code == 20:
        assert "linstor://localhost:3370" in result.err


def test_ls_controllers_and_failover(depot_offline, depot_controller):
    dead = free_port()
    result = depot_offline("node", "list", env={"LS_CONTROLLERS": f"127.0.0.1:{dead},{depot_controller.address}"})
    assert result.code == 0, result
    url = depot_offline("-m", "controller", "which", env={"LS_CONTROLLERS": f"http://{depot_controller.address}"})
    assert url.json() == {"controller_uri": f"linstor://{depot_controller.address}"}


def test_controllers_option_comes_before_ls_controllers(depot_offline, depot_controller_factory):
    first = depot_controller_factory()
    second = depot_controller_factory()
    only_env = depot_offline("controller", "which", env={"LS_CONTROLLERS": second.address})
    assert only_env.out.strip() == f"linstor://{second.address}"
    which = depot_offline("--controllers", first.address, "c", "which", env={"LS_CONTROLLERS": second.address})
    assert which.out.strip() == f"linstor://{first.address}"
    verbose = depot_offline("-V", "--controllers", first.address, "n", "l")
    assert verbose.out.startswith(f"Connected to linstor://{first.address}\n")


def test_user_config_file(depot_offline, depot_controller, workdir):
    config = workdir / "home" / ".config" / "linstor"
    config.mkdir(parents=True)
    (config / "linstor-client.conf").write_text(
        f"[global]\ncontrollers = {depot_controller.address}\nno-color =\n\n[node.list]\npastable = true\n"
    )
    depot_offline("node", "create", "n1", "127.0.0.11")
    result = depot_offline("node", "list")
    assert result.code == 0, result
    assert "\x1b[" not in result.out and "n1" in result.out
    ignored = depot_offline("--disable-config", "--controllers", f"127.0.0.1:{free_port()}", "node", "list")
    assert ignored.code == 20


def test_ls_client_environment(depot_offline, depot_controller):
    result = depot_offline("node", "list", env={"LS_CLIENT_CONTROLLERS": depot_controller.address, "LS_CLIENT_NO_COLOR": ""})
    assert result.code == 0, result
    assert "\x1b[" not in result.out


def test_curl_prints_the_request(depot_offline):
    result = depot_offline("--curl", "--controllers", "127.0.0.1:3999", "resource-definition", "create", "res1")
    assert result.code == 0
    assert result.out.startswith("curl -X POST -H 'Content-Type: application/json' -d ")
    assert result.out.rstrip().endswith("http://127.0.0.1:3999/v1/resource-definitions")
    assert '{"resource_definition":{"name":"res1"}}' in result.out


def test_timeout_option(depot_offline):
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    accepted = []
    threading.Thread(target=lambda: accepted.append(server.accept()), daemon=True).start()
    start = time.monotonic()
    result = depot_offline("-t", "1", "--controllers", f"127.0.0.1:{port}", "node", "list")
    assert time.monotonic() - start < 15
    assert result.code in (20, 21)
    assert result.err.count("\n") == 1
    server.close()
