public import DepotModel
public import DepotWire
public import Logging

/// Encryption at rest between DRBD (or the user) and storage: each volume's device below gets a
/// LUKS2 header and is opened as `/dev/mapper/Linstor-Crypt-<resource>_<volume number, 5 digits>`,
/// the name LINSTOR gives its LUKS devices (users and their scripts know it).
///
/// The header is written only on a device that has none; a device with a header is opened with
/// the passphrase the controller sent or, when the passphrase was changed meanwhile, with an
/// earlier one whose key slot is then changed. Without a passphrase (the controller's master key is
/// locked) nothing is opened and the resource says why: a LUKS volume never comes up unencrypted.
public actor LUKSLayer: DeviceLayer {
    public nonisolated let kind = LayerKind.luks
    private let cryptsetup: CryptSetup
    private let devices: any CryptDevices
    private let waiter: DeviceWaiter
    private let logger: Logger
    private var ledger: LUKSLedger
    /// The mappings that exist (name → KiB), read on full passes and kept current in between.
    private var mappings: [String: Int64] = [:]

    public init(
        runner: any CommandRunner, stateDirectory: String?, logger: Logger, devices: any CryptDevices = SystemCryptDevices(),
        waiter: DeviceWaiter = DeviceWaiter()
    ) {
        self.cryptsetup = CryptSetup(runner: runner)
        self.devices = devices
        self.waiter = waiter
        self.logger = logger
        self.ledger = LUKSLedger(directory: stateDirectory)
    }

    /// LINSTOR's device-mapper name of a volume's LUKS device.
    static func mappingName(_ resource: String, _ volume: Int) -> String {
        let number = String(volume)
        return "\(Self.mappingPrefix)\(resource)_\(String(repeating: "0", count: max(0, 5 - number.count)))\(number)"
    }

    static let mappingPrefix = "Linstor-Crypt-"

    public func prepare(_ desired: DesiredNodeState, fullPass: Bool) async {
        guard fullPass else { return }
        self.mappings = self.devices.openMappings()
    }

    public func removeUnwanted(wanted: [DesiredResource], held: HeldResources) async -> [String: LayerFailure] {
        var keep: Set<String> = []
        for resource in wanted {
            for volume in resource.volumes { keep.insert(Self.mappingName(resource.name, volume.number)) }
        }
        var failures: [String: LayerFailure] = [:]
        for name in self.ledger.generations.keys.sorted() where !keep.contains(name) {
            let resource = Self.resourceName(of: name)
            guard !held.contains(resource) else { continue }
            do {
                try await self.close(name)
                self.ledger.forget(name)
            } catch {
                failures[resource] = error
            }
        }
        return failures
    }

    public func apply(_ resource: DesiredResource, below: [Int: LayerDevice]) async throws(LayerFailure) -> [Int: LayerDevice] {
        var result: [Int: LayerDevice] = [:]
        for volume in resource.volumes {
            guard let device = below[volume.number], let path = device.path else {
                // Diskless here: nothing to encrypt; the layer above reads through its peers.
                result[volume.number] = LayerDevice(path: nil, usableKiB: nil)
                continue
            }
            guard let settings = volume.luks else {
                throw LayerFailure("Resource '\(resource.name)' has the LUKS layer but the controller sent no LUKS settings for volume \(volume.number).")
            }
            let name = Self.mappingName(resource.name, volume.number)
            let usable = device.usableKiB.map { $0 - LayerSizes.luksHeaderKiB }
            try await self.bringUp(name, resource: resource.name, device: path, usableKiB: usable, settings)
            result[volume.number] = LayerDevice(path: "/dev/mapper/\(name)", usableKiB: usable)
        }
        return result
    }

    public func deactivate(_ resource: DesiredResource) async throws(LayerFailure) {
        for volume in resource.volumes {
            try await self.close(Self.mappingName(resource.name, volume.number))
        }
    }

    public func annotate(_ report: inout ResourceReport, for resource: DesiredResource) async {
        for index in report.volumes.indices {
            let name = Self.mappingName(resource.name, report.volumes[index].number)
            if self.mappings[name] != nil { report.volumes[index].luksDevicePath = "/dev/mapper/\(name)" }
            report.volumes[index].luksGeneration = self.ledger.generations[name]
        }
    }

    /// Opens (formatting a device without a header first) and keeps the key slot and size current.
    private func bringUp(_ name: String, resource: String, device: String, usableKiB: Int64?, _ settings: DesiredLUKSVolume) async throws(LayerFailure) {
        let isOpen = self.mappings[name] != nil
        if isOpen, self.ledger.generations[name] == settings.generation {
            try await self.growIfNeeded(name, to: usableKiB, settings)
            return
        }
        guard let passphrase = settings.passphrase else {
            throw LayerFailure(
                "Volume \(name) is encrypted and the controller sent no passphrase for it: \(settings.withheld ?? "no reason given").")
        }
        switch self.devices.hasLUKSHeader(at: device) {
        case nil:
            throw LayerFailure("Cannot read the device \(device) below the LUKS volume \(name).")
        case false?:
            guard !isOpen else {
                throw LayerFailure("The LUKS volume \(name) is open but its device \(device) shows no LUKS header; it was left as it is.")
            }
            do {
                try await self.cryptsetup.format(device, passphrase: passphrase, options: settings.formatOptions)
            } catch {
                throw LayerFailure("Could not write the LUKS header of \(name) on \(device).", commandError: error)
            }
            self.logger.info("LUKS header written", metadata: ["volume": "\(name)", "device": "\(device)"])
        case true?:
            try await self.takeCurrentPassphrase(name, device: device, settings, passphrase)
        }
        self.ledger.record(name, generation: settings.generation)
        if !isOpen {
            do {
                try await self.cryptsetup.open(device, as: name, passphrase: passphrase, allowDiscards: settings.allowDiscards, options: settings.openOptions)
                try await self.waiter.waitForDevice(at: "/dev/mapper/\(name)", minimumKiB: max(0, usableKiB ?? 0), timeout: .seconds(10))
            } catch let error as CommandError {
                throw LayerFailure("Could not open the LUKS volume \(name) on \(device).", commandError: error)
            } catch {
                throw LayerFailure("\(error)")
            }
            self.mappings[name] = usableKiB ?? 0
            self.logger.info("LUKS volume opened", metadata: ["volume": "\(name)"])
        }
        try await self.growIfNeeded(name, to: usableKiB, settings)
    }

    /// Makes the header take `passphrase`: nothing when it does, a key change when an earlier
    /// passphrase still opens it, a refusal (and nothing changed) when none does.
    private func takeCurrentPassphrase(_ name: String, device: String, _ settings: DesiredLUKSVolume, _ passphrase: VolumeSecret) async throws(LayerFailure) {
        do {
            if try await self.cryptsetup.takes(device, passphrase: passphrase) { return }
            for former in settings.former {
                guard try await self.cryptsetup.takes(device, passphrase: former) else { continue }
                try await self.cryptsetup.changeKey(device, from: former, to: passphrase, options: CryptSetup.keySlotOptions(settings.formatOptions))
                self.logger.info("LUKS passphrase changed", metadata: ["volume": "\(name)", "generation": "\(settings.generation)"])
                return
            }
        } catch {
            throw LayerFailure("Could not check the passphrase of the LUKS volume \(name) on \(device).", commandError: error)
        }
        throw LayerFailure(
            "The LUKS header on \(device) does not take the passphrase of volume \(name), nor any earlier one the controller knows; it was left as it is.")
    }

    private func growIfNeeded(_ name: String, to usableKiB: Int64?, _ settings: DesiredLUKSVolume) async throws(LayerFailure) {
        guard let usableKiB, let current = self.mappings[name], current > 0, current < usableKiB else { return }
        guard let passphrase = settings.passphrase else {
            throw LayerFailure("The LUKS volume \(name) must grow, and the controller sent no passphrase: \(settings.withheld ?? "no reason given").")
        }
        do {
            try await self.cryptsetup.resize(name, passphrase: passphrase)
        } catch {
            throw LayerFailure("Could not grow the LUKS volume \(name).", commandError: error)
        }
        self.mappings[name] = usableKiB
        self.logger.info("LUKS volume resized", metadata: ["volume": "\(name)", "sizeKiB": "\(usableKiB)"])
    }

    private func close(_ name: String) async throws(LayerFailure) {
        if self.mappings[name] != nil {
            do {
                try await self.cryptsetup.close(name)
            } catch {
                throw LayerFailure("Could not close the LUKS volume \(name); the volume below it is kept.", commandError: error)
            }
            self.mappings[name] = nil
            self.logger.info("LUKS volume closed", metadata: ["volume": "\(name)"])
        }
    }

    /// The resource part of a mapping name (between the prefix and the last `_`).
    private static func resourceName(of mapping: String) -> String {
        let name = mapping.hasPrefix(Self.mappingPrefix) ? String(mapping.dropFirst(Self.mappingPrefix.count)) : mapping
        guard let index = name.lastIndex(of: "_") else { return name }
        return String(name[..<index])
    }
}
