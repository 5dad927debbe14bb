import DepotModel
public import DepotWire
import Foundation
public import Logging

/// Puts DRBD on top of a resource's storage: metadata, `.res` file, `drbdadm adjust`; and takes it
/// down again. Level-triggered like the rest of the satellite: every call converges, none assumes
/// what happened before.
public actor DRBDLayer {
    nonisolated let settings: DRBDSettings
    nonisolated let tools: DRBDTools
    let monitor: DRBDEventMonitor?
    private let logger: Logger
    /// Volumes whose metadata was checked since the satellite started (`resource/volume`).
    private var metadataChecked: Set<String> = []
    /// Per resource, why the last `suspend-io` a snapshot asked for failed; reported on its own, so
    /// that the controller aborts that snapshot at once instead of waiting for it.
    private var ioHoldFailures: [String: DRBDError] = [:]
    /// Node-ids of removed peers whose bitmap slot is still to be freed, per resource.
    private var peersToForget: PeerSlotsToForget
    /// How long a resize may take to show in the device's size: the peers grow their backing devices
    /// at the same time, and DRBD grows only once the smallest of them did. The link stays up while
    /// the satellite waits (pings are answered beside the apply); the wait ends well inside the 15 s a
    /// REST call waits, so a resize not seen by then reaches the caller as an error and is retried
    /// with the next desired state.
    let resizeConfirmation: Duration = .seconds(8)

    /// - Parameter stateDirectory: where the satellite keeps what must survive a restart (here: peer
    ///   slots still to be freed); `nil` keeps it in memory.
    public init(settings: DRBDSettings, runner: any CommandRunner, monitor: DRBDEventMonitor?, stateDirectory: String? = nil, logger: Logger) {
        self.settings = settings
        self.peersToForget = PeerSlotsToForget(directory: stateDirectory)
        self.tools = DRBDTools(runner: runner, settings: settings)
        self.monitor = monitor
        self.logger = logger
    }

    /// Brings the resource to its desired DRBD configuration.
    ///
    /// - Parameters:
    ///   - devices: backing device per volume number (absent for diskless volumes).
    ///   - backingKiB: the backing devices' sizes; DRBD grows only into a backing device that grew.
    func apply(_ resource: DesiredResource, _ drbd: DesiredDRBDResource, devices: [Int: String], backingKiB: [Int: Int64]) async throws(DRBDError) {
        // A snapshot's hold first: a later step that fails (an adjust while a peer comes up) must
        // not keep the resource's I/O running while the controller waits for it to stop.
        if resource.suspendIO == true { try await self.holdIO(resource.name, true) }
        try self.writeMainConfig()
        let kernel = await self.monitor?.snapshot()
        for volume in resource.volumes {
            guard let volumeDRBD = volume.drbd, let device = devices[volume.number], !drbd.diskless else { continue }
            let attached = kernel?.resources[resource.name]?.devices[volume.number]?.fields["disk"].map { $0 != "Diskless" } ?? false
            let key = "\(resource.name)/\(volume.number)"
            guard !attached, !self.metadataChecked.contains(key) else { continue }
            try await self.prepareMetadata(resource.name, volume: volumeDRBD, device: device, drbd: drbd)
            self.metadataChecked.insert(key)
        }
        let volumes = resource.volumes.compactMap { volume in
            volume.drbd.map { (number: volume.number, minor: $0.minor, disk: drbd.diskless ? nil : devices[volume.number], options: $0.options) }
        }
        // Peers the kernel has that the desired state dropped: adjust deletes their connections,
        // then their bitmap slots must be freed too (LINSTOR's forget-peer on DELETE).
        // A deactivated peer is not connected, but keeps its bitmap slot for when it comes back.
        let wantedPeers = Set(drbd.peers.map(\.nodeID)).union(drbd.inactivePeerNodeIDs ?? [])
        let dropped = Set(kernel?.resources[resource.name]?.connections.keys.filter { !wantedPeers.contains($0) } ?? [])
        self.peersToForget.update(resource.name, dropped: dropped, wanted: wantedPeers)
        let file = DRBDResourceFile(
            name: resource.name, drbd: drbd, hostname: self.settings.hostname, volumes: volumes,
            header: "Written by depot-satellite for node '\(self.settings.hostname)'; changes are overwritten.\nResource '\(resource.name)'.")
        let rewritten = try await self.install(resource.name, text: try file.render())
        // `drbdadm adjust` costs processes and kernel round trips: run it only when the file changed
        // or the kernel differs from what the file says, so a node's thousandth resource costs no
        // more than its first and a live device never sees a step it does not need.
        let backed = Set(resource.volumes.compactMap { drbd.diskless || devices[$0.number] == nil ? nil : $0.number })
        if rewritten || !DRBDConvergence.isConverged(kernel: kernel?.resources[resource.name], drbd, volumes: resource.volumes.map(\.number), backed: backed) {
            try await self.tools.adjust(resource.name)
        }
        try await self.forgetDroppedPeers(resource.name, diskless: drbd.diskless)
        try await self.holdIO(resource.name, resource.suspendIO == true)
        guard !drbd.diskless else { return }
        for volume in resource.volumes {
            guard let volumeDRBD = volume.drbd, devices[volume.number] != nil, let backing = backingKiB[volume.number], backing > volume.sizeKiB else { continue }
            try await self.grow(resource.name, volume: volume.number, toKiB: volume.sizeKiB, assumeClean: volumeDRBD.thinStorage, peers: drbd.peers)
        }
    }

    /// Suspends or resumes the resource's I/O as the controller asks (a consistent snapshot), and
    /// waits until the kernel shows it: the controller takes the snapshot only once every replica
    /// reported its I/O held.
    private func holdIO(_ name: String, _ wanted: Bool) async throws(DRBDError) {
        guard let monitor = self.monitor else { return }
        func held() async -> Bool? {
            guard let kernel = await monitor.snapshot()?.resources[name] else { return nil }
            return DRBDObservation.isSuspendedByUser(kernel.fields["suspended"])
        }
        guard let current = await held(), current != wanted else {
            self.ioHoldFailures[name] = nil
            return
        }
        do {
            try await self.tools.setIOSuspended(name, wanted)
            self.ioHoldFailures[name] = nil
        } catch {
            if wanted { self.ioHoldFailures[name] = error }
            throw error
        }
        self.logger.info(wanted ? "DRBD I/O suspended" : "DRBD I/O resumed", metadata: ["resource": "\(name)"])
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline, await held() != wanted {
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Why the resource's I/O could not be held for a snapshot, while that is so.
    func ioHoldFailure(of name: String) -> DRBDError? { self.ioHoldFailures[name] }

    /// Resumes I/O of every resource suspended by `suspend-io` (a snapshot's hold).
    func resumeAllSuspended() async {
        guard let kernel = await self.monitor?.snapshot() else { return }
        for (name, resource) in kernel.resources.sorted(by: { $0.key < $1.key }) where DRBDObservation.isSuspendedByUser(resource.fields["suspended"]) {
            do {
                try await self.tools.setIOSuspended(name, false)
                self.logger.warning("DRBD I/O resumed: no controller to finish the snapshot", metadata: ["resource": "\(name)"])
            } catch {
                self.logger.error("DRBD I/O not resumed", metadata: ["resource": "\(name)", "error": "\(error)"])
            }
        }
    }

    /// Frees the bitmap slots of dropped peers; a slot the kernel no longer has a connection for and
    /// refuses to forget was never assigned.
    private func forgetDroppedPeers(_ name: String, diskless: Bool) async throws(DRBDError) {
        // Only metadata has peer slots: a client has none to free.
        guard !diskless else {
            self.peersToForget.removeAll(of: name)
            return
        }
        for nodeID in self.peersToForget[name].sorted() {
            do {
                try await self.tools.forgetPeer(name, nodeID: nodeID)
                self.logger.info("DRBD peer forgotten", metadata: ["resource": "\(name)", "nodeID": "\(nodeID)"])
            } catch {
                if await self.monitor?.snapshot()?.resources[name]?.connections[nodeID] != nil { throw error }
                self.logger.info("DRBD peer slot not forgotten", metadata: ["resource": "\(name)", "nodeID": "\(nodeID)", "reason": "\(error)"])
            }
            self.peersToForget.forgotten(name, nodeID: nodeID)
        }
    }

    /// Grows the DRBD device to the volume's size once its backing device grew, and confirms it from
    /// the device's size in the kernel: success only when DRBD really has the new size.
    private func grow(_ name: String, volume: Int, toKiB wanted: Int64, assumeClean: Bool, peers: [DesiredDRBDPeer]) async throws(DRBDError) {
        guard let monitor = self.monitor,
            let growth = DRBDGrowth(kernel: await monitor.snapshot()?.resources[name], volume: volume, wantedKiB: wanted), growth.isNeeded
        else { return }
        await self.waitForConnectedPeers(name, peers: peers)
        try await self.tools.resize(name, volume: volume, assumeClean: assumeClean)
        let deadline = ContinuousClock.now + self.resizeConfirmation
        var kernel = await monitor.snapshot()?.resources[name]
        while ContinuousClock.now < deadline {
            if let now = DRBDGrowth(kernel: kernel, volume: volume, wantedKiB: wanted), !now.isNeeded {
                self.logger.info("DRBD resized", metadata: ["resource": "\(name)", "volume": "\(volume)", "sizeKiB": "\(now.deviceKiB)", "assumeClean": "\(assumeClean)"])
                return
            }
            try? await Task.sleep(for: .milliseconds(200))
            kernel = await monitor.snapshot()?.resources[name]
        }
        let reached = DRBDGrowth(kernel: kernel, volume: volume, wantedKiB: wanted)?.deviceKiB ?? growth.deviceKiB
        throw DRBDGrowth.notDone(name, volume: volume, deviceKiB: reached, wantedKiB: wanted, kernel: kernel, peers: peers)
    }

    /// DRBD changes a size cluster-wide and keeps the old one while a peer it knows is not
    /// connected. Replicas that just came up (a restore, a new peer) connect within seconds, and a
    /// driver may grow a volume right after making it (Cinder's volume from a snapshot), so the
    /// resize waits for them first, as long as it waits for the new size.
    private func waitForConnectedPeers(_ name: String, peers: [DesiredDRBDPeer]) async {
        guard let monitor = self.monitor else { return }
        let deadline = ContinuousClock.now + self.resizeConfirmation
        while ContinuousClock.now < deadline {
            let connections = await monitor.snapshot()?.resources[name]?.connections ?? [:]
            if peers.allSatisfy({ connections[$0.nodeID]?.fields["connection"] == "Connected" }) { return }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Fresh metadata only on a device without any; the initial generation decides who syncs from whom.
    func prepareMetadata(_ name: String, volume: DesiredDRBDVolume, device: String, drbd: DesiredDRBDResource) async throws(DRBDError) {
        var identifiers = try await self.tools.generationIdentifiers(minor: volume.minor, device: device, nodeID: drbd.nodeID)
        if identifiers == nil {
            try await self.tools.createMetadata(
                minor: volume.minor, device: device, peerSlots: drbd.peerSlots, alStripes: drbd.alStripes, alStripeSizeKiB: drbd.alStripeSizeKiB)
            self.logger.info("DRBD metadata created", metadata: ["resource": "\(name)", "device": "\(device)", "peerSlots": "\(drbd.peerSlots)"])
            identifiers = try await self.tools.generationIdentifiers(minor: volume.minor, device: device, nodeID: drbd.nodeID)
        }
        guard let found = identifiers, found.isFresh, let day0 = volume.initialGenerationID else { return }
        if volume.initialSource {
            // This node's data is the start: a new current generation, and every peer slot remembers
            // day 0, so peers that start from day 0 need no full sync.
            var source = found.markedUpToDate()
            source.current = DRBDKeys.makeGenerationID()
            source.bitmap = day0
            for nodeID in 0..<32 {
                try await self.tools.setGenerationIdentifiers(source, minor: volume.minor, device: device, nodeID: nodeID)
            }
            self.logger.info("DRBD initial sync source", metadata: ["resource": "\(name)", "device": "\(device)"])
        } else if volume.skipInitialSync {
            // Thin storage reads zeros everywhere, as the source's unwritten blocks do: day 0 is true here.
            var peer = found.markedUpToDate()
            peer.current = day0
            try await self.tools.setGenerationIdentifiers(peer, minor: volume.minor, device: device, nodeID: drbd.nodeID)
        }
    }

    /// Replaces the live file only with one drbdadm accepted.
    ///
    /// - Returns: whether the file changed.
    @discardableResult
    private func install(_ name: String, text: String) async throws(DRBDError) -> Bool {
        let live = self.settings.resourceFilePath(name)
        if (try? String(contentsOfFile: live, encoding: .utf8)) == text { return false }
        let candidate = self.settings.candidateFilePath(name)
        try Self.write(text, to: candidate)
        do {
            try await self.tools.validate(candidate: candidate, replacing: live)
        } catch {
            try? FileManager.default.removeItem(atPath: candidate)
            throw error
        }
        guard rename(candidate, live) == 0 else {
            throw DRBDError(.fileSystem, "Cannot move \(candidate) to \(live): \(String(cString: strerror(errno))).")
        }
        return true
    }

    private func writeMainConfig() throws(DRBDError) {
        do {
            try FileManager.default.createDirectory(atPath: self.settings.configDirectory, withIntermediateDirectories: true)
        } catch {
            throw DRBDError(.fileSystem, "Cannot create the DRBD configuration directory \(self.settings.configDirectory): \(error.localizedDescription)")
        }
        let path = self.settings.mainConfigPath
        if (try? String(contentsOfFile: path, encoding: .utf8)) != self.settings.mainConfig {
            try Self.write(self.settings.mainConfig, to: path)
        }
        // Only where drbd-utils keeps its configuration: a node without /etc/drbd.d has no helpers to serve.
        guard let include = self.settings.systemInclude,
            FileManager.default.fileExists(atPath: (include as NSString).deletingLastPathComponent),
            (try? String(contentsOfFile: include, encoding: .utf8)) != self.settings.systemIncludeText
        else { return }
        try Self.write(self.settings.systemIncludeText, to: include)
    }

    private static func write(_ text: String, to path: String) throws(DRBDError) {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw DRBDError(.fileSystem, "Cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// Resources that have a `.res` file here.
    func configuredResources() -> Set<String> {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: self.settings.configDirectory)) ?? []
        return Set(names.filter { $0.hasSuffix(".res") }.map { String($0.dropLast(4)) })
    }

    /// Takes a resource down and removes its file; its storage may go afterwards.
    func remove(_ name: String) async throws(DRBDError) {
        try await self.takeDown(name)
        self.peersToForget.removeAll(of: name)
        self.logger.info("DRBD resource removed", metadata: ["resource": "\(name)"])
    }

    /// Takes a deactivated resource down: no device and no `.res` file, but its metadata stays on
    /// the storage below, and so do the peer slots it still has to free, for when it comes back.
    func deactivate(_ name: String) async throws(DRBDError) {
        let configured = FileManager.default.fileExists(atPath: self.settings.resourceFilePath(name))
        let running = await self.monitor?.snapshot()?.resources[name] != nil
        guard configured || running else { return }
        try await self.takeDown(name)
        self.logger.info("DRBD resource deactivated", metadata: ["resource": "\(name)"])
    }

    private func takeDown(_ name: String) async throws(DRBDError) {
        try await self.tools.down(name)
        let path = self.settings.resourceFilePath(name)
        if FileManager.default.fileExists(atPath: path) {
            do {
                try FileManager.default.removeItem(atPath: path)
            } catch {
                throw DRBDError(.fileSystem, "Cannot remove \(path): \(error.localizedDescription)")
            }
        }
        self.metadataChecked = self.metadataChecked.filter { !$0.hasPrefix(name + "/") }
    }

    /// The kernel's view of the resource for a report, or `nil` while it is not known.
    func observe(_ resource: DesiredResource, _ drbd: DesiredDRBDResource) async -> DRBDObservation? {
        guard let kernel = await self.monitor?.snapshot() else { return nil }
        return DRBDObservation(kernel: kernel.resources[resource.name], desired: drbd, volumes: resource.volumes.map(\.number))
    }
}
