import DepotModel
import DepotTestSupport
import DepotWire
import Logging
import Synchronization
import Testing

@testable import DepotSatellite

/// The reconciler's decisions from recorded listings: no real processes, ZFS's exact scripted output
/// from a recording runner and a fake device table, at the scale of a big node.
@Suite("Reconciler decisions from listings")
struct ReconcilerTests {
    static let list = ["zfs", "list", "-H", "-p", "-d", "1", "-t", "volume", "-o", "name,volsize,referenced,volblocksize", "tank"]
    static let space = ["zfs", "get", "-H", "-p", "-o", "property,value", "available,used", "tank"]
    static let pool = DesiredStoragePool(name: "zpool", providerKind: .zfsThin, backingName: "tank", props: ["StorDriver/StorPoolName": "tank"])

    static func resource(_ index: Int, layers: [LayerKind] = [.storage]) -> DesiredResource {
        DesiredResource(
            name: "vol\(index)", layers: layers, flags: [],
            volumes: [DesiredVolume(number: 0, storagePool: "zpool", sizeKiB: 1024, storageSizeKiB: 1024)])
    }

    /// `zfs list` output holding `count` zvols of 1 MiB, named as the satellite names them.
    static let snapshots = ["zfs", "list", "-H", "-p", "-d", "2", "-t", "snapshot", "-o", "name,defer_destroy", "tank"]

    static func listing(_ count: Int) -> String {
        (0..<count).map { "tank/vol\($0)_00000\t1048576\t8192\t16384\n" }.joined()
    }

    static func reconciler(_ runner: RecordingCommandRunner, _ devices: FakeBlockDevices) -> Reconciler {
        let providers = StorageProviders(runner: runner, deviceWaiter: DeviceWaiter(devices: devices, pollInterval: .milliseconds(1)))
        return Reconciler(providers: providers, stateDirectory: nil, logger: Logger(label: "test"))
    }

    @Test func fiveThousandExistingVolumesCostOneListingAndOneCreateForTheNewOne() async throws {
        let count = 5_000
        let runner = RecordingCommandRunner()
        let devices = FakeBlockDevices()
        for index in 0..<count { devices.set("/dev/zvol/tank/vol\(index)_00000", sizeBytes: 1_048_576) }
        devices.set("/dev/zvol/tank/vol\(count)_00000", sizeBytes: 1_048_576)
        let newOne = "tank/vol\(count)_00000\t1048576\t8192\t16384\n"
        runner.on(Self.list, reply: .ok(Self.listing(count)), .ok(Self.listing(count)), .ok(Self.listing(count) + newOne))
        runner.on(Self.space, reply: .ok("available\t1073741824\nused\t5242880000\n"))
        runner.on(["zfs", "create"], reply: .ok())
        let reconciler = Self.reconciler(runner, devices)

        let desired = DesiredNodeState(version: 7, nodeName: "vulcan", storagePools: [Self.pool], resources: (0...count).map { Self.resource($0) })
        let report = await reconciler.apply(desired)

        #expect(report.resources.count == count + 1)
        #expect(report.resources.allSatisfy { $0.failure == nil && $0.volumes.first?.devicePath != nil })
        // One listing of the pool's volumes and one of its snapshots, one create (and the provider's
        // own look after it), one capacity read.
        let creates = runner.argvs.filter { $0.starts(with: ["zfs", "create"]) }
        #expect(creates == [["zfs", "create", "-s", "-V", "1024k", "tank/vol\(count)_00000"]])
        #expect(runner.argvs.filter { $0.contains("snapshot") }.count == 1)
        #expect(runner.argvs.count <= 6, "\(runner.argvs.count) commands for one new volume")
    }

    /// Between full passes an apply trusts what the last listing, the last capacity reading and its
    /// own work showed: applying the same state again runs nothing. A full pass (a new session, or a
    /// minute later) lists and reads again.
    @Test func applyingTheSameStateAgainRunsNothingUntilTheNextFullPass() async throws {
        let runner = RecordingCommandRunner()
        let devices = FakeBlockDevices()
        for index in 0..<1_000 { devices.set("/dev/zvol/tank/vol\(index)_00000", sizeBytes: 1_048_576) }
        runner.on(Self.list, reply: .ok(Self.listing(1_000)))
        runner.on(Self.space, reply: .ok("available\t1073741824\nused\t1048576000\n"))
        runner.on(Self.snapshots, reply: .ok(""))
        let reconciler = Self.reconciler(runner, devices)
        let desired = DesiredNodeState(version: 1, nodeName: "vulcan", storagePools: [Self.pool], resources: (0..<1_000).map { Self.resource($0) })

        _ = await reconciler.apply(desired)
        _ = await reconciler.apply(desired, fullPass: false)
        #expect(runner.argvs == [Self.list, Self.snapshots, Self.space])
        _ = await reconciler.apply(desired, fullPass: true)
        #expect(runner.argvs == [Self.list, Self.snapshots, Self.space, Self.list, Self.snapshots, Self.space])
    }

    /// Deactivated resources are decided from the listing: an LV it does not hold costs no command,
    /// one with a device is deactivated once, and later applies run nothing for either.
    @Test func inactiveVolumesAreDecidedFromTheListing() async throws {
        let runner = RecordingCommandRunner()
        let devices = FakeBlockDevices()
        devices.set("/dev/drbdpool/LocalData_00000", sizeBytes: 159_383_552)
        runner.on(["lvs"], reply: .ok(try Fixture.text("lvs-thin.json")))
        runner.on(["vgs"], reply: .ok(try Fixture.text("vgs-thin.json")))
        runner.on(["lvchange"], reply: .ok())
        let providers = StorageProviders(runner: runner, deviceWaiter: DeviceWaiter(devices: devices, pollInterval: .milliseconds(1)))
        let reconciler = Reconciler(providers: providers, stateDirectory: nil, logger: Logger(label: "test"))
        let pool = DesiredStoragePool(name: "thinpool", providerKind: .lvmThin, backingName: "drbdpool/thinpool", props: ["StorDriver/StorPoolName": "drbdpool/thinpool"])
        let resources = ["LocalData", "Other"].map { name in
            DesiredResource(
                name: name, layers: [.storage], flags: [ResourceFlag.inactive],
                volumes: [DesiredVolume(number: 0, storagePool: "thinpool", sizeKiB: 153_600, storageSizeKiB: 153_600)])
        }
        let desired = DesiredNodeState(version: 1, nodeName: "vulcan", storagePools: [pool], resources: resources)

        let report = await reconciler.apply(desired)
        #expect(report.resources.allSatisfy { $0.failure == nil })
        #expect(report.resources.first { $0.name == "Other" }?.volumes.isEmpty == true, "never made: no volume, not a diskless one")
        #expect(runner.argvs.filter { $0.first == "lvchange" } == [["lvchange", "--activate", "n", "drbdpool/LocalData_00000"]])
        let firstApply = runner.argvs.count
        _ = await reconciler.apply(desired, fullPass: false)
        let later = runner.argvs.dropFirst(firstApply)
        #expect(later.isEmpty, "nothing to do, nothing run: \(Array(later))")
    }

    /// A resource asking for a layer the satellite has no implementation of is refused whole:
    /// nothing of it is created, so `luks,storage` never comes up unencrypted.
    @Test(arguments: [[LayerKind.luks, .storage], [.drbd, .luks, .storage], [.drbd, .storage]])
    func aLayerWithoutImplementationIsRefusedAndNothingIsCreated(_ layers: [LayerKind]) async throws {
        let runner = RecordingCommandRunner()
        let devices = FakeBlockDevices()
        runner.on(Self.list, reply: .ok(""))
        runner.on(Self.space, reply: .ok("available\t1073741824\nused\t0\n"))
        runner.on(["zfs", "create"], reply: .ok())
        let reconciler = Self.reconciler(runner, devices)

        let report = await reconciler.apply(
            DesiredNodeState(version: 1, nodeName: "vulcan", storagePools: [Self.pool], resources: [Self.resource(0, layers: layers)]))

        let failure = try #require(report.resources.first?.failure)
        let missing = layers.contains(.luks) ? "LUKS" : "DRBD"
        #expect(failure.message.contains(missing))
        #expect(!runner.argvs.contains { $0.starts(with: ["zfs", "create"]) })
        #expect(report.resources.first?.volumes.isEmpty == true)
    }
}

/// A layer that records what the reconciler asks of it, and can be told to fail.
actor RecordingLayer: DeviceLayer {
    nonisolated let kind: LayerKind
    private let journal: Journal
    private var present: Set<String> = []
    var failing: Set<String> = []

    init(_ kind: LayerKind, _ journal: Journal) {
        self.kind = kind
        self.journal = journal
    }

    func fail(_ name: String) { self.failing.insert(name) }

    func removeUnwanted(wanted: [DesiredResource], held: HeldResources) async -> [String: LayerFailure] {
        var failures: [String: LayerFailure] = [:]
        for name in self.present.subtracting(wanted.map(\.name)).sorted() where !held.contains(name) {
            if self.failing.contains(name) {
                failures[name] = LayerFailure("\(self.kind.rawValue) cannot let go of \(name)")
                continue
            }
            self.present.remove(name)
            self.journal.add("remove \(self.kind.rawValue) \(name)")
        }
        return failures
    }

    func apply(_ resource: DesiredResource, below: [Int: LayerDevice]) async throws(LayerFailure) -> [Int: LayerDevice] {
        self.journal.add("apply \(self.kind.rawValue) \(resource.name) on \(below[0]?.path ?? "nothing")")
        self.present.insert(resource.name)
        return [0: LayerDevice(path: "/dev/\(self.kind.rawValue.lowercased())/\(resource.name)", usableKiB: 1024)]
    }

    func deactivate(_ resource: DesiredResource) async throws(LayerFailure) {
        if self.failing.contains(resource.name) { throw LayerFailure("\(self.kind.rawValue) cannot deactivate \(resource.name)") }
        self.journal.add("deactivate \(self.kind.rawValue) \(resource.name)")
    }

    func annotate(_ report: inout ResourceReport, for resource: DesiredResource) async {
        report.volumes = [
            VolumeReport(number: 0, devicePath: "/dev/\(self.kind.rawValue.lowercased())/\(resource.name)", allocatedKiB: nil, usableKiB: nil, diskState: self.kind.rawValue)
        ]
    }
}

final class Journal: Sendable {
    private let lines = Mutex<[String]>([])
    func add(_ line: String) { self.lines.withLock { $0.append(line) } }
    func take() -> [String] {
        self.lines.withLock { lines in
            defer { lines = [] }
            return lines
        }
    }
}

@Suite("Reconciler walks the layer stack")
struct LayerStackWalkTests {
    static func state(_ version: UInt64, _ names: [String]) -> DesiredNodeState {
        DesiredNodeState(
            version: version, nodeName: "vulcan", storagePools: [],
            resources: names.map { DesiredResource(name: $0, layers: [.drbd, .storage], flags: [], volumes: []) })
    }

    @Test func buildsBottomUpTearsDownTopDownAndKeepsWhatAnUpperLayerHolds() async {
        let journal = Journal()
        let drbd = RecordingLayer(.drbd, journal)
        let storage = RecordingLayer(.storage, journal)
        let reconciler = Reconciler(registry: LayerRegistry([storage, drbd]), logger: Logger(label: "test"))

        let built = await reconciler.apply(Self.state(1, ["Shared", "Held"]))
        #expect(
            journal.take() == [
                "apply STORAGE Shared on nothing", "apply DRBD Shared on /dev/storage/Shared",
                "apply STORAGE Held on nothing", "apply DRBD Held on /dev/storage/Held",
            ])
        // The top layer's view wins in the report.
        #expect(built.resources.map { $0.volumes.first?.diskState } == ["DRBD", "DRBD"])

        await drbd.fail("Held")
        let removed = await reconciler.apply(Self.state(2, []))
        #expect(journal.take() == ["remove DRBD Shared", "remove STORAGE Shared"])
        #expect(removed.resources.map(\.name) == ["Held"])
        #expect(removed.resources.first?.failure?.message == "DRBD cannot let go of Held")
    }
}

extension LayerStackWalkTests {
    /// A deactivated resource (LINSTOR's INACTIVE) is taken down top-down and nothing is removed;
    /// a layer that cannot let go keeps the ones below it up; activating builds it again.
    @Test func anInactiveResourceIsTakenDownTopDownAndKeepsItsData() async {
        let journal = Journal()
        let drbd = RecordingLayer(.drbd, journal)
        let storage = RecordingLayer(.storage, journal)
        let reconciler = Reconciler(registry: LayerRegistry([storage, drbd]), logger: Logger(label: "test"))
        _ = await reconciler.apply(Self.state(1, ["Shared"]))
        _ = journal.take()

        var inactive = Self.state(2, ["Shared"])
        inactive.resources[0].flags = [ResourceFlag.inactive]
        let report = await reconciler.apply(inactive)
        #expect(journal.take() == ["deactivate DRBD Shared", "deactivate STORAGE Shared"])
        #expect(report.resources.first?.failure == nil)

        await drbd.fail("Shared")
        let refused = await reconciler.apply(inactive)
        #expect(journal.take().isEmpty, "the storage stays while DRBD cannot let go")
        #expect(refused.resources.first?.failure?.message == "DRBD cannot deactivate Shared")

        _ = await reconciler.apply(Self.state(3, ["Shared"]))
        #expect(journal.take() == ["apply STORAGE Shared on nothing", "apply DRBD Shared on /dev/storage/Shared"])
    }
}

extension LayerStackWalkTests {
    /// A resource whose row the controller could not load stays on the node exactly as it is, in
    /// every layer, though the desired state does not list it; once the hold ends it goes.
    @Test func aResourceTheControllerHoldsIsLeftAloneByKey() async {
        let journal = Journal()
        let drbd = RecordingLayer(.drbd, journal)
        let storage = RecordingLayer(.storage, journal)
        let reconciler = Reconciler(registry: LayerRegistry([storage, drbd]), logger: Logger(label: "test"))
        _ = await reconciler.apply(Self.state(1, ["pvc-Data", "scratch"]))
        _ = journal.take()

        var held = Self.state(2, [])
        held.heldResources = ["PVC-DATA"]
        _ = await reconciler.apply(held)
        #expect(journal.take() == ["remove DRBD scratch", "remove STORAGE scratch"])

        _ = await reconciler.apply(Self.state(3, []))
        #expect(journal.take() == ["remove DRBD pvc-Data", "remove STORAGE pvc-Data"])
    }
}
