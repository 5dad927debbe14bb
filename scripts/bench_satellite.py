#!/usr/bin/env python3
"""Per-change cost on a node that already holds many volumes, against a real satellite.

Starts a depot-controller and one depot-satellite (on 127.0.0.2) in a temp dir, gives the node a
FILE_THIN pool of sparse images on loop devices, and at each level (volumes already on the node)
times one `resource create` confirmed by the satellite, one `snapshot create` (answered once the
snapshot is taken), one `snapshot delete` (until its image is gone) and one `resource delete`,
through python-linstor as a user would. Then it kills and restarts the satellite at the highest level and
times the full resync until a new create is confirmed, checking the node stays ONLINE.
Figures are printed, not asserted. Everything it made is removed at the end, also on failure.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import linstor

ADDRESS = "127.0.0.2"


def free_port(host: str) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def check(replies, what: str) -> None:
    errors = [r.message for r in replies if r.is_error()]
    if errors:
        raise SystemExit(f"{what} failed: {errors}")


def wait_for(predicate, what: str, timeout: float = 600) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise SystemExit(f"timed out waiting for {what}")


class Bench:
    def __init__(self, args):
        self.args = args
        self.root = Path(tempfile.mkdtemp(prefix="depot-bench-stlt-"))
        self.pool = self.root / "pool"
        self.pool.mkdir()
        self.rest = f"127.0.0.1:{free_port('127.0.0.1')}"
        self.satellite_port = free_port(ADDRESS)
        self.processes: dict[str, subprocess.Popen] = {}
        self.count = 0

    def start(self, name: str, argv: list[str]) -> None:
        self.processes[name] = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=open(self.root / f"{name}.log", "ab"),
                                                stdin=subprocess.DEVNULL)

    def start_satellite(self) -> None:
        self.start("satellite", [self.args.satellite, "--bind", f"{ADDRESS}:{self.satellite_port}", "--state-dir",
                                 str(self.root / "satellite"), "--hostname", "vulcan", "--log-level", "warning"])

    def client(self) -> linstor.Linstor:
        client = linstor.Linstor(f"linstor://{self.rest}")
        client.connect()
        return client

    def online(self) -> bool:
        nodes = self.c.node_list()[0].nodes
        return bool(nodes) and nodes[0].connection_status == "ONLINE"

    def setup(self) -> None:
        self.start("controller", [self.args.controller, "--data-dir", str(self.root / "controller"), "--rest-bind", self.rest,
                                  "--log-level", "warning"])
        self.start_satellite()
        deadline = time.time() + 30
        while True:
            try:
                self.c = self.client()
                break
            except Exception:
                if time.time() > deadline:
                    raise
                time.sleep(0.2)
        check(self.c.node_create("vulcan", "Satellite", ADDRESS, port=self.satellite_port), "node create")
        wait_for(self.online, "the node ONLINE", 30)
        check(self.c.storage_pool_create("vulcan", "filepool", "FILE_THIN", str(self.pool)), "storage pool create")

    def create(self, client: linstor.Linstor, name: str) -> float:
        check(client.resource_dfn_create(name, layer_list=["storage"]), f"definition {name}")
        check(client.volume_dfn_create(name, 4096), f"volume definition {name}")
        started = time.perf_counter()
        replies = client.resource_create([linstor.ResourceData("vulcan", name, storage_pool="filepool")])
        elapsed = time.perf_counter() - started
        check(replies, f"resource {name}")
        if not any("is ready on node" in r.message for r in replies):
            raise SystemExit(f"resource {name} was not confirmed: {[r.message for r in replies]}")
        return elapsed

    def fill(self, level: int) -> None:
        names = [f"fill{index:05d}" for index in range(self.count, level)]
        if not names:
            return

        def share(part: list[str]) -> None:
            client = self.client()
            for name in part:
                check(client.resource_dfn_create(name, layer_list=["storage"]), name)
                check(client.volume_dfn_create(name, 4096), name)
                check(client.resource_create([linstor.ResourceData("vulcan", name, storage_pool="filepool")]), name)
            client.disconnect()

        with ThreadPoolExecutor(8) as workers:
            list(workers.map(share, [names[i::8] for i in range(8)]))
        wait_for(lambda: sum(1 for _ in self.pool.glob("fill*_00000.img")) == level, f"{level} volumes")
        if self.args.kept_snapshots:
            # Every volume keeps a snapshot, taken together in batches (the multi call).
            for start in range(0, len(names), 100):
                check(self.c.snapshot_create_multi([], names[start:start + 100], "kept"), "kept snapshots")
        self.count = level

    def measure(self, level: int) -> tuple[list[float], list[float], list[float], list[float]]:
        creates, deletes, snapshots, snapshot_deletes = [], [], [], []
        for sample in range(self.args.samples):
            name = f"probe{level}x{sample}"
            creates.append(self.create(self.c, name))
            started = time.perf_counter()
            check(self.c.snapshot_create([], name, "bench"), f"snapshot of {name}")
            snapshots.append(time.perf_counter() - started)
            started = time.perf_counter()
            check(self.c.snapshot_delete(name, "bench"), f"snapshot delete of {name}")
            wait_for(lambda: not (self.pool / f"{name}_00000_bench.img").exists(), f"{name}'s snapshot removed", 60)
            snapshot_deletes.append(time.perf_counter() - started)
            started = time.perf_counter()
            check(self.c.resource_dfn_delete(name), f"delete {name}")
            wait_for(lambda: not (self.pool / f"{name}_00000.img").exists(), f"{name} removed", 60)
            deletes.append(time.perf_counter() - started)
        if not self.online() or self.drops():
            raise SystemExit(f"the node went OFFLINE at {level} volumes")
        return creates, deletes, snapshots, snapshot_deletes

    def drops(self) -> int:
        return (self.root / "controller.log").read_text().count("satellite link dropped")

    def resync(self) -> float:
        drops = self.drops()
        self.processes["satellite"].send_signal(signal.SIGKILL)
        self.processes["satellite"].wait()
        wait_for(lambda: not self.online(), "the node OFFLINE", 30)
        started = time.perf_counter()
        self.start_satellite()
        wait_for(self.online, "the node back ONLINE", 60)
        self.create(self.c, "afterrestart")
        elapsed = time.perf_counter() - started
        # The kill itself drops the link once; the resync must not drop it again.
        if self.drops() != drops + 1:
            raise SystemExit("the controller dropped the link during the resync")
        return elapsed

    def close(self) -> None:
        for process in reversed(list(self.processes.values())):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    process.kill()
        listing = subprocess.run(["losetup", "--list", "--noheadings", "--output", "NAME,BACK-FILE"], capture_output=True, text=True).stdout
        for line in listing.splitlines():
            device, _, back = line.strip().partition(" ")
            if back.strip().startswith(str(self.root)):
                subprocess.run(["losetup", "--detach", device], capture_output=True)
        if not self.args.keep:
            shutil.rmtree(self.root, ignore_errors=True)


def milliseconds(values: list[float], quantile: float) -> str:
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, int(quantile * len(ordered)))] * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--controller", default=".build/release/depot-controller")
    parser.add_argument("--satellite", default=".build/release/depot-satellite")
    parser.add_argument("--levels", default="0,100,1000", help="volumes already on the node, comma-separated")
    parser.add_argument("--samples", type=int, default=20, help="creates and deletes timed per level")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (logs) after the run")
    parser.add_argument("--kept-snapshots", action="store_true", help="every filled volume keeps a snapshot")
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("needs root (losetup)")
    bench = Bench(args)
    try:
        bench.setup()
        print(f"{'volumes on node':>16} | {'create p50':>10} | {'create p99':>10} | {'delete p50':>10} | {'delete p99':>10} | "
              f"{'snapshot p50':>12} | {'snapshot p99':>12} | {'snap del p50':>12} | {'snap del p99':>12}")
        for level in sorted(int(text) for text in args.levels.split(",")):
            bench.fill(level)
            creates, deletes, snapshots, snapshot_deletes = bench.measure(level)
            print(f"{level:>16} | {milliseconds(creates, 0.5):>10} | {milliseconds(creates, 0.99):>10} | "
                  f"{milliseconds(deletes, 0.5):>10} | {milliseconds(deletes, 0.99):>10} | "
                  f"{milliseconds(snapshots, 0.5):>12} | {milliseconds(snapshots, 0.99):>12} | "
                  f"{milliseconds(snapshot_deletes, 0.5):>12} | {milliseconds(snapshot_deletes, 0.99):>12}", flush=True)
        print(f"satellite SIGKILL + restart with {bench.count} volumes: ONLINE and a new create confirmed after "
              f"{bench.resync():.1f} s, link never dropped")
    finally:
        bench.close()


if __name__ == "__main__":
    main()
