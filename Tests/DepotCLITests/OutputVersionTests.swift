import DepotClient
import DepotTestSupport
import Testing

@testable import DepotCLI

/// `-m --output-version v0|v1` for every list command.
///
/// The `*-v0.txt` goldens are python-linstor's own output for the same JSON: `json.dumps([Response(json).data_v0],
/// indent=2)` with the response class linstor-client uses for the list (linstor-api-py `linstor/responses.py`),
/// which is what `linstor -m --output-version v0 <list> --from-file` prints. The `article-*.json` inputs are a
/// depot-controller's answers after the article's commands; the others are hand-made to reach every branch.
@MainActor
@Suite struct OutputVersionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let input: String
        let shape: ListShape
        let golden: String
        var testDescription: String { self.golden }
    }

    nonisolated static let cases: [Case] = [
        Case(input: "nodes.json", shape: .nodes, golden: "node-list-v0.txt"),
        Case(input: "article-nodes.json", shape: .nodes, golden: "article-node-list-v0.txt"),
        Case(input: "storage-pools.json", shape: .storagePools, golden: "storage-pool-list-v0.txt"),
        Case(input: "article-storage-pools.json", shape: .storagePools, golden: "article-storage-pool-list-v0.txt"),
        Case(
            input: "article-resource-definitions.json",
            shape: .resourceDefinitions,
            golden: "article-resource-definition-list-v0.txt"
        ),
        Case(
            input: "article-volume-definitions.json",
            shape: .resourceDefinitions,
            golden: "article-volume-definition-list-v0.txt"
        ),
        Case(
            input: "resource-definitions-drbd.json",
            shape: .resourceDefinitions,
            golden: "resource-definition-list-v0.txt"
        ),
        Case(input: "article-resources.json", shape: .resources, golden: "article-resource-list-v0.txt"),
        Case(input: "resources-drbd.json", shape: .resources, golden: "resource-list-v0.txt"),
        Case(input: "snapshots.json", shape: .snapshots, golden: "snapshot-list-v0.txt"),
        Case(input: "resource-groups.json", shape: .unchanged, golden: "resource-group-list-v0.txt"),
        Case(input: "article-volume-groups.json", shape: .unchanged, golden: "volume-group-list-v0.txt"),
    ]

    @Test(arguments: Self.cases) func version0MatchesPythonLinstor(_ example: Case) throws {
        let list = try Fixture.json(example.input)
        #expect(example.shape.machineReadable(list, outputVersion: "v0") == (try Fixture.text(example.golden)))
    }

    @Test(arguments: Self.cases) func version1IsTheRESTListInAList(_ example: Case) throws {
        let list = try Fixture.json(example.input)
        let text = example.shape.machineReadable(list, outputVersion: "v1")
        #expect(text == JSONValue.array([list]).pythonIndentedText() + "\n")
        #expect(try JSONValue.parse(text) == .array([list]))
    }

    @Test func emptyListsInVersion0() {
        let empty = JSONValue.array([])
        #expect(ListShape.nodes.machineReadable(empty, outputVersion: "v0") == "[\n  {\n    \"nodes\": []\n  }\n]\n")
        #expect(ListShape.resources.version0(empty) == .makeObject([("resource_states", empty), ("resources", empty)]))
        // api-py leaves the key out when there are no snapshots.
        #expect(ListShape.snapshots.machineReadable(empty, outputVersion: "v0") == "[\n  {}\n]\n")
        #expect(ListShape.unchanged.machineReadable(empty, outputVersion: "v0") == "[\n  []\n]\n")
    }

    @Test func errorReportsRenameNodeName() throws {
        let reports = try Fixture.json("error-reports.json")
        #expect(
            ControllerCommands.machineReadable(reports, outputVersion: "v0")
                == (try Fixture.text("error-report-list-v0.txt"))
        )
        #expect(ControllerCommands.machineReadable(reports, outputVersion: "v1") == reports.pythonIndentedText() + "\n")
    }

    @Test func repliesInVersion0() throws {
        let replies = try Fixture.json("replies.json").arrayValue.map(OutputVersion0.reply)
        #expect(JSONValue.array(replies).pythonIndentedText() + "\n" == (try Fixture.text("replies-v0.txt")))
    }

    /// Where python-linstor would stop with a `KeyError` (a DRBD layer without `secret` or without
    /// `allocated_size_kib`, a connection status it does not know), depot prints `null` or leaves the key out.
    @Test func fieldsPythonLinstorRequiresDoNotCrash() throws {
        let definitions = ListShape.resourceDefinitions.version0(try Fixture.json("resource-definitions.json"))
        let web = definitions["rsc_dfns"]?.arrayValue.first
        #expect(web?["rsc_dfn_port"] == .integer(7001))
        #expect(web?["rsc_dfn_secret"] == .null)
        let resources = ListShape.resources.version0(try Fixture.json("resources.json"))
        let volume = resources["resources"]?.arrayValue.first?["vlms"]?.arrayValue.first
        #expect(volume?["vlm_minor_nr"] == .integer(1000))
        #expect(volume?["meta_disk"] == .string(""))
        #expect(volume?["allocated"] == nil)
        let node = OutputVersion0.node(
            .makeObject([("name", .string("n")), ("connection_status", .string("SOMETHING_NEW"))])
        )
        #expect(node["connection_status"] == .integer(6))
        #expect(node["props"] == .array([]) && node["net_interfaces"] == .array([]))
    }

    @Test func nodeKeepsMemberOrder() {
        let node = OutputVersion0.node(
            .makeObject([
                ("name", .string("a")), ("props", .stringMap([("k", "v")])), ("type", .string("SATELLITE")),
                ("connection_status", .string("ONLINE")),
            ])
        )
        #expect(node.objectMembers.map(\.key) == ["name", "props", "type", "connection_status", "net_interfaces"])
        #expect(node["connection_status"] == .integer(2))
    }

    // MARK: - Parsing `--output-version`

    func globals(_ words: String, environment: [String: String] = [:]) throws(CLIFailure) -> GlobalOptions {
        let spec = CommandSpec("depot", "", options: GlobalOptions.options) { _ throws(CLIFailure) in 0 }
        let parsed = try ArgumentParser(spec: spec, program: "depot").parse(
            words.split(separator: " ").map(String.init)
        )
        var globals = GlobalOptions(stdoutIsTerminal: false, environment: environment)
        try globals.apply(parsed)
        return globals
    }

    @Test func outputVersionDefaultsToV1AndFollowsTheEnvironment() throws {
        #expect(try self.globals("-m").outputVersion == "v1")
        #expect(try self.globals("-m", environment: ["LS_OUTPUT_VERSION": ""]).outputVersion == "v1")
        #expect(try self.globals("-m", environment: ["LS_OUTPUT_VERSION": "v0"]).outputVersion == "v0")
        #expect(
            try self.globals("-m --output-version v1", environment: ["LS_OUTPUT_VERSION": "v0"]).outputVersion == "v1")
        #expect(try self.globals("--output-version=v0 -m").outputVersion == "v0")
        #expect(try self.globals("--output-v v0").outputVersion == "v0")
    }

    @Test func otherOutputVersionsAreUsageErrors() {
        for words in ["--output-version v2", "-m --output-version V0", "--output-version"] {
            #expect(throws: CLIFailure.self) { try self.globals(words) }
            do {
                _ = try self.globals(words)
            } catch {
                #expect(error.kind == .usage && error.exitCode == 2)
            }
        }
        do {
            _ = try self.globals("--output-version v2")
        } catch {
            #expect(error.message == "argument --output-version: invalid choice: 'v2' (choose from 'v0', 'v1')")
        }
    }

    @Test func aBadEnvironmentValueMattersOnlyWithMachineReadable() throws {
        let environment = ["LS_OUTPUT_VERSION": "v9"]
        #expect(try self.globals("--no-color", environment: environment).outputVersion == "v9")
        #expect(try self.globals("-m --output-version v0", environment: environment).outputVersion == "v0")
        do {
            _ = try self.globals("-m", environment: environment)
            Issue.record("LS_OUTPUT_VERSION=v9 with -m was accepted")
        } catch {
            #expect(error.kind == .usage && error.exitCode == 2)
            #expect(error.message == "LS_OUTPUT_VERSION: invalid choice: 'v9' (choose from 'v0', 'v1')")
        }
    }
}
