"""LINSTOR's satellite tokens: once token authentication is on, every connected satellite writes a
REST token of its own for the clients on its node (LINSTOR's /var/lib/linstor.d/auth.json; here
each satellite's --rest-token-file in the test's directory).

Real controller and satellites; python-linstor's token calls (REST API 1.28) drive it. A node's
token works only from the node's address (LINSTOR's IP filter), is replaced when the satellite
reconnects, is revoked by `initialize-token-auth` with `only_satellites` (the connected satellites
get new ones) and by deleting the node.
"""

from __future__ import annotations

import http.client
import json
import stat

import linstor

from conftest import is_error, messages

ALPHA, BETA = "127.0.0.31", "127.0.0.32"


def status(cluster, token: str | None, source: str) -> int:
    """GET /v1/nodes with `token`, from `source` (a node's own address, as its clients would)."""
    host, port = cluster.rest.rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=10, source_address=(source, 0))
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    connection.request("GET", "/v1/nodes", headers=headers)
    code = connection.getresponse().status
    connection.close()
    return code


def token_of(cluster, name: str) -> str | None:
    path = cluster.token_file(name)
    return json.loads(path.read_text())["token"] if path.exists() else None


def test_connected_satellites_get_rest_tokens_for_their_clients(cluster):
    cluster.online_node("alpha", ALPHA)
    cluster.online_node("beta", BETA)
    assert token_of(cluster, "alpha") is None

    replies = cluster.client.controller_init_auth_token("admin", no_https=True)
    assert not is_error(replies), messages(replies)
    admin = replies[0].object_refs["token"]
    assert replies[0].message == f"Token authentication initialized successfully. Init token {admin}"
    cluster.wait_for(lambda: token_of(cluster, "alpha") and token_of(cluster, "beta"), "both satellites' token files")
    assert stat.S_IMODE(cluster.token_file("alpha").stat().st_mode) == 0o600
    first_alpha, first_beta = token_of(cluster, "alpha"), token_of(cluster, "beta")
    assert len({admin, first_alpha, first_beta}) == 3

    # A node's token works from that node's address only.
    assert status(cluster, first_alpha, ALPHA) == 200
    assert status(cluster, first_alpha, "127.0.0.1") == 401
    assert status(cluster, None, ALPHA) == 401

    # python-linstor's token calls: the satellites' tokens are not user tokens and name their node.
    admin_client = linstor.Linstor(f"linstor://{cluster.rest}", auth_token=admin)
    admin_client.allow_insecure = True  # plain HTTP on loopback (no_https above)
    admin_client.connect()
    listing = admin_client.controller_list_auth_tokens()[0].data_v1
    by_description = {t["description"]: t for t in listing["list"]}
    assert by_description["satellite:alpha"]["is_user_token"] is False
    assert by_description["satellite:alpha"]["ip_filter"] == ALPHA
    assert by_description["admin"]["is_user_token"] is True
    assert first_alpha not in json.dumps(listing)

    # A reconnect replaces the node's token: the old text stops working.
    cluster.satellites["alpha"].stop()
    cluster.start_satellite("alpha", ALPHA)
    cluster.wait_for(lambda: token_of(cluster, "alpha") not in (None, first_alpha), "alpha's new token", timeout=30)
    second_alpha = token_of(cluster, "alpha")
    assert status(cluster, first_alpha, ALPHA) == 401
    assert status(cluster, second_alpha, ALPHA) == 200

    # only_satellites on an initialized controller: every satellite token revoked, new ones sent.
    replies = admin_client.controller_init_auth_token("ignored", only_satellites=True)
    assert not is_error(replies), messages(replies)
    assert replies[0].message == "Satellite tokens re-initialized successfully"
    assert token_of(cluster, "alpha") != second_alpha and token_of(cluster, "beta") != first_beta
    assert status(cluster, second_alpha, ALPHA) == 401 and status(cluster, first_beta, BETA) == 401
    assert status(cluster, token_of(cluster, "beta"), BETA) == 200
    # Without only_satellites it changes nothing.
    again = admin_client.controller_init_auth_token("again")
    assert [r.message for r in again] == ["Token authentication is already enabled"]

    # Deleting a node revokes its satellite's token.
    beta_token = token_of(cluster, "beta")
    cluster.satellites["beta"].stop()
    assert not is_error(admin_client.node_delete("beta")), "node delete"
    assert status(cluster, beta_token, BETA) == 401
    listing = admin_client.controller_list_auth_tokens()[0].data_v1
    assert "satellite:beta" not in {t["description"] for t in listing["list"]}

    # The rest of python-linstor's 1.28 calls: a user token made, disabled, revoked; export-db.
    created = admin_client.controller_create_auth_token("ci", ip_filter="127.0.0.1")
    assert not is_error(created), messages(created)
    ci = created[0].object_refs["token"]
    assert status(cluster, ci, "127.0.0.1") == 200
    ci_id = next(t["id"] for t in admin_client.controller_list_auth_tokens()[0].data_v1["list"] if t["description"] == "ci")
    assert not is_error(admin_client.controller_modify_auth_token(ci_id, is_active=False))
    assert status(cluster, ci, "127.0.0.1") == 401
    assert not is_error(admin_client.controller_delete_auth_token(ci_id))
    exported = admin_client.controller_exportdb("with-tokens")
    assert not is_error(exported), messages(exported)
    export = json.loads((cluster.root / "controller" / "with-tokens.json").read_text())
    assert admin not in json.dumps(export) and second_alpha not in json.dumps(export)
    admin_client.disconnect()
