import DepotWire

/// Reads from the kernel's view whether a DRBD volume still has to grow, and explains a resize the
/// kernel did not carry out.
///
/// `drbdadm resize` exits 0 even when DRBD aborts the cluster-wide size change (a known peer is not
/// connected, a peer's backing device is still smaller): only the device's size in events2 says
/// whether it happened.
struct DRBDGrowth: Sendable, Equatable {
    /// The device's size as the kernel reports it (events2 `--statistics`, KiB).
    var deviceKiB: Int64
    /// The size the volume definition asks for (KiB).
    var wantedKiB: Int64

    /// `nil` when the kernel has not reported the volume's size (or it is not attached here).
    init?(kernel: DRBDKernelState.Resource?, volume: Int, wantedKiB: Int64) {
        guard let device = kernel?.devices[volume], device.fields["disk"].map({ $0 != "Diskless" }) ?? false,
            let size = device.fields["size"].flatMap({ Int64($0) })
        else { return nil }
        self.deviceKiB = size
        self.wantedKiB = wantedKiB
    }

    var isNeeded: Bool { self.deviceKiB < self.wantedKiB }

    /// The error when the size stayed short after `drbdadm resize`, naming what DRBD waits for.
    static func notDone(
        _ resource: String, volume: Int, deviceKiB: Int64, wantedKiB: Int64, kernel: DRBDKernelState.Resource?, peers: [DesiredDRBDPeer]
    ) -> DRBDError {
        let names = Dictionary(peers.map { ($0.nodeID, $0.nodeName) }, uniquingKeysWith: { first, _ in first })
        let unconnected = (kernel?.connections ?? [:]).filter { $0.value.fields["connection"] != "Connected" }.keys.sorted()
            .map { id in names[id].map { "'\($0)' (node-id \(id))" } ?? "node-id \(id)" }
        var reason = "DRBD keeps the old size while a peer it knows is not connected, or a peer's backing device is still smaller."
        if !unconnected.isEmpty { reason += " Not connected: " + unconnected.joined(separator: ", ") + "." }
        return DRBDError(
            .resizeNotDone,
            "DRBD volume \(volume) of '\(resource)' still has \(deviceKiB) KiB after 'drbdadm resize' to \(wantedKiB) KiB. \(reason) "
                + "The kernel log (dmesg) has DRBD's reason; the resize is retried with the next change.")
    }
}
