"""`controller set-log-level` and `node set-log-level`: python-linstor's and `depot`'s calls change
the daemons' levels while they run, and what they then log shows it."""

from __future__ import annotations

import linstor

from conftest import is_error, messages


def satellite_debug_lines(cluster) -> int:
    return (cluster.root / "vulcan.log").read_text().count("running command")


def test_node_and_controller_levels_change_at_run_time(cluster):
    cluster.online_node("vulcan", "127.0.0.2")
    cluster.file_pool("vulcan")
    c = cluster.client
    c.resource_dfn_create("Quiet", layer_list=["storage"])
    c.volume_dfn_create("Quiet", 1024)
    c.resource_create([linstor.ResourceData("vulcan", "Quiet", storage_pool="filepool")])
    assert satellite_debug_lines(cluster) == 0

    replies = c.node_set_log_level("vulcan", "DEBUG")
    assert not is_error(replies), messages(replies)
    assert [r.message for r in replies] == ["Successfully updated satellite config"]
    c.resource_dfn_create("Loud", layer_list=["storage"])
    c.volume_dfn_create("Loud", 1024)
    c.resource_create([linstor.ResourceData("vulcan", "Loud", storage_pool="filepool")])
    cluster.wait_for(lambda: satellite_debug_lines(cluster) > 0, "the satellite's debug lines")

    assert "Successfully updated satellite config" in cluster.depot("node", "set-log-level", "vulcan", "info")
    before = satellite_debug_lines(cluster)
    c.resource_delete("vulcan", "Loud")
    assert satellite_debug_lines(cluster) == before

    # The controller's own level, and with --global every satellite's too.
    out = cluster.depot("controller", "set-log-level", "DEBUG", "--global")
    assert "Successfully updated controller config" in out and "Successfully updated satellite config" in out, out
    c.resource_delete("vulcan", "Quiet")
    cluster.wait_for(lambda: satellite_debug_lines(cluster) > before, "the satellite at DEBUG again")
    cluster.satellites["vulcan"].stop()
    cluster.wait_for(lambda: "satellite link down" in (cluster.root / "controller.log").read_text(), "the controller's debug line")

    # A level LINSTOR does not know is refused and changes nothing.
    bad = c.controller_set_log_level("LOUD")
    assert is_error(bad) and "LOUD" in bad[0].message
    cluster.depot("controller", "set-log-level", "LOUD", code=2)
    # A node whose satellite is down says so.
    down = c.node_set_log_level("vulcan", "INFO")
    assert is_error(down) and "vulcan" in messages(down)[0], messages(down)
