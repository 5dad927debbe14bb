"""Option parsing as LINSTOR's client does it, plus the article's spellings and size syntax."""

from __future__ import annotations

import re

import pytest

from .cli_support import ARTICLE_NODES, by_name


def sizes(depot_controller, name):
    rds = by_name(depot_controller.rest("/v1/resource-definitions?with_volume_definitions=true"))
    return [v["size_kib"] for v in rds[name].get("volume_definitions", [])]


@pytest.mark.parametrize(
    "text,kib",
    [("150m", 153600), ("150M", 153600), ("1G", 1048576), ("1GiB", 1048576), ("500MB", 488282),
     ("100MB", 97657), ("1", 1048576), ("1k", 1), ("1kB", 1), ("10G5", 10485760), ("2048S", 1024),
     ("1536B", 2), ("1T", 1073741824)],
)
def test_size_syntax(depot, depot_controller, text, kib):
    depot.ok("rd c r1")
    depot.ok(f"vd c r1 {text}")
    assert sizes(depot_controller, "r1") == [kib]


@pytest.mark.parametrize(
    "text,message",
    [("1.5G", '"." is not a valid unit!'), ("10 GiB", None), ("abc", "Size is not a valid number"),
     ("10EiB", '"EiB" is not a valid unit!')],
)
def test_bad_sizes(depot, depot_controller, text, message):
    depot.ok("rd c r1")
    result = depot("vd", "c", "r1", text)
    if message is None:  # "10 GiB" as one word: unit " GiB" is refused
        assert result.code == 2 and "is not a valid unit!" in result.err
    else:
        assert result.code == 2 and message in result.err, result
    if "unit" in (message or "unit"):
        assert "Valid units: B, S, K, kB, KiB, M, MB, MiB, G, GB, GiB, T, TB, TiB, P, PB, PiB" in result.err
    assert sizes(depot_controller, "r1") == []


def test_set_size(depot, depot_controller):
    depot.ok("rd c r1")
    depot.ok("vd c r1 1G")
    depot.ok("vd size r1 0 2G")
    assert sizes(depot_controller, "r1") == [2097152]
    depot.ok("volume-definition set-size r1 0 3GiB")
    assert sizes(depot_controller, "r1") == [3145728]


def test_long_option_abbreviations_and_equals(depot, depot_controller):
    depot.ok("node create --node-t Combined n1 127.0.0.11")
    depot.ok("node create --node-type=satellite --interface-n=eth9 n2 127.0.0.12")
    nodes = by_name(depot_controller.rest("/v1/nodes"))
    assert nodes["n1"]["type"] == "COMBINED"
    assert nodes["n2"]["net_interfaces"][0]["name"] == "eth9"
    depot.ok("storage-pool create lvm n1 pool vg0")
    depot.ok("rd c --layer=storage r1")
    depot.ok("vd c r1 10M")
    depot.ok("r c n1 r1 --stor pool")
    resources = [r for r in depot_controller.rest("/v1/view/resources") if r["name"] == "r1"]
    assert resources[0]["props"]["StorPoolName"] == "pool"
    ambiguous = depot.line("r c n1 r1 --d")
    assert ambiguous.code == 2 and "ambiguous option" in ambiguous.err


def test_greedy_options_give_back_only_when_positionals_go_missing(depot, depot_controller):
    for line in ARTICLE_NODES:
        depot.ok(line)
    for node in ["vulcan", "kronos", "remus"]:
        depot.ok(f"sp c lvmthin {node} thinpool drbdpool/thinpool")
    depot.ok("rd c -l storage LocalData")
    depot.ok("vd c LocalData 150m")
    depot.ok("resource create --storage-pool thinpool vulcan kronos LocalData")
    assert {r["node_name"] for r in depot_controller.rest("/v1/view/resources")} == {"vulcan", "kronos"}
    # Positionals present: -s keeps all its words (only the first is used), as linstor does.
    depot.ok("r c remus LocalData -s thinpool other")
    remus = [r for r in depot_controller.rest("/v1/view/resources") if r["node_name"] == "remus"]
    assert remus[0]["props"]["StorPoolName"] == "thinpool"
    # A resource group with a greedy -s before its name: linstor fails, depot gives the name back.
    depot.ok("resource-group create --place-count 2 -s thinpool grp1")
    group = by_name(depot_controller.rest("/v1/resource-groups"))["grp1"]
    assert group["select_filter"]["storage_pool_list"] == ["thinpool"]
    assert group["select_filter"]["place_count"] == 2


def test_article_spaced_command_words(depot, depot_controller):
    depot.ok("resource definition create R1")
    depot.ok("volume definition create R1 150m")
    assert sizes(depot_controller, "R1") == [153600]
    listing = depot.ok("--no-color volume definition list").out
    assert "R1" in listing
    depot.ok("resource definition delete R1")
    assert "R1" not in by_name(depot_controller.rest("/v1/resource-definitions"))


def test_aliases_and_short_forms(depot, depot_controller):
    depot.ok("n c --node-type combined n1 127.0.0.11")
    depot.ok("sp c lvmthin n1 thinpool vg/tp")
    depot.ok("rd c r1")
    depot.ok("vd c r1 1G")
    depot.ok("r c n1 r1 -s thinpool")
    for short, long in [("n l", "node list"), ("sp l", "storage-pool list"), ("rd l", "resource-definition list"),
                        ("vd l", "volume-definition list"), ("r l", "resource list"), ("v l", "volume list"),
                        ("r lv", "resource list-volumes"), ("rg l", "resource-group list")]:
        assert depot.ok("--no-color " + short).out == depot.ok("--no-color " + long).out
    depot.ok("n sp n1 --aux site dc1")
    assert depot_controller.rest("/v1/nodes/n1")["props"]["Aux/site"] == "dc1"
    depot.ok("n sp n1 --aux site")
    assert "Aux/site" not in depot_controller.rest("/v1/nodes/n1").get("props", {})
    depot.ok("rd sp r1 Aux/x y")
    # With one diskful replica the controller also switched DRBD quorum off, as LINSTOR does.
    assert depot.ok("-m rd lp r1").json() == [[{"key": "Aux/x", "value": "y"}, {"key": "DrbdOptions/Resource/quorum", "value": "off"},
                                               {"key": "Internal/Drbd/QuorumSetBy", "value": "Linstor"}]]
    depot.ok("c sp Aux/global 1")
    assert depot_controller.rest("/v1/controller/properties")["Aux/global"] == "1"
    table = depot.ok("--no-color c lp").out
    assert re.search(r"^\| Aux/global +\| 1 +\|$", table, re.M), table


def test_resource_group_commands(depot, depot_controller):
    depot.ok("rg c grp1 --place-count 3 --storage-pool pool1 pool2 --layer-list drbd,storage --diskless-on-remaining")
    group = by_name(depot_controller.rest("/v1/resource-groups"))["grp1"]
    filter_ = group["select_filter"]
    assert filter_["place_count"] == 3
    assert filter_["storage_pool_list"] == ["pool1", "pool2"]
    assert filter_["layer_stack"] == ["drbd", "storage"]
    assert filter_["diskless_on_remaining"] is True
    depot.ok("rg m grp1 --place-count 2 -d described")
    group = by_name(depot_controller.rest("/v1/resource-groups"))["grp1"]
    assert group["select_filter"]["place_count"] == 2 and group["description"] == "described"
    depot.ok("vg c grp1")
    table = depot.ok("--no-color rg l").out
    assert "| grp1          | PlaceCount: 2" in table
    assert "StoragePool(s): pool1, pool2" in table
    assert "LayerStack: ['drbd', 'storage']" in table
    depot.ok("rg spawn -d grp1 spawned 1G")
    assert sizes(depot_controller, "spawned") == [1048576]
    depot.ok("rd d spawned")
    depot.ok("rg d grp1")
    assert "grp1" not in by_name(depot_controller.rest("/v1/resource-groups"))
