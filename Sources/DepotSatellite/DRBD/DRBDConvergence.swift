import DepotWire

/// Whether the kernel already runs a resource as its unchanged `.res` file describes, so that
/// `drbdadm adjust` would have nothing to do.
///
/// Read from the events2 state the monitor keeps (no process): the resource exists, every volume's
/// device is attached when it has a backing device and diskless when not, every desired peer has a
/// connection that is not StandAlone, and the kernel has no connection the file no longer wants.
/// Options changed behind Depot's back are not seen here; they are put right when the file changes.
enum DRBDConvergence {
    static func isConverged(kernel: DRBDKernelState.Resource?, _ drbd: DesiredDRBDResource, volumes: [Int], backed: Set<Int>) -> Bool {
        guard let kernel else { return false }
        for number in volumes {
            guard let disk = kernel.devices[number]?.fields["disk"] else { return false }
            let attached = disk != "Diskless" && disk != "Detaching" && disk != "Failed"
            if attached != backed.contains(number) { return false }
        }
        let wanted = Set(drbd.peers.map(\.nodeID))
        guard Set(kernel.connections.keys) == wanted else { return false }
        return kernel.connections.values.allSatisfy { connection in
            guard let state = connection.fields["connection"] else { return false }
            return state != "StandAlone" && !connection.splitBrain
        }
    }
}
