"""The kernel tier: depot-satellite on a real kernel with device-mapper (Debian's, in QEMU, see
kernel_vm.py), driven by a real controller on this host through `depot` and python-linstor.

What only a real kernel shows: the article's LocalData on an LVM thin pool (`lvs` as in its Listing
1), thick LVs with their device nodes, free space from `data_percent`, thin snapshots taken,
restored, rolled back and copied into another pool, an encrypted volume on dm-crypt, a satellite restart that leaves the volumes
alone, a device pool made on an unused disk, and many thin volumes on one node. One guest serves the module; the scenarios run in order.
"""

from __future__ import annotations

import concurrent.futures
import json
import time

import linstor
import pytest
from conftest import Cluster, binary, free_port, is_error, messages
from kernel_vm import KernelVM

NODE = "vm1"


@pytest.fixture(scope="module")
def tier(tmp_path_factory, request):
    root = tmp_path_factory.mktemp("kernel-tier")
    failed_before = request.session.testsfailed
    port = free_port("127.0.0.1")
    vm = KernelVM(root / "guest", NODE, ("127.0.0.1", port))
    cluster = None
    try:
        vm.start()
        # Two PVs on loop devices inside the guest: a VG with the article's 300 MiB thin pool, and a thick VG.
        vm.run("""set -e
            truncate -s 3G /tmp/pv-thin.img; truncate -s 1G /tmp/pv-thick.img
            thin=$(losetup --find --show /tmp/pv-thin.img); thick=$(losetup --find --show /tmp/pv-thick.img)
            pvcreate -q "$thin" "$thick"
            vgcreate -q drbdpool "$thin"; vgcreate -q thickvg "$thick"
            lvcreate -q -L 300m -T drbdpool/thinpool
            lvcreate -q -L 1g -T drbdpool/bigthin""")
        (root / "cluster").mkdir()
        cluster = Cluster(root / "cluster")
        start_satellite(vm, port)
        cluster.client.node_create(NODE, "Satellite", "127.0.0.1", port=port)
        cluster.wait_for(lambda: cluster.node(NODE).connection_status == "ONLINE", "the guest's satellite ONLINE", 120)
        for pool, kind, backing in [("bigthin", "LVM_THIN", "drbdpool/bigthin"), ("thick", "LVM", "thickvg")]:
            assert not is_error(cluster.client.storage_pool_create(NODE, pool, kind, backing))
        yield vm, cluster, port
    except BaseException:
        print(vm.console())
        raise
    finally:
        if request.session.testsfailed > failed_before:
            print(vm.console())
        if cluster is not None:
            cluster.close()
        vm.stop()


def start_satellite(vm: KernelVM, port: int) -> None:
    satellite = binary("DEPOT_SATELLITE", "depot-satellite")
    vm.run(f"mkdir -p /tmp/state; nohup {satellite} --bind 0.0.0.0:{port} --state-dir /tmp/state --hostname {NODE} "
           f">>/depot-work/satellite.log 2>&1 </dev/null & echo $! > /tmp/satellite.pid")


def lvs(vm: KernelVM, vg: str) -> dict[str, dict]:
    _, out, _ = vm.run(f"lvs --reportformat json --units m -o lv_name,lv_attr,lv_size,pool_lv,data_percent,lv_uuid {vg}")
    return {lv["lv_name"]: lv for lv in json.loads(out)["report"][0]["lv"]}


def checksum(vm: KernelVM, device: str, mib: int = 8) -> str:
    return vm.run(f"dd if={device} bs=1M count={mib} status=none | md5sum")[1].split()[0]


def test_the_article_localdata_on_a_real_thin_pool(tier):
    vm, cluster, _ = tier
    cluster.depot("storage-pool", "create", "lvmthin", NODE, "thinpool", "drbdpool/thinpool")
    cluster.depot("resource-definition", "create", "--layer-list", "storage", "LocalData")
    cluster.depot("volume-definition", "create", "LocalData", "150m")
    cluster.depot("resource", "create", "--storage-pool", "thinpool", NODE, "LocalData")
    # Listing 1: a thin LV of 152 MiB (150 MiB in 4 MiB extents), active, in the thin pool.
    volume = lvs(vm, "drbdpool")["LocalData_00000"]
    assert volume["lv_attr"].startswith("Vwi-a-tz") and volume["lv_size"] == "152.00m" and volume["pool_lv"] == "thinpool", volume
    vm.run("test -b /dev/drbdpool/LocalData_00000")
    # Resize, then delete.
    cluster.depot("volume-definition", "set-size", "LocalData", "0", "200m")
    assert lvs(vm, "drbdpool")["LocalData_00000"]["lv_size"] == "200.00m"
    vm.run("test $(blockdev --getsize64 /dev/drbdpool/LocalData_00000) -eq $((200 * 1024 * 1024))")
    cluster.depot("resource-definition", "delete", "LocalData")
    cluster.wait_for(lambda: "LocalData_00000" not in lvs(vm, "drbdpool"), "the LV removed", 60)


def test_free_space_follows_what_is_written_to_thin_volumes(tier):
    vm, cluster, _ = tier

    def free_kib() -> int:
        pools = cluster.client.storage_pool_list(filter_by_nodes=[NODE], filter_by_stor_pools=["bigthin"])[0].storage_pools
        return pools[0].free_space.free_capacity

    before = free_kib()
    cluster.depot("resource-definition", "create", "--layer-list", "storage", "Filled")
    cluster.depot("volume-definition", "create", "Filled", "256m")
    cluster.depot("resource", "create", "--storage-pool", "bigthin", NODE, "Filled")
    vm.run("dd if=/dev/urandom of=/dev/drbdpool/Filled_00000 bs=1M count=128 oflag=direct status=none")
    # The pool's data_percent rose by about 128 MiB of 1 GiB; the controller learns it on the next pass.
    cluster.wait_for(lambda: before - free_kib() >= 120 * 1024, "free capacity down by the written 128 MiB", 90)
    cluster.depot("resource-definition", "delete", "Filled")


def test_thick_lvs_have_their_device_before_the_create_returns(tier):
    vm, cluster, _ = tier
    cluster.depot("resource-definition", "create", "--layer-list", "storage", "Thick")
    cluster.depot("volume-definition", "create", "Thick", "64m")
    cluster.depot("resource", "create", "--storage-pool", "thick", NODE, "Thick")
    vm.run("test -b /dev/thickvg/Thick_00000")
    assert lvs(vm, "thickvg")["Thick_00000"]["lv_attr"].startswith("-wi-a"), lvs(vm, "thickvg")


def test_thin_snapshots_rollback_restore_and_a_clone_into_a_thick_pool(tier):
    vm, cluster, _ = tier
    cluster.depot("resource-definition", "create", "--layer-list", "storage", "Snappy")
    cluster.depot("volume-definition", "create", "Snappy", "32m")
    cluster.depot("resource", "create", "--storage-pool", "bigthin", NODE, "Snappy")
    device = "/dev/drbdpool/Snappy_00000"
    vm.run(f"dd if=/dev/urandom of={device} bs=1M count=8 oflag=direct status=none")
    original = checksum(vm, device)

    cluster.depot("snapshot", "create", NODE, "Snappy", "Snap1")
    snapshot = lvs(vm, "drbdpool")["Snappy_00000_Snap1"]
    assert snapshot["lv_attr"].startswith("V") and snapshot["lv_attr"][6] == "t", snapshot
    vm.run(f"dd if=/dev/zero of={device} bs=1M count=8 oflag=direct status=none")
    assert checksum(vm, device) != original

    cluster.depot("snapshot", "rollback", "Snappy", "Snap1")
    assert checksum(vm, device) == original, "rolled back to the snapshot"

    cluster.depot("resource-definition", "create", "Restored", "--layer-list", "storage")
    cluster.depot("snapshot", "resource", "restore", "--from-resource", "Snappy", "--from-snapshot", "Snap1", "--to-resource", "Restored")
    assert checksum(vm, "/dev/drbdpool/Restored_00000") == original
    assert lvs(vm, "drbdpool")["Restored_00000"]["pool_lv"] == "bigthin"

    # A clone into the thick VG: the thin snapshot activated and copied, then removed.
    assert not is_error(cluster.client.resource_group_create("ThickGroup", storage_pool="thick"))
    out = cluster.depot("resource-definition", "clone", "--resource-group", "ThickGroup", "Snappy", "Copied")
    assert "Completed cloning Copied." in out, out
    assert checksum(vm, "/dev/thickvg/Copied_00000") == original
    cluster.wait_for(lambda: not any("clone_" in name for name in lvs(vm, "drbdpool")), "the clone's snapshot removed", 60)

    for name in ["Copied", "Restored"]:
        cluster.depot("resource-definition", "delete", name)
    cluster.depot("snapshot", "delete", "Snappy", "Snap1")
    cluster.depot("resource-definition", "delete", "Snappy")
    cluster.wait_for(lambda: not any(n.startswith(("Snappy", "Restored")) for n in lvs(vm, "drbdpool")), "thin volumes gone", 60)


def test_an_encrypted_volume_on_real_dm_crypt(tier):
    """`luks,storage` on a thin LV: a LUKS2 header, the mapping opened with cryptsetup, data that
    is ciphertext on the LV, a changed volume passphrase, and the mapping closed before the LV goes."""
    vm, cluster, port = tier
    assert not is_error(cluster.client.crypt_create_passphrase("kernel tier master passphrase"))
    # argon2id in an emulated guest takes minutes per key slot: pbkdf2 with few iterations here.
    assert not is_error(cluster.client.controller_set_prop("StorDriver/LuksFormatOptions", "--pbkdf pbkdf2 --pbkdf-force-iterations 1000"))
    cluster.depot("resource-definition", "create", "--layer-list", "luks,storage", "Secret")
    cluster.depot("volume-definition", "create", "Secret", "64m")
    cluster.depot("resource", "create", "--storage-pool", "bigthin", NODE, "Secret")
    mapper, lv = "/dev/mapper/Linstor-Crypt-Secret_00000", "/dev/drbdpool/Secret_00000"
    vm.run(f"test -b {mapper}")
    # The usable size is the volume definition's; the LV carries LUKS2's 16 MiB header on top.
    assert vm.run(f"blockdev --getsize64 {mapper}")[1].strip() == str(64 * 1024 * 1024)
    assert lvs(vm, "drbdpool")["Secret_00000"]["lv_size"] == "80.00m"
    assert "LUKS2" in vm.run("cryptsetup status Linstor-Crypt-Secret_00000")[1]
    volume = cluster.client.resource_list(filter_by_resources=["Secret"])[0].resources[0].volumes[0]
    assert volume.device_path == mapper, volume.device_path
    marker = "DEPOT-PLAINTEXT-MARKER"
    vm.run(f"yes {marker} | head -c 4194304 | dd of={mapper} bs=1M oflag=direct status=none")
    assert int(vm.run(f"dd if={mapper} bs=1M count=4 status=none | grep -c {marker} || true")[1].strip()) > 0
    assert vm.run(f"dd if={lv} bs=1M count=20 status=none | grep -c {marker} || true")[1].strip() == "0", "plaintext on the LV"

    # Grown: the LV by the new size, then the mapping (`cryptsetup resize`), the data kept.
    cluster.depot("volume-definition", "set-size", "Secret", "0", "96m")
    # The emulated guest runs beside the other system tests: the reply may come before the node is done.
    cluster.wait_for(lambda: vm.run(f"blockdev --getsize64 {mapper}")[1].strip() == str(96 * 1024 * 1024), "the mapping grown to 96 MiB", 120)
    assert lvs(vm, "drbdpool")["Secret_00000"]["lv_size"] == "112.00m"
    assert int(vm.run(f"dd if={mapper} bs=1M count=4 status=none | grep -c {marker} || true")[1].strip()) > 0

    # A passphrase of the user's: the header's key slot changes; the old one no longer opens it.
    cluster.depot("volume-definition", "modify-passphrase", "Secret", "0", "user volume passphrase")
    cluster.wait_for(
        lambda: vm.run(f"printf %s 'user volume passphrase' | cryptsetup open --test-passphrase --key-file - {lv}", check=False)[0] == 0,
        "the header takes the new passphrase", 60)

    # A restarted satellite keeps the mapping and the data.
    vm.run("kill -9 $(cat /tmp/satellite.pid)")
    start_satellite(vm, port)
    cluster.wait_for(lambda: cluster.node(NODE).connection_status == "ONLINE", "the satellite back", 120)
    assert int(vm.run(f"dd if={mapper} bs=1M count=4 status=none | grep -c {marker} || true")[1].strip()) > 0

    cluster.depot("resource-definition", "delete", "Secret")
    cluster.wait_for(lambda: "Secret_00000" not in lvs(vm, "drbdpool"), "the LV removed", 60)
    assert vm.run(f"test -e {mapper}", check=False)[0] != 0, "the mapping closed"
    assert not is_error(cluster.client.controller_del_prop("StorDriver/LuksFormatOptions"))
    # Neither daemon wrote a passphrase into its log.
    logs = (vm.work / "satellite.log").read_text() + (cluster.root / "controller.log").read_text()
    for secret in ("kernel tier master passphrase", "user volume passphrase"):
        assert secret not in logs


def test_a_restarted_satellite_converges_without_touching_the_volumes(tier):
    vm, cluster, port = tier
    for name in ["Kept1", "Kept2"]:
        cluster.depot("resource-definition", "create", "--layer-list", "storage", name)
        cluster.depot("volume-definition", "create", name, "16m")
        cluster.depot("resource", "create", "--storage-pool", "bigthin", NODE, name)
    before = {name: lv["lv_uuid"] for name, lv in lvs(vm, "drbdpool").items()}
    vm.run("kill -9 $(cat /tmp/satellite.pid); while kill -0 $(cat /tmp/satellite.pid) 2>/dev/null; do sleep 0.1; done")
    cluster.wait_for(lambda: cluster.node(NODE).connection_status != "ONLINE", "the node seen offline", 60)
    start_satellite(vm, port)
    cluster.wait_for(lambda: cluster.node(NODE).connection_status == "ONLINE", "the node back", 120)
    resources = cluster.client.resource_list(filter_by_nodes=[NODE])[0].resources
    assert {"Kept1", "Kept2"} <= {r.name for r in resources}
    after = {name: lv["lv_uuid"] for name, lv in lvs(vm, "drbdpool").items()}
    assert after == before, "no LV created, removed or replaced"
    for name in ["Kept1", "Kept2"]:
        cluster.depot("resource-definition", "delete", name)


def offered_disks(cluster) -> set[str]:
    listed = cluster.client.physical_storage_list()  # None for an empty list
    return {entry.device for group in (listed.physical_devices if listed else []) for entry in group.nodes.get(NODE, [])}


def test_a_device_pool_on_an_unused_disk_takes_volumes(tier):
    """`physical-storage list` offers only the blank disk (the tier's PVs carry LVM signatures), and
    `create-device-pool lvmthin … --storage-pool` makes the VG, its thin pool and the storage pool."""
    vm, cluster, _ = tier
    spare = vm.run("truncate -s 2G /tmp/spare.img; losetup --find --show /tmp/spare.img")[1].strip()
    disks = offered_disks(cluster)
    pvs = set(vm.run("pvs --noheadings -o pv_name")[1].split())
    assert spare in disks and not disks & pvs, (spare, disks, pvs)

    out = cluster.depot("physical-storage", "create-device-pool", "lvmthin", NODE, spare, "--pool-name", "spare", "--storage-pool", "spare")
    assert "Thin pool 'spare' created in volume group 'linstor_spare'." in out and "Storage pool 'spare'" in out, out
    assert lvs(vm, "linstor_spare")["spare"]["lv_attr"].startswith("twi-"), lvs(vm, "linstor_spare")
    pool = cluster.client.storage_pool_list(filter_by_nodes=[NODE], filter_by_stor_pools=["spare"])[0].storage_pools[0]
    assert pool.provider_kind == "LVM_THIN" and pool.properties["StorDriver/StorPoolName"] == "linstor_spare/spare"
    assert spare not in offered_disks(cluster)

    cluster.depot("resource-definition", "create", "--layer-list", "storage", "OnSpare")
    cluster.depot("volume-definition", "create", "OnSpare", "100m")
    cluster.depot("resource", "create", "--storage-pool", "spare", NODE, "OnSpare")
    assert lvs(vm, "linstor_spare")["OnSpare_00000"]["pool_lv"] == "spare"
    cluster.depot("resource-definition", "delete", "OnSpare")
    cluster.wait_for(lambda: "OnSpare_00000" not in lvs(vm, "linstor_spare"), "the LV removed", 60)
    cluster.depot("storage-pool", "delete", NODE, "spare")
    vm.run(f"vgremove -qy linstor_spare && pvremove -qy {spare} && losetup -d {spare} && rm /tmp/spare.img")


# The satellite issue's scale target, on real LVM: a thin create costs lvcreate, lvchange and one
# lvs, a delete wipefs and lvremove, whatever the node already holds.
VOLUMES = 200


def test_many_thin_volumes_on_one_node(tier):
    vm, cluster, _ = tier
    assert not is_error(cluster.client.resource_group_create("Many", place_count=1, storage_pool="bigthin", layer_list=["storage"]))
    assert not is_error(cluster.client.volume_group_create("Many"))
    names = [f"many{i:03d}" for i in range(VOLUMES)]

    def spawn(name: str) -> list[str]:
        # A client per call: python-linstor's connection is not shared between threads.
        with linstor.Linstor(f"linstor://{cluster.rest}") as client:
            replies = client.resource_group_spawn("Many", name, ["4MiB"])
            return messages(replies) if is_error(replies) else []

    started = time.time()
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        failures = [failure for failure in pool.map(spawn, names) if failure]
    assert not failures, failures[:3]
    # Answers after 15 s say "still applying"; the node works through them without dropping off.
    wanted = {f"{name}_00000" for name in names}
    cluster.wait_for(lambda: wanted <= set(lvs(vm, "drbdpool")), f"{VOLUMES} thin LVs", 900)
    print(f"{VOLUMES} thin volumes created in {time.time() - started:.0f} s")
    assert cluster.node(NODE).connection_status == "ONLINE"
    cluster.wait_for(lambda: all(r.name not in names or r.volumes for r in cluster.client.resource_list(filter_by_nodes=[NODE])[0].resources),
                     "every volume reported", 120)

    def delete(name: str) -> list[str]:
        with linstor.Linstor(f"linstor://{cluster.rest}") as client:
            replies = client.resource_dfn_delete(name)
            return messages(replies) if is_error(replies) else []

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        failures = [failure for failure in pool.map(delete, names) if failure]
    assert not failures, failures[:3]
    cluster.wait_for(lambda: not any(n.startswith("many") for n in lvs(vm, "drbdpool")), f"{VOLUMES} volumes removed", 900)
    assert cluster.node(NODE).connection_status == "ONLINE"
