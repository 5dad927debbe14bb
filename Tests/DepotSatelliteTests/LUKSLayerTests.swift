import DepotModel
import DepotTestSupport
import DepotWire
import Logging
import Synchronization
import Testing

@testable import DepotSatellite

/// The LUKS layer's decisions, against recorded cryptsetup calls and a kernel view the test sets:
/// what it formats, opens, changes and closes, and that a passphrase never reaches an argument.
@Suite struct LUKSLayerTests {
    static let device = "/dev/drbdpool/Secret_00000"
    static let mapping = "Linstor-Crypt-Secret_00000"
    static let secret = VolumeSecret("current passphrase")
    static let earlier = VolumeSecret("earlier passphrase")

    func layer(_ runner: RecordingCommandRunner, _ crypt: FakeCryptDevices, _ devices: FakeBlockDevices = FakeBlockDevices()) -> LUKSLayer {
        LUKSLayer(
            runner: runner, stateDirectory: nil, logger: Logger(label: "test"), devices: crypt,
            waiter: DeviceWaiter(devices: devices, pollInterval: .milliseconds(1)))
    }

    static func resource(_ luks: DesiredLUKSVolume) -> DesiredResource {
        var volume = DesiredVolume(number: 0, storagePool: "thin", sizeKiB: 65_536, storageSizeKiB: 81_920)
        volume.luks = luks
        return DesiredResource(name: "Secret", layers: [.luks, .storage], flags: [], volumes: [volume])
    }

    static let below = [0: LayerDevice(path: device, usableKiB: 81_920)]

    @Test func aDeviceWithoutHeaderIsFormattedAndOpenedWithThePassphraseOnStandardInput() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["cryptsetup"], reply: .ok())
        let crypt = FakeCryptDevices(headers: [Self.device: false])
        let devices = FakeBlockDevices()
        devices.set("/dev/mapper/\(Self.mapping)", sizeBytes: 65_536 * 1024)
        let luks = DesiredLUKSVolume(passphrase: Self.secret, generation: 1, allowDiscards: true, formatOptions: ["--pbkdf", "pbkdf2"])
        let layer = self.layer(runner, crypt, devices)
        await layer.prepare(DesiredNodeState(version: 1, nodeName: "vm1", storagePools: [], resources: []), fullPass: true)

        let result = try await layer.apply(Self.resource(luks), below: Self.below)

        #expect(result[0] == LayerDevice(path: "/dev/mapper/\(Self.mapping)", usableKiB: 65_536))
        #expect(
            runner.argvs == [
                ["cryptsetup", "luksFormat", "--batch-mode", "--type", "luks2", "--pbkdf", "pbkdf2", "--key-file", "-", Self.device],
                ["cryptsetup", "open", "--type", "luks", "--allow-discards", "--key-file", "-", Self.device, Self.mapping],
            ])
        #expect(runner.commands.allSatisfy { $0.stdin == Array("current passphrase".utf8) })
        #expect(!runner.commands.contains { $0.commandLine.contains("passphrase") })
        var report = ResourceReport(name: "Secret", volumes: [VolumeReport(number: 0, devicePath: Self.device, allocatedKiB: nil, usableKiB: nil, diskState: nil)], failure: nil)
        await layer.annotate(&report, for: Self.resource(luks))
        #expect(report.volumes[0].luksDevicePath == "/dev/mapper/\(Self.mapping)")
        #expect(report.volumes[0].luksGeneration == 1)
    }

    @Test func aHeaderThatTakesAnEarlierPassphraseHasItsKeySlotChanged() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["cryptsetup", "open", "--test-passphrase"], reply: .failed(2, stderr: "No key available with this passphrase."), .ok())
        runner.on(["cryptsetup"], reply: .ok())
        let crypt = FakeCryptDevices(headers: [Self.device: true], open: [Self.mapping: 65_536])
        let luks = DesiredLUKSVolume(
            passphrase: Self.secret, generation: 2, former: [Self.earlier], formatOptions: ["--pbkdf", "pbkdf2", "--pbkdf-force-iterations", "1000", "--sector-size", "4096"])
        let layer = self.layer(runner, crypt)
        await layer.prepare(DesiredNodeState(version: 1, nodeName: "vm1", storagePools: [], resources: []), fullPass: true)

        _ = try await layer.apply(Self.resource(luks), below: Self.below)

        let change = try #require(runner.commands.first { $0.arguments.first == "luksChangeKey" })
        #expect(change.arguments == ["luksChangeKey", "--batch-mode", "--pbkdf", "pbkdf2", "--pbkdf-force-iterations", "1000", Self.device])
        #expect(change.stdin == Array("earlier passphrase\ncurrent passphrase\n".utf8))
        // Already open: no format, no second open.
        #expect(!runner.argvs.contains { $0.contains("luksFormat") || ($0.count > 1 && $0[1] == "open" && !$0.contains("--test-passphrase")) })
    }

    @Test func aHeaderNoKnownPassphraseOpensIsLeftAlone() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["cryptsetup", "open", "--test-passphrase"], reply: .failed(2, stderr: "No key available with this passphrase."))
        let crypt = FakeCryptDevices(headers: [Self.device: true])
        let layer = self.layer(runner, crypt)
        await layer.prepare(DesiredNodeState(version: 1, nodeName: "vm1", storagePools: [], resources: []), fullPass: true)

        await #expect(throws: LayerFailure.self) {
            _ = try await layer.apply(Self.resource(DesiredLUKSVolume(passphrase: Self.secret, generation: 1)), below: Self.below)
        }
        #expect(!runner.argvs.contains { $0.contains("luksFormat") || $0.contains("luksChangeKey") })
    }

    @Test func withoutAPassphraseNothingIsOpenedAndTheReasonIsGiven() async throws {
        let runner = RecordingCommandRunner()
        let crypt = FakeCryptDevices(headers: [Self.device: false])
        let layer = self.layer(runner, crypt)
        await layer.prepare(DesiredNodeState(version: 1, nodeName: "vm1", storagePools: [], resources: []), fullPass: true)

        do {
            _ = try await layer.apply(Self.resource(DesiredLUKSVolume(passphrase: nil, generation: 1, withheld: "the master key is locked")), below: Self.below)
            Issue.record("applied without a passphrase")
        } catch {
            #expect(error.message.contains("the master key is locked"))
        }
        #expect(runner.argvs.isEmpty)
    }

    @Test func anOpenVolumeStaysOpenWhileThePassphraseIsWithheld() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["cryptsetup"], reply: .ok())
        let crypt = FakeCryptDevices(headers: [Self.device: false])
        let devices = FakeBlockDevices()
        devices.set("/dev/mapper/\(Self.mapping)", sizeBytes: 65_536 * 1024)
        let layer = self.layer(runner, crypt, devices)
        await layer.prepare(DesiredNodeState(version: 1, nodeName: "vm1", storagePools: [], resources: []), fullPass: true)
        _ = try await layer.apply(Self.resource(DesiredLUKSVolume(passphrase: Self.secret, generation: 1)), below: Self.below)
        let calls = runner.argvs.count

        // The controller restarted and its master key is locked: the volume keeps serving.
        let result = try await layer.apply(Self.resource(DesiredLUKSVolume(passphrase: nil, generation: 1, withheld: "locked")), below: Self.below)
        #expect(result[0]?.path == "/dev/mapper/\(Self.mapping)")
        #expect(runner.argvs.count == calls)
    }

    @Test func onlyMappingsThisSatelliteOpenedAreClosed() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["cryptsetup"], reply: .ok())
        let crypt = FakeCryptDevices(headers: [Self.device: false], open: ["cryptroot": 1_000_000])
        let devices = FakeBlockDevices()
        devices.set("/dev/mapper/\(Self.mapping)", sizeBytes: 65_536 * 1024)
        let layer = self.layer(runner, crypt, devices)
        await layer.prepare(DesiredNodeState(version: 1, nodeName: "vm1", storagePools: [], resources: []), fullPass: true)
        _ = try await layer.apply(Self.resource(DesiredLUKSVolume(passphrase: Self.secret, generation: 1)), below: Self.below)

        let failures = await layer.removeUnwanted(wanted: [], held: [])

        #expect(failures.isEmpty)
        #expect(runner.argvs.last == ["cryptsetup", "close", Self.mapping])
        #expect(!runner.argvs.contains(["cryptsetup", "close", "cryptroot"]))
    }

    /// `drbd,luks,storage`: DRBD's backing disk is the opened mapping, never the LV below it; taken
    /// down, DRBD goes first, then the mapping closes, then the storage.
    @Test func drbdStacksOnTheOpenedMappingAndTheMappingClosesBeforeTheStorage() async throws {
        let runner = RecordingCommandRunner()
        runner.on(["cryptsetup"], reply: .ok())
        let journal = Journal()
        let devices = FakeBlockDevices()
        devices.set("/dev/mapper/\(Self.mapping)", sizeBytes: 1024)
        let crypt = FakeCryptDevices(headers: ["/dev/storage/Secret": false])
        let luks = self.layer(runner, crypt, devices)
        let reconciler = Reconciler(
            registry: LayerRegistry([RecordingLayer(.storage, journal), luks, RecordingLayer(.drbd, journal)]), logger: Logger(label: "test"))
        var resource = Self.resource(DesiredLUKSVolume(passphrase: Self.secret, generation: 1))
        resource.layers = [.drbd, .luks, .storage]

        let report = await reconciler.apply(DesiredNodeState(version: 1, nodeName: "vm1", storagePools: [], resources: [resource]))
        #expect(report.resources.first?.failure == nil)
        #expect(journal.take() == ["apply STORAGE Secret on nothing", "apply DRBD Secret on /dev/mapper/\(Self.mapping)"])
        #expect(runner.argvs.map { $0[1] } == ["luksFormat", "open"])
        crypt.setOpen([Self.mapping: 1024])

        _ = await reconciler.apply(DesiredNodeState(version: 2, nodeName: "vm1", storagePools: [], resources: []))
        #expect(journal.take() == ["remove DRBD Secret", "remove STORAGE Secret"])
        #expect(runner.argvs.last == ["cryptsetup", "close", Self.mapping])
    }

    @Test func keySlotOptionsKeepOnlyWhatShapesAKeySlot() {
        #expect(
            CryptSetup.keySlotOptions(["--cipher", "aes-xts-plain64", "--pbkdf=argon2id", "--sector-size", "4096", "--iter-time", "500", "--use-random"])
                == ["--pbkdf=argon2id", "--iter-time", "500"])
    }
}

/// The kernel's dm-crypt mappings and LUKS headers as a test says they are.
final class FakeCryptDevices: CryptDevices {
    private let headers: [String: Bool]
    private let open: Mutex<[String: Int64]>

    init(headers: [String: Bool], open: [String: Int64] = [:]) {
        self.headers = headers
        self.open = Mutex(open)
    }

    /// What the next full pass finds open.
    func setOpen(_ mappings: [String: Int64]) { self.open.withLock { $0 = mappings } }

    func openMappings() -> [String: Int64] { self.open.withLock { $0 } }

    func hasLUKSHeader(at device: String) -> Bool? { self.headers[device] }
}
