"""`depot … drbd-options` and `drbd-peer-options` against a real controller: each option becomes
its `DrbdOptions/<Section>/<name>` property, `--unset-…` removes it, and a bad value is refused by
the controller with what is allowed."""

from __future__ import annotations

from .test_cli_article import build_cluster


def test_drbd_options_set_and_unset_properties(depot, depot_controller):
    build_cluster(depot)
    depot.ok("resource-definition create --layer-list drbd,storage SharedData")
    depot.ok("resource-definition drbd-options --protocol A --max-buffers 8000 --quorum majority --on-io-error detach SharedData")
    props = depot_controller.rest("/v1/resource-definitions/SharedData")["props"]
    assert props["DrbdOptions/Net/protocol"] == "A" and props["DrbdOptions/Net/max-buffers"] == "8000"
    assert props["DrbdOptions/Resource/quorum"] == "majority" and props["DrbdOptions/Disk/on-io-error"] == "detach"
    depot.ok("rd opt --unset-max-buffers SharedData")
    assert "DrbdOptions/Net/max-buffers" not in depot_controller.rest("/v1/resource-definitions/SharedData")["props"]
    depot.ok("controller drbd-options --handler-split-brain /usr/lib/drbd/notify-split-brain.sh --drbd-timeout 90")
    controller = depot_controller.rest("/v1/controller/properties")
    assert controller["DrbdOptions/Handlers/split-brain"] == "/usr/lib/drbd/notify-split-brain.sh"
    assert controller["DrbdOptions/Net/timeout"] == "90"
    depot.ok("rg opt --c-max-rate 100M DfltRscGrp")
    assert depot_controller.rest("/v1/resource-groups/DfltRscGrp")["props"]["DrbdOptions/PeerDevice/c-max-rate"] == "100M"
    depot.ok("volume-definition create SharedData 150m")
    depot.ok("vd opt --disk-flushes no SharedData 0")
    volume = depot_controller.rest("/v1/resource-definitions/SharedData/volume-definitions/0")
    assert volume["props"]["DrbdOptions/Disk/disk-flushes"] == "no"


def test_drbd_peer_options_and_refusals(depot, depot_controller):
    build_cluster(depot)
    depot.ok("node-connection drbd-peer-options --protocol C --c-max-rate 200M kronos vulcan")
    assert depot_controller.rest("/v1/node-connections")[0]["props"] == {
        "DrbdOptions/Net/protocol": "C", "DrbdOptions/PeerDevice/c-max-rate": "200M"}
    # Out of range: the controller refuses it with the range, nothing is stored.
    refused = depot.line("nc popt --max-buffers 5 kronos vulcan")
    assert refused.code != 0 and "32 to 131072" in refused.out + refused.err, refused
    assert "DrbdOptions/Net/max-buffers" not in depot_controller.rest("/v1/node-connections")[0]["props"]
    # A wrong choice is refused by the client already, as LINSTOR's argparse does.
    assert depot.line("nc popt --protocol D kronos vulcan").code == 2
    # Disk options are not peer options.
    assert depot.line("nc popt --disk-flushes no kronos vulcan").code == 2
    # Nothing to do is a usage error, not an empty change.
    assert depot.line("nc popt kronos vulcan").code == 2
