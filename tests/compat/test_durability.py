"""Durability of the controller's state (SQLite in the data dir).

(a) SIGTERM + restart on the same data dir: the whole REST-visible state is identical
    (uuids, timestamps, allocations) and allocation continues where it stopped.
(b) SIGKILL at a random moment during a stream of mutations, restart: every mutation
    whose HTTP success arrived is present, nothing that was never sent appears, and
    objects are all-or-nothing.  Repeated for several rounds on the same data dir.
(c) A second controller on the same data dir refuses to start (nonzero exit, clear
    message on stderr) while the first keeps serving; after the first stops, the data
    dir is usable again.
(d) --config FILE (TOML keys data_dir, rest_bind) works, and flags win over it.

The random kill moment is seeded; the seed is printed with any failure.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import threading
import time

import pytest

import linstor

from compat_helpers import (
    article_cluster, assert_ok, create_article_netifs, create_rd, diff_snapshots, minor_of_vd, place,
    resource, rsc_dfns, state_snapshot, tcp_port,
)
from compat_infra import RestClient, connect_linstor, free_port, port_is_free


def build_state(lin: linstor.Linstor) -> None:
    article_cluster(lin)
    create_article_netifs(lin)
    create_rd(lin, "LocalData", ["storage"])
    place(lin, "LocalData", ["vulcan", "kronos"])
    create_rd(lin, "SharedData", ["drbd", "storage"])
    place(lin, "SharedData", ["kronos", "remus", "romulus"])
    assert_ok(lin.resource_group_create("rg_keep", description="survives", place_count=2,
                                        storage_pool="thinpool", layer_list=["drbd", "storage"]), "rg")
    assert_ok(lin.volume_group_create("rg_keep", property_dict={"Aux/vg": "1"}), "vg")
    assert_ok(lin.controller_set_prop("Aux/durability/marker", "42"), "ctrl prop")
    assert_ok(lin.node_modify("vulcan", property_dict={"Aux/site": "left"}), "node prop")
    assert_ok(lin.storage_pool_modify("kronos", "thinpool", {"Aux/tier": "fast"}), "sp prop")
    assert_ok(lin.resource_modify("kronos", "SharedData", {"Aux/tag": "blue"}), "rsc prop")


def test_state_survives_restart(controller_factory, linstor_recording):
    p1 = controller_factory.start()
    lin = connect_linstor(p1)
    build_state(lin)
    before = state_snapshot(RestClient("127.0.0.1", p1.port, linstor_recording))
    lin.disconnect()

    rc = p1.terminate()
    assert rc == 0, f"SIGTERM: exit status {rc}\n{p1.stderr_tail()}"

    p2 = controller_factory.start(data_dir=p1.data_dir)
    rest2 = RestClient("127.0.0.1", p2.port, linstor_recording)
    after = state_snapshot(rest2)
    assert before == after, "state differs after restart:\n" + diff_snapshots(before, after)

    # allocation state was restored too: next port on romulus, next minor
    lin2 = connect_linstor(p2)
    create_rd(lin2, "AfterRestart", ["drbd", "storage"])
    assert minor_of_vd(rsc_dfns(lin2)["AfterRestart"]) == 1001
    place(lin2, "AfterRestart", ["romulus", "vulcan"])
    assert tcp_port(resource(lin2, "AfterRestart", "romulus")) == 7001
    assert tcp_port(resource(lin2, "AfterRestart", "vulcan")) == 7000
    lin2.disconnect()


class Writer(threading.Thread):
    """Sends mutations one after another; records those whose HTTP success arrived."""

    def __init__(self, port: int, prefix: str, max_ops: int = 5000, max_seconds: float = 30.0):
        super().__init__(daemon=True)
        self.port = port
        self.prefix = prefix
        self.max_ops = max_ops
        self.max_seconds = max_seconds
        self.acked_rds: list[str] = []
        self.acked_props: dict[str, str] = {}
        self.attempted_rds: list[str] = []
        self.attempted_props: list[str] = []
        self.unexpected: list[str] = []
        self.stop = threading.Event()

    def _post(self, path: str, body: dict) -> tuple[int, object] | None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request("POST", path, body=json.dumps(body), headers={"Content-Type": "application/json"})
            resp = conn.getresponse()
            data = resp.read()
            return resp.status, json.loads(data) if data else None
        except (OSError, http.client.HTTPException, ValueError):
            return None
        finally:
            conn.close()

    def run(self) -> None:
        deadline = time.monotonic() + self.max_seconds
        for i in range(self.max_ops):
            if self.stop.is_set() or time.monotonic() > deadline:
                return
            if i % 2 == 0:
                name = f"{self.prefix}{i:05d}"
                self.attempted_rds.append(name)
                res = self._post("/v1/resource-definitions",
                                 {"resource_definition": {"name": name, "props": {"Aux/seq": str(i)}}})
                if res is None:
                    return  # the controller is gone
                status, body = res
                if status == 201 and isinstance(body, list) and not any(
                        (e.get("ret_code", 0) & 0xC000000000000000) == 0xC000000000000000 for e in body):
                    self.acked_rds.append(name)
                else:
                    self.unexpected.append(f"rd {name}: {status} {body}")
            else:
                key = f"Aux/{self.prefix}/k{i:05d}"
                self.attempted_props.append(key)
                res = self._post("/v1/controller/properties", {"override_props": {key: str(i)}})
                if res is None:
                    return
                status, body = res
                if status in (200, 201) and isinstance(body, list) and not any(
                        (e.get("ret_code", 0) & 0xC000000000000000) == 0xC000000000000000 for e in body):
                    self.acked_props[key] = str(i)
                else:
                    self.unexpected.append(f"prop {key}: {status} {body}")


def test_acknowledged_mutations_survive_sigkill(controller_factory):
    seed = int(os.environ.get("DEPOT_COMPAT_SEED", str(random.randrange(1 << 30))))
    rng = random.Random(seed)
    data_dir = controller_factory.new_data_dir()
    rounds = 3
    all_acked_rds: dict[str, str] = {}
    all_acked_props: dict[str, str] = {}
    for rnd in range(rounds):
        proc = controller_factory.start(data_dir=data_dir)
        writer = Writer(proc.port, prefix=f"crash{rnd}x")
        writer.start()
        # let some mutations through, then kill at a random moment mid-stream
        t0 = time.monotonic()
        while len(writer.acked_rds) < 3 and time.monotonic() - t0 < 15 and writer.is_alive():
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 0.8))
        assert writer.is_alive(), (
            f"seed {seed} round {rnd}: the writer stopped before the kill: {writer.unexpected[:5]}\n"
            f"{proc.stderr_tail()}")
        proc.kill()
        controller_factory.expected_exit[proc.index] = None
        writer.stop.set()
        writer.join(timeout=15)
        assert not writer.unexpected, f"seed {seed}: refused mutations before the kill: {writer.unexpected[:5]}"
        assert writer.acked_rds, f"seed {seed} round {rnd}: nothing was acknowledged before the kill"
        for name in writer.acked_rds:
            all_acked_rds[name] = str(int(name[-5:]))
        all_acked_props.update(writer.acked_props)

        # restart on the same data dir and look
        proc2 = controller_factory.start(data_dir=data_dir)
        rest = RestClient("127.0.0.1", proc2.port, None)
        resp = rest.get("/v1/resource-definitions")
        assert resp.status == 200, resp
        present = {rd["name"]: rd for rd in resp.json}
        missing = [n for n in all_acked_rds if n not in present]
        assert not missing, (
            f"seed {seed} round {rnd}: {len(missing)} acknowledged resource definitions lost after SIGKILL: "
            f"{missing[:10]} (acked this round: {len(writer.acked_rds)})")
        for name, rd in present.items():
            if not name.startswith("crash"):
                continue
            # all-or-nothing: a definition that exists carries its props
            assert rd.get("props", {}).get("Aux/seq") == str(int(name[-5:])), f"seed {seed}: torn object {rd}"
        attempted = set(all_acked_rds) | set(writer.attempted_rds)
        phantom = [n for n in present if n.startswith(f"crash{rnd}x") and n not in attempted]
        assert not phantom, f"seed {seed}: definitions that were never sent: {phantom}"

        props = rest.get("/v1/controller/properties").json
        lost = [k for k, v in all_acked_props.items() if props.get(k) != v]
        assert not lost, f"seed {seed} round {rnd}: acknowledged controller props lost: {lost[:10]}"

        # the store is healthy: it takes new writes, and stops cleanly
        ok = rest.post("/v1/resource-definitions", {"resource_definition": {"name": f"after{rnd}"}})
        assert ok.status == 201, ok
        rc = proc2.terminate()
        assert rc == 0, f"seed {seed}: SIGTERM after recovery: exit {rc}\n{proc2.stderr_tail()}"


LOCK_WORDS = ("lock", "in use", "already", "running", "another", "busy")


def test_second_controller_on_same_data_dir_is_refused(controller_factory, linstor_recording):
    p1 = controller_factory.start()
    lin = connect_linstor(p1)
    assert_ok(lin.node_create("romulus", "Combined", "127.0.0.11"), "node create")

    p2 = controller_factory.spawn(data_dir=p1.data_dir)
    controller_factory.expected_exit[p2.index] = None  # checked here
    rc = p2.wait_exit(20)
    assert rc is not None, f"second controller on {p1.data_dir} is still running after 20 s"
    assert rc != 0, "second controller exited with status 0; it must fail"
    err = p2.stderr_text()
    assert err.strip(), "second controller gave no message on stderr"
    assert any(w in err.lower() for w in LOCK_WORDS), f"unclear refusal message:\n{err[-2000:]}"

    # the first one is unharmed
    assert "romulus" in {n.name for n in lin.node_list_raise().nodes}
    assert_ok(lin.node_create("remus", "Satellite", "127.0.0.12"), "node create after refusal")
    lin.disconnect()
    assert p1.terminate() == 0

    # the lock went away with the first controller
    p3 = controller_factory.start(data_dir=p1.data_dir)
    lin3 = connect_linstor(p3)
    assert {n.name for n in lin3.node_list_raise().nodes} == {"romulus", "remus"}
    lin3.disconnect()


def _write_config(path, data_dir, bind) -> None:
    path.write_text(f'data_dir = "{data_dir}"\nrest_bind = "{bind}"\n')


def test_config_file_and_flags_win(controller_factory, linstor_recording):
    data_dir = controller_factory.new_data_dir("cfgdata")
    cfg_port = free_port()
    cfg = controller_factory.tmp_root / "controller.toml"
    _write_config(cfg, data_dir, f"127.0.0.1:{cfg_port}")
    p1 = controller_factory.start(port=cfg_port, extra_args=["--config", str(cfg)], use_flags=False)
    lin = connect_linstor(p1)
    assert_ok(lin.node_create("romulus", "Combined", "127.0.0.11"), "node create")
    lin.disconnect()
    assert p1.terminate() == 0

    # flags win: same config file, but --rest-bind and --data-dir name another port / dir
    other_dir = controller_factory.new_data_dir("flagdata")
    p2 = controller_factory.start(data_dir=other_dir, extra_args=["--config", str(cfg)])
    assert p2.port != cfg_port
    assert port_is_free(cfg_port), "the config file's rest_bind must be overridden by --rest-bind"
    lin2 = connect_linstor(p2)
    assert lin2.node_list_raise().nodes == [], "--data-dir must win over the config file's data_dir"
    lin2.disconnect()
