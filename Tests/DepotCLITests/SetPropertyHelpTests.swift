import DepotModel
import Testing

@testable import DepotCLI

/// `set-property --help` lists the keys of the object from the controller's own catalogue, one a
/// line, as LINSTOR's client does.
@MainActor
@Suite struct SetPropertyHelpTests {
    func help(_ path: [String]) throws -> String {
        var spec = CommandTree.make()
        for word in path {
            spec = try #require(spec.subcommand(word), "no command \(word)")
        }
        // Words only: the formatter wraps lines at 80 columns.
        return HelpFormatter(program: "depot").help(spec).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    @Test func resourceDefinitionHelpListsItsKeysWithTheirChoices() throws {
        let text = try self.help(["resource-definition", "set-property"])
        #expect(text.contains("'DrbdOptions/ExactSize': Create the DRBD device"))
        #expect(text.contains("'FileSystem/Type': File system to create on new volumes; Allowed: ['ext4', 'xfs']"))
        #expect(!text.contains("'CopyAllSnapsOnEvacuate'"), "a node key")
        #expect(!text.contains("DrbdOptions/Net/protocol"), "DRBD options have their own drbd-options command")
    }

    @Test func everyObjectListsExactlyItsUserKeys() throws {
        let commands: [([String], PropertyOwner)] = [
            (["controller", "set-property"], .controller), (["node", "set-property"], .node),
            (["storage-pool", "set-property"], .storagePool), (["resource-group", "set-property"], .resourceGroup),
            (["volume-group", "set-property"], .volumeGroup), (["volume-definition", "set-property"], .volumeDefinition),
            (["resource", "set-property"], .resource), (["volume", "set-property"], .volume),
        ]
        for (path, owner) in commands {
            let text = try self.help(path)
            for definition in PropertyCatalog.definitions(for: owner) {
                #expect(text.contains("'\(definition.key)'") != definition.isInternal, "\(path) \(definition.key)")
            }
        }
    }
}
