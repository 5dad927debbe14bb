"""`physical-storage list` and `create-device-pool` on this host, through python-linstor and `depot`:
the disks a satellite offers are loop devices the test attaches (files in its directory, detached
by the fixture), and the ones it must never offer (too small, carrying a filesystem, held open
exclusively) stay out. Making a pool needs device-mapper for a thin pool and a real LVM setup;
the kernel tier makes one (test_kernel_tier.py). Here every refusal is checked to leave the disk
as it was."""

from __future__ import annotations

import json
import os
import subprocess
import urllib.request

from conftest import is_error, messages


def attach(cluster, name: str, mib: int, filesystem: bool = False) -> str:
    image = cluster.root / name
    subprocess.run(["truncate", "-s", f"{mib}M", str(image)], check=True)
    if filesystem:
        subprocess.run(["mkfs.ext4", "-q", "-F", str(image)], check=True)
    return subprocess.run(["losetup", "--find", "--show", str(image)], capture_output=True, text=True, check=True).stdout.strip()


def offered(cluster, node: str) -> dict[str, object]:
    """device -> its group, from python-linstor's list."""
    listed = cluster.client.physical_storage_list()
    groups = listed.physical_devices if listed else []  # python-linstor answers None for an empty list
    return {entry.device: group for group in groups for entry in group.nodes.get(node, [])}


def signature(device: str) -> str:
    return subprocess.run(["blkid", "-p", "-o", "value", "-s", "TYPE", device], capture_output=True, text=True).stdout.strip()


def test_unused_disks_are_offered_and_used_ones_never(cluster):
    cluster.online_node("vulcan", "127.0.0.2")
    spare = attach(cluster, "spare.img", 1536)
    small = attach(cluster, "small.img", 512)
    formatted = attach(cluster, "formatted.img", 1536, filesystem=True)

    disks = offered(cluster, "vulcan")
    assert spare in disks and small not in disks and formatted not in disks, sorted(disks)
    assert disks[spare].size == 1536 * 1024 * 1024 and disks[spare].rotational in (True, False)

    # One node's list, as LINSTOR's PhysicalStorageNode entries.
    with urllib.request.urlopen(f"http://{cluster.rest}/v1/physical-storage/vulcan", timeout=30) as response:
        entries = {entry["device"]: entry for entry in json.load(response)}
    assert entries[spare]["size"] == 1536 * 1024 * 1024 and formatted not in entries

    # A disk someone holds open exclusively (as a mounted filesystem or DRBD would) is not offered.
    held = os.open(spare, os.O_RDONLY | os.O_EXCL)
    try:
        assert spare not in offered(cluster, "vulcan")
    finally:
        os.close(held)

    # depot's table: size in bytes, rotational, node[device].
    table = cluster.depot("physical-storage", "list")
    assert "Size" in table and "Rotational" in table and f"vulcan[{spare}" in table, table
    assert formatted not in table


def test_refused_device_pools_leave_the_disks_alone(cluster):
    cluster.online_node("vulcan", "127.0.0.2")
    cluster.file_pool("vulcan")
    spare = attach(cluster, "spare.img", 1536)
    formatted = attach(cluster, "formatted.img", 1536, filesystem=True)
    c = cluster.client

    replies = c.physical_storage_create_device_pool("vulcan", "LVM", [formatted], pool_name="depot_ps_test")
    assert is_error(replies) and any("is not an unused disk on this node" in m for m in messages(replies)), messages(replies)
    assert signature(formatted) == "ext4"

    for kwargs, expected in [
        ({"vdo_enable": True}, "VDO is not supported"),
        ({"sed": True, "storage_pool_name": "fast"}, "Self-encrypting drives (SED) is not supported"),
        ({"pool_name": "-ff"}, "The pool name '-ff' is invalid."),
        ({"storage_pool_name": "x"}, "The specified storage pool name 'x' is invalid."),
        # The storage pool is checked before any disk is touched: these machines have no
        # device-mapper (TESTING.md), so the node cannot serve an LVM pool and says why.
        ({"storage_pool_name": "fast"}, "Node 'vulcan' does not support LVM storage pools."),
    ]:
        arguments = {"pool_name": "depot_ps_test", **kwargs}
        replies = c.physical_storage_create_device_pool("vulcan", "LVM", [spare], **arguments)
        assert is_error(replies) and any(expected in m for m in messages(replies)), (kwargs, messages(replies))
    replies = c.physical_storage_create_device_pool("ghost", "LVM", [spare], pool_name="depot_ps_test")
    assert is_error(replies) and any("ghost" in m for m in messages(replies)), messages(replies)

    # Nothing was made: the disk is still offered and blank, no storage pool appeared.
    assert spare in offered(cluster, "vulcan") and signature(spare) == ""
    pools = [p.name for p in c.storage_pool_list(filter_by_nodes=["vulcan"])[0].storage_pools]
    assert "fast" not in pools and "x" not in pools

    # depot checks the provider kind as linstor-client does; the controller refuses SPDK with the reason.
    cluster.depot("physical-storage", "create-device-pool", "btrfs", "vulcan", spare, code=2)
    out = cluster.depot("physical-storage", "create-device-pool", "spdk", "vulcan", spare, "--pool-name", "p1", code=10)
    assert "Depot cannot create a device pool of kind 'spdk'" in out, out
