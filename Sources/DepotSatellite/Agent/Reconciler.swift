public import DepotModel
public import DepotWire
import Foundation
public import Logging

/// Makes the node match a desired state and reports what is really there.
///
/// Level-triggered: it is handed the node's whole desired state, checks the real system through the
/// providers (which are idempotent) and creates, grows or removes volumes until both agree. A failure
/// is reported for its resource and retried on the next desired state; nothing stops the satellite.
public actor Reconciler {
    private let providers: StorageProviders
    private let drbd: DRBDLayer?
    private let logger: Logger
    private var ledger: VolumeLedger
    /// The last state applied and what it gave, so DRBD state changes can be reported between applies.
    private var lastApplied: (desired: DesiredNodeState, report: NodeReport)?

    /// - Parameter drbd: the DRBD layer, on nodes that run DRBD.
    public init(providers: StorageProviders, stateDirectory: String?, drbd: DRBDLayer? = nil, logger: Logger) {
        self.providers = providers
        self.drbd = drbd
        self.logger = logger
        self.ledger = VolumeLedger(directory: stateDirectory)
    }

    /// The last report with the DRBD kernel state as it is now; `nil` before the first apply.
    public func currentReport() async -> NodeReport? {
        guard let (desired, report) = self.lastApplied else { return nil }
        return await self.withDRBDState(report, desired)
    }

    /// Applies `desired` and returns the resulting report.
    public func apply(_ desired: DesiredNodeState) async -> NodeReport {
        let report = await self.reconcile(desired)
        self.lastApplied = (desired, report)
        return await self.withDRBDState(report, desired)
    }

    private func reconcile(_ desired: DesiredNodeState) async -> NodeReport {
        var pools: [String: PoolConfig] = [:]
        var poolReports: [StoragePoolReport] = []
        for pool in desired.storagePools {
            guard let kind = ProviderKind(caseInsensitive: pool.providerKind) else { continue }
            let config = PoolConfig(name: pool.name, kind: kind, backingName: pool.backingName ?? "", props: pool.props)
            pools[ObjectKey(pool.name).rawValue] = config
        }
        var resources: [ResourceReport] = []
        var wanted: Set<VolumeLedger.Entry> = []
        // DRBD goes down before its storage can be removed; storage of a resource that did not go
        // down stays.
        let drbdFailures = await self.removeUnwantedDRBD(desired)
        for resource in desired.resources {
            var volumes: [VolumeReport] = []
            var failure: CommandFailureDTO?
            var devices: [Int: String] = [:]
            var backingKiB: [Int: Int64] = [:]
            for volume in resource.volumes {
                guard let pool = pools[ObjectKey(volume.storagePool).rawValue] else {
                    failure = CommandFailureDTO(message: "Storage pool '\(volume.storagePool)' is not defined on this node.", commandLine: nil, exitCode: nil, stderrTail: nil)
                    continue
                }
                if pool.kind == .diskless || resource.flags.contains(ResourceFlag.diskless) {
                    volumes.append(VolumeReport(number: volume.number, devicePath: nil, allocatedKiB: nil, usableKiB: nil, diskState: "Diskless"))
                    continue
                }
                let id = VolumeID(resourceName: resource.name, volumeNumber: volume.number)
                let entry = VolumeLedger.Entry(
                    resourceName: resource.name, volumeNumber: volume.number, pool: pool.name, providerKind: pool.kind.rawValue, backingName: pool.backingName)
                wanted.insert(entry)
                do {
                    let provider = self.providers.provider(for: pool.kind)
                    self.ledger.insert(entry)
                    var provided = try await provider.create(id, sizeKiB: volume.storageSizeKiB, in: pool)
                    if provided.usableKiB < volume.storageSizeKiB {
                        provided = try await provider.resize(id, sizeKiB: volume.storageSizeKiB, in: pool)
                    }
                    devices[volume.number] = provided.devicePath
                    backingKiB[volume.number] = provided.usableKiB
                    volumes.append(
                        VolumeReport(number: volume.number, devicePath: provided.devicePath, allocatedKiB: provided.allocatedKiB, usableKiB: provided.usableKiB, diskState: resource.drbd == nil ? "UpToDate" : nil))
                } catch {
                    self.logger.warning("volume not ready", metadata: ["volume": "\(id)", "error": "\(error)"])
                    failure = Self.failure(error)
                }
            }
            if failure == nil, let drbd = resource.drbd, resource.layers.first == LayerKind.drbd.rawValue {
                failure = await self.applyDRBD(resource, drbd, devices: devices, backingKiB: backingKiB)
            }
            resources.append(ResourceReport(name: resource.name, volumes: volumes, failure: failure))
        }
        for (name, failure) in drbdFailures {
            resources.append(ResourceReport(name: name, volumes: [], failure: failure))
        }
        let keptForDRBD = self.ledger.entries.filter { drbdFailures[$0.resourceName] != nil }
        for (name, failure) in await self.removeUnwanted(keeping: wanted.union(keptForDRBD)) where drbdFailures[name] == nil {
            resources.append(ResourceReport(name: name, volumes: [], failure: failure))
        }
        for config in pools.values.sorted(by: { $0.name < $1.name }) {
            do {
                let capacity = try await self.providers.provider(for: config.kind).capacity(of: config)
                poolReports.append(StoragePoolReport(name: config.name, freeKiB: capacity.freeKiB, totalKiB: capacity.totalKiB, failure: nil))
            } catch {
                poolReports.append(StoragePoolReport(name: config.name, freeKiB: nil, totalKiB: nil, failure: Self.failure(error)))
            }
        }
        return NodeReport(appliedVersion: desired.version, storagePools: poolReports, resources: resources)
    }

    /// Removes volumes this satellite made that the desired state no longer has.
    ///
    /// - Returns: per resource, why a volume could not be removed (in use, say): reported, and retried
    ///   with the next desired state.
    private func removeUnwanted(keeping wanted: Set<VolumeLedger.Entry>) async -> [String: CommandFailureDTO] {
        var failures: [String: CommandFailureDTO] = [:]
        for entry in self.ledger.entries.subtracting(wanted) {
            guard let kind = ProviderKind(caseInsensitive: entry.providerKind) else { continue }
            let pool = PoolConfig(name: entry.pool, kind: kind, backingName: entry.backingName)
            let id = VolumeID(resourceName: entry.resourceName, volumeNumber: entry.volumeNumber)
            do {
                try await self.providers.provider(for: kind).delete(id, in: pool)
                self.ledger.remove(entry)
                self.logger.info("volume removed", metadata: ["volume": "\(id)", "pool": "\(entry.pool)"])
            } catch {
                self.logger.warning("volume not removed", metadata: ["volume": "\(id)", "error": "\(error)"])
                failures[entry.resourceName] = Self.failure(error)
            }
        }
        return failures
    }

    private func applyDRBD(
        _ resource: DesiredResource, _ drbd: DesiredDRBDResource, devices: [Int: String], backingKiB: [Int: Int64]
    ) async -> CommandFailureDTO? {
        guard let layer = self.drbd else {
            return CommandFailureDTO(
                message: "This satellite runs without the DRBD layer; resource '\(resource.name)' needs it.", commandLine: nil, exitCode: nil,
                stderrTail: nil)
        }
        do {
            try await layer.apply(resource, drbd, devices: devices, backingKiB: backingKiB)
            return nil
        } catch {
            self.logger.warning("DRBD not ready", metadata: ["resource": "\(resource.name)", "error": "\(error)"])
            return Self.failure(error)
        }
    }

    /// Takes down DRBD resources configured here that the desired state no longer has with DRBD.
    private func removeUnwantedDRBD(_ desired: DesiredNodeState) async -> [String: CommandFailureDTO] {
        guard let layer = self.drbd else { return [:] }
        let wanted = Set(desired.resources.filter { $0.drbd != nil }.map(\.name))
        var failures: [String: CommandFailureDTO] = [:]
        for name in await layer.configuredResources().subtracting(wanted).sorted() {
            do {
                try await layer.remove(name)
            } catch {
                self.logger.warning("DRBD resource not removed", metadata: ["resource": "\(name)", "error": "\(error)"])
                failures[name] = Self.failure(error)
            }
        }
        return failures
    }

    /// Adds the kernel's DRBD state (disk states, connections, replication) to a report.
    private func withDRBDState(_ report: NodeReport, _ desired: DesiredNodeState) async -> NodeReport {
        guard let layer = self.drbd else { return report }
        var report = report
        let desiredByName = Dictionary(desired.resources.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for index in report.resources.indices {
            guard let resource = desiredByName[report.resources[index].name], let drbd = resource.drbd,
                let observed = await layer.observe(resource, drbd)
            else { continue }
            report.resources[index].drbd = observed.resource
            var volumes = Dictionary(report.resources[index].volumes.map { ($0.number, $0) }, uniquingKeysWith: { first, _ in first })
            for number in resource.volumes.map(\.number) {
                var volume = volumes[number] ?? VolumeReport(number: number, devicePath: nil, allocatedKiB: nil, usableKiB: nil, diskState: nil)
                volume.diskState = observed.diskStates[number] ?? (volume.diskState == "Diskless" ? "Diskless" : nil)
                volume.replication = observed.replication[number]
                volume.drbdDevicePath = observed.devicePaths[number]
                volumes[number] = volume
            }
            report.resources[index].volumes = volumes.keys.sorted().compactMap { volumes[$0] }
        }
        return report
    }

    static func failure(_ error: DRBDError) -> CommandFailureDTO {
        CommandFailureDTO(
            message: error.message, commandLine: error.commandError?.commandLine, exitCode: error.commandError?.exitCode,
            stderrTail: error.commandError?.stderrTail)
    }

    static func failure(_ error: StorageError) -> CommandFailureDTO {
        CommandFailureDTO(
            message: error.message, commandLine: error.commandError?.commandLine, exitCode: error.commandError?.exitCode,
            stderrTail: error.commandError?.stderrTail)
    }
}
