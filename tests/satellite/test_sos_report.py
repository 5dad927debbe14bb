"""SOS reports: python-linstor's `sos_report_create` and `depot sos-report create|download` make a
tar.gz with the controller's view and each node's inventory (storage tools' output, error reports,
the satellite's ledgers), gathered over the satellite links."""

from __future__ import annotations

import json
import re
import tarfile
from pathlib import Path

import linstor


def members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as archive:
        return {m.name.split("/", 1)[1]: archive.extractfile(m).read() for m in archive.getmembers() if m.isfile()}


def test_sos_report_has_the_controller_and_every_node(cluster):
    cluster.online_node("vulcan", "127.0.0.2")
    cluster.online_node("kronos", "127.0.0.3")
    c = cluster.client
    cluster.file_pool("vulcan")
    c.storage_pool_create("vulcan", "badpool", "FILE_THIN", str(cluster.root / "does-not-exist"))
    c.resource_dfn_create("Broken", layer_list=["storage"])
    c.volume_dfn_create("Broken", 1024)
    c.resource_create([linstor.ResourceData("vulcan", "Broken", storage_pool="badpool")])

    replies = c.sos_report_create()
    assert [r.is_error() for r in replies] == [False], [str(r) for r in replies]
    path = Path(replies[0].object_refs["path"])
    assert replies[0].message == f"SOS Report created on Controller: {path}"
    assert re.fullmatch(r"sos_[0-9_-]+\.tar\.gz", path.name) and path.exists()
    files = members(path)
    assert sorted(n["name"] for n in json.loads(files["controller/nodes.json"])) == ["kronos", "vulcan"]
    assert b"Broken" in files["controller/resources.json"]
    for node in ("vulcan", "kronos"):
        assert f"{node}/lsblk" in files and f"{node}/uname" in files, sorted(files)
        assert f"{node}/state/controller-id" in files
    # The node's own error reports travel with it.
    reports = [name for name in files if name.startswith("vulcan/error-reports/ErrorReport-")]
    assert reports and all(b"ERROR REPORT" in files[name] for name in reports)
    # Logs from the journal (or why there are none on this machine).
    assert "controller/journalctl-depot-controller" in files
    assert "vulcan/journalctl-depot-satellite" in files or "vulcan/journalctl-depot-satellite.err" in files
    # A tool that fails leaves its error instead of stopping the report.
    assert "vulcan/zpool-status" in files or "vulcan/zpool-status.err" in files

    # `depot`: only some nodes, without the controller, downloaded into a directory.
    target = cluster.root / "downloads"
    target.mkdir()
    out = cluster.depot("sos-report", "download", "--nodes", "kronos", "--no-controller", str(target)).strip()
    downloaded = Path(out)
    assert downloaded.parent == target and downloaded.exists(), out
    names = members(downloaded)
    assert any(n.startswith("kronos/") for n in names) and not any(n.startswith(("vulcan/", "controller/")) for n in names), sorted(names)
    assert "SOS Report created on Controller:" in cluster.depot("sos", "create", "--exclude-nodes", "kronos")

    # A node whose satellite is down is named in the report instead of holding it up.
    cluster.satellites["kronos"].stop()
    cluster.wait_for(lambda: cluster.node("kronos").connection_status != "ONLINE", "kronos offline")
    offline = members(Path(c.sos_report_create()[0].object_refs["path"]))
    assert b"not connected" in offline["kronos/NOT-COLLECTED"]
