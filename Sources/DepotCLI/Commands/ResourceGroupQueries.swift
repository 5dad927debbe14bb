import DepotClient

/// `rg query-size-info` (`qsi`) and `rg query-max-volume-size` (`qmvs`): how much room a resource
/// group's placement rules leave, asked before spawning (linstor-client `rsc_grp_cmds.py`).
@MainActor
enum ResourceGroupQueries {
    static func querySizeInfo() -> CommandSpec {
        CommandSpec(
            "query-size-info",
            aliases: ["qsi"],
            "Shows how large a volume the resource group can spawn and where the next spawn would be placed.",
            options: [CommonOptions.pastable]
                + PlacementOptions.options(countName: "--place-count", providersShort: "--prov"),
            positionals: [
                PositionalSpec("resource_group_name", help: "Resource group whose placement settings are used")
            ],
            action: Self.sizeInfo
        )
    }

    static func queryMaxVolumeSize() -> CommandSpec {
        CommandSpec(
            "query-max-volume-size",
            aliases: ["qmvs"],
            "[DEPRECATED] Prefer `depot resource-group query-size-info`. Shows the largest volume each storage pool could hold for the resource group.",
            options: [CommonOptions.pastable],
            positionals: [
                PositionalSpec("resource_group_name", help: "Resource group whose placement settings are used")
            ],
            action: Self.maxVolumeSize
        )
    }

    /// The command's selector options override the group's own for this one query, as in a spawn;
    /// the body carries only `select_filter`, as api-py sends it.
    static func sizeInfo(_ invocation: CommandInvocation) async throws(CLIFailure) -> Int32 {
        let arguments = invocation.arguments
        let filter = try PlacementOptions.selectFilter(
            arguments,
            countDest: "place_count",
            countOption: "--place-count"
        )
        let request = RESTRequest.querySizeInfo(
            arguments.required("resource_group_name"),
            .makeObject([("select_filter", .makeObject(filter))])
        )
        switch try await invocation.query(request) {
        case .replied(let exitCode):
            return exitCode
        case .value(let answer):
            // Reports (e.g. a pool that cannot be used) replace the table, as in linstor-client.
            let reports = answer["reports"]?.arrayValue ?? []
            if !reports.isEmpty { return invocation.print(reports.map(ApiCallReply.init(raw:))) }
            if invocation.globals.machineReadable {
                // linstor prints the answer object itself here, not wrapped in a list.
                invocation.console.out(answer.pythonIndentedText() + "\n")
                return ExitCode.ok
            }
            invocation.console.out(
                QueryTables.sizeInfo(answer["space_info"] ?? .object([]), table: invocation.makeTable())
            )
            return ExitCode.ok
        }
    }

    static func maxVolumeSize(_ invocation: CommandInvocation) async throws(CLIFailure) -> Int32 {
        let request = RESTRequest.queryMaxVolumeSize(invocation.arguments.required("resource_group_name"))
        switch try await invocation.query(request) {
        case .replied(let exitCode):
            return exitCode
        case .value(let answer):
            if invocation.globals.machineReadable {
                // As a list response (`output_list`): the object in a one-element array.
                invocation.console.out(JSONValue.array([answer]).pythonIndentedText() + "\n")
                return ExitCode.ok
            }
            // The ratio shown is the pool definition's own MaxOversubscriptionRatio when it has one.
            let definitions = try await invocation.fetch(.storagePoolDefinitions)
            invocation.console.out(
                QueryTables.maxVolumeSizes(answer, poolDefinitions: definitions, table: invocation.makeTable())
            )
            return ExitCode.ok
        }
    }
}
