"""Satellites follow the controller that takes over on a shared PostgreSQL database.

Two controllers on one database (lease 2 s). A satellite with a FILE_THIN pool serves a volume for
the active one. The active controller is killed with SIGKILL: the standby takes over, reconnects to
the satellite with the next fencing token (which the satellite keeps), and a volume created through
it appears on the node while the first one stays untouched.

The server: DEPOT_TEST_POSTGRES_URL (scripts/test.sh starts one); DEPOT_TEST_POSTGRES=skip skips.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import linstor
import pytest

from conftest import Cluster, Daemon, binary, free_port, is_error
from database_engine import create_database, drop_database

ADDRESS = "127.0.0.77"


def health(rest: str) -> int | None:
    try:
        return urllib.request.urlopen(f"http://{rest}/health", timeout=1).status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


@pytest.fixture
def database_url():
    name = "depot_sat_" + uuid.uuid4().hex
    yield create_database(name)
    drop_database(name)


def test_satellites_follow_the_controller_that_takes_over(database_url):
    if os.geteuid() != 0 or shutil.which("losetup") is None:
        pytest.skip("needs root and losetup for FILE_THIN pools on loop devices")
    root = Path(tempfile.mkdtemp(prefix="depot-failover-"))
    args = ["--db-url", database_url, "--lease-seconds", "2"]
    cluster = Cluster(root, controller_args=args)
    standby_rest = f"127.0.0.1:{free_port('127.0.0.1')}"
    standby = Daemon([str(binary("DEPOT_CONTROLLER", "depot-controller")), "--data-dir", str(root / "standby"), "--rest-bind", standby_rest,
                      "--advertise-url", f"http://{standby_rest}"] + args, root / "standby.log").start()
    cluster.daemons.append(standby)
    try:
        cluster.wait_for(lambda: health(standby_rest) == 503, "the second controller standing by")
        cluster.online_node("vulcan", ADDRESS)
        pool = cluster.file_pool("vulcan")
        c = cluster.client
        c.resource_dfn_create("Before", layer_list=["storage"])
        c.volume_dfn_create("Before", 4096)
        assert not is_error(c.resource_create([linstor.ResourceData("vulcan", "Before", storage_pool="filepool")]))
        assert (pool / "Before_00000.img").exists()
        token_file = root / "state-vulcan" / "fencing-token"
        assert token_file.read_text().strip() == "1"

        cluster.controller.proc.kill()
        killed = time.monotonic()
        cluster.wait_for(lambda: health(standby_rest) == 200, "the standby taking over", timeout=15)
        print(f"takeover after SIGKILL: {time.monotonic() - killed:.2f} s")

        successor = linstor.Linstor(f"linstor://{standby_rest}")
        successor.connect()
        cluster.wait_for(lambda: next(n for n in successor.node_list()[0].nodes if n.name == "vulcan").connection_status == "ONLINE",
                         "vulcan ONLINE for the new active controller")
        assert token_file.read_text().strip() == "2"
        successor.resource_dfn_create("After", layer_list=["storage"])
        successor.volume_dfn_create("After", 4096)
        replies = successor.resource_create([linstor.ResourceData("vulcan", "After", storage_pool="filepool")])
        assert not is_error(replies), [str(r) for r in replies]
        assert (pool / "After_00000.img").exists()
        assert (pool / "Before_00000.img").exists(), "the takeover left the first volume alone"
        successor.disconnect()
    finally:
        cluster.close()
        shutil.rmtree(root, ignore_errors=True)
