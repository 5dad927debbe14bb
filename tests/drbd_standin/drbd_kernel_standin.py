#!/usr/bin/env python3
"""TEST-ONLY stand-in for the DRBD 9 kernel module, behind a drbdsetup command line.

The machines Depot is tested on have drbd-utils but no DRBD kernel module, so every real
`drbdsetup` call fails. The satellite is given this program as its drbdsetup (`--drbdsetup`, and
drbdadm gets it as `drbdadm -s`): the real drbdadm parses the real `.res` files and issues the
same drbdsetup calls it would issue on a real node; this program keeps the resulting kernel state
in files and prints `drbdsetup show` and `drbdsetup events2` output in the real DRBD 9 formats.

The simulated nodes of one test cluster share one directory (DRBD_STANDIN_CLUSTER); each node's
state lives in its own subdirectory (DRBD_STANDIN_NODE). Connections come up when both sides
configured matching paths and asked to connect; a disk's initial state is read from its real DRBD
metadata with the real drbdmeta (consistent and up to date, or not); an Inconsistent disk syncs
from a connected UpToDate peer in DRBD_STANDIN_SYNC_SECONDS, and the finished sync is written back
into its metadata with drbdmeta. Tests steer the simulation with the `control` subcommand
(disconnect a peer, split brain, fail a disk, make a command fail, promote and open a device).

It imitates DRBD 9.2.8 (the version it reports) as far as Depot depends on it; the behaviours below
were checked against a real DRBD 9.3.3 module, where they are the same:
- `down` fails while a device is open (mounted): "(-12) Device is held open by someone"; a Primary
  whose device nobody holds open is demoted first. `detach` fails while the resource is Primary and
  no connected peer has UpToDate data: "(-2) Need access to UpToDate data". A second `attach` of an
  attached minor fails: "(124) Device is attached to a disk".
- events2 reports `promotion_score` 10101 with a local UpToDate disk, a lower one (101) for a
  diskless device a connected UpToDate peer serves (which may promote, too), and 0 when nothing
  could serve I/O; linstor-csi counts 0 as unhealthy.
- events2 reports the role, `suspended:` (`user` after `suspend-io` until `resume-io`, `quorum` for a
  Primary without quorum under `on-no-quorum suspend-io`), and per device `open:yes` while it is held open; with `--statistics`
  devices carry `size:` (KiB) and peer devices `out-of-sync:` (KiB).
- The metadata keeps a bitmap slot for every peer it has seen (a known peer) unless the peer device
  says `--bitmap=no` (a diskless client or tie-breaker); only `forget-peer` (after `del-peer`) frees
  it. `resize` with a known peer that is not connected logs "Aborting
  cluster-wide size change" to the kernel log (kernel.log here), leaves the size unchanged and
  still exits 0, as the real module did.
- A grown area is resynced unless `resize --assume-clean`: the peers' backing devices get the new
  area written (a thin backing device becomes allocated there).
- A disk whose data is older than a connected peer's (its current generation is the peer's bitmap
  generation: a day-0 thin replica) attaches UpToDate and stays so until the handshake, about
  DRBD_STANDIN_HANDSHAKE_SECONDS later; then it is Inconsistent and resyncs from that peer.

This is not Depot code and never runs on a real node.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

KERNEL_VERSION = "9.2.8"  # what it reports; see the module docstring for what it imitates
KERNEL_VERSION_CODE = "0x090208"
POLL_SECONDS = 0.2


class Failure(Exception):
    """A drbdsetup error: DRBD prints a numbered failure and drbdsetup exits 10."""

    def __init__(self, message: str, code: int = 10):
        super().__init__(message)
        self.code = code


# --- persistent state -------------------------------------------------------------------------

class Cluster:
    """All simulated nodes of one test cluster; use only inside `locked()`."""

    def __init__(self, root: Path):
        self.root = root
        self.nodes: dict[str, dict] = {}

    def node_dir(self, node: str) -> Path:
        return self.root / node

    def load(self) -> None:
        self.nodes = {}
        if not self.root.is_dir():
            return
        for directory in sorted(self.root.iterdir()):
            state = directory / "state.json"
            if directory.is_dir() and state.exists():
                self.nodes[directory.name] = json.loads(state.read_text())

    def state(self, node: str) -> dict:
        return self.nodes.setdefault(node, {"resources": {}, "failures": [], "helpers": [], "helper_seq": 0})

    def save(self, node: str) -> None:
        directory = self.node_dir(node)
        directory.mkdir(parents=True, exist_ok=True)
        temporary = directory / "state.json.tmp"
        temporary.write_text(json.dumps(self.state(node), indent=1, sort_keys=True))
        os.replace(temporary, directory / "state.json")

    def save_all(self) -> None:
        for node in list(self.nodes):
            self.save(node)


@contextmanager
def locked(root: Path):
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        cluster = Cluster(root)
        cluster.load()
        try:
            yield cluster
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- the simulated kernel ------------------------------------------------------------------------

def find_connection_peer(cluster: Cluster, resource: str, me: dict, connection: dict):
    """The node and resource on the other end of `connection`, if that node has one for us."""
    for name, state in cluster.nodes.items():
        other = state["resources"].get(resource)
        if other is None or other is me or other["node_id"] != connection["peer_id"]:
            continue
        back = other["connections"].get(str(me["node_id"]))
        if back is not None:
            return name, other, back
    return None


def connection_state(cluster: Cluster, resource: str, me: dict, connection: dict, handshake: bool = True) -> tuple[str, tuple | None]:
    """The connection as events2 shows it; `handshake=False` ignores that a fresh disk still waits for its handshake."""
    if connection.get("split_brain") or connection.get("forced_standalone") or not connection.get("connect"):
        return "StandAlone", None
    found = find_connection_peer(cluster, resource, me, connection)
    if found is None:
        return "Connecting", None
    _, other, back = found
    if not back.get("connect") or back.get("forced_standalone") or back.get("split_brain"):
        return "Connecting", None
    mine = {(p[0], p[1]) for p in connection.get("paths", [])}
    theirs = {(p[1], p[0]) for p in back.get("paths", [])}
    if not mine & theirs:
        return "Connecting", None
    if connection["options"].get("shared-secret") != back["options"].get("shared-secret"):
        return "Connecting", None
    now = time.time()
    if handshake and any(d.get("handshake_at", 0) > now for r in (me, other) for d in r["devices"].values()):
        return "Connecting", None
    return "Connected", found


def suspended(resource: dict, has_quorum: bool) -> str:
    """events2's `suspended:` field: why I/O is frozen (`user` after suspend-io, `quorum` for a
    Primary that lost quorum with on-no-quorum suspend-io), or `no`."""
    reasons = ["user"] if resource.get("suspended_user") else []
    if not has_quorum and resource["role"] == "Primary" and resource["options"].get("on-no-quorum") == "suspend-io":
        reasons.append("quorum")
    return ",".join(reasons) or "no"


def tick(cluster: Cluster, now: float, sync_seconds: float) -> None:
    """Materialises what time and connectivity did: syncs start, progress and finish."""
    changed = set()
    for node, state in cluster.nodes.items():
        for name, resource in state["resources"].items():
            for number, device in resource["devices"].items():
                sync = device.get("sync")
                if device.get("forced_disk"):
                    device.pop("sync", None)
                    continue
                if sync is not None:
                    source = resource["connections"].get(str(sync["peer_id"]))
                    up = source is not None and connection_state(cluster, name, resource, source)[0] == "Connected"
                    if not up:
                        device.pop("sync")
                        changed.add(node)
                    elif now - sync["started"] >= sync_seconds:
                        device.pop("sync")
                        device["disk"] = "UpToDate"
                        if sync.get("current"):
                            device.setdefault("gi", {})["current"] = sync["current"]
                        write_up_to_date(device, resource["node_id"])
                        changed.add(node)
                    continue
                if device.get("handshake_at") is not None:
                    reachable = any(connection_state(cluster, name, resource, c, handshake=False)[0] == "Connected"
                                    for c in resource["connections"].values())
                    if device["handshake_at"] > now or not reachable:
                        continue
                    device.pop("handshake_at")
                    changed.add(node)
                    if device["disk"] == "UpToDate" and behind_a_peer(cluster, name, resource, number, device):
                        device["disk"] = "Inconsistent"
                if device["disk"] not in ("Inconsistent", "Outdated"):
                    continue
                for connection in resource["connections"].values():
                    cstate, found = connection_state(cluster, name, resource, connection)
                    if cstate != "Connected":
                        continue
                    peer_device = found[1]["devices"].get(number)
                    if peer_device and peer_device["disk"] == "UpToDate" and not peer_device.get("sync"):
                        device["sync"] = {"peer_id": connection["peer_id"], "started": now,
                                          "current": peer_device.get("gi", {}).get("current")}
                        changed.add(node)
                        break
    for node in changed:
        cluster.save(node)


def behind_a_peer(cluster: Cluster, name: str, resource: dict, number: str, device: dict) -> bool:
    """The handshake's verdict: a connected UpToDate peer changed the data since our current generation."""
    mine = device.get("gi", {})
    for connection in resource["connections"].values():
        cstate, found = connection_state(cluster, name, resource, connection, handshake=False)
        peer_device = found[1]["devices"].get(number) if found else None
        if cstate != "Connected" or not peer_device or peer_device["disk"] != "UpToDate":
            continue
        theirs = peer_device.get("gi", {})
        if mine.get("current") and theirs.get("current") != mine["current"] and theirs.get("bitmap") == mine["current"]:
            return True
    return False


def write_up_to_date(device: dict, node_id: int) -> None:
    """Records a finished sync in the real metadata, as the kernel would."""
    disk, minor = device.get("backing"), device["minor"]
    if not disk:
        return
    base = ["drbdmeta", "--force", str(minor), "v09", disk, "internal"]
    shown = subprocess.run(base + ["get-gi", "--node-id", str(node_id)], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    fields = shown.stdout.strip().split(":")
    if shown.returncode != 0 or len(fields) < 6:
        return
    fields[4] = fields[5] = "1"
    if device.get("gi", {}).get("current"):
        fields[0] = device["gi"]["current"]
    subprocess.run(["drbdmeta", "--force", "--node-id", str(node_id), str(minor), "v09", disk, "internal", "set-gi", ":".join(fields)],
                   capture_output=True, stdin=subprocess.DEVNULL)


def metadata_disk_state(disk: str, minor: int, node_id: int) -> tuple[str, dict]:
    """The state a disk attaches in and its generations (current, bitmap), read from its real metadata."""
    shown = subprocess.run(
        ["drbdmeta", "--force", str(minor), "v09", disk, "internal", "get-gi", "--node-id", str(node_id)],
        capture_output=True, text=True, stdin=subprocess.DEVNULL)
    fields = shown.stdout.strip().split(":")
    if shown.returncode != 0 or len(fields) < 6:
        raise Failure(f"{minor}: Failure: (119) No valid meta-data signature found.\n\n"
                      f"\t==> Use 'drbdadm create-md res' to initialize meta-data area. <==")
    consistent, up_to_date = fields[4] == "1", fields[5] == "1"
    generations = {"current": fields[0], "bitmap": fields[1]}
    if consistent and up_to_date:
        return "UpToDate", generations
    return ("Outdated" if consistent else "Inconsistent"), generations


def max_peers(disk: str, minor: int) -> int:
    """The peer slots the real metadata on `disk` was created with."""
    shown = subprocess.run(["drbdmeta", "--force", str(minor), "v09", disk, "internal", "dump-md"],
                           capture_output=True, text=True, stdin=subprocess.DEVNULL)
    for line in shown.stdout.splitlines():
        if line.startswith("max-peers "):
            return int(line.split()[1].rstrip(";"))
    raise Failure(f"{minor}: Failure: (119) No valid meta-data signature found.")


def usable_kib(disk: str, peers: int) -> int:
    """What DRBD offers of a backing device: all but its internal metadata (bitmap, 32 KiB activity
    log, 4 KiB superblock). Matches drbdmeta's layout (150 MiB, 7 peers: 72 KiB of metadata); the
    real module also moves the metadata to the end of a grown device, which this does not imitate."""
    shown = subprocess.run(["blockdev", "--getsize64", disk], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if shown.returncode != 0:
        raise Failure(f"Failure: (111) Low.dev. {disk} is not a block device")
    size_kib = int(shown.stdout.strip()) // 1024
    words = -(-(-(-size_kib // 4)) // 64)
    bitmap_kib = -(-(peers * words * 8) // 4096) * 4
    return size_kib - bitmap_kib - 32 - 4


def handshake_seconds() -> float:
    return float(os.environ.get("DRBD_STANDIN_HANDSHAKE_SECONDS", "1"))


def view(cluster: Cluster, node: str, now: float, sync_seconds: float, statistics: bool = False) -> dict:
    """What `events2` shows of one node: objects keyed by their identity, values field lists."""
    objects: dict[tuple, dict] = {}
    for name, resource in sorted(cluster.state(node)["resources"].items()):
        connections = {}
        for key, connection in sorted(resource["connections"].items(), key=lambda item: int(item[0])):
            cstate, found = connection_state(cluster, name, resource, connection)
            connections[connection["peer_id"]] = (connection, cstate, found)
        voters = 1 + sum(1 for _, cstate, _ in connections.values() if cstate == "Connected")
        total = 1 + len(connections)
        quorum = resource["options"].get("quorum", "off")
        has_quorum = quorum == "off" or voters * 2 > total
        local_up = any(d["disk"] == "UpToDate" and not d.get("sync") for d in resource["devices"].values())
        # A diskless device is served by a connected peer with UpToDate data: it may promote too,
        # with a lower score than a local disk (0 only when nothing could serve I/O).
        diskless = bool(resource["devices"]) and all(not d.get("backing") for d in resource["devices"].values())
        served = diskless and any(cstate == "Connected" and found and any(d["disk"] == "UpToDate" and not d.get("sync") for d in found[1]["devices"].values())
                                  for _, cstate, found in connections.values())
        peer_primary = any(found and found[1]["role"] == "Primary" for _, cstate, found in connections.values())
        objects[("resource", name)] = {
            "role": resource["role"], "suspended": suspended(resource, has_quorum), "force-io-failures": "no",
            "may_promote": "yes" if resource["role"] == "Secondary" and (local_up or served) and not peer_primary and has_quorum else "no",
            "promotion_score": str(10101 if local_up else 101 if served else 0),
        }
        for peer_id, (connection, cstate, found) in connections.items():
            objects[("connection", name, peer_id)] = {
                "conn-name": connection["name"], "connection": cstate,
                "role": found[1]["role"] if found else "Unknown",
            }
        for number, device in sorted(resource["devices"].items(), key=lambda item: int(item[0])):
            sync = device.get("sync")
            disk = device.get("forced_disk") or ("Inconsistent" if sync else device["disk"])
            objects[("device", name, int(number))] = {
                "minor": str(device["minor"]), "backing_dev": device.get("backing") or "none", "disk": disk,
                "client": "yes" if device.get("diskless") else "no", "open": "yes" if resource.get("opened") else "no",
                "quorum": "yes" if has_quorum else "no",
            }
            if statistics:
                objects[("device", name, int(number))]["size"] = str(device_size(cluster, name, resource, number, device))
            for peer_id, (connection, cstate, found) in connections.items():
                fields = {"conn-name": connection["name"], "replication": "Off", "peer-disk": "DUnknown", "peer-client": "no",
                          "resync-suspended": "no"}
                peer_device = found[1]["devices"].get(number) if found else None
                if cstate == "Connected" and peer_device is not None:
                    peer_sync = peer_device.get("sync")
                    fields["peer-client"] = "yes" if peer_device.get("diskless") else "no"
                    fields["peer-disk"] = peer_device.get("forced_disk") or ("Inconsistent" if peer_sync else peer_device["disk"])
                    if sync and sync["peer_id"] == peer_id:
                        fields["replication"] = "SyncTarget"
                        fields["done"] = "%.2f" % min(99.99, 100.0 * (now - sync["started"]) / sync_seconds)
                    elif peer_sync and peer_sync["peer_id"] == resource["node_id"]:
                        fields["replication"] = "SyncSource"
                        fields["done"] = "%.2f" % min(99.99, 100.0 * (now - peer_sync["started"]) / sync_seconds)
                    else:
                        fields["replication"] = "Established"
                elif cstate == "Connected":
                    fields["replication"] = "Established"
                if statistics:
                    size = device_size(cluster, name, resource, number, device)
                    done = float(fields.get("done", "100"))
                    syncing = fields["replication"] in ("SyncTarget", "SyncSource")
                    fields["out-of-sync"] = str(int(size * (100 - done) / 100) if syncing else 0)
                objects[("peer-device", name, peer_id, int(number))] = fields
        for peer_id, (connection, cstate, found) in connections.items():
            for local, peer in connection.get("paths", []):
                objects[("path", name, peer_id, local, peer)] = {
                    "conn-name": connection["name"], "local": local, "peer": peer,
                    "established": "yes" if cstate == "Connected" else "no"}
    return objects


def device_size(cluster: Cluster, name: str, resource: dict, number: str, device: dict) -> int:
    """The device's size: its own agreed size, or a client's the size of the first connected disk."""
    if device.get("size"):
        return device["size"]
    for connection in resource["connections"].values():
        cstate, found = connection_state(cluster, name, resource, connection)
        peer_device = found[1]["devices"].get(number) if found else None
        if cstate == "Connected" and peer_device and peer_device.get("size"):
            return peer_device["size"]
    return 0


ORDER = {"resource": 0, "connection": 1, "device": 2, "peer-device": 3, "path": 4}
IDENTITY_FIRST = ["conn-name", "local", "peer", "minor"]


def identity(key: tuple, fields: dict) -> str:
    kind, name = key[0], key[1]
    words = [kind, f"name:{name}"]
    if kind in ("connection", "peer-device", "path"):
        words += [f"peer-node-id:{key[2]}", f"conn-name:{fields['conn-name']}"]
    if kind == "peer-device":
        words.append(f"volume:{key[3]}")
    if kind == "device":
        words += [f"volume:{key[2]}", f"minor:{fields['minor']}"]
    if kind == "path":
        words += [f"local:{fields['local']}", f"peer:{fields['peer']}"]
    return " ".join(words)


def event_lines(old: dict, new: dict, initial: bool) -> list[str]:
    lines = []
    for key in sorted(new, key=lambda k: (ORDER[k[0]], k[1:])):
        fields = new[key]
        before = old.get(key)
        if before == fields:
            continue
        shown = {k: v for k, v in fields.items() if k not in IDENTITY_FIRST}
        if before is not None:
            shown = {k: v for k, v in shown.items() if before.get(k) != v}
            if not shown:
                continue
        action = "exists" if initial else ("change" if before is not None else "create")
        lines.append(" ".join([action, identity(key, fields)] + [f"{k}:{v}" for k, v in shown.items()]))
    for key in sorted(old, key=lambda k: (-ORDER[k[0]], k[1:])):
        if key not in new:
            lines.append("destroy " + identity(key, old[key]))
    return lines


# --- drbdsetup commands --------------------------------------------------------------------------

def split_options(words: list[str]) -> tuple[list[str], dict[str, str], bool]:
    positional, options, set_defaults = [], {}, False
    for word in words:
        if word == "--set-defaults":
            set_defaults = True
        elif word.startswith("--"):
            name, _, value = word[2:].partition("=")
            options[name] = value if value else "yes"
        else:
            positional.append(word)
    return positional, options, set_defaults


def merge(target: dict, options: dict, set_defaults: bool) -> None:
    if set_defaults:
        target.clear()
    target.update(options)


class Kernel:
    def __init__(self, cluster: Cluster, node: str):
        self.cluster = cluster
        self.node = node
        self.state = cluster.state(node)

    def resource(self, name: str) -> dict:
        resource = self.state["resources"].get(name)
        if resource is None:
            raise Failure(f"{name}: Failure: (158) Unknown resource")
        return resource

    def by_minor(self, minor: str) -> tuple[dict, dict]:
        for resource in self.state["resources"].values():
            for device in resource["devices"].values():
                if str(device["minor"]) == minor:
                    return resource, device
        raise Failure(f"{minor}: Failure: (127) Device minor not allocated")

    def connection(self, name: str, peer: str) -> dict:
        connection = self.resource(name)["connections"].get(peer)
        if connection is None:
            raise Failure(f"{name}: Failure: (125) Device has no disk / peer {peer} unknown")
        return connection

    def run(self, command: str, words: list[str]) -> str:
        positional, options, set_defaults = split_options(words)
        resources = self.state["resources"]
        if command == "new-resource":
            name, node_id = positional[0], int(positional[1])
            if name in resources:
                raise Failure(f"{name}: Failure: (174) Resource already exists")
            resources[name] = {"node_id": node_id, "options": options, "role": "Secondary", "devices": {}, "connections": {}}
        elif command == "resource-options":
            merge(self.resource(positional[0])["options"], options, set_defaults)
        elif command == "new-minor":
            name, minor, volume = positional[0], int(positional[1]), positional[2]
            diskless = options.pop("diskless", "no") == "yes"
            self.resource(name)["devices"][volume] = {
                "minor": minor, "disk": "Diskless", "diskless": diskless, "options": options, "backing": None}
        elif command == "attach":
            minor, disk = positional[0], positional[1]
            resource, device = self.by_minor(minor)
            if device.get("backing"):
                raise Failure(f"{minor}: Failure: (124) Device is attached to a disk (use detach first)")
            device["disk"], device["gi"] = metadata_disk_state(disk, int(minor), resource["node_id"])
            device["max_peers"] = max_peers(disk, int(minor))
            device["size"] = usable_kib(disk, device["max_peers"])
            device["backing"] = disk
            device["diskless"] = False
            device["options"] = options
            device["handshake_at"] = time.time() + handshake_seconds()
            self.know_peers(disk, [c["peer_id"] for c in resource["connections"].values()])
        elif command == "disk-options":
            merge(self.by_minor(positional[0])[1]["options"], options, set_defaults)
        elif command == "detach":
            resource, device = self.by_minor(positional[0])
            if (resource["role"] == "Primary" or resource.get("opened")) and not self.peer_up_to_date(resource, device):
                raise Failure(f"{positional[0]}: State change failed: (-2) Need access to UpToDate data", 11)
            device.update({"disk": "Diskless", "backing": None, "size": 0})
            device.pop("handshake_at", None)
            device.pop("sync", None)
            device.pop("forced_disk", None)
        elif command == "del-minor":
            resource, device = self.by_minor(positional[0])
            if device.get("backing"):
                raise Failure(f"{positional[0]}: Failure: (124) Device is attached to a disk (use detach first)")
            resource["devices"] = {k: v for k, v in resource["devices"].items() if v is not device}
        elif command == "new-peer":
            name, peer = positional[0], positional[1]
            peer_name = options.pop("_name", peer)
            resource = self.resource(name)
            resource["connections"][peer] = {
                "peer_id": int(peer), "name": peer_name, "options": options, "paths": [], "connect": False, "peer_devices": {}}
            for device in resource["devices"].values():
                if device.get("backing"):
                    self.know_peers(device["backing"], [int(peer)])
        elif command == "net-options":
            connection = self.connection(positional[0], positional[1])
            connection["name"] = options.pop("_name", connection["name"])
            merge(connection["options"], options, set_defaults)
        elif command == "new-path":
            connection = self.connection(positional[0], positional[1])
            path = [positional[2], positional[3]]
            if path not in connection["paths"]:
                connection["paths"].append(path)
        elif command == "del-path":
            connection = self.connection(positional[0], positional[1])
            connection["paths"] = [p for p in connection["paths"] if p != [positional[2], positional[3]]]
        elif command == "peer-device-options":
            connection = self.connection(positional[0], positional[1])
            merge(connection["peer_devices"].setdefault(positional[2], {}), options, set_defaults)
            if options.get("bitmap") == "no":
                # A peer without a bitmap (a diskless client or tie-breaker) never takes a slot.
                device = self.resource(positional[0])["devices"].get(positional[2])
                if device and device.get("backing"):
                    known = self.state.setdefault("metadata", {}).setdefault(device["backing"], {"known_peers": []})
                    known["known_peers"] = [p for p in known["known_peers"] if p != int(positional[1])]
        elif command == "connect":
            connection = self.connection(positional[0], positional[1])
            connection["connect"] = True
            connection.pop("forced_standalone", None)
            if connection.get("split_brain"):
                self.helper(positional[0], connection, "split-brain")
        elif command == "disconnect":
            self.connection(positional[0], positional[1])["connect"] = False
        elif command == "del-peer":
            self.resource(positional[0])["connections"].pop(positional[1], None)
        elif command == "forget-peer":
            resource = self.resource(positional[0])
            if positional[1] in resource["connections"]:
                raise Failure(f"{positional[0]}: Failure: (162) Peer still configured (del-peer first)")
            for device in resource["devices"].values():
                if device.get("backing"):
                    known = self.state.setdefault("metadata", {}).setdefault(device["backing"], {"known_peers": []})
                    known["known_peers"] = [p for p in known["known_peers"] if p != int(positional[1])]
        elif command == "del-resource":
            resource = self.resource(positional[0])
            if resource["devices"] or resource["connections"]:
                raise Failure(f"{positional[0]}: Failure: (159) Resource still in use (delete minors and peers first)")
            resources.pop(positional[0])
        elif command == "down":
            name = positional[0]
            if name == "all":
                resources.clear()
            elif name in resources:
                if resources[name].get("opened"):
                    raise Failure(f"{name}: State change failed: (-12) Device is held open by someone", 11)
                resources.pop(name)
        elif command in ("primary", "secondary"):
            resource = self.resource(positional[0])
            if command == "primary" and not any(d["disk"] == "UpToDate" for d in resource["devices"].values()) and "force" not in options:
                raise Failure(f"{positional[0]}: State change failed: (-2) Need access to UpToDate data", 11)
            resource["role"] = "Primary" if command == "primary" else "Secondary"
        elif command == "resize":
            self.resize(positional[0], "assume-clean" in options)
        elif command in ("suspend-io", "resume-io"):
            resource, _ = self.by_minor(positional[0])
            resource["suspended_user"] = command == "suspend-io"
        elif command in ("check-resize", "invalidate", "outdate", "verify", "wait-connect-resource",
                         "wait-sync-resource", "new-current-uuid"):
            if command in ("invalidate", "outdate", "verify"):
                self.by_minor(positional[0])
        elif command == "show":
            return self.show(positional[0] if positional else "all")
        elif command == "status":
            return self.status(positional[0] if positional else "all")
        else:
            raise Failure(f"drbdsetup stand-in: command '{command}' is not simulated", 20)
        return ""

    def know_peers(self, backing: str, peer_ids: list[int]) -> None:
        """The metadata on `backing` keeps a bitmap slot for these peers (until forget-peer)."""
        known = self.state.setdefault("metadata", {}).setdefault(backing, {"known_peers": []})
        known["known_peers"] = sorted(set(known["known_peers"]) | set(peer_ids))

    def peer_up_to_date(self, resource: dict, device: dict) -> bool:
        number = next(k for k, v in resource["devices"].items() if v is device)
        name = next(k for k, v in self.state["resources"].items() if v is resource)
        for connection in resource["connections"].values():
            cstate, found = connection_state(self.cluster, name, resource, connection)
            peer_device = found[1]["devices"].get(number) if found else None
            if cstate == "Connected" and peer_device and peer_device["disk"] == "UpToDate" and not peer_device.get("sync"):
                return True
        return False

    def kernel_log(self, message: str) -> None:
        with open(self.cluster.node_dir(self.node) / "kernel.log", "a") as log:
            log.write(message + "\n")

    def resize(self, minor: str, assume_clean: bool) -> None:
        """A cluster-wide size change: the smallest backing device of this node and its connected peers."""
        resource, device = self.by_minor(minor)
        name = next(k for k, v in self.state["resources"].items() if v is resource)
        number = next(k for k, v in resource["devices"].items() if v is device)
        if not device.get("backing"):
            raise Failure(f"{minor}: Failure: (138) Device does not have a disk")
        if device.get("sync"):
            raise Failure(f"{minor}: State change failed: (-19) Resize not allowed during resync", 11)
        peers = []
        connected = set()
        for connection in resource["connections"].values():
            cstate, found = connection_state(self.cluster, name, resource, connection)
            if cstate == "Connected":
                connected.add(connection["peer_id"])
                peer_device = found[1]["devices"].get(number)
                if peer_device is not None:
                    peers.append(peer_device)
        known = self.state.get("metadata", {}).get(device["backing"], {}).get("known_peers", [])
        missing = [p for p in known if p not in connected]
        if missing:
            self.kernel_log(f"drbd {name}/{number} drbd{minor}: Aborting cluster-wide size change: known peer node-id(s) "
                            f"{', '.join(map(str, missing))} not connected; size unchanged")
            return
        sizes = [usable_kib(d["backing"], d.get("max_peers", 1)) for d in [device] + peers if d.get("backing")]
        new = min(sizes)
        old = device.get("size", 0)
        if new <= old:
            return
        for target in [device] + peers:
            target["size"] = new
            if target is not device and target.get("backing") and not assume_clean:
                allocate(target["backing"], old, new)
        self.cluster.save_all()
        self.kernel_log(f"drbd {name}/{number} drbd{minor}: size = {new} KiB ({old} KiB before){' assume-clean' if assume_clean else ''}")

    def helper(self, name: str, connection: dict, helper: str) -> None:
        self.state["helper_seq"] += 1
        self.state["helpers"].append({"seq": self.state["helper_seq"], "line":
                                      f"call helper name:{name} peer-node-id:{connection['peer_id']} conn-name:{connection['name']} helper:{helper}"})
        self.state["helpers"] = self.state["helpers"][-50:]

    def show(self, which: str) -> str:
        out = []
        resources = self.state["resources"]
        if not resources:
            return "# No currently configured DRBD found.\n"
        for name, resource in sorted(resources.items()):
            if which not in ("all", name):
                continue
            out.append(f'resource "{name}" {{')
            out += options_block("options", resource["options"], 1)
            out.append("    _this_host {")
            out.append(f"        node-id\t\t\t{resource['node_id']};")
            for number, device in sorted(resource["devices"].items(), key=lambda item: int(item[0])):
                out.append(f"        volume {number} {{")
                out.append(f"            device\t\t\tminor {device['minor']};")
                if device.get("backing"):
                    out.append(f'            disk\t\t\t"{device["backing"]}";')
                    out.append("            meta-disk\t\t\tinternal;")
                elif device.get("diskless"):
                    out.append("            disk\t\t\tnone;")
                out += options_block("disk", device["options"], 3)
                out.append("        }")
            out.append("    }")
            for key, connection in sorted(resource["connections"].items(), key=lambda item: int(item[0])):
                cstate, _ = connection_state(self.cluster, name, resource, connection)
                out.append("    connection {")
                out.append(f"        _peer_node_id {connection['peer_id']};")
                for local, peer in connection["paths"]:
                    out.append("        path {")
                    out.append(f"            _this_host {address_words(local)};")
                    out.append(f"            _remote_host {address_words(peer)};")
                    out.append("        }")
                if cstate == "StandAlone":
                    # drbd-utils 9.22 (Debian 12, CI) prints this flag; later versions print `_cstate`.
                    out.append("        _is_standalone;")
                out += options_block("net", {**connection["options"], "_name": connection["name"]}, 2)
                for number, options in sorted(connection["peer_devices"].items(), key=lambda item: int(item[0])):
                    if options:
                        out.append(f"        volume {number} {{")
                        out += options_block("disk", options, 3)
                        out.append("        }")
                out.append("    }")
            out.append("}")
            out.append("")
        return "\n".join(out) + "\n"

    def status(self, which: str) -> str:
        now = time.time()
        objects = view(self.cluster, self.node, now, sync_seconds())
        lines = []
        for (kind, *rest), fields in sorted(objects.items(), key=lambda item: (item[0][1], ORDER[item[0][0]], item[0][2:])):
            if which not in ("all", rest[0]):
                continue
            if kind == "resource":
                lines.append(f"{rest[0]} role:{fields['role']}")
            elif kind == "device":
                lines.append(f"  volume:{rest[1]} disk:{fields['disk']}")
            elif kind == "connection":
                lines.append(f"  {fields['conn-name']} connection:{fields['connection']} role:{fields['role']}")
            elif kind == "peer-device":
                done = f" done:{fields['done']}" if "done" in fields else ""
                lines.append(f"    volume:{rest[2]} replication:{fields['replication']} peer-disk:{fields['peer-disk']}{done}")
        return "\n".join(lines) + ("\n" if lines else "")


def allocate(backing: str, old_kib: int, new_kib: int) -> None:
    """The resync of a grown area writes it on the peer: on thin storage that allocates it."""
    chunk = b"\0" * (1024 * 1024)
    with open(backing, "r+b") as handle:
        handle.seek(old_kib * 1024)
        remaining = (new_kib - old_kib) * 1024
        while remaining > 0:
            handle.write(chunk[:min(len(chunk), remaining)])
            remaining -= min(len(chunk), remaining)
        handle.flush()
        os.fsync(handle.fileno())


QUOTED_OPTIONS = {"shared-secret", "cram-hmac-alg", "_name", "verify-alg", "csums-alg", "data-integrity-alg",
                  "cpu-mask", "on-no-data-accessible"}


def options_block(section: str, options: dict, indent: int) -> list[str]:
    if not options:
        return []
    pad = "    " * indent
    lines = [f"{pad}{section} {{"]
    for key, value in options.items():
        shown = f'"{value}"' if key in QUOTED_OPTIONS else value
        lines.append(f"{pad}    {key:<16}\t{shown};")
    lines.append(f"{pad}}}")
    return lines


def address_words(address: str) -> str:
    """`ipv4:1.2.3.4:7000` as drbdsetup show prints it: `ipv4 1.2.3.4:7000`."""
    family, _, rest = address.partition(":")
    return f"{family} {rest}"


# --- entry points --------------------------------------------------------------------------------

def cluster_root() -> Path:
    return Path(os.environ["DRBD_STANDIN_CLUSTER"])


def node_name() -> str:
    return os.environ["DRBD_STANDIN_NODE"]


def sync_seconds() -> float:
    return float(os.environ.get("DRBD_STANDIN_SYNC_SECONDS", "2"))


def version() -> str:
    return (f"DRBDADM_BUILDTAG=stand-in\nDRBDADM_API_VERSION=2\nDRBD_KERNEL_VERSION_CODE={KERNEL_VERSION_CODE}\n"
            f"DRBD_KERNEL_VERSION={KERNEL_VERSION}\nDRBDADM_VERSION_CODE=0x091600\nDRBDADM_VERSION=9.22.0\n")


def events2(words: list[str]) -> int:
    """Prints the initial state, `exists -`, then every change, until the parent goes away."""
    positional, options, _ = split_options(words)
    which = positional[0] if positional else "all"
    now_only = "now" in options
    statistics = "statistics" in options
    parent = os.getppid()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    previous: dict = {}
    helpers_seen = None
    first = True
    while True:
        with locked(cluster_root()) as cluster:
            now = time.time()
            tick(cluster, now, sync_seconds())
            objects = {k: v for k, v in view(cluster, node_name(), now, sync_seconds(), statistics).items() if which in ("all", k[1])}
            helpers = cluster.state(node_name())["helpers"]
        lines = event_lines(previous, objects, first)
        if helpers_seen is None:
            helpers_seen = max((h["seq"] for h in helpers), default=0)
        for helper in helpers:
            if helper["seq"] > helpers_seen:
                lines.append(helper["line"])
                helpers_seen = helper["seq"]
        if first:
            lines.append("exists -")
        previous, first = objects, False
        try:
            if lines:
                sys.stdout.write("\n".join(lines) + "\n")
                sys.stdout.flush()
        except BrokenPipeError:
            return 0
        if now_only or os.getppid() != parent:
            return 0
        time.sleep(POLL_SECONDS)


def drbdsetup(argv: list[str]) -> int:
    if not argv or argv[0] in ("--version", "-V", "version"):
        sys.stdout.write(version())
        return 0
    command, words = argv[0], argv[1:]
    if command == "events2":
        return events2(words)
    root, node = cluster_root(), node_name()
    # A slow kernel step (a delay the test asked for) holds no lock while it waits.
    with locked(root) as cluster:
        (cluster.node_dir(node)).mkdir(parents=True, exist_ok=True)
        with open(cluster.node_dir(node) / "calls.log", "a") as log:
            log.write(" ".join([command] + words) + "\n")
        delays = cluster.nodes.get(node, {}).get("delays", [])
        delay = next((d for d in delays if d["command"] == command), None)
        if delay:
            delays.remove(delay)
            cluster.save(node)
    if delay:
        time.sleep(delay["seconds"])
    with locked(root) as cluster:
        kernel = Kernel(cluster, node)
        for failure in kernel.state["failures"]:
            if failure["command"] == command:
                if failure["times"] > 0:
                    failure["times"] -= 1
                    if failure["times"] == 0:
                        kernel.state["failures"].remove(failure)
                cluster.save(node)
                sys.stderr.write(failure["message"] + "\n")
                return failure["code"]
        tick(cluster, time.time(), sync_seconds())
        try:
            output = kernel.run(command, words)
        except Failure as failure:
            sys.stderr.write(str(failure) + "\n")
            return failure.code
        except IndexError:
            sys.stderr.write(f"drbdsetup {command}: missing arguments\n")
            return 20
        cluster.save(node)
    sys.stdout.write(output)
    return 0


def control(argv: list[str]) -> int:
    """Test steering: `control NODE_DIR --node NAME <action> …`."""
    parser = argparse.ArgumentParser(prog="drbd_kernel_standin.py control")
    parser.add_argument("node_dir", type=Path)
    parser.add_argument("--node", required=True)
    actions = parser.add_subparsers(dest="action", required=True)
    for action in ("standalone", "splitbrain", "resolve"):
        sub = actions.add_parser(action)
        sub.add_argument("resource")
        sub.add_argument("peer", help="the peer's connection name")
    disk = actions.add_parser("disk")
    disk.add_argument("resource")
    disk.add_argument("volume")
    disk.add_argument("state", help="a disk state to force, or 'clear'")
    fail = actions.add_parser("fail")
    fail.add_argument("command")
    fail.add_argument("--code", type=int, default=10)
    fail.add_argument("--message", required=True)
    fail.add_argument("--times", type=int, default=1, help="0: until clear-failures")
    actions.add_parser("clear-failures")
    delay = actions.add_parser("delay", help="the next call of a drbdsetup command waits first")
    delay.add_argument("command")
    delay.add_argument("seconds", type=float)
    role = actions.add_parser("primary")
    role.add_argument("resource")
    role = actions.add_parser("secondary")
    role.add_argument("resource")
    arguments = parser.parse_args(argv)
    with locked(arguments.node_dir.parent) as cluster:
        kernel = Kernel(cluster, arguments.node)
        state = kernel.state
        if arguments.action in ("standalone", "splitbrain", "resolve"):
            resource = kernel.resource(arguments.resource)
            matches = [c for c in resource["connections"].values() if c["name"] == arguments.peer]
            if not matches:
                raise SystemExit(f"no connection to {arguments.peer} in {arguments.resource}")
            connection = matches[0]
            if arguments.action == "standalone":
                connection["forced_standalone"] = True
            elif arguments.action == "splitbrain":
                connection["split_brain"] = True
                kernel.helper(arguments.resource, connection, "split-brain")
            else:
                connection.pop("split_brain", None)
                connection.pop("forced_standalone", None)
        elif arguments.action == "disk":
            device = kernel.resource(arguments.resource)["devices"][arguments.volume]
            if arguments.state == "clear":
                device.pop("forced_disk", None)
            else:
                device["forced_disk"] = arguments.state
        elif arguments.action == "fail":
            state["failures"].append({"command": arguments.command, "code": arguments.code,
                                      "message": arguments.message, "times": arguments.times})
        elif arguments.action == "clear-failures":
            state["failures"] = []
        elif arguments.action == "delay":
            state.setdefault("delays", []).append({"command": arguments.command, "seconds": arguments.seconds})
        else:
            # `primary` is a mount: promoted and held open; `secondary` unmounts and demotes.
            resource = kernel.resource(arguments.resource)
            resource["role"] = "Primary" if arguments.action == "primary" else "Secondary"
            resource["opened"] = arguments.action == "primary"
        cluster.save(arguments.node)
    return 0


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "control":
        return control(sys.argv[2:])
    return drbdsetup(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
