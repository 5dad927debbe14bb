"""`depot node-connection` and `depot resource-connection` against a real controller: properties,
paths, lists as LINSTOR's client prints them, and the REST state behind them."""

from __future__ import annotations

from .test_cli_article import build_cluster


def test_node_connection_paths_and_properties(depot, depot_controller):
    build_cluster(depot)
    depot.ok("node-connection path create kronos vulcan data drbd drbd")
    depot.ok("nc sp kronos vulcan DrbdOptions/Net/protocol A")
    rest = depot_controller.rest("/v1/node-connections?node_a=vulcan")
    assert len(rest) == 1 and {rest[0]["node_a"], rest[0]["node_b"]} == {"kronos", "vulcan"}
    assert rest[0]["props"] == {"Paths/data/kronos": "drbd", "Paths/data/vulcan": "drbd", "DrbdOptions/Net/protocol": "A"}
    listing = depot.ok("--no-color nc l").out
    assert "Node A" in listing and "Properties" in listing and "kronos" in listing
    paths = depot.ok("-m nc path list kronos vulcan").json()
    assert paths == [[{"key": "Paths/data/kronos", "value": "drbd"}, {"key": "Paths/data/vulcan", "value": "drbd"}]]
    depot.ok("nc path delete vulcan kronos data")
    assert depot_controller.rest("/v1/node-connections")[0]["props"] == {"DrbdOptions/Net/protocol": "A"}
    assert depot.ok("-m nc lp kronos vulcan").json() == [[{"key": "DrbdOptions/Net/protocol", "value": "A"}]]
    # An interface the node does not have: refused, with the node's interfaces in the error.
    refused = depot.line("nc path create kronos vulcan data nonesuch drbd")
    assert refused.code != 0 and "nonesuch" in refused.out + refused.err and "default, drbd" in refused.out + refused.err, refused
    assert depot_controller.rest("/v1/node-connections")[0]["props"] == {"DrbdOptions/Net/protocol": "A"}


def test_resource_connection_needs_both_replicas(depot, depot_controller):
    build_cluster(depot)
    depot.ok("resource-definition create --layer-list drbd,storage SharedData")
    depot.ok("volume-definition create SharedData 150m")
    depot.ok("resource create --storage-pool thinpool romulus remus vulcan SharedData")
    depot.ok("rc path create romulus remus SharedData p1 drbd drbd")
    depot.ok("resource-connection set-property romulus remus SharedData DrbdOptions/PeerDevice/c-max-rate 100M")
    rest = depot_controller.rest("/v1/resource-definitions/SharedData/resource-connections")
    assert [(c["node_a"], c["node_b"]) for c in rest] == [("romulus", "remus")]
    assert rest[0]["props"]["Paths/p1/remus"] == "drbd"
    listing = depot.ok("--no-color rc l SharedData").out
    assert "Source" in listing and "Target" in listing and "c-max-rate=100M" in listing
    assert {"key": "DrbdOptions/PeerDevice/c-max-rate", "value": "100M"} in depot.ok("-m rc lp remus romulus SharedData").json()[0]
    # A pair without own settings lists no properties; a pair without both replicas is refused.
    assert depot.ok("-m rc lp romulus vulcan SharedData").json() == [[]]
    refused = depot.line("rc sp romulus kronos SharedData Aux/x 1")
    assert refused.code != 0 and "kronos" in refused.out + refused.err, refused
