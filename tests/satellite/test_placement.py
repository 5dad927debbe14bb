"""Automatic placement end to end: the controller's autoplacer choosing among real satellites on
127.0.0.N, spawn and adjust from resource groups, query-size-info, dry runs, and the operations
that place again by themselves (node evacuate, node lost).

Placement follows free space, so every node's FILE_THIN pool here lives on a tmpfs of its own with
a size the test chooses (mounted on the pool directory, unmounted at teardown after the cluster is
stopped): free space is then exactly what the test says, not whatever the shared /tmp has left
while the daemons write their logs. Volumes are FILE_THIN images (sparse), so placing one does
not change a pool's free space.
"""

from __future__ import annotations

import json
import re
import subprocess
import urllib.error
import urllib.request

import linstor
import pytest
from conftest import full, is_error, messages
from linstor import consts as apiconsts

VOLUME_KIB = 20480  # 20M
BIG_KIB = 153600  # 150M: more than a 4M thin pool offers, even oversubscribed 20 times
FAIL_NOT_ENOUGH_NODES = 996
MASK_BITS_TYPE = 0xC000000000000000
MASK_INFO = 0x4000000000000000


# ---------------------------------------------------------------- helpers


def rest(cluster, method: str, path: str, body=None):
    """(status, JSON) of a raw REST call, also for error statuses."""
    request = urllib.request.Request(
        f"http://{cluster.rest}{path}", method=method, headers={"Content-Type": "application/json"},
        data=json.dumps(body).encode() if body is not None else None)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")



def placed(cluster, resource: str) -> set[str]:
    """The nodes that have a replica of the resource (as /v1/view/resources lists them)."""
    _, resources = rest(cluster, "GET", f"/v1/view/resources?resources={resource}")
    return {r["node_name"] for r in resources if r["name"].lower() == resource.lower()}


def images(cluster, resource: str, nodes) -> set[str]:
    """The nodes whose pool directory holds the resource's volume 0 image."""
    return {node for node in nodes if (cluster.pool_dir(node) / f"{resource}_00000.img").exists()}


def autoplaced(replies, resource: str, count: int) -> set[tuple[str, str]]:
    """The (node, pool) pairs of the "successfully autoplaced" reply's details."""
    message = f"Resource '{resource}' successfully autoplaced on {count} nodes"
    found = [r for r in replies if r.message == message]
    assert len(found) == 1, (message, messages(replies))
    details = found[0].details or ""
    assert details.startswith("Used nodes (storage pool name): "), details
    return set(re.findall(r"'([^' ]+) \(([^)]+)\)'", details))


def not_enough_nodes(replies):
    """The FAIL_NOT_ENOUGH_NODES error among the replies."""
    errors = [r for r in replies if r.is_error() and r.ret_code & 0x7FFF == FAIL_NOT_ENOUGH_NODES]
    assert len(errors) == 1, messages(replies)
    assert errors[0].message == "Not enough available nodes", full(errors[0])
    return errors[0]


def detail_line(reply, *words: str) -> str:
    """The details line that names all the words (case-insensitively)."""
    lines = [line for line in (reply.details or "").splitlines()
             if all(word.lower() in line.lower() for word in words)]
    assert lines, (words, reply.details)
    return lines[0]


def storage_definition(cluster, name: str, size_kib: int = VOLUME_KIB, group: str | None = None) -> None:
    c = cluster.client
    assert not is_error(c.resource_dfn_create(name, layer_list=["storage"], resource_group=group))
    assert not is_error(c.volume_dfn_create(name, size_kib))


@pytest.fixture
def sized_pools(cluster):
    """mount(node, MiB): a tmpfs of that size on the node's pool directory. Teardown stops the
    cluster first (its loop devices hold files open), then unmounts."""
    mounted = []

    def mount(node: str, mib: int):
        path = cluster.pool_dir(node)
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={mib}m", "depot-test-pool", str(path)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs for the pools: {done.stderr.strip()}")
        mounted.append(path)
        return path

    try:
        yield mount
    finally:
        cluster.close()
        for path in reversed(mounted):
            if subprocess.run(["umount", str(path)], capture_output=True).returncode != 0:
                subprocess.run(["umount", "-l", str(path)], capture_output=True)


def storage_nodes(cluster, mount, sizes: dict[str, int], pool: str = "thinpool") -> None:
    """ONLINE satellites (127.0.0.2, .3, … in the dict's order) with a FILE_THIN pool `pool` of the
    given MiB each (0: no such pool); waits until the controller knows every pool's free space."""
    c = cluster.client
    for index, (name, mib) in enumerate(sizes.items()):
        if mib:
            mount(name, mib)
        cluster.online_node(name, f"127.0.0.{index + 2}")
        if mib:
            assert not is_error(c.storage_pool_create(name, pool, "FILE_THIN", str(cluster.pool_dir(name))))
    wanted = {name for name, mib in sizes.items() if mib}
    cluster.wait_for(lambda: set(free_space(cluster, pool)) >= wanted, f"free space of {pool} on {sorted(wanted)}")


def free_space(cluster, pool: str) -> dict[str, int]:
    """node -> free KiB of the pool, for the pools whose space is known."""
    _, pools = rest(cluster, "GET", "/v1/view/storage-pools")
    return {p["node_name"]: p["free_capacity"] for p in pools
            if p["storage_pool_name"] == pool and p.get("free_capacity") is not None}


# ---------------------------------------------------------------- autoplace


def test_autoplace_takes_the_pools_with_most_free_space(cluster, sized_pools):
    storage_nodes(cluster, sized_pools, {"alpha": 64, "bravo": 256, "charlie": 128, "delta": 32})
    free = free_space(cluster, "thinpool")
    assert free["bravo"] > free["charlie"] > free["alpha"] > free["delta"], free  # the premise
    storage_definition(cluster, "R1")
    replies = cluster.client.resource_auto_place("R1", 2, storage_pool="thinpool")
    assert not is_error(replies), messages(replies)
    assert autoplaced(replies, "R1", 2) == {("bravo", "thinpool"), ("charlie", "thinpool")}
    assert placed(cluster, "R1") == {"bravo", "charlie"}
    assert images(cluster, "R1", ["alpha", "bravo", "charlie", "delta"]) == {"bravo", "charlie"}
    # One replica per node: a third replica goes to the best node without one.
    replies = cluster.client.resource_auto_place("R1", 3, storage_pool="thinpool")
    assert not is_error(replies), messages(replies)
    assert placed(cluster, "R1") == {"alpha", "bravo", "charlie"}


def test_equal_pools_are_chosen_by_node_name(cluster, sized_pools):
    # Created out of name order, so that neither creation order nor address decides.
    storage_nodes(cluster, sized_pools, {"delta": 128, "charlie": 128, "bravo": 128, "alpha": 128})
    free = free_space(cluster, "thinpool")
    assert len(set(free.values())) == 1, free  # the premise: a real tie
    storage_definition(cluster, "R1")
    replies = cluster.client.resource_auto_place("R1", 2, storage_pool="thinpool")
    assert not is_error(replies), messages(replies)
    assert placed(cluster, "R1") == {"alpha", "bravo"}


def test_offline_nodes_get_no_replica(cluster, sized_pools):
    storage_nodes(cluster, sized_pools, {"alpha": 256, "bravo": 128, "charlie": 64, "delta": 32})
    cluster.satellites["alpha"].stop()
    cluster.wait_for(lambda: cluster.node("alpha").connection_status == "OFFLINE", "alpha OFFLINE")
    storage_definition(cluster, "R1")
    replies = cluster.client.resource_auto_place("R1", 2, storage_pool="thinpool")
    assert not is_error(replies), messages(replies)
    assert placed(cluster, "R1") == {"bravo", "charlie"}


def test_unsatisfiable_placement_says_why_for_every_node_and_creates_nothing(cluster, sized_pools):
    # alpha fits; bravo's pool is too small; charlie has no 'thinpool'; delta is offline.
    storage_nodes(cluster, sized_pools, {"alpha": 256, "bravo": 4, "charlie": 0, "delta": 256})
    cluster.satellites["delta"].stop()
    cluster.wait_for(lambda: cluster.node("delta").connection_status == "OFFLINE", "delta OFFLINE")
    storage_definition(cluster, "R1", size_kib=BIG_KIB)
    replies = cluster.client.resource_auto_place("R1", 3, storage_pool="thinpool")
    error = not_enough_nodes(replies)
    assert error.is_error(apiconsts.FAIL_NOT_ENOUGH_NODES)
    # How many were needed (3) and how many fit (1).
    assert re.search(r"\b3\b", error.cause or "") and re.search(r"\b1\b", error.cause or ""), error.cause
    # The substance of each reason, not its exact wording.
    detail_line(error, "charlie", "no storage pool", "thinpool")
    detail_line(error, "delta", "offline")
    bravo = detail_line(error, "bravo", "thinpool")
    assert "free" in bravo.lower() or str(BIG_KIB) in bravo, bravo  # short of space, and by how much
    # Nothing was created, not even the replica that would have fitted.
    assert placed(cluster, "R1") == set()
    assert images(cluster, "R1", ["alpha", "bravo", "charlie", "delta"]) == set()
    assert cluster.loop_devices() == []


def test_replicas_on_different_sites(cluster, sized_pools):
    storage_nodes(cluster, sized_pools, {"alpha": 128, "bravo": 128, "charlie": 128, "delta": 128})
    c = cluster.client
    sites = {"alpha": "a", "bravo": "a", "charlie": "b", "delta": "b"}
    for node, site in sites.items():
        assert not is_error(c.node_modify(node, property_dict={"Aux/site": site}))
    storage_definition(cluster, "R1")
    # python-linstor sends the keys as given (it adds no "Aux/"), so the full property key goes here.
    replies = c.resource_auto_place("R1", 2, storage_pool="thinpool", replicas_on_different=["Aux/site"])
    assert not is_error(replies), messages(replies)
    # Without the rule the name tie-break would pick alpha and bravo, both on site a.
    assert placed(cluster, "R1") == {"alpha", "charlie"}
    # The CLI adds "Aux/" itself, as linstor does.
    storage_definition(cluster, "R2")
    cluster.depot("rd", "ap", "--place-count", "2", "-s", "thinpool", "--replicas-on-different", "site", "R2")
    assert {sites[node] for node in placed(cluster, "R2")} == {"a", "b"}, placed(cluster, "R2")
    # Three replicas on two sites cannot all differ.
    storage_definition(cluster, "R3")
    replies = c.resource_auto_place("R3", 3, storage_pool="thinpool", replicas_on_different=["Aux/site"])
    error = not_enough_nodes(replies)
    assert "replicas-on-different" in (error.details or ""), error.details
    assert placed(cluster, "R3") == set()


# ---------------------------------------------------------------- dry run


def test_dry_run_reports_the_choice_and_creates_nothing(cluster, sized_pools):
    storage_nodes(cluster, sized_pools, {"alpha": 256, "bravo": 128, "charlie": 64})
    storage_definition(cluster, "R1")
    status, replies = rest(cluster, "POST", "/v1/resource-definitions/R1/autoplace", {
        "diskless_on_remaining": False, "select_filter": {"place_count": 2, "storage_pool_list": ["thinpool"]},
        "dry_run": True})
    assert status < 400, (status, replies)
    assert replies and all(r["ret_code"] & MASK_BITS_TYPE == MASK_INFO for r in replies), replies
    [choice] = [r for r in replies if r["message"].startswith("Dry run:")]
    details = choice.get("details", "")
    lines = details.splitlines()
    for node in ("alpha", "bravo"):
        line = next((l for l in lines if re.search(rf"\b{node}\b", l)), None)
        assert line and "thinpool" in line and re.search(r"\d", line.replace(node, "")), details
    # The details may also list the candidates that were not chosen; then the chosen ones must be
    # told apart (marked "*"). Either way charlie must not read as chosen.
    marked = {node for node in ("alpha", "bravo", "charlie")
              for l in lines if l.lstrip().startswith("*") and re.search(rf"\b{node}\b", l)}
    if marked:
        assert marked == {"alpha", "bravo"}, details
    else:
        assert "charlie" not in details, details
    assert placed(cluster, "R1") == set()
    assert images(cluster, "R1", ["alpha", "bravo", "charlie"]) == set() and cluster.loop_devices() == []
    # The CLI spelling: INFO replies, exit 0, still nothing.
    out = cluster.depot("resource", "create", "--auto-place", "2", "-s", "thinpool", "--dry-run", "R1")
    assert "INFO:" in out and "Dry run:" in out and "ERROR:" not in out, out
    assert placed(cluster, "R1") == set()
    # Placing for real takes the choice the dry run announced.
    replies = cluster.client.resource_auto_place("R1", 2, storage_pool="thinpool")
    assert not is_error(replies), messages(replies)
    assert placed(cluster, "R1") == {"alpha", "bravo"}


def test_dry_run_spawn_creates_no_definition(cluster, sized_pools):
    storage_nodes(cluster, sized_pools, {"alpha": 128, "bravo": 128})
    c = cluster.client
    assert not is_error(c.resource_group_create("grp", place_count=2, storage_pool="thinpool", layer_list=["storage"]))
    assert not is_error(c.volume_group_create("grp"))
    out = cluster.depot("rg", "spawn", "--dry-run", "grp", "R1", "20M")
    assert "Dry run:" in out and "ERROR:" not in out, out
    assert not c.resource_dfn_list(filter_by_resource_definitions=["R1"])[0].resource_definitions
    assert images(cluster, "R1", ["alpha", "bravo"]) == set()


# ---------------------------------------------------------------- resource groups


def test_spawn_creates_the_definition_its_volume_and_placed_replicas(cluster, sized_pools):
    storage_nodes(cluster, sized_pools, {"alpha": 128, "bravo": 128, "charlie": 128})
    c = cluster.client
    assert not is_error(c.resource_group_create("grp", place_count=2, storage_pool="thinpool", layer_list=["storage"]))
    assert not is_error(c.volume_group_create("grp"))
    replies = c.resource_group_spawn("grp", "R1", ["20M"])
    assert not is_error(replies), messages(replies)
    [definition] = c.resource_dfn_list(filter_by_resource_definitions=["R1"])[0].resource_definitions
    assert definition.resource_group_name == "grp"
    _, volumes = rest(cluster, "GET", "/v1/resource-definitions/R1/volume-definitions")
    assert [v["size_kib"] for v in volumes] == [VOLUME_KIB]
    assert placed(cluster, "R1") == {"alpha", "bravo"}
    for node in ("alpha", "bravo"):
        assert (cluster.pool_dir(node) / "R1_00000.img").stat().st_size == VOLUME_KIB * 1024
    assert images(cluster, "R1", ["charlie"]) == set()


def test_spawn_that_cannot_place_leaves_nothing_behind(cluster, sized_pools):
    storage_nodes(cluster, sized_pools, {"alpha": 128, "bravo": 128})
    c = cluster.client
    assert not is_error(c.resource_group_create("grp", place_count=3, storage_pool="thinpool", layer_list=["storage"]))
    assert not is_error(c.volume_group_create("grp"))
    replies = c.resource_group_spawn("grp", "R1", ["20M"])
    not_enough_nodes(replies)
    assert not c.resource_dfn_list(filter_by_resource_definitions=["R1"])[0].resource_definitions
    assert placed(cluster, "R1") == set()
    assert images(cluster, "R1", ["alpha", "bravo"]) == set() and cluster.loop_devices() == []


def test_adjust_raises_the_groups_definitions_to_its_place_count(cluster, sized_pools):
    storage_nodes(cluster, sized_pools, {"alpha": 128, "bravo": 128, "charlie": 128})
    c = cluster.client
    assert not is_error(c.resource_group_create("grp", place_count=2, storage_pool="thinpool", layer_list=["storage"]))
    assert not is_error(c.volume_group_create("grp"))
    # A definition of the group with one replica placed by hand, and one outside the group.
    for name, group in (("R1", "grp"), ("Other", None)):
        storage_definition(cluster, name, group=group)
        replies = c.resource_create([linstor.ResourceData("charlie", name, storage_pool="thinpool")])
        assert not is_error(replies), messages(replies)
    assert placed(cluster, "R1") == {"charlie"}
    replies = c.resource_group_adjust("grp")
    assert not is_error(replies), messages(replies)
    cluster.wait_for(lambda: len(placed(cluster, "R1")) == 2, f"R1 on 2 nodes (now {placed(cluster, 'R1')})")
    assert placed(cluster, "R1") == {"alpha", "charlie"}
    assert placed(cluster, "Other") == {"charlie"}


def test_query_size_info_names_the_next_spawn(cluster, sized_pools):
    storage_nodes(cluster, sized_pools, {"alpha": 256, "bravo": 128, "charlie": 64})
    c = cluster.client
    assert not is_error(c.resource_group_create("grp", place_count=2, storage_pool="thinpool", layer_list=["storage"]))
    status, answer = rest(cluster, "POST", "/v1/resource-groups/grp/query-size-info", {"select_filter": {}})
    assert status == 200, (status, answer)
    assert not answer.get("reports"), answer
    info = answer["space_info"]
    for key in ("max_vlm_size_in_kib", "available_size_in_kib", "capacity_in_kib"):
        assert isinstance(info[key], int) and info[key] >= 0, (key, info)
    assert info["max_vlm_size_in_kib"] > 0, info
    assert sorted((r["node_name"], r["stor_pool_name"]) for r in info["next_spawn_result"]) == [
        ("alpha", "thinpool"), ("bravo", "thinpool")]
    # python-linstor reads the same answer; a query with place count 1 names only the best pool.
    one = c.resource_group_query_size_info("grp", place_count=1).space_info
    assert [(r.node_name, r.stor_pool_name) for r in one.next_spawn_result] == [("alpha", "thinpool")]
    # The Proxmox plugin asks for every group at once; each answer is the group's own query.
    status, everything = rest(cluster, "POST", "/v1/queries/resource-groups/query-all-size-info", {})
    assert status == 200, (status, everything)
    assert set(everything["result"]) == {"DfltRscGrp", "grp"}, everything
    assert everything["result"]["grp"]["space_info"] == info, everything
    table = cluster.depot("rg", "qsi", "grp")
    assert "thinpool on alpha" in table and "thinpool on bravo" in table and "charlie" not in table, table
    # Asking changed nothing.
    assert not c.resource_dfn_list()[0].resource_definitions


# ---------------------------------------------------------------- nodes going away


def test_node_lost_places_the_lost_replica_again(drbd_cluster):
    """A DRBD replica on a lost node is placed again and syncs from the survivors; a storage-only
    volume there is simply gone (its data cannot be copied back), so nothing is re-placed for it."""
    cluster = drbd_cluster
    for index, name in enumerate(["alpha", "bravo", "charlie", "delta"]):
        cluster.drbd_node(name, f"127.0.0.{index + 2}")
    c = cluster.client
    c.controller_set_prop("DrbdOptions/auto-add-quorum-tiebreaker", "false")
    assert not is_error(c.resource_group_create("grp", place_count=2, storage_pool="thinpool"))
    assert not is_error(c.resource_dfn_create("R1", resource_group="grp", layer_list=["drbd", "storage"]))
    assert not is_error(c.volume_dfn_create("R1", VOLUME_KIB))
    assert not is_error(c.resource_create([linstor.ResourceData(n, "R1", storage_pool="thinpool") for n in ["alpha", "bravo"]]))
    assert not is_error(c.resource_dfn_create("Local", resource_group="grp", layer_list=["storage"]))
    assert not is_error(c.volume_dfn_create("Local", VOLUME_KIB))
    assert not is_error(c.resource_create([linstor.ResourceData("bravo", "Local", storage_pool="thinpool")]))
    cluster.wait_for(lambda: all(cluster.disk_states("R1").get(n) == ["UpToDate"] for n in ["alpha", "bravo"]), "R1 UpToDate")
    cluster.satellites["bravo"].stop()
    cluster.wait_for(lambda: cluster.node("bravo").connection_status == "OFFLINE", "bravo OFFLINE")
    replies = c.node_lost("bravo")
    assert not is_error(replies), messages(replies)
    assert any("successfully autoplaced on 1 nodes" in r.message for r in replies), messages(replies)
    assert "bravo" not in {n.name for n in c.node_list()[0].nodes}
    replicas = set(cluster.resources("R1"))
    assert len(replicas) == 2 and "alpha" in replicas and "bravo" not in replicas, replicas
    new = (replicas - {"alpha"}).pop()
    cluster.wait_for(lambda: cluster.disk_states("R1").get(new) == ["UpToDate"], f"R1 UpToDate on {new}", 40)
    assert cluster.resources("Local") == {}, "a lost single copy is not re-placed"


def test_evacuate_moves_the_drbd_replica_then_removes_it(drbd_cluster):
    cluster = drbd_cluster
    nodes = ["alpha", "bravo", "charlie", "delta"]
    for index, name in enumerate(nodes):
        cluster.drbd_node(name, f"127.0.0.{index + 2}")
    c = cluster.client
    assert not is_error(c.resource_dfn_create("SharedData", layer_list=["drbd", "storage"]))
    assert not is_error(c.volume_dfn_create("SharedData", 65536))
    replies = c.resource_create([linstor.ResourceData(n, "SharedData", storage_pool="thinpool") for n in nodes[:3]])
    assert not is_error(replies), messages(replies)

    def up_to_date(on):
        states = cluster.disk_states("SharedData")
        return all(states.get(node) == ["UpToDate"] for node in on)

    cluster.wait_for(lambda: up_to_date(nodes[:3]), f"SharedData UpToDate ({cluster.disk_states('SharedData')})", 30)
    replies = c.node_evacuate("charlie")
    assert not is_error(replies), messages(replies)
    assert apiconsts.FLAG_EVACUATE in cluster.node("charlie").flags
    # The new replica on delta syncs first; only then does charlie's go.
    seen_both = []

    def moved() -> bool:
        resources = cluster.resources("SharedData")
        if "delta" in resources and "charlie" in resources:
            seen_both.append(True)
        return "charlie" not in resources and up_to_date(["alpha", "bravo", "delta"])

    cluster.wait_for(moved, f"charlie's replica moved to delta (now {cluster.disk_states('SharedData')})", 60)
    assert seen_both, "charlie's replica went before delta's existed"
    assert set(cluster.resources("SharedData")) == {"alpha", "bravo", "delta"}
    assert not (cluster.config_dir("charlie") / "SharedData.res").exists()
    assert (cluster.config_dir("delta") / "SharedData.res").exists()
    assert apiconsts.FLAG_EVACUATE in cluster.node("charlie").flags
