import DepotModel
import DepotWire

/// The DRBD layer in a resource's stack: replication on top of the devices the layer below gives,
/// `/dev/drbdN` to the layer above.
struct DRBDStackLayer: DeviceLayer {
    let kind = LayerKind.drbd
    private let drbd: DRBDLayer

    init(_ drbd: DRBDLayer) {
        self.drbd = drbd
    }

    func removeUnwanted(wanted: [DesiredResource], held: HeldResources) async -> [String: LayerFailure] {
        let names = Set(wanted.filter { $0.drbd != nil }.map(\.name))
        var failures: [String: LayerFailure] = [:]
        for name in await self.drbd.configuredResources().subtracting(names).sorted() where !held.contains(name) {
            do {
                try await self.drbd.remove(name)
            } catch {
                failures[name] = LayerFailure(error)
            }
        }
        return failures
    }

    func apply(_ resource: DesiredResource, below: [Int: LayerDevice]) async throws(LayerFailure) -> [Int: LayerDevice] {
        guard let settings = resource.drbd else {
            throw LayerFailure("Resource '\(resource.name)' has the DRBD layer but the controller sent no DRBD settings for it.")
        }
        let devices = below.compactMapValues(\.path)
        let backingKiB = below.compactMapValues(\.usableKiB)
        do {
            try await self.drbd.apply(resource, settings, devices: devices, backingKiB: backingKiB)
        } catch {
            throw LayerFailure(error)
        }
        var result: [Int: LayerDevice] = [:]
        for volume in resource.volumes {
            guard let minor = volume.drbd?.minor else { continue }
            result[volume.number] = LayerDevice(path: "/dev/drbd\(minor)", usableKiB: volume.sizeKiB)
        }
        return result
    }

    func releaseHeldIO() async {
        await self.drbd.resumeAllSuspended()
    }

    func deactivate(_ resource: DesiredResource) async throws(LayerFailure) {
        do {
            try await self.drbd.deactivate(resource.name)
        } catch {
            throw LayerFailure(error)
        }
    }

    func annotate(_ report: inout ResourceReport, for resource: DesiredResource) async {
        guard let settings = resource.drbd else { return }
        guard let observed = await self.drbd.observe(resource, settings) else {
            // The kernel's state is not known yet: the storage's state says nothing about DRBD's.
            for index in report.volumes.indices where report.volumes[index].diskState != "Diskless" { report.volumes[index].diskState = nil }
            return
        }
        report.drbd = observed.resource
        report.ioSuspended = DRBDObservation.isSuspendedByUser(observed.resource.suspended)
        report.ioSuspendFailure = await self.drbd.ioHoldFailure(of: resource.name).map { LayerFailure($0).report }
        var volumes = Dictionary(report.volumes.map { ($0.number, $0) }, uniquingKeysWith: { first, _ in first })
        for number in resource.volumes.map(\.number) {
            var volume = volumes[number] ?? VolumeReport(number: number, devicePath: nil, allocatedKiB: nil, usableKiB: nil, diskState: nil)
            volume.diskState = observed.diskStates[number] ?? (volume.diskState == "Diskless" ? "Diskless" : nil)
            volume.replication = observed.replication[number]
            volume.drbdDevicePath = observed.devicePaths[number]
            volumes[number] = volume
        }
        report.volumes = volumes.keys.sorted().compactMap { volumes[$0] }
    }
}
