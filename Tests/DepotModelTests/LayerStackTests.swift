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

    /// Until a satellite encrypts, a LUKS stack is refused everywhere a layer list is parsed: it must
    /// never be stored and then built as plain storage.
    @Test(arguments: [["luks", "storage"], ["drbd", "luks", "storage"], ["LUKS"], ["drbd", "luks"]])
    func refusesLUKSUntilTheLayerExists(_ names: [String]) {
        #expect { try LayerStack.parse(names) } throws: { error in
            guard let error = error as? DepotError else { return false }
            return error.code == .failInvalidLayerKind && error.message.contains("LUKS layer is not available") && error.cause?.contains("unencrypted") == true
        }
    }

    @Test func kindsParseCaseInsensitively() {
        #expect(NodeType(caseInsensitive: "Combined") == .combined)
        #expect(NodeType(caseInsensitive: "satellite") == .satellite)
        #expect(NodeType(caseInsensitive: "Sat") == nil)
        #expect(ProviderKind(caseInsensitive: "lvm_thin") == .lvmThin)
        #expect(EncryptionType(caseInsensitive: "Plain") == .plain)
    }
}
