import DepotModel
import Testing

@Suite struct LayerStackTests {
    @Test(arguments: [
        (["storage"], [LayerKind.storage]),
        (["drbd", "storage"], [.drbd, .storage]),
        (["DRBD", "Storage"], [.drbd, .storage]),
        (["drbd"], [.drbd, .storage]),
    ])
    func acceptsSupportedStacks(_ names: [String], _ expected: [LayerKind]) throws {
        #expect(try LayerStack.parse(names) == expected)
    }

    @Test func rejectsUnknownAndUnsupportedLayers() {
        #expect { try LayerStack.parse(["bogus", "storage"]) } throws: { ($0 as? DepotError)?.code == .failInvalidLayerKind }
        #expect { try LayerStack.parse(["nvme", "storage"]) } throws: {
            ($0 as? DepotError)?.cause?.contains("not supported by Depot") == true
        }
        #expect { try LayerStack.parse(["storage", "drbd"]) } throws: { ($0 as? DepotError)?.code == .failInvalidLayerStack }
        #expect { try LayerStack.parse(["luks", "drbd", "storage"]) } throws: { ($0 as? DepotError)?.code == .failInvalidLayerStack }
    }

    /// LUKS sits between DRBD (if any) and storage; storage is added when left out.
    @Test func parsesLUKSStacks() throws {
        #expect(try LayerStack.parse(["luks", "storage"]) == [.luks, .storage])
        #expect(try LayerStack.parse(["DRBD", "LUKS"]) == [.drbd, .luks, .storage])
        #expect(try LayerStack.parse(["luks"]) == [.luks, .storage])
        #expect { try LayerStack.parse(["luks", "drbd"]) } throws: { ($0 as? DepotError)?.code == .failInvalidLayerStack }
    }

    @Test func kindsParseCaseInsensitively() {
        #expect(NodeType(caseInsensitive: "Combined") == .combined)
        #expect(NodeType(caseInsensitive: "satellite") == .satellite)
        #expect(NodeType(caseInsensitive: "Sat") == nil)
        #expect(ProviderKind(caseInsensitive: "lvm_thin") == .lvmThin)
        #expect(EncryptionType(caseInsensitive: "Plain") == .plain)
    }
}
