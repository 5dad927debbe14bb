"""Encryption through python-linstor and `depot`: the master passphrase (create, enter after a
restart, modify, from the configuration), refusals while it is locked or on nodes that cannot
run the LUKS layer, volume passphrases, and no passphrase in any reply or log.

The host's kernel has no device-mapper: LUKS volumes are opened in the kernel tier
(test_kernel_tier.py); here the satellites refuse the layer with the probe's reason.
"""

from __future__ import annotations

import json
import subprocess
import urllib.error
import urllib.request

import linstor
from conftest import Cluster, binary, is_error, messages

MASTER = "correct horse battery staple"
CHANGED = "a changed master passphrase"
VOLUME = "a volume passphrase of the user"

ERROR = 0xC000000000000000


def signed(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def codes(replies) -> list[int]:
    return [reply.ret_code for reply in replies]


def status(cluster: Cluster) -> str:
    with urllib.request.urlopen(f"http://{cluster.rest}/v1/encryption/passphrase", timeout=5) as response:
        return json.load(response)["status"]


def restart_controller(cluster: Cluster, env: dict[str, str] | None = None, extra: list[str] | None = None) -> None:
    cluster.controller.stop()
    cluster.controller.argv = cluster.controller_base + list(extra or [])
    cluster.controller.env = env
    cluster.controller.start()
    cluster.wait_for(cluster._healthy, "controller health")
    cluster.client = linstor.Linstor(f"linstor://{cluster.rest}")
    cluster.client.connect()


def test_the_master_passphrase_lifecycle(cluster):
    assert status(cluster) == "unset"
    # python-linstor's own call reads the same answer.
    assert "unset" in repr(cluster.client.crypt_status())
    # Entering or changing what does not exist says so.
    assert codes(cluster.client.crypt_enter_passphrase(MASTER)) == [signed(ERROR | 0x2100258)]
    assert codes(cluster.client.crypt_modify_passphrase(MASTER, CHANGED)) == [signed(ERROR | 0x2100200)]

    created = cluster.client.crypt_create_passphrase(MASTER)
    assert codes(created) == [0x1100001] and [reply.message for reply in created] == ["Crypt passphrase created."], messages(created)
    assert status(cluster) == "unlocked"
    again = cluster.client.crypt_create_passphrase(MASTER)
    assert codes(again) == [signed(ERROR | 0x1100200)], codes(again)

    # After a restart the key is locked; encrypted volumes cannot be made, anything else can.
    restart_controller(cluster)
    assert status(cluster) == "locked"
    assert not is_error(cluster.client.resource_dfn_create("Plain"))
    cluster.depot("resource-definition", "create", "--layer-list", "luks,storage", "Secret")
    refused = cluster.client.volume_dfn_create("Secret", 64 * 1024)
    assert is_error(refused) and (refused[0].ret_code & 0x7FFF) == 312, (codes(refused), messages(refused))
    assert "locked" in messages(refused)[0] and "enter-passphrase" in (refused[0].correction or ""), refused[0]

    wrong = cluster.client.crypt_enter_passphrase("not the passphrase")
    assert codes(wrong) == [signed(ERROR | 0x2100258)]
    assert [reply.message for reply in wrong] == ["Could not restore master passphrase as the given old passphrase was incorrect"]
    assert status(cluster) == "locked"
    entered = cluster.client.crypt_enter_passphrase(MASTER)
    assert codes(entered) == [0x2100004] and [reply.message for reply in entered] == ["Passphrase accepted"]
    assert status(cluster) == "unlocked"
    assert not is_error(cluster.client.volume_dfn_create("Secret", 64 * 1024))

    # Changing it keeps the master key (the volume's passphrase still opens) and needs the old one.
    assert is_error(cluster.client.crypt_modify_passphrase("not the passphrase", CHANGED))
    changed = cluster.client.crypt_modify_passphrase(MASTER, CHANGED)
    assert codes(changed) == [0x2100003] and [reply.message for reply in changed] == ["Crypt passphrase updated"]
    restart_controller(cluster)
    assert is_error(cluster.client.crypt_enter_passphrase(MASTER))
    cluster.depot("encryption", "enter-passphrase", "--passphrase", CHANGED)
    assert status(cluster) == "unlocked"
    out = cluster.depot("volume-definition", "modify-passphrase", "Secret", "0", VOLUME)
    assert "Volume definition with number '0' of resource definition 'Secret' modified." in out, out
    assert "No resources have any luks layer" in out, out

    # Nothing said or logged carries a passphrase.
    logs = (cluster.root / "controller.log").read_text()
    for secret in (MASTER, CHANGED, VOLUME):
        assert secret not in logs
    listing = json.dumps(json.load(urllib.request.urlopen(f"http://{cluster.rest}/v1/resource-definitions/Secret/volume-definitions")))
    props = json.dumps(json.load(urllib.request.urlopen(f"http://{cluster.rest}/v1/controller/properties")))
    for secret in (MASTER, CHANGED, VOLUME):
        assert secret not in listing and secret not in props


def test_a_luks_replica_is_refused_where_the_node_cannot_encrypt(cluster):
    cluster.online_node("alpha", "127.0.0.1")
    cluster.file_pool("alpha")
    assert not is_error(cluster.client.crypt_create_passphrase(MASTER))
    cluster.depot("resource-definition", "create", "--layer-list", "luks,storage", "Secret")
    cluster.depot("volume-definition", "create", "Secret", "64m")
    node = json.load(urllib.request.urlopen(f"http://{cluster.rest}/v1/nodes/alpha"))
    assert "LUKS" in node.get("unsupported_layers", {}), "a host with dm-crypt runs the LUKS layer: the kernel tier covers that"
    refused = cluster.client.resource_create([linstor_resource("Secret", "alpha")])
    assert is_error(refused) and "LUKS" in messages(refused)[0], messages(refused)
    assert any(reason in (refused[0].cause or "") for reason in ("dm-crypt", "device-mapper", "cryptsetup")), refused[0].cause
    assert cluster.loop_devices() == [], "nothing of the refused replica was created"

    # `vd create --encrypt`: a resource created without a layer list gets LUKS too, and is refused here alike.
    cluster.depot("resource-definition", "create", "--layer-list", "storage", "Flagged")
    cluster.depot("volume-definition", "create", "--encrypt", "Flagged", "64m")
    flagged = cluster.client.resource_create([linstor_resource("Flagged", "alpha")])
    assert is_error(flagged) and "LUKS" in messages(flagged)[0], messages(flagged)


def linstor_resource(name: str, node: str):
    return linstor.ResourceData(node_name=node, rsc_name=name, storage_pool="filepool")


def test_the_configured_passphrase_creates_then_opens_the_master_key(cluster, tmp_path):
    config = tmp_path / "controller.toml"
    config.write_text(f'[encrypt]\npassphrase = "{MASTER}"\n')
    restart_controller(cluster, extra=["--config", str(config)])
    assert status(cluster) == "unlocked"
    restart_controller(cluster, extra=["--config", str(config)])
    assert status(cluster) == "unlocked"
    # MASTER_PASSPHRASE as LINSTOR reads it; a wrong one keeps the controller from starting.
    cluster.controller.stop()
    done = subprocess.run(
        cluster.controller.argv, env={"MASTER_PASSPHRASE": "wrong-master-passphrase-7", "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "master passphrase from the configuration was refused" in done.stderr, done.stderr
    assert "wrong-master-passphrase-7" not in done.stderr
    restart_controller(cluster, env={"MASTER_PASSPHRASE": MASTER, "PATH": "/usr/bin:/bin"})
    assert status(cluster) == "unlocked"


def test_spawn_takes_one_passphrase_per_volume(cluster):
    assert not is_error(cluster.client.crypt_create_passphrase(MASTER))
    assert not is_error(cluster.client.resource_group_create("Encrypted", layer_list=["luks", "storage"]))
    assert not is_error(cluster.client.volume_group_create("Encrypted"))
    # python-linstor checks the count itself; other clients rely on the controller.
    body = json.dumps({"resource_definition_name": "Spawned", "volume_sizes": [65536], "definitions_only": True, "volume_passphrases": ["one", "two"]})
    request = urllib.request.Request(
        f"http://{cluster.rest}/v1/resource-groups/Encrypted/spawn", data=body.encode(), method="POST", headers={"Content-Type": "application/json"})
    try:
        urllib.request.urlopen(request, timeout=10)
        raise AssertionError("a passphrase count mismatch was accepted")
    except urllib.error.HTTPError as error:
        mismatch = json.load(error)
    assert mismatch[0]["message"] == "Volume passphrase count doesn't match specified volume count.", mismatch
    spawned = cluster.client.resource_group_spawn("Encrypted", "Spawned", [65536], definitions_only=True, volume_passphrases=[VOLUME])
    assert not is_error(spawned), messages(spawned)
    assert VOLUME not in (cluster.root / "controller.log").read_text()
    assert binary("DEPOT", "depot").exists()
