"""`/metrics` parsed by prometheus-client's own parser: LINSTOR's metric names and labels, with
values from real daemons, and the controller's REST latency per route."""

from __future__ import annotations

import urllib.request

import linstor
from prometheus_client.parser import text_string_to_metric_families


def scrape(cluster, query: str = "") -> dict:
    with urllib.request.urlopen(f"http://{cluster.rest}/metrics{query}", timeout=30) as answer:
        assert answer.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        text = answer.read().decode()
    return {family.name: family for family in text_string_to_metric_families(text)}


def sample(families: dict, metric: str, **labels):
    family = families[metric]
    found = [s for s in family.samples if s.name == metric and all(s.labels.get(k) == v for k, v in labels.items())]
    assert len(found) == 1, (metric, labels, family.samples)
    return found[0]


def test_metrics_have_linstors_names_and_the_clusters_values(cluster):
    cluster.online_node("vulcan", "127.0.0.2")
    cluster.file_pool("vulcan")
    c = cluster.client
    c.resource_dfn_create("Metered", layer_list=["storage"])
    c.volume_dfn_create("Metered", 4096)
    c.resource_create([linstor.ResourceData("vulcan", "Metered", storage_pool="filepool")])
    cluster.wait_for(
        lambda: sample(scrape(cluster), "linstor_volume_state", resource="Metered", node="vulcan").labels["device_path"],
        "Metered's volume with its device in the metrics")

    families = scrape(cluster)
    assert sample(families, "linstor_info").labels["version"]
    node = sample(families, "linstor_node_state", node="vulcan")
    assert node.value == 2  # ONLINE
    assert node.labels["nodetype"] == "SATELLITE" and node.labels["address"] == "127.0.0.2"
    assert sample(families, "linstor_resource_definition_count").value == 1
    assert sample(families, "linstor_resource_definition_resource_count", name="Metered").value == 1
    assert sample(families, "linstor_volume_definition_size_bytes", name="Metered", volume_number="0").value == 4096 * 1024
    assert sample(families, "linstor_resource_state", name="Metered", node="vulcan").value in (-1, 0)
    volume = sample(families, "linstor_volume_state", resource="Metered", node="vulcan", volume="0")
    listed = c.volume_list(filter_by_nodes=["vulcan"], filter_by_resources=["Metered"])[0].resources[0].volumes[0]
    assert volume.value == {"UpToDate": 1, "Created": 2, "Diskless": 4}[listed.state.disk_state], listed.state.disk_state
    assert volume.labels["storage_pool"] == "filepool" and volume.labels["device_path"].startswith("/dev/loop")
    assert sample(families, "linstor_volume_allocated_size_bytes", resource="Metered", node="vulcan").value >= 0
    pool = sample(families, "linstor_storage_pool_capacity_total_bytes", storage_pool="filepool", node="vulcan")
    assert pool.value > 0 and pool.labels["driver"] == "FILE_THIN"
    assert sample(families, "linstor_storage_pool_error_count", storage_pool="filepool", node="vulcan").value == 0
    assert sample(families, "linstor_scrape_requests_count").value >= 2
    assert sample(families, "linstor_scrape_duration_seconds").value >= 0

    # REST latency per route and method, from the controller's own registry.
    latency = families["http_server_request_duration"]
    assert latency.type == "histogram"
    routes = {s.labels.get("http_route") for s in latency.samples}
    assert "/v1/resource-definitions" in routes, routes

    # Satellite applies, from sending a desired state to its report, per node.
    applies = families["depot_satellite_apply_duration_seconds"]
    assert applies.type == "histogram"
    counts = [s for s in applies.samples if s.name.endswith("_count") and s.labels.get("node") == "vulcan"]
    assert len(counts) == 1 and counts[0].value >= 1, applies.samples

    # LINSTOR's switches leave parts out.
    lean = scrape(cluster, "?resource=false&storage_pools=false&error_reports=false")
    assert "linstor_volume_state" not in lean and "linstor_storage_pool_capacity_free_bytes" not in lean
    assert "linstor_node_state" in lean


def test_error_reports_are_counted_per_host_and_module(cluster):
    cluster.online_node("vulcan", "127.0.0.2")
    c = cluster.client
    c.storage_pool_create("vulcan", "badpool", "FILE_THIN", str(cluster.root / "does-not-exist"))
    c.resource_dfn_create("Broken", layer_list=["storage"])
    c.volume_dfn_create("Broken", 1024)
    c.resource_create([linstor.ResourceData("vulcan", "Broken", storage_pool="badpool")])
    counted = sample(scrape(cluster), "linstor_error_reports_count", hostname="vulcan", module="SATELLITE")
    assert counted.value == len([r for r in c.error_report_list() if r.node_names == "vulcan"]) >= 1
