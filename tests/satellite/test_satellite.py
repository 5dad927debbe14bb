"""The controller drives real satellites: link status, capabilities, FILE_THIN volumes on loop
devices, failures as data, and convergence after a satellite restart."""

from __future__ import annotations

import os
import signal

import linstor


def is_error(replies) -> bool:
    return any(r.is_error() for r in replies)


def test_satellite_comes_online_with_its_capabilities(cluster):
    cluster.start_satellite("vulcan", "127.0.0.2")
    address, port = cluster.ports["vulcan"]
    assert not is_error(cluster.client.node_create("vulcan", "Satellite", address, port=port))
    cluster.wait_for(lambda: cluster.node("vulcan").connection_status == "ONLINE", "vulcan ONLINE")
    node = cluster.node("vulcan")
    assert "FILE_THIN" in node.storage_providers and "DISKLESS" in node.storage_providers
    assert "STORAGE" in node.resource_layers
    # This machine has no DRBD module: the layer is reported unsupported, with the reason.
    assert "DRBD" not in node.resource_layers
    assert any("DRBD" in reason or "drbd" in reason for reasons in node.unsupported_layers.values() for reason in reasons) \
        or "DRBD" in node.unsupported_layers


def test_local_data_volume_is_created_reported_and_removed(cluster):
    cluster.online_node("vulcan", "127.0.0.2")
    c = cluster.client
    pool = cluster.pool_dir("vulcan")
    assert not is_error(c.storage_pool_create("vulcan", "filepool", "FILE_THIN", str(pool)))
    c.resource_dfn_create("LocalData", layer_list=["storage"])
    c.volume_dfn_create("LocalData", 153600)
    replies = c.resource_create([linstor.ResourceData("vulcan", "LocalData", storage_pool="filepool")])
    assert not is_error(replies), [str(r) for r in replies]
    assert any("ready on node 'vulcan'" in r.message for r in replies)
    image = pool / "LocalData_00000.img"
    assert image.stat().st_size == 153600 * 1024
    assert [back for _, back in cluster.loop_devices()] == [str(image)]
    pools = {p.name: p for p in c.storage_pool_list(filter_by_nodes=["vulcan"])[0].storage_pools}
    assert pools["filepool"].free_space.total_capacity > 0

    replies = c.resource_delete("vulcan", "LocalData")
    assert not is_error(replies)
    assert not image.exists()
    assert cluster.loop_devices() == []


def test_a_failing_command_reaches_the_caller(cluster):
    cluster.online_node("vulcan", "127.0.0.2")
    c = cluster.client
    c.storage_pool_create("vulcan", "badpool", "FILE_THIN", str(cluster.root / "does-not-exist"))
    c.resource_dfn_create("Broken", layer_list=["storage"])
    c.volume_dfn_create("Broken", 1024)
    replies = c.resource_create([linstor.ResourceData("vulcan", "Broken", storage_pool="badpool")])
    errors = [r for r in replies if r.is_error()]
    assert errors, [str(r) for r in replies]
    assert "vulcan" in errors[0].message and "does-not-exist" in errors[0].message
    # The satellite keeps running and serves the next request.
    assert cluster.satellites["vulcan"].proc.poll() is None


def test_offline_satellite_gets_its_work_when_it_returns(cluster):
    address = "127.0.0.3"
    cluster.ports["kronos"] = (address, __import__("conftest").free_port(address))
    _, port = cluster.ports["kronos"]
    c = cluster.client
    c.node_create("kronos", "Satellite", address, port=port)
    pool = cluster.pool_dir("kronos")
    c.storage_pool_create("kronos", "filepool", "FILE_THIN", str(pool))
    c.resource_dfn_create("Later", layer_list=["storage"])
    c.volume_dfn_create("Later", 4096)
    replies = c.resource_create([linstor.ResourceData("kronos", "Later", storage_pool="filepool")])
    assert any(r.is_warning() and "kronos" in r.message for r in replies)
    cluster.start_satellite("kronos", address)
    cluster.wait_for(lambda: (pool / "Later_00000.img").exists(), "the volume created after the satellite came back")


def test_satellite_restart_converges_without_duplicates(cluster):
    cluster.online_node("vulcan", "127.0.0.2")
    c = cluster.client
    pool = cluster.file_pool("vulcan")
    c.resource_dfn_create("Kept", layer_list=["storage"])
    c.volume_dfn_create("Kept", 2048)
    c.resource_create([linstor.ResourceData("vulcan", "Kept", storage_pool="filepool")])
    c.resource_dfn_create("Dropped", layer_list=["storage"])
    c.volume_dfn_create("Dropped", 2048)
    c.resource_create([linstor.ResourceData("vulcan", "Dropped", storage_pool="filepool")])
    assert len(cluster.loop_devices()) == 2

    cluster.satellites["vulcan"].stop(signal.SIGKILL)
    cluster.wait_for(lambda: cluster.node("vulcan").connection_status == "OFFLINE", "vulcan OFFLINE")
    c.resource_dfn_delete("Dropped")
    cluster.start_satellite("vulcan", "127.0.0.2")
    cluster.wait_for(lambda: cluster.node("vulcan").connection_status == "ONLINE", "vulcan back ONLINE")
    cluster.wait_for(lambda: not (pool / "Dropped_00000.img").exists(), "the deleted resource's volume removed")
    assert [back for _, back in cluster.loop_devices()] == [str(pool / "Kept_00000.img")]
    assert sorted(p.name for p in pool.iterdir()) == ["Kept_00000.img"]


def test_satellite_stops_cleanly(cluster):
    daemon = cluster.start_satellite("vulcan", "127.0.0.2")
    address, port = cluster.ports["vulcan"]
    cluster.client.node_create("vulcan", "Satellite", address, port=port)
    cluster.wait_for(lambda: cluster.node("vulcan").connection_status == "ONLINE", "vulcan ONLINE")
    assert daemon.stop(signal.SIGTERM) == 0
    assert cluster.controller.stop(signal.SIGTERM) == 0


def test_resource_list_shows_the_real_device(cluster):
    cluster.online_node("vulcan", "127.0.0.2")
    c = cluster.client
    pool = cluster.file_pool("vulcan")
    c.resource_dfn_create("LocalData", layer_list=["storage"])
    c.volume_dfn_create("LocalData", 153600)
    c.resource_create([linstor.ResourceData("vulcan", "LocalData", storage_pool="filepool")])
    devices = dict((back, dev) for dev, back in cluster.loop_devices())

    def listed_device():
        volumes = c.volume_list()[0].resources[0].volumes
        return volumes[0].device_path if volumes else None

    cluster.wait_for(lambda: listed_device() == devices[str(pool / "LocalData_00000.img")], "the loop device in volume list")
    volume = c.volume_list()[0].resources[0].volumes[0]
    assert volume.data_v1["usable_size_kib"] == 153600
    # A FILE_THIN image is sparse: what it really occupies is reported, here next to nothing.
    assert 0 <= volume.data_v1["allocated_size_kib"] < 153600
    assert volume.data_v1["state"]["disk_state"] == "UpToDate"


def test_layers_the_node_cannot_do_are_refused_with_the_reason(cluster):
    cluster.online_node("vulcan", "127.0.0.2")
    c = cluster.client
    c.storage_pool_create("vulcan", "filepool", "FILE_THIN", str(cluster.pool_dir("vulcan")))
    c.resource_dfn_create("Replicated", layer_list=["drbd", "storage"])
    c.volume_dfn_create("Replicated", 1024)
    replies = c.resource_create([linstor.ResourceData("vulcan", "Replicated", storage_pool="filepool")])
    errors = [r for r in replies if r.is_error()]
    assert errors and errors[0].ret_code & 0x7FFF == 988
    assert "vulcan" in errors[0].message and "DRBD" in errors[0].message
    assert errors[0].cause
    assert cluster.loop_devices() == []


def test_two_nodes_answering_as_the_same_host_are_reported(cluster):
    cluster.online_node("vulcan", "127.0.0.2")
    c = cluster.client
    # A second satellite that claims the same host name.
    cluster.ports["twin"] = ("127.0.0.3", __import__("conftest").free_port("127.0.0.3"))
    twin_address, twin_port = cluster.ports["twin"]
    twin = __import__("conftest").Daemon(
        [cluster.satellites["vulcan"].argv[0], "--bind", f"{twin_address}:{twin_port}", "--state-dir",
         str(cluster.root / "state-twin"), "--hostname", "vulcan"], cluster.root / "twin.log").start()
    cluster.daemons.append(twin)
    c.node_create("twin", "Satellite", twin_address, port=twin_port)
    cluster.wait_for(lambda: cluster.node("twin").connection_status == "DUPLICATE_UNAME", "twin DUPLICATE_UNAME")
    assert cluster.node("vulcan").connection_status == "ONLINE"


def test_controller_restart_keeps_state_and_satellites_reconnect(cluster):
    cluster.online_node("vulcan", "127.0.0.2")
    c = cluster.client
    pool = cluster.file_pool("vulcan")
    c.resource_dfn_create("LocalData", layer_list=["storage"])
    c.volume_dfn_create("LocalData", 8192)
    c.resource_create([linstor.ResourceData("vulcan", "LocalData", storage_pool="filepool")])
    devices_before = cluster.loop_devices()
    assert len(devices_before) == 1

    assert cluster.controller.stop(signal.SIGTERM) == 0
    restarted = __import__("conftest").Daemon(cluster.controller.argv, cluster.root / "controller-2.log").start()
    cluster.daemons.append(restarted)
    cluster.controller = restarted
    cluster.wait_for(cluster._healthy, "restarted controller health")
    cluster.client = linstor.Linstor(f"linstor://{cluster.rest}")
    cluster.client.connect()
    cluster.wait_for(lambda: cluster.node("vulcan").connection_status == "ONLINE", "vulcan ONLINE again")
    resources = cluster.client.resource_list()[0].resources
    assert [(r.name, r.node_name) for r in resources] == [("LocalData", "vulcan")]
    # The satellite converged on the same state: the same single volume, nothing created twice.
    cluster.wait_for(lambda: cluster.client.volume_list()[0].resources[0].volumes[0].device_path == devices_before[0][0],
                     "the existing loop device reported again")
    assert cluster.loop_devices() == devices_before
    assert sorted(p.name for p in pool.iterdir()) == ["LocalData_00000.img"]


def test_deleting_a_volume_in_use_reports_it_and_finishes_later(cluster):
    cluster.online_node("vulcan", "127.0.0.2")
    c = cluster.client
    pool = cluster.file_pool("vulcan")
    c.resource_dfn_create("Busy", layer_list=["storage"])
    c.volume_dfn_create("Busy", 4096)
    c.resource_create([linstor.ResourceData("vulcan", "Busy", storage_pool="filepool")])
    [(device, _)] = cluster.loop_devices()
    holder = os.open(device, os.O_RDONLY | os.O_EXCL)  # as a mounted file system holds it
    try:
        replies = c.resource_dfn_delete("Busy")
        errors = [r for r in replies if r.is_error()]
        assert errors, [str(r) for r in replies]
        assert "vulcan" in errors[0].message and "Busy" in errors[0].message
        # Not hanging, not lost: still listed, marked for deletion.
        [resource] = c.resource_list(filter_by_resources=["Busy"])[0].resources
        assert "DELETE" in resource.flags
        assert (pool / "Busy_00000.img").exists()
    finally:
        os.close(holder)
    # The satellite retries with the next desired state (at the latest the 30 s refresh).
    cluster.wait_for(lambda: not (pool / "Busy_00000.img").exists(), "the volume removed once free", timeout=45)
    cluster.wait_for(lambda: not c.resource_dfn_list()[0].resource_definitions, "the definition gone", timeout=10)
    assert cluster.loop_devices() == []


def test_reconnect_reprobes_the_node(cluster):
    daemon = cluster.start_satellite("vulcan", "127.0.0.2")
    address, port = cluster.ports["vulcan"]
    c = cluster.client
    c.node_create("vulcan", "Satellite", address, port=port)
    cluster.wait_for(lambda: cluster.node("vulcan").connection_status == "ONLINE", "vulcan ONLINE")
    assert daemon.log.read_text().count("controller connected") == 1
    replies = c.node_reconnect(["vulcan"])
    assert not any(r.is_error() for r in replies)
    cluster.wait_for(lambda: daemon.log.read_text().count("controller connected") == 2, "a second connection")
    cluster.wait_for(lambda: cluster.node("vulcan").connection_status == "ONLINE", "vulcan ONLINE again")
    assert "FILE_THIN" in cluster.node("vulcan").storage_providers


def test_the_article_with_depot_on_three_satellites(cluster):
    """The article's first example, typed as an administrator would, against three real satellites."""
    import subprocess
    from conftest import REPO
    depot = os.environ.get("DEPOT") or str(REPO / ".build" / "debug" / "depot")
    if not os.path.exists(depot):
        import pytest
        pytest.skip(f"depot not built at {depot}")
    env = dict(os.environ, LS_CONTROLLERS=cluster.rest)

    def run(*words):
        done = subprocess.run([depot, *words], env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, (words, done.stdout, done.stderr)
        return done.stdout

    nodes = {"remus": "127.0.0.2", "vulcan": "127.0.0.3", "kronos": "127.0.0.4"}
    for name, address in nodes.items():
        cluster.start_satellite(name, address)
        run("node", "create", "--node-type", "satellite", name, address, "--port", str(cluster.ports[name][1]))
    for name in nodes:
        cluster.wait_for(lambda name=name: cluster.node(name).connection_status == "ONLINE", f"{name} ONLINE")
        run("storage-pool", "create", "filethin", name, "thinpool", str(cluster.pool_dir(name)))
    run("resource-definition", "create", "--layer-list", "storage", "LocalData")
    run("volume", "definition", "create", "LocalData", "150m")
    out = run("resource", "create", "--storage-pool", "thinpool", "vulcan", "kronos", "LocalData")
    assert "ready on node 'vulcan'" in out and "ready on node 'kronos'" in out
    for name in ("vulcan", "kronos"):
        image = cluster.pool_dir(name) / "LocalData_00000.img"
        assert image.stat().st_size == 150 * 1024 * 1024
    assert not (cluster.pool_dir("remus") / "LocalData_00000.img").exists()
    cluster.wait_for(lambda: run("volume", "list").count("/dev/loop") == 2, "both devices listed")
    run("resource", "definition", "delete", "LocalData")
    cluster.wait_for(lambda: cluster.loop_devices() == [], "all volumes removed")
