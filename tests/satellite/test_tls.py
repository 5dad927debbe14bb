"""Mutual TLS on the controller-satellite link: PEM files made with openssl in the test's temp dir,
a satellite listening with TLS on 127.0.0.2, nodes created with interface encryption type SSL.

Covers: an SSL node comes ONLINE and gets a FILE_THIN volume while a plain node works beside it; a
controller whose certificate another CA signed is refused (AUTHENTICATION_ERROR, reasons in both
logs); an SSL node without controller TLS settings stays OFFLINE with the reason logged; broken TLS
settings stop either daemon at start with the file named; a plain node moves to SSL with
`netinterface_modify`.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import linstor
import pytest

from conftest import Cluster, binary, free_port

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl to make test certificates")


def openssl(*args: str) -> None:
    subprocess.run(["openssl", *args], check=True, capture_output=True, text=True)


def make_ca(directory: Path, name: str) -> tuple[Path, Path]:
    """A throwaway cluster CA (EC P-256, valid two days)."""
    cert, key = directory / f"{name}.crt", directory / f"{name}.key"
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", str(key),
            "-out", str(cert), "-days", "2", "-subj", f"/CN={name}",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    return cert, key


def make_certificate(directory: Path, ca: tuple[Path, Path], name: str) -> tuple[Path, Path]:
    """A certificate for one controller or satellite, signed by `ca`, usable as TLS server and client."""
    cert, key, csr, ext = (directory / f"{name}.crt", directory / f"{name}.key", directory / f"{name}.csr",
                           directory / f"{name}.ext")
    ext.write_text("basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
                   "extendedKeyUsage=serverAuth,clientAuth\n")
    openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", str(key),
            "-out", str(csr), "-subj", f"/CN={name}")
    openssl("x509", "-req", "-in", str(csr), "-CA", str(ca[0]), "-CAkey", str(ca[1]), "-CAcreateserial",
            "-out", str(cert), "-days", "2", "-extfile", str(ext))
    return cert, key


def controller_tls_args(cert: Path, key: Path, ca: Path) -> list[str]:
    return ["--satellite-tls-certificate", str(cert), "--satellite-tls-key", str(key), "--satellite-tls-ca", str(ca)]


def start_tls_satellite(cluster: Cluster, name: str, address: str, pki: Path, ca: Path) -> int:
    """Starts a satellite with TLS on its own port of `address`; returns that port."""
    tls_port = free_port(address)
    cluster.start_satellite(name, address, extra_args=[
        "--tls-certificate", str(pki / f"{name}.crt"), "--tls-key", str(pki / f"{name}.key"), "--tls-ca", str(ca),
        "--tls-bind", f"{address}:{tls_port}"])
    cluster.wait_for(lambda: f"port={tls_port}" in (cluster.root / f"{name}.log").read_text(errors="replace"),
                     f"{name} listening with TLS")
    return tls_port


@pytest.fixture
def make_cluster():
    """Builds a cluster whose controller gets extra arguments; the PKI lives in the cluster's temp dir."""
    for name, env in (("depot-controller", "DEPOT_CONTROLLER"), ("depot-satellite", "DEPOT_SATELLITE")):
        if not binary(env, name).exists():
            pytest.skip(f"{name} not built at {binary(env, name)}")
    if shutil.which("losetup") is None:
        pytest.skip("needs losetup for FILE_THIN pools on loop devices")
    root = Path(tempfile.mkdtemp(prefix="depot-tls-"))
    pki = root / "pki"
    pki.mkdir()
    clusters: list[Cluster] = []

    def build(controller_args) -> Cluster:
        cluster = Cluster(root, controller_args=controller_args(pki))
        clusters.append(cluster)
        return cluster

    try:
        yield root, pki, build
    finally:
        for cluster in clusters:
            cluster.close()
        shutil.rmtree(root, ignore_errors=True)


def log_text(cluster: Cluster, name: str) -> str:
    return (cluster.root / f"{name}.log").read_text(errors="replace")


def test_ssl_node_comes_online_and_gets_a_volume_beside_a_plain_node(make_cluster):
    root, pki, build = make_cluster
    ca = make_ca(pki, "cluster-ca")
    make_certificate(pki, ca, "controller")
    make_certificate(pki, ca, "vulcan")
    cluster = build(lambda pki: controller_tls_args(pki / "controller.crt", pki / "controller.key", ca[0]))
    c = cluster.client

    tls_port = start_tls_satellite(cluster, "vulcan", "127.0.0.2", pki, ca[0])
    assert "SSL" in log_text(cluster, "vulcan")
    assert not any(r.is_error() for r in c.node_create("vulcan", "Satellite", "127.0.0.2", port=tls_port, com_type="SSL"))
    cluster.start_satellite("kronos", "127.0.0.3")
    address, port = cluster.ports["kronos"]
    assert not any(r.is_error() for r in c.node_create("kronos", "Satellite", address, port=port))
    cluster.wait_for(lambda: cluster.node("vulcan").connection_status == "ONLINE", "vulcan ONLINE over TLS")
    cluster.wait_for(lambda: cluster.node("kronos").connection_status == "ONLINE", "kronos ONLINE in plain TCP")
    interface = cluster.node("vulcan").net_interfaces[0]
    assert interface.stlt_encryption_type == "SSL" and interface.stlt_port == tls_port

    pool = cluster.pool_dir("vulcan")
    assert not any(r.is_error() for r in c.storage_pool_create("vulcan", "filepool", "FILE_THIN", str(pool)))
    c.resource_dfn_create("LocalData", layer_list=["storage"])
    c.volume_dfn_create("LocalData", 153600)
    replies = c.resource_create([linstor.ResourceData("vulcan", "LocalData", storage_pool="filepool")])
    assert not any(r.is_error() for r in replies), [str(r) for r in replies]
    image = pool / "LocalData_00000.img"
    assert image.stat().st_size == 153600 * 1024
    assert [back for _, back in cluster.loop_devices()] == [str(image)]

    assert not any(r.is_error() for r in c.resource_delete("vulcan", "LocalData"))
    assert not image.exists()
    assert cluster.loop_devices() == []


def test_satellite_refuses_a_controller_certificate_from_another_ca(make_cluster):
    root, pki, build = make_cluster
    ca = make_ca(pki, "cluster-ca")
    other_ca = make_ca(pki, "other-ca")
    make_certificate(pki, other_ca, "controller")
    make_certificate(pki, ca, "vulcan")
    # The controller trusts the cluster CA (so it would accept vulcan), but its own certificate comes
    # from another CA, which vulcan must refuse.
    cluster = build(lambda pki: controller_tls_args(pki / "controller.crt", pki / "controller.key", ca[0]))
    c = cluster.client

    tls_port = start_tls_satellite(cluster, "vulcan", "127.0.0.2", pki, ca[0])
    c.node_create("vulcan", "Satellite", "127.0.0.2", port=tls_port, com_type="SSL")
    cluster.start_satellite("kronos", "127.0.0.3")
    address, port = cluster.ports["kronos"]
    c.node_create("kronos", "Satellite", address, port=port)

    cluster.wait_for(lambda: cluster.node("vulcan").connection_status == "AUTHENTICATION_ERROR", "vulcan AUTHENTICATION_ERROR")
    cluster.wait_for(lambda: cluster.node("kronos").connection_status == "ONLINE", "kronos ONLINE in plain TCP")
    cluster.wait_for(lambda: "rejected our certificate" in log_text(cluster, "controller"), "the reason in the controller log")
    assert "satellite 127.0.0.2:%d" % tls_port in log_text(cluster, "controller")
    cluster.wait_for(lambda: "certificate is not trusted" in log_text(cluster, "vulcan"), "the reason in the satellite log")
    # The kernel picks the controller's source address (127.0.0.1, or 127.0.0.2 when lo carries it).
    assert re.search(r"TLS with controller 127\.0\.0\.\d+:\d+ failed", log_text(cluster, "vulcan"))
    # Nothing of the protocol reached the satellite: it never met a controller.
    assert not (root / "state-vulcan" / "controller-id").exists()
    assert cluster.node("vulcan").connection_status == "AUTHENTICATION_ERROR"


def test_ssl_node_without_controller_tls_settings_stays_offline(make_cluster):
    root, pki, build = make_cluster
    ca = make_ca(pki, "cluster-ca")
    make_certificate(pki, ca, "vulcan")
    cluster = build(lambda pki: [])
    c = cluster.client

    tls_port = start_tls_satellite(cluster, "vulcan", "127.0.0.2", pki, ca[0])
    c.node_create("vulcan", "Satellite", "127.0.0.2", port=tls_port, com_type="SSL")
    cluster.wait_for(lambda: "has no TLS settings" in log_text(cluster, "controller"), "the reason in the controller log")
    assert "--satellite-tls-certificate" in log_text(cluster, "controller")
    assert cluster.node("vulcan").connection_status == "OFFLINE"


def run_briefly(argv: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(argv, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)


def test_broken_tls_settings_stop_the_daemons_naming_the_file(tmp_path):
    for name, env in (("depot-controller", "DEPOT_CONTROLLER"), ("depot-satellite", "DEPOT_SATELLITE")):
        if not binary(env, name).exists():
            pytest.skip(f"{name} not built at {binary(env, name)}")
    ca = make_ca(tmp_path, "cluster-ca")
    cert, key = make_certificate(tmp_path, ca, "vulcan")
    other_cert, _ = make_certificate(tmp_path, ca, "other")
    not_pem = tmp_path / "not.pem"
    not_pem.write_text("hello\n")
    satellite = [str(binary("DEPOT_SATELLITE", "depot-satellite")), "--bind", f"127.0.0.2:{free_port('127.0.0.2')}",
                 "--state-dir", str(tmp_path / "state")]

    half = run_briefly(satellite + ["--tls-certificate", str(cert)])
    assert half.returncode == 2 and "missing: --tls-key (tls_key), --tls-ca (tls_ca)" in half.stderr

    missing = run_briefly(satellite + ["--tls-certificate", str(cert), "--tls-key", str(tmp_path / "nope.key"), "--tls-ca", str(ca[0])])
    assert missing.returncode == 2 and f"{tmp_path / 'nope.key'} does not exist" in missing.stderr

    bad = run_briefly(satellite + ["--tls-certificate", str(not_pem), "--tls-key", str(key), "--tls-ca", str(ca[0])])
    assert bad.returncode == 2 and f"{not_pem} holds no readable PEM certificate" in bad.stderr

    mismatch = run_briefly(satellite + ["--tls-certificate", str(other_cert), "--tls-key", str(key), "--tls-ca", str(ca[0])])
    assert mismatch.returncode == 2 and "does not belong to the certificate" in mismatch.stderr

    controller = run_briefly([
        str(binary("DEPOT_CONTROLLER", "depot-controller")), "--data-dir", str(tmp_path / "controller"),
        "--rest-bind", f"127.0.0.1:{free_port('127.0.0.1')}",
        "--satellite-tls-certificate", str(cert), "--satellite-tls-key", str(key), "--satellite-tls-ca", str(not_pem)])
    assert controller.returncode != 0 and f"{not_pem} holds no readable PEM certificate" in controller.stderr


def test_plain_node_switches_to_ssl_with_interface_modify(make_cluster):
    root, pki, build = make_cluster
    ca = make_ca(pki, "cluster-ca")
    make_certificate(pki, ca, "controller")
    make_certificate(pki, ca, "vulcan")
    cluster = build(lambda pki: controller_tls_args(pki / "controller.crt", pki / "controller.key", ca[0]))
    c = cluster.client
    cluster.start_satellite("vulcan", "127.0.0.2")
    address, port = cluster.ports["vulcan"]
    c.node_create("vulcan", "Satellite", address, port=port)
    cluster.wait_for(lambda: cluster.node("vulcan").connection_status == "ONLINE", "vulcan ONLINE in plain TCP")

    cluster.satellites["vulcan"].stop()
    tls_port = start_tls_satellite(cluster, "vulcan", address, pki, ca[0])
    replies = c.netinterface_modify("vulcan", "default", port=tls_port, com_type="SSL")
    assert not any(r.is_error() for r in replies), [str(r) for r in replies]
    cluster.wait_for(lambda: cluster.node("vulcan").connection_status == "ONLINE"
                     and cluster.node("vulcan").net_interfaces[0].stlt_encryption_type == "SSL", "vulcan ONLINE over TLS")
