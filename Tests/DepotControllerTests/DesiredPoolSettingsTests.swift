import DepotModel
import DepotWire
import HashTreeCollections
import Testing

@testable import DepotController

@Suite struct DesiredPoolSettingsTests {
    @Test func storageDriverSettingsOfTheControllerHoldForPoolsThatDoNotSetThem() throws {
        var transaction = ClusterTransaction.empty()
        _ = try transaction.createNode(Body.node("kronos"))
        _ = try transaction.createStoragePool("kronos", Body.pool("thinpool"))
        _ = try transaction.createStoragePool("kronos", Body.pool("fastpool", backing: "vg/fast"))
        _ = try transaction.modifyControllerProps(PropertyChange(overrideProps: ["StorDriver/WaitTimeoutAfterCreate": "9000"]))
        _ = try transaction.modifyStoragePool("kronos", "fastpool", PropertyChange(overrideProps: ["StorDriver/WaitTimeoutAfterCreate": "100"]))
        let snapshot = ClusterSnapshot(
            version: 1, model: transaction.model, resourceJSON: [:], definitionJSON: [:], order: ClusterSnapshot.SortedKeys(model: transaction.model))
        let pools = try #require(DesiredStateBuilder.state(for: ObjectKey("kronos"), in: snapshot)).storagePools
        let byName = Dictionary(uniqueKeysWithValues: pools.map { ($0.name, $0) })
        #expect(byName["thinpool"]?.props["StorDriver/WaitTimeoutAfterCreate"] == "9000")
        #expect(byName["fastpool"]?.props["StorDriver/WaitTimeoutAfterCreate"] == "100")
        #expect(byName["fastpool"]?.backingName == "vg/fast")
        // Only storage driver settings travel to the satellite's pools.
        #expect(byName["thinpool"]?.props.keys.allSatisfy { $0.hasPrefix("StorDriver/") } == true)
    }
}
