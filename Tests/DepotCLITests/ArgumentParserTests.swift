import Testing

@testable import DepotCLI

@MainActor
@Suite struct ArgumentParserTests {
    func parse(_ path: [String], _ words: String) throws -> ParsedArguments {
        var spec = CommandTree.make()
        for word in path {
            guard let next = spec.subcommand(word) else { throw CLIFailure.usage("no command \(word)") }
            spec = next
        }
        return try ArgumentParser(spec: spec, program: "depot").parse(words.split(separator: " ").map(String.init))
    }

    @Test func articleStoragePoolBeforeNodesGivesWordsBack() throws {
        let parsed = try self.parse(["resource", "create"], "--storage-pool thinpool vulcan kronos LocalData")
        #expect(parsed.strings("storage_pool") == ["thinpool"])
        #expect(parsed.strings("node_name") == ["vulcan", "kronos"])
        #expect(parsed.string("resource_definition_name") == "LocalData")
    }

    @Test func greedyOptionKeepsItsWordsWhenPositionalsArePresent() throws {
        let parsed = try self.parse(["resource", "create"], "n1 res -s pool1 pool2")
        #expect(parsed.strings("storage_pool") == ["pool1", "pool2"])
        #expect(parsed.strings("node_name") == ["n1"])
        #expect(parsed.string("resource_definition_name") == "res")
    }

    @Test func autoPlaceWithPools() throws {
        let parsed = try self.parse(["resource", "create"], "--storage-pool thinpool --auto-place 3 SharedData")
        #expect(parsed.string("auto_place") == "3")
        #expect(parsed.strings("node_name") == [])
        let swallowed = try self.parse(["resource-group", "create"], "--place-count 2 -s a b grp")
        #expect(swallowed.strings("storage_pool") == ["a", "b"])
        #expect(swallowed.string("name") == "grp")
    }

    @Test func optionalValueGivesItsWordBack() throws {
        let parsed = try self.parse(["resource-group", "create"], "--diskless-on-remaining grp")
        #expect(parsed.values["diskless_on_remaining"] == .bare)
        #expect(parsed.string("name") == "grp")
        #expect(PlacementOptions.disklessOnRemaining(parsed) == true)
        let unset = try self.parse(["resource-group", "create"], "--diskless-on-remaining False grp")
        #expect(PlacementOptions.disklessOnRemaining(unset) == false)
    }

    @Test func abbreviationsEqualsAndBundles() throws {
        let parsed = try self.parse(["node", "create"], "--node-t Combined --interface-name=eth1 -p3367 n1 127.0.0.1")
        #expect(parsed.string("node_type") == "combined")
        #expect(parsed.string("interface_name") == "eth1")
        #expect(parsed.string("port") == "3367")
        #expect(parsed.string("ip") == "127.0.0.1")
        let flags = try self.parse(["node", "list"], "-p -n a b")
        #expect(flags.flag("pastable"))
        #expect(flags.strings("nodes") == ["a", "b"])
    }

    @Test func errorsAreUsageErrors() {
        let cases: [([String], String, String)] = [
            (["node", "create"], "", "too few arguments"),
            (["node", "create"], "--node-type blah n", "argument --node-type: invalid choice: 'blah'"),
            (["resource", "create"], "n r --d", "ambiguous option: --d could match"),
            (["node", "delete"], "a b", "unrecognized arguments: b"),
            (["node", "create"], "--port", "argument -p/--port: expected one argument"),
            (["node", "list"], "--bogus", "unrecognized arguments: --bogus"),
        ]
        for (path, words, message) in cases {
            #expect {
                try self.parse(path, words)
            } throws: { error in
                guard let failure = error as? CLIFailure else { return false }
                return failure.exitCode == 2 && failure.message.hasPrefix(message)
            }
        }
    }

    @Test func helpIsRecognised() {
        #expect {
            try self.parse(["node", "create"], "--help")
        } throws: { error in
            (error as? CLIFailure)?.kind == .help
        }
    }

    @Test func articleSpellingsWithSpaces() {
        let root = CommandTree.make()
        #expect(
            CommandTree.normalizeSpelling(["volume", "definition", "create", "R", "1G"], root: root)
                == ["volume-definition", "create", "R", "1G"]
        )
        #expect(
            CommandTree.normalizeSpelling(["resource", "definition", "delete", "R"], root: root)
                == ["resource-definition", "delete", "R"]
        )
        #expect(CommandTree.normalizeSpelling(["storage", "pool", "list"], root: root) == ["storage-pool", "list"])
        #expect(CommandTree.normalizeSpelling(["resource", "list"], root: root) == ["resource", "list"])
        #expect(
            CommandTree.normalizeSpelling(["snapshot", "resource", "restore"], root: root) == [
                "snapshot", "resource", "restore",
            ]
        )
    }
}
