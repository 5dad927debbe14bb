"""Error reports: a satellite's failing command is written as a report on that node, the reply's
error_report_ids lead to it, and python-linstor and `depot` list, show and delete it through the
controller, which fetches it over the satellite link."""

from __future__ import annotations

import datetime
import json
import re
import urllib.request
from pathlib import Path

import linstor


def failing_resource(cluster) -> list:
    """A FILE_THIN pool whose directory does not exist: creating a volume there fails on the node."""
    c = cluster.client
    c.storage_pool_create("vulcan", "badpool", "FILE_THIN", str(cluster.root / "does-not-exist"))
    c.resource_dfn_create("Broken", layer_list=["storage"])
    c.volume_dfn_create("Broken", 1024)
    return c.resource_create([linstor.ResourceData("vulcan", "Broken", storage_pool="badpool")])


def test_a_failing_satellite_command_is_reported_listed_shown_and_deleted(cluster):
    cluster.online_node("vulcan", "127.0.0.2")
    c = cluster.client
    replies = failing_resource(cluster)
    errors = [r for r in replies if r.is_error()]
    assert errors, [str(r) for r in replies]
    ids = errors[0].error_report_ids
    assert len(ids) == 1, errors[0]
    report_id = ids[0]
    assert re.fullmatch(r"[0-9A-F]{8}-[0-9A-F]{5}-\d{6}", report_id), report_id

    # The report is a file on the node, in its state directory, as LINSTOR writes ErrorReport-<id>.log.
    on_node = Path(cluster.root / "state-vulcan" / "error-reports" / f"ErrorReport-{report_id}.log")
    assert on_node.exists()

    # The satellite retries the failure with every change and refresh; the report is written once.
    c.resource_dfn_modify("Broken", {"Aux/touch": "1"})
    c.resource_dfn_modify("Broken", {"Aux/touch": "2"})
    # Two failures, two reports: the pool that cannot be read and the volume that cannot be made.
    listed = [r for r in c.error_report_list() if r.node_names == "vulcan"]
    assert len(listed) == 2 and report_id in [r.id for r in listed], [r.id for r in listed]
    pool_report_id = next(r.id for r in listed if r.id != report_id)
    pool_text = c.error_report_list(with_content=True, ids=[pool_report_id])[0].text
    assert "Storage pool:                   badpool" in pool_text, pool_text
    report = next(r for r in listed if r.id == report_id)
    assert report.module == "SATELLITE"
    assert report.exception in ("CommandFailed", "SatelliteFailure")
    assert "does-not-exist" in report.exception_message
    assert report.text is None
    assert abs((report.datetime - datetime.datetime.now()).total_seconds()) < 300

    shown = c.error_report_list(with_content=True, ids=[report_id])
    assert len(shown) == 1
    text = shown[0].text
    assert text.startswith(f"ERROR REPORT {report_id}")
    assert "Module:                             SATELLITE" in text
    assert "Resource:                       Broken" in text
    assert "does-not-exist" in text

    # Filters as python-linstor sends them: by node, since and to.
    assert sorted(r.id for r in c.error_report_list(nodes=["vulcan"])) == sorted([report_id, pool_report_id])
    assert c.error_report_list(nodes=["kronos"]) == []
    future = datetime.datetime.now() + datetime.timedelta(days=1)
    assert c.error_report_list(since=future) == []
    assert report_id in [r.id for r in c.error_report_list(to=future)]

    # `depot` shows the same table and text as `linstor`.
    table = cluster.depot("error-reports", "list")
    assert report_id in table and "S|vulcan" in table
    assert report_id in cluster.depot("err", "l", "--nodes", "vulcan")
    assert f"ERROR REPORT {report_id}" in cluster.depot("err", "show", report_id)
    assert report_id in cluster.depot("err", "l", "--since", "1d", "--nodes", "vulcan")
    assert report_id not in cluster.depot("err", "l", "--to", "2000-01-01")

    # Deleting needs a criterion; by id it deletes on the node that has it.
    nothing = c.error_report_delete()
    assert [r.message for r in nothing] == ["No error reports deleted."]
    deleted = cluster.depot("error-reports", "delete", report_id)
    assert "vulcan: Deleted 1 error-report(s)" in deleted, deleted
    assert not on_node.exists()
    assert [r.id for r in c.error_report_list() if r.node_names == "vulcan"] == [pool_report_id]
    # Still failing: a new report only once the failure changes or comes back, not on every retry.
    c.resource_dfn_modify("Broken", {"Aux/touch": "3"})
    assert [r.id for r in c.error_report_list() if r.node_names == "vulcan"] == [pool_report_id]


def test_reports_survive_restarts_and_an_offline_node_is_named(cluster):
    cluster.online_node("vulcan", "127.0.0.2")
    c = cluster.client
    errors = [r for r in failing_resource(cluster) if r.is_error()]
    report_id = errors[0].error_report_ids[0]

    # A restarted satellite still has its report; its new failures get new ids.
    cluster.satellites["vulcan"].stop()
    cluster.wait_for(lambda: cluster.node("vulcan").connection_status != "ONLINE", "vulcan offline")
    # While the node is offline its reports cannot be fetched, and a deletion says so.
    assert [r for r in c.error_report_list() if r.node_names == "vulcan"] == []
    refused = c.error_report_delete(ids=[report_id])
    assert any("vulcan" in r.message and "did not answer" in r.message for r in refused), [str(r) for r in refused]
    cluster.start_satellite("vulcan", "127.0.0.2")
    cluster.wait_for(lambda: cluster.node("vulcan").connection_status == "ONLINE", "vulcan ONLINE")
    cluster.wait_for(lambda: any(r.id == report_id for r in c.error_report_list()), "the report after the restart")

    def counted() -> int:
        with urllib.request.urlopen(f"http://{cluster.rest}/v1/stats/error-reports", timeout=10) as answer:
            return json.load(answer)["count"]

    # The restarted satellite may still be adding its new failure's report: the count and the
    # list agree once it has.
    cluster.wait_for(lambda: counted() == len(c.error_report_list()), "the count of the listed reports")
    assert counted() >= 1
