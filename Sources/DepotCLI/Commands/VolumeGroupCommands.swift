import DepotClient
import DepotModel

/// `depot volume-group …` (`vg`) (linstor-client `vlm_grp_cmds.py`).
@MainActor
enum VolumeGroupCommands {
    static func make() -> CommandSpec {
        let groupAndNumber = [
            PositionalSpec("name", help: "Name of the resource group"),
            PositionalSpec("volume_nr", help: "Volume number"),
        ]
        return CommandSpec(
            group: "volume-group",
            aliases: ["vg"],
            "Volume group subcommands",
            [
                CommandSpec(
                    "create",
                    aliases: ["c"],
                    "Create a volume group for a resource group.",
                    options: [
                        OptionSpec(["-n", "--vlmnr"], .single, help: "Volume number"),
                        OptionSpec(["--gross"], help: "Sizes of spawned volumes are gross sizes"),
                    ],
                    positionals: [PositionalSpec("name", help: "Name of the resource group")],
                    action: { invocation throws(CLIFailure) in
                        var body: [(String, JSONValue)] = []
                        if let number = try invocation.arguments.integer("vlmnr", option: "-n/--vlmnr") {
                            body.append(("volume_number", .integer(Int64(number))))
                        }
                        if invocation.arguments.flag("gross") { body.append(("flags", .strings(["GROSS_SIZE"]))) }
                        return try await invocation.reply(
                            .createVolumeGroup(invocation.arguments.required("name"), .makeObject(body))
                        )
                    }
                ),
                CommandSpec(
                    "list",
                    aliases: ["l"],
                    "Prints a list of all volume groups of a resource group.",
                    options: [
                        CommonOptions.pastable, CommonOptions.groupBy(GroupTables.volumeGroupHeaders),
                        CommonOptions.showProps,
                    ],
                    positionals: [PositionalSpec("name", help: "Resource group name")],
                    action: { invocation throws(CLIFailure) in
                        var invocation = invocation
                        invocation.mergeConfig(section: "volume-group.list")
                        let table = invocation.makeTable()
                        return try await invocation.list(.volumeGroups(invocation.arguments.required("name")), shape: .unchanged) {
                            groups in
                            GroupTables.volumeGroups(
                                groups,
                                table: table,
                                groupBy: invocation.groupBy(default: "VolumeNr"),
                                showProps: invocation.showPropColumns()
                            )
                        }
                    }
                ),
                CommandSpec(
                    "delete",
                    aliases: ["d"],
                    "Removes a volume group from a resource group.",
                    positionals: groupAndNumber,
                    action: { invocation throws(CLIFailure) in
                        let number = try VolumeDefinitionCommands.volumeNumber(invocation.arguments, "volume_nr")
                        return try await invocation.reply(
                            .deleteVolumeGroup(invocation.arguments.required("name"), number)
                        )
                    }
                ),
                CommandSpec(
                    "set-property",
                    aliases: ["sp"],
                    "Sets properties for the given volume group.",
                    options: [CommonOptions.aux],
                    positionals: groupAndNumber + CommonOptions.keyValue(.volumeGroup),
                    action: { invocation throws(CLIFailure) in
                        let number = try VolumeDefinitionCommands.volumeNumber(invocation.arguments, "volume_nr")
                        return try await invocation.reply(
                            .modifyVolumeGroup(
                                invocation.arguments.required("name"),
                                number,
                                invocation.propertyChangeBody()
                            )
                        )
                    }
                ),
                CommandSpec(
                    "list-properties",
                    aliases: ["lp"],
                    "Prints all properties of the given volume group.",
                    options: [CommonOptions.pastable],
                    positionals: groupAndNumber,
                    action: { invocation throws(CLIFailure) in
                        let number = try VolumeDefinitionCommands.volumeNumber(invocation.arguments, "volume_nr")
                        let groups = try await invocation.fetch(.volumeGroups(invocation.arguments.required("name")))
                        return invocation.printProperties(
                            groups.arrayValue.first { $0["volume_number"]?.int64Value == Int64(number) }?.props
                        )
                    }
                ),
            ]
        )
    }
}
