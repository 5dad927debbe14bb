"""Server-Sent Events read by a real SSE client (sseclient from PyPI): LINSTOR's node events and
DRBD promotion events, and Depot's stream of replica changes."""

from __future__ import annotations

import json
import queue
import threading

import linstor
import sseclient


class Listener:
    """Reads one event stream in a thread; `expect` waits for an event and returns its data."""

    def __init__(self, url: str, headers: dict[str, str] | None = None):
        self.events: queue.Queue = queue.Queue()
        self.client = sseclient.SSEClient(url, headers=headers or {}, timeout=60)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            for message in self.client:
                if message.event != "message" or message.data:
                    self.events.put((message.event, message.data))
        except Exception as error:  # the stream ends when the test closes it
            self.events.put(("closed", str(error)))

    def expect(self, name: str, matches=lambda data: True, timeout: float = 20) -> dict:
        seen = []
        while True:
            event, data = self.events.get(timeout=timeout)
            seen.append(event)
            if event == name:
                parsed = json.loads(data)
                if matches(parsed):
                    return parsed
            assert event != "closed", (name, seen, data)

    def close(self) -> None:
        self.client.resp.close()


def test_node_events_as_linstor_sends_them(cluster):
    nodes = Listener(f"http://{cluster.rest}/v1/events/nodes")
    try:
        cluster.online_node("vulcan", "127.0.0.2")
        created = nodes.expect("node-create")
        assert created["node"]["name"] == "vulcan"
        assert created["node"]["type"] == "SATELLITE"

        cluster.client.node_modify("vulcan", property_dict={"Aux/rack": "r1"})
        modified = nodes.expect("node-modified", lambda e: "Aux/rack" in e["new_node"].get("props", {}))
        assert "Aux/rack" not in modified["old_node"].get("props", {})
        assert modified["new_node"]["props"]["Aux/rack"] == "r1"

        cluster.depot("node", "evacuate", "vulcan")
        assert nodes.expect("node-evacuate")["node"]["name"] == "vulcan"
        cluster.depot("node", "restore", "vulcan")
        assert nodes.expect("node-restored")["node"]["name"] == "vulcan"

        cluster.satellites["vulcan"].stop()
        cluster.client.node_delete("vulcan")
        assert nodes.expect("node-delete")["node"]["name"] == "vulcan"
    finally:
        nodes.close()


def test_replica_changes_stream_with_their_list_entry(cluster):
    cluster.online_node("vulcan", "127.0.0.2")
    cluster.file_pool("vulcan")
    resources = Listener(f"http://{cluster.rest}/v1/events/resources")
    try:
        c = cluster.client
        c.resource_dfn_create("Watched", layer_list=["storage"])
        c.volume_dfn_create("Watched", 4096)
        c.resource_create([linstor.ResourceData("vulcan", "Watched", storage_pool="filepool")])
        # The entry as `GET /v1/view/resources` lists it, once the satellite reported the volume.
        entry = resources.expect(
            "resource-state",
            lambda r: r["name"] == "Watched" and any(v.get("device_path") for v in r.get("volumes", [])))
        assert entry["node_name"] == "vulcan"
        c.resource_delete("vulcan", "Watched")
        assert resources.expect("resource-delete") == {"name": "Watched", "node_name": "vulcan"}
        # An open stream does not hold up a shutdown: the controller ends it and exits cleanly.
        assert cluster.controller.stop(timeout=10) == 0
    finally:
        resources.close()


def test_promotion_events_with_the_current_state_first(drbd_cluster):
    d = drbd_cluster
    d.drbd_node("alpha", "127.0.0.2")
    d.drbd_node("bravo", "127.0.0.3")
    c = d.client
    c.resource_dfn_create("promo")
    c.volume_dfn_create("promo", 8192)
    c.resource_create([linstor.ResourceData(n, "promo", storage_pool="thinpool") for n in ("alpha", "bravo")])
    d.wait_for(lambda: list(d.disk_states("promo").values()) == [["UpToDate"], ["UpToDate"]], "promo UpToDate", timeout=60)
    # Both replicas UpToDate can come before both nodes reported that they may promote (the
    # connection settles after the resync): the stream's first events are that state as it is.
    d.wait_for(lambda: [r.get("layer_object", {}).get("drbd", {}).get("may_promote") for r in d.resources("promo").values()] == [True, True],
               "both replicas may promote", timeout=30)
    promotion = Listener(f"http://{d.rest}/v1/events/drbd/promotion", headers={"Last-Event-ID": "current"})
    try:
        first = [promotion.expect("may-promote-change") for _ in range(2)]
        assert sorted(e["node_name"] for e in first) == ["alpha", "bravo"]
        assert all(e["resource_name"] == "promo" and e["may_promote"] is True for e in first), first
        # One node opens the device: the peer may no longer promote.
        d.control("alpha", "primary", "promo")
        change = promotion.expect("may-promote-change", lambda e: e["node_name"] == "bravo")
        assert change == {"node_name": "bravo", "resource_name": "promo", "may_promote": False}
    finally:
        promotion.close()


def test_depot_follows_the_streams(cluster):
    import os
    import subprocess
    import time
    from conftest import binary

    env = dict(os.environ, LS_CONTROLLERS=cluster.rest)
    depot = str(binary("DEPOT", "depot"))
    events = subprocess.Popen([depot, "--no-color", "events", "nodes"], env=env, stdout=subprocess.PIPE, text=True)
    watch = subprocess.Popen([depot, "--no-color", "resource", "list", "--watch"], env=env, stdout=subprocess.PIPE, text=True)
    try:
        time.sleep(1)
        cluster.online_node("vulcan", "127.0.0.2")
        line = events.stdout.readline()
        name, data = line.split(" ", 1)
        assert name == "node-create" and json.loads(data)["node"]["name"] == "vulcan", line

        cluster.file_pool("vulcan")
        c = cluster.client
        c.resource_dfn_create("Watched", layer_list=["storage"])
        c.volume_dfn_create("Watched", 4096)
        c.resource_create([linstor.ResourceData("vulcan", "Watched", storage_pool="filepool")])
        seen = ""
        deadline = time.time() + 20
        while "Watched" not in seen and time.time() < deadline:
            seen += watch.stdout.readline()
        assert "Watched" in seen and "vulcan" in seen, seen
        # The first table came before the resource: the list was printed again.
        assert seen.count("ResourceName") >= 2, seen
    finally:
        for process in (events, watch):
            process.terminate()
            process.wait(10)
