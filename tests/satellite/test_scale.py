"""A node with 1,000 volumes: it stays ONLINE, every create is confirmed, and a satellite killed and
restarted converges without touching what exists (the same loop devices, the same image files).

The volumes are made in bulk (eight python-linstor clients at once) because the point is the count;
the per-change cost is measured in the benchmark (README), not timed here.
"""

from __future__ import annotations

import os
import signal
from concurrent.futures import ThreadPoolExecutor

import linstor

from conftest import is_error, messages

VOLUMES = 1_000


def create_many(rest: str, names: list[str]) -> list[str]:
    client = linstor.Linstor(f"linstor://{rest}")
    client.connect()
    errors = []
    try:
        for name in names:
            for replies in (client.resource_dfn_create(name, layer_list=["storage"]), client.volume_dfn_create(name, 4096),
                            client.resource_create([linstor.ResourceData("vulcan", name, storage_pool="filepool")])):
                if is_error(replies):
                    errors += messages(replies)
    finally:
        client.disconnect()
    return errors


def image_identity(pool) -> dict[str, tuple[int, int]]:
    return {entry.name: (entry.stat().st_ino, entry.stat().st_mtime_ns) for entry in os.scandir(pool)}


def test_a_thousand_volumes_on_one_node(cluster):
    cluster.online_node("vulcan", "127.0.0.2")
    pool = cluster.file_pool("vulcan")
    names = [f"bulk{index:04d}" for index in range(VOLUMES)]
    with ThreadPoolExecutor(8) as workers:
        errors = sum(workers.map(lambda share: create_many(cluster.rest, share), [names[i::8] for i in range(8)]), [])
    assert errors == []
    cluster.wait_for(lambda: len(cluster.loop_devices()) == VOLUMES, f"{VOLUMES} loop devices", timeout=300)
    assert cluster.node("vulcan").connection_status == "ONLINE"

    # One more create on the full node is confirmed by the satellite, as on an empty one.
    c = cluster.client
    c.resource_dfn_create("OneMore", layer_list=["storage"])
    c.volume_dfn_create("OneMore", 4096)
    replies = c.resource_create([linstor.ResourceData("vulcan", "OneMore", storage_pool="filepool")])
    assert not is_error(replies), messages(replies)
    assert any("is ready on node 'vulcan'" in m for m in messages(replies)), messages(replies)
    assert "satellite link dropped" not in (cluster.root / "controller.log").read_text()

    devices = sorted(cluster.loop_devices())
    images = image_identity(pool)
    assert len(devices) == len(images) == VOLUMES + 1

    # Killed and restarted, the satellite gets the whole state again and changes nothing.
    cluster.satellites["vulcan"].stop(signal.SIGKILL)
    cluster.wait_for(lambda: cluster.node("vulcan").connection_status == "OFFLINE", "vulcan OFFLINE")
    cluster.start_satellite("vulcan", "127.0.0.2")
    cluster.wait_for(lambda: cluster.node("vulcan").connection_status == "ONLINE", "vulcan back ONLINE")
    c.resource_dfn_create("AfterRestart", layer_list=["storage"])
    c.volume_dfn_create("AfterRestart", 4096)
    replies = c.resource_create([linstor.ResourceData("vulcan", "AfterRestart", storage_pool="filepool")])
    assert any("is ready on node 'vulcan'" in m for m in messages(replies)), messages(replies)
    after = dict(cluster.loop_devices())
    assert {device: back for device, back in devices} == {d: b for d, b in after.items() if not b.endswith("AfterRestart_00000.img")}
    assert {name: identity for name, identity in image_identity(pool).items() if name != "AfterRestart_00000.img"} == images
