"""Certificates made by depot-pki serve the controller-satellite link (mutual TLS): a satellite with
its node certificate comes ONLINE over SSL with the controller's certificate, the same file the
controller can serve HTTPS with.
"""

from __future__ import annotations

import subprocess

import pytest

from conftest import binary
from test_tls import controller_tls_args, log_text, make_cluster, start_tls_satellite  # noqa: F401  (fixture)


def test_depot_pki_certificates_bring_an_ssl_node_online(make_cluster):
    root, pki, build = make_cluster
    tool = binary("DEPOT_PKI", "depot-pki")
    if not tool.exists():
        pytest.skip(f"depot-pki not built at {tool}")
    subprocess.run([str(tool), "init", "--dir", str(pki)], check=True, capture_output=True)
    for name in ("controller", "vulcan"):
        subprocess.run([str(tool), "issue", name, "--dir", str(pki), "--address", "127.0.0.1"], check=True, capture_output=True)
    cluster = build(lambda pki: controller_tls_args(pki / "controller.crt", pki / "controller.key", pki / "ca.crt"))

    tls_port = start_tls_satellite(cluster, "vulcan", "127.0.0.2", pki, pki / "ca.crt")
    assert "SSL" in log_text(cluster, "vulcan")
    replies = cluster.client.node_create("vulcan", "Satellite", "127.0.0.2", port=tls_port, com_type="SSL")
    assert not any(r.is_error() for r in replies)
    cluster.wait_for(lambda: cluster.node("vulcan").connection_status == "ONLINE", "vulcan ONLINE over TLS")
