import DepotModel
import Foundation
import GRDB
import Testing

@testable import DepotStore

@Suite struct SQLiteStoreTests {
    private func temporaryPath() -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("depot-store-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("depot.sqlite").path
    }

    private func cleanUp(_ path: String) {
        try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
    }

    @Test func createsSchemaAndRoundTripsObjects() async throws {
        let path = self.temporaryPath()
        defer { self.cleanUp(path) }
        let store = try SQLiteStore(path: path)
        #expect(try store.schemaVersion() == Schema.latestVersion)
        #expect(try store.load().isNewDatabase)
        #expect(try SQLiteStore(path: path).load().isNewDatabase == false)
        let node = Node(
            name: "romulus", type: .combined,
            netInterfaces: [
                NetInterface(name: "default", address: "127.0.0.11", satellitePort: 3366, encryptionType: .plain, uuid: "u1")
            ], uuid: "n1")
        var definition = ResourceDefinition(name: "SharedData", layerStack: [.drbd, .storage], resourceGroupName: "DfltRscGrp", uuid: "r1")
        definition.volumeDefinitions[0] = VolumeDefinition(number: 0, sizeKiB: 153_600, uuid: "v1")
        try await store.commit([
            .node(node.key, node), .resourceDefinition(definition.key, definition), .controllerProp(key: "Aux/x", value: "1"),
        ])
        let reopened = try SQLiteStore(path: path).load()
        #expect(reopened.nodes == [node])
        #expect(reopened.resourceDefinitions == [definition])
        #expect(reopened.controllerProps == ["Aux/x": "1"])

        try await store.commit([.node(node.key, nil), .controllerProp(key: "Aux/x", value: nil)])
        let emptied = try store.load()
        #expect(emptied.nodes.isEmpty)
        #expect(emptied.controllerProps.isEmpty)
    }

    @Test func roundTripsNodeAndResourceConnections() async throws {
        let path = self.temporaryPath()
        defer { self.cleanUp(path) }
        let store = try SQLiteStore(path: path)
        let nodes = NodeConnection(nodeA: "bravo", nodeB: "alpha", props: ["Paths/p1/alpha": "data", "Paths/p1/bravo": "data"])
        let replicas = ResourceConnection(resourceName: "SharedData", nodeA: "alpha", nodeB: "bravo", props: ["DrbdOptions/Net/protocol": "A"])
        try await store.commit([.nodeConnection(nodes.key, nodes), .resourceConnection(replicas.key, replicas)])
        let reopened = try SQLiteStore(path: path).load()
        #expect(reopened.nodeConnections == [nodes])
        #expect(reopened.resourceConnections == [replicas])
        #expect(nodes.key == ConnectionKey(ObjectKey("ALPHA"), ObjectKey("Bravo")), "the pair is unordered and case-insensitive")

        try await store.commit([.nodeConnection(nodes.key, nil), .resourceConnection(replicas.key, nil)])
        let emptied = try store.load()
        #expect(emptied.nodeConnections.isEmpty && emptied.resourceConnections.isEmpty)
    }

    @Test func failedCommitChangesNothing() async throws {
        let path = self.temporaryPath()
        defer { self.cleanUp(path) }
        let store = try SQLiteStore(path: path)
        let group = ResourceGroup(name: "g1", uuid: "g")
        try await store.commit([.resourceGroup(group.key, group)])
        try await DatabaseQueue(path: path).write { db in
            try db.execute(sql: "CREATE TRIGGER refuse BEFORE INSERT ON nodes BEGIN SELECT RAISE(ABORT, 'refused'); END")
        }
        let node = Node(name: "n1", type: .satellite, netInterfaces: [], uuid: "n")
        let second = ResourceGroup(name: "g2", uuid: "g2")
        await #expect(throws: (any Error).self) { try await store.commit([.resourceGroup(second.key, second), .node(node.key, node)]) }
        #expect(try store.load().resourceGroups == [group])
    }

    @Test func failingMigrationLeavesTheDatabaseIntact() async throws {
        let path = self.temporaryPath()
        defer { self.cleanUp(path) }
        let group = ResourceGroup(name: "kept", uuid: "k")
        // A database still at version 1, so that one real and two test migrations are pending.
        try await SQLiteStore(path: path, migrations: Array(Schema.migrations.prefix(1))).commit([.resourceGroup(group.key, group)])
        let latest = Schema.latestVersion
        let broken =
            Schema.migrations + [
                Migration(version: latest + 1, name: "adds a table") { db in try db.execute(sql: "CREATE TABLE extra (x INTEGER)") },
                Migration(version: latest + 2, name: "fails") { db in try db.execute(sql: "ALTER TABLE no_such_table ADD COLUMN y") },
            ]
        #expect {
            try SQLiteStore(path: path, migrations: broken)
        } throws: { error in
            let text = String(describing: error)
            return text.contains("migration \(latest + 2) (fails)") && text.contains("unchanged")
        }
        let untouched = try await DatabaseQueue(path: path).read { db in
            (try Int.fetchOne(db, sql: "SELECT MAX(version) FROM depot_schema"), try db.tableExists("extra"), try db.tableExists("resources"))
        }
        #expect(untouched.0 == 1)
        #expect(!untouched.1)
        #expect(untouched.2)
        let store = try SQLiteStore(path: path)
        #expect(try store.schemaVersion() == latest)
        #expect(try store.load().resourceGroups == [group])
    }

    @Test func migratesAnEarlierSchemaInOneStep() async throws {
        let path = self.temporaryPath()
        defer { self.cleanUp(path) }
        _ = try SQLiteStore(path: path)
        let later =
            Schema.migrations + [
                Migration(version: Schema.latestVersion + 1, name: "adds a column") { db in
                    try db.execute(sql: "ALTER TABLE nodes ADD COLUMN note TEXT")
                }
            ]
        let migrated = try SQLiteStore(path: path, migrations: later)
        #expect(try migrated.schemaVersion() == Schema.latestVersion + 1)
    }

    @Test func refusesADatabaseFromANewerDepot() async throws {
        let path = self.temporaryPath()
        defer { self.cleanUp(path) }
        _ = try SQLiteStore(path: path)
        try await DatabaseQueue(path: path).write { db in
            try db.execute(sql: "INSERT INTO depot_schema (version, name, applied_at) VALUES (99, 'future', 'now')")
        }
        #expect { try SQLiteStore(path: path) } throws: { String(describing: $0).contains("schema version 99") }
    }

    @Test func reportsUnreadableRows() async throws {
        let path = self.temporaryPath()
        defer { self.cleanUp(path) }
        let store = try SQLiteStore(path: path)
        try await DatabaseQueue(path: path).write { db in
            try db.execute(sql: "INSERT INTO nodes (key, data) VALUES ('BROKEN', X'7B7D')")
        }
        #expect { try store.load() } throws: { String(describing: $0).contains("BROKEN") }
    }
}

@Suite struct ResourceSchemaMigrationTests {
    private func sampleResource() -> Resource {
        var resource = Resource(
            resourceName: "SharedData", nodeName: "vulcan", props: ["StorPoolName": "thinpool", "Aux/x": "a,b"],
            flags: ["DISKLESS", "DRBD_DISKLESS"], layerStack: [.drbd, .storage], createTimestamp: 1_700_000_000_123, uuid: "r-uuid")
        var volume = Volume(number: 0, storagePoolName: "DfltDisklessStorPool", props: ["Aux/v": "1"], uuid: "v-uuid")
        volume.flags = ["RESIZE"]
        resource.volumes = [0: volume, 3: Volume(number: 3, storagePoolName: "thinpool", uuid: "v3")]
        resource.drbd = DRBDResourceData(nodeID: 2, tcpPorts: [7000, 7005], peerSlots: 7, alStripes: 1, alSizeKiB: 32)
        return resource
    }

    @Test func resourcesRoundTripThroughColumns() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("depot-rows-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("depot.sqlite").path
        let store = try SQLiteStore(path: path)
        let resource = self.sampleResource()
        let plain = Resource(resourceName: "LocalData", nodeName: "kronos", props: [:], flags: [], layerStack: [.storage], createTimestamp: 1, uuid: "p")
        try await store.commit([.resource(resource.key, resource), .resource(plain.key, plain)])
        let loaded = try SQLiteStore(path: path).load().resources.sorted { $0.key < $1.key }
        #expect(loaded == [plain, resource].sorted { $0.key < $1.key })
        try await store.commit([.resource(resource.key, nil)])
        #expect(try store.load().resources == [plain])
    }

    @Test func version1DocumentsMigrateToColumns() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("depot-v1-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("depot.sqlite").path
        let resource = self.sampleResource()
        do {
            let version1 = try SQLiteStore(path: path, migrations: Array(Schema.migrations.prefix(1)))
            #expect(try version1.schemaVersion() == 1)
        }
        let document = try JSONEncoder().encode(resource)
        try await DatabaseQueue(path: path).write { db in
            try db.execute(
                sql: "INSERT INTO resources (resource_key, node_key, data) VALUES (?, ?, ?)",
                arguments: [resource.key.first.rawValue, resource.key.second.rawValue, document])
        }
        let migrated = try SQLiteStore(path: path)
        #expect(try migrated.schemaVersion() == Schema.latestVersion)
        #expect(try migrated.load().resources == [resource])
        let oldTableExists = try await DatabaseQueue(path: path).read { db in try db.tableExists("resources") }
        #expect(!oldTableExists)
    }
}
