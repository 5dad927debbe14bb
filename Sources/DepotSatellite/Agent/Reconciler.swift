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
    private let logger: Logger
    private var ledger: VolumeLedger

    public init(providers: StorageProviders, stateDirectory: String?, logger: Logger) {
        self.providers = providers
        self.logger = logger
        self.ledger = VolumeLedger(directory: stateDirectory)
    }

    /// Applies `desired` and returns the resulting report.
    public func apply(_ desired: DesiredNodeState) async -> NodeReport {
        var pools: [String: PoolConfig] = [:]
        var poolReports: [StoragePoolReport] = []
        for pool in desired.storagePools {
            guard let kind = ProviderKind(caseInsensitive: pool.providerKind) else { continue }
            let config = PoolConfig(name: pool.name, kind: kind, backingName: pool.backingName ?? "", props: pool.props)
            pools[ObjectKey(pool.name).rawValue] = config
        }
        var resources: [ResourceReport] = []
        var wanted: Set<VolumeLedger.Entry> = []
        for resource in desired.resources {
            var volumes: [VolumeReport] = []
            var failure: CommandFailureDTO?
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
                    volumes.append(
                        VolumeReport(number: volume.number, devicePath: provided.devicePath, allocatedKiB: provided.allocatedKiB, usableKiB: provided.usableKiB, diskState: "UpToDate"))
                } catch {
                    self.logger.warning("volume not ready", metadata: ["volume": "\(id)", "error": "\(error)"])
                    failure = Self.failure(error)
                }
            }
            resources.append(ResourceReport(name: resource.name, volumes: volumes, failure: failure))
        }
        for (name, failure) in await self.removeUnwanted(keeping: wanted) {
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

    static func failure(_ error: StorageError) -> CommandFailureDTO {
        CommandFailureDTO(
            message: error.message, commandLine: error.commandError?.commandLine, exitCode: error.commandError?.exitCode,
            stderrTail: error.commandError?.stderrTail)
    }
}
