import DepotModel
import DepotWire
import HashTreeCollections
import Testing

@testable import DepotController

/// Node and resource connections: validation, and what they put into the peers' DRBD connections.
@Suite struct ConnectionTests {
    static func sharedWithDataInterfaces() throws -> ClusterTransaction {
        var transaction = try DRBDAutomationTests.shared(on: ["kronos", "remus", "vulcan"])
        for (node, address) in [("kronos", "127.0.1.14"), ("remus", "127.0.1.12")] {
            _ = try transaction.createNetInterface(node, NetInterfaceSettings(name: "data", address: address))
        }
        return transaction
    }

    static func peer(_ transaction: ClusterTransaction, on node: String, to peer: String) throws -> DesiredDRBDPeer {
        let snapshot = ClusterSnapshot(
            version: 1, model: transaction.model, resourceJSON: [:], definitionJSON: [:], order: ClusterSnapshot.SortedKeys(model: transaction.model))
        let state = try #require(DesiredStateBuilder.state(for: ObjectKey(node), in: snapshot))
        let resource = try #require(state.resources.first { $0.name == "SharedData" })
        return try #require(resource.drbd?.peers.first { $0.nodeName == peer })
    }

    @Test func resourceConnectionOptionsWinOverTheDefinitionWhichWinsOverTheNodeConnection() throws {
        var transaction = try Self.sharedWithDataInterfaces()
        _ = try transaction.modifyNodeConnection(
            "remus", "kronos",
            PropertyChange(overrideProps: [
                "DrbdOptions/Net/protocol": "B", "DrbdOptions/Net/max-buffers": "9000", "DrbdOptions/PeerDevice/c-max-rate": "50M",
            ]))
        _ = try transaction.modifyResourceDefinition(
            "SharedData", ResourceDefinitionModification(props: PropertyChange(overrideProps: ["DrbdOptions/Net/max-buffers": "8000"])))
        _ = try transaction.modifyResourceConnection("SharedData", "kronos", "remus", PropertyChange(overrideProps: ["DrbdOptions/Net/protocol": "A"]))
        let peer = try Self.peer(transaction, on: "kronos", to: "remus")
        #expect(peer.options == ["DrbdOptions/Net/protocol": "A", "DrbdOptions/PeerDevice/c-max-rate": "50M"])
        // The other side sees the same connection; a third node's connections are untouched.
        #expect(try Self.peer(transaction, on: "remus", to: "kronos").options == peer.options)
        #expect(try Self.peer(transaction, on: "kronos", to: "vulcan").options.isEmpty)
    }

    @Test func pathsComeFromTheResourceConnectionElseTheNodeConnection() throws {
        var transaction = try Self.sharedWithDataInterfaces()
        _ = try transaction.modifyNodeConnection(
            "kronos", "remus",
            PropertyChange(overrideProps: [
                "Paths/data/kronos": "data", "Paths/data/remus": "data",
            ]))
        var peer = try Self.peer(transaction, on: "kronos", to: "remus")
        #expect(peer.paths == [DesiredDRBDPath(localAddress: "127.0.1.14", peerAddress: "127.0.1.12")])
        _ = try transaction.modifyResourceConnection(
            "SharedData", "remus", "kronos",
            PropertyChange(overrideProps: [
                "Paths/p1/kronos": "default", "Paths/p1/remus": "default", "Paths/p2/kronos": "data", "Paths/p2/remus": "data",
            ]))
        peer = try Self.peer(transaction, on: "kronos", to: "remus")
        #expect(
            peer.paths == [
                DesiredDRBDPath(localAddress: "127.0.0.14", peerAddress: "127.0.0.12"),
                DesiredDRBDPath(localAddress: "127.0.1.14", peerAddress: "127.0.1.12"),
            ])
        #expect(try Self.peer(transaction, on: "remus", to: "kronos").paths.first == DesiredDRBDPath(localAddress: "127.0.0.12", peerAddress: "127.0.0.14"))
    }

    @Test func badConnectionsAreRefusedAndChangeNothing() throws {
        var transaction = try Self.sharedWithDataInterfaces()
        let before = transaction.model.nodeConnections.count
        func refusal(_ body: () throws(DepotError) -> [Reply]) -> DepotError? {
            do { _ = try body() } catch { return error }
            return nil
        }
        #expect(refusal { () throws(DepotError) in try transaction.modifyNodeConnection("kronos", "KRONOS", PropertyChange()) }?.code == .failInvalidRequest)
        #expect(refusal { () throws(DepotError) in try transaction.modifyNodeConnection("kronos", "nowhere", PropertyChange()) }?.code == .failNotFoundNode)
        #expect(
            refusal { () throws(DepotError) in
                try transaction.modifyNodeConnection("kronos", "remus", PropertyChange(overrideProps: ["Paths/p/kronos": "missing", "Paths/p/remus": "data"]))
            }?.code == .failNotFoundNetInterface)
        #expect(
            refusal { () throws(DepotError) in
                try transaction.modifyNodeConnection("kronos", "remus", PropertyChange(overrideProps: ["Paths/p/kronos": "data"]))
            }?.code == .failInvalidProperty, "a path needs both sides")
        #expect(
            refusal { () throws(DepotError) in
                try transaction.modifyNodeConnection("kronos", "remus", PropertyChange(overrideProps: ["Paths/p/vulcan": "default", "Paths/p/remus": "data"]))
            }?.code == .failInvalidProperty, "a path names the connection's own nodes")
        #expect(
            refusal { () throws(DepotError) in
                try transaction.modifyNodeConnection("kronos", "remus", PropertyChange(overrideProps: ["StorDriver/x": "1"]))
            }?.code == .failInvalidProperty)
        #expect(
            refusal { () throws(DepotError) in
                try transaction.modifyResourceConnection("SharedData", "kronos", "romulus", PropertyChange())
            }?.code == .failNotFoundResource, "both replicas must exist")
        #expect(transaction.model.nodeConnections.count == before)
    }

    @Test func connectionsGoWithTheirNodeOrReplica() throws {
        var transaction = try Self.sharedWithDataInterfaces()
        _ = try transaction.modifyResourceConnection("SharedData", "kronos", "vulcan", PropertyChange(overrideProps: ["DrbdOptions/Net/protocol": "A"]))
        _ = try transaction.modifyNodeConnection("romulus", "vulcan", PropertyChange(overrideProps: ["Aux/x": "1"]))
        #expect(transaction.model.resourceConnections.count == 1)
        transaction.removeResource(ResourceKey(resource: ObjectKey("SharedData"), node: ObjectKey("vulcan")))
        #expect(transaction.model.resourceConnections.isEmpty)
        transaction.removeNode(ObjectKey("romulus"))
        #expect(transaction.model.nodeConnections.isEmpty)
    }

    @Test func volumeDiskOptionsFollowLINSTORsOrder() {
        let replica = EffectiveProperties.resource(
            ["DrbdOptions/Disk/disk-flushes": "yes"], definition: ["DrbdOptions/Disk/c-plan-ahead": "1"], group: nil, node: nil, controller: [:])
        let options = DRBDDesiredState.volumeOptions(
            replica.volume(
                ["DrbdOptions/Disk/al-extents": "9"],
                definition: ["DrbdOptions/Disk/disk-flushes": "no", "DrbdOptions/Disk/md-flushes": "no", "DrbdOptions/Net/protocol": "A"],
                group: ["DrbdOptions/Disk/md-flushes": "yes", "DrbdOptions/Disk/resync-after": "other/0"]))
        #expect(
            options == [
                "DrbdOptions/Disk/al-extents": "9", "DrbdOptions/Disk/disk-flushes": "yes", "DrbdOptions/Disk/md-flushes": "no",
                "DrbdOptions/Disk/resync-after": "other/0",
            ])
    }
}
