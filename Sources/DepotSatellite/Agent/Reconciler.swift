public import DepotModel
public import DepotWire
import Foundation
public import Logging

/// Makes the node match a desired state and reports what is really there.
///
/// Level-triggered: it is handed the node's whole desired state and walks every resource's layer
/// stack, bottom-up to build and top-down to tear down, knowing no layer by name. Each layer lists
/// what exists once per apply and works only on differences. A failure is reported for its
/// resource and retried with the next desired state; nothing stops the satellite.
///
/// Callers run one apply at a time (``SatelliteAgent`` feeds it from one queue): layers keep what
/// they learned for the apply in progress.
public actor Reconciler {
    private let registry: LayerRegistry
    private let logger: Logger
    /// The last state applied and the failures it gave, so reports can be rebuilt between applies
    /// with the kernel's newest DRBD state.
    private var lastApplied: (desired: DesiredNodeState, failures: [String: LayerFailure], pools: [StoragePoolReport], snapshots: [SnapshotReport])?
    private var running: ApplyProgress?
    private var startedAt = ContinuousClock.now

    public init(registry: LayerRegistry, logger: Logger) {
        self.registry = registry
        self.logger = logger
    }

    /// Builds the registry from the storage providers and the optional DRBD and LUKS layers.
    public init(providers: StorageProviders, stateDirectory: String?, drbd: DRBDLayer? = nil, luks: LUKSLayer? = nil, logger: Logger) {
        let storage = StorageLayer(providers: providers, stateDirectory: stateDirectory, logger: logger)
        self.init(registry: LayerRegistry(storage: storage, drbd: drbd, luks: luks), logger: logger)
    }

    /// What the apply in progress is doing, or `nil` between applies.
    public func progress() -> ApplyProgress? {
        guard var progress = self.running else { return nil }
        progress.elapsedMilliseconds = Int64((ContinuousClock.now - self.startedAt) / .milliseconds(1))
        return progress
    }

    /// The last report with the layers' state as it is now; `nil` before the first apply.
    public func currentReport() async -> NodeReport? {
        guard let (desired, failures, pools, snapshots) = self.lastApplied else { return nil }
        return await self.report(desired, failures, pools, snapshots)
    }

    /// Resumes every I/O a layer holds for a snapshot (no controller is there to finish it).
    public func releaseHeldIO() async {
        for layer in self.registry.topDown { await layer.releaseHeldIO() }
    }

    /// How often an apply looks at everything again even when no new session asked for it.
    static let fullPassInterval: Duration = .seconds(60)
    private var lastFullPass: ContinuousClock.Instant?

    /// Applies `desired` and returns the resulting report.
    ///
    /// - Parameter fullPass: look at everything on the node again instead of trusting what earlier
    ///   applies saw (a new controller session asks for it; it also happens every minute).
    public func apply(_ desired: DesiredNodeState, fullPass: Bool = true) async -> NodeReport {
        self.startedAt = .now
        self.running = ApplyProgress(
            version: desired.version, resourcesDone: 0, resourcesTotal: desired.resources.count, currentResource: nil, currentLayer: nil,
            elapsedMilliseconds: 0)
        defer { self.running = nil }
        let layers = self.registry.topDown
        let full = fullPass || self.lastFullPass.map { ContinuousClock.now - $0 >= Self.fullPassInterval } ?? true
        if full { self.lastFullPass = .now }
        for layer in layers { await layer.prepare(desired, fullPass: full) }
        var failures: [String: LayerFailure] = [:]
        // First, resources the node no longer has at all, top-down: a layer that cannot let go of
        // one (DRBD refusing `down` while the device is open) keeps the layers below it.
        // Resources the controller holds (their rows are unreadable there) stay exactly as they are.
        let heldByController = desired.heldResources ?? []
        let desiredNames = HeldResources(desired.resources.map(\.name) + heldByController)
        failures.merge(await self.removeUnwanted(desired, layers, held: desiredNames)) { first, _ in first }
        for (index, resource) in desired.resources.enumerated() {
            if let failure = await self.build(resource) {
                failures[resource.name] = failure
            }
            self.running?.resourcesDone = index + 1
        }
        // Then the parts resources gave up (storage under a replica that became diskless, a removed
        // volume), only after the layers above let go of them: a failed build keeps them.
        failures.merge(await self.removeUnwanted(desired, layers, held: HeldResources(failures.keys + heldByController))) { first, _ in first }
        // Snapshots last: one being taken needs its resource's I/O held, which the DRBD layer did above.
        let snapshots = await self.registry.storage?.reconcileSnapshots(desired, fullPass: full) ?? []
        let pools = await layers.asyncFlatMap { await $0.poolReports(desired) }
        self.lastApplied = (desired, failures, pools, snapshots)
        return await self.report(desired, failures, pools, snapshots)
    }

    /// Removes what `layers` (top-down) have beyond `desired`, leaving resources in `held` alone.
    private func removeUnwanted(_ desired: DesiredNodeState, _ layers: [any DeviceLayer], held: HeldResources) async -> [String: LayerFailure] {
        var held = held
        var failures: [String: LayerFailure] = [:]
        for layer in layers {
            self.running?.currentLayer = layer.kind.rawValue
            let wanted = desired.resources.filter { $0.layers.contains(layer.kind) }
            for (name, failure) in await layer.removeUnwanted(wanted: wanted, held: held) {
                failures[name] = failures[name] ?? failure
                held.insert(name)
            }
        }
        return failures
    }

    /// Builds one resource bottom-up, or takes a deactivated one down top-down keeping its data;
    /// refuses it whole when one of its layers is not available here.
    private func build(_ resource: DesiredResource) async -> LayerFailure? {
        var stack: [any DeviceLayer] = []
        for kind in resource.layers.reversed() {
            guard let layer = self.registry.layer(kind) else { return LayerRegistry.unavailable(kind, resource: resource.name) }
            stack.append(layer)
        }
        if resource.flags.contains(ResourceFlag.inactive) {
            for layer in stack.reversed() {
                self.running?.currentResource = resource.name
                self.running?.currentLayer = layer.kind.rawValue
                do {
                    try await layer.deactivate(resource)
                } catch {
                    self.logger.warning("layer not deactivated", metadata: ["resource": "\(resource.name)", "layer": "\(layer.kind.rawValue)", "error": "\(error)"])
                    return error
                }
            }
            return nil
        }
        if let rollback = resource.rollback, let storage = self.registry.storage {
            // The layers above let go of the volumes (DRBD down) and stay down until every replica
            // went back to the snapshot: one that came up early would connect to a peer with newer
            // data and sync it back. The controller then drops the rollback and the next build
            // brings the layers up on the rolled-back data everywhere.
            for layer in stack.reversed() where layer.kind != .storage {
                self.running?.currentLayer = layer.kind.rawValue
                do {
                    try await layer.deactivate(resource)
                } catch {
                    return error
                }
            }
            self.running?.currentLayer = LayerKind.storage.rawValue
            guard await !storage.hasRolledBack(resource.name, id: rollback.id) else { return nil }
            do {
                try await storage.rollback(resource, rollback)
            } catch {
                self.logger.warning("rollback failed", metadata: ["resource": "\(resource.name)", "snapshot": "\(rollback.snapshot)", "error": "\(error)"])
                return error
            }
            return nil
        }
        var devices: [Int: LayerDevice] = [:]
        for layer in stack {
            self.running?.currentResource = resource.name
            self.running?.currentLayer = layer.kind.rawValue
            do {
                devices = try await layer.apply(resource, below: devices)
            } catch {
                self.logger.warning("layer not ready", metadata: ["resource": "\(resource.name)", "layer": "\(layer.kind.rawValue)", "error": "\(error)"])
                return error
            }
        }
        return nil
    }

    private func report(
        _ desired: DesiredNodeState, _ failures: [String: LayerFailure], _ pools: [StoragePoolReport], _ snapshots: [SnapshotReport]
    ) async -> NodeReport {
        var resources: [ResourceReport] = []
        let layers = Array(self.registry.topDown.reversed())
        for resource in desired.resources {
            var report = ResourceReport(name: resource.name, volumes: [], failure: failures[resource.name]?.report)
            for layer in layers where resource.layers.contains(layer.kind) {
                await layer.annotate(&report, for: resource)
            }
            if resource.rollback != nil { report.rolledBack = await self.registry.storage?.lastRollback(of: resource.name) }
            resources.append(report)
        }
        let names = Set(desired.resources.map(\.name))
        for (name, failure) in failures.sorted(by: { $0.key < $1.key }) where !names.contains(name) {
            resources.append(ResourceReport(name: name, volumes: [], failure: failure.report))
        }
        return NodeReport(appliedVersion: desired.version, storagePools: pools, resources: resources, snapshots: snapshots)
    }
}

extension Array {
    fileprivate func asyncFlatMap<T>(_ transform: (Element) async -> [T]) async -> [T] {
        var result: [T] = []
        for element in self { result += await transform(element) }
        return result
    }
}
