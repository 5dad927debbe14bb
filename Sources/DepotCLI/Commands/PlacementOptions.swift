import DepotClient

/// The auto-place option set shared by `r c`, `rd ap` and `rg c/m/spawn/qsi`
/// (`add_auto_select_argparse_arguments` in linstor-client's `commands.py`).
enum PlacementOptions {
    static let layers = ["drbd", "luks", "storage", "nvme", "writecache", "cache", "bcache"]
    static let providers = [
        "LVM", "LVM_THIN", "ZFS", "ZFS_THIN", "DISKLESS", "FILE", "FILE_THIN", "SPDK", "REMOTE_SPDK", "STORAGE_SPACES",
        "STORAGE_SPACES_THIN", "EBS_TARGET", "EBS_INIT",
    ]

    /// - Parameters:
    ///   - countName: `--auto-place` (resources) or `--place-count` (definitions and groups).
    ///   - providersShort: `-p`, or `--prov` where `-p` means something else.
    ///   - storagePoolKeeps: for `r c`, which uses one pool: words past it go back to the positionals
    ///     when those would otherwise be missing.
    static func options(countName: String, providersShort: String = "-p", storagePoolKeeps: Int? = nil) -> [OptionSpec] {
        [
            OptionSpec(
                ["--storage-pool", "-s"],
                .zeroOrMore,
                metavar: "STORAGE_POOL",
                help: "Storage pool name to use, set empty string to remove.",
                keepsWhenPositionalsMissing: storagePoolKeeps
            ),
            OptionSpec(
                ["--diskless-storage-pool"],
                .zeroOrMore,
                metavar: "DISKLESS_STORAGE_POOL",
                help: "Diskless storage pool name to use, set empty string to remove."
            ),
            OptionSpec(
                [countName],
                .single,
                metavar: "REPLICA_COUNT",
                help: countName == "--auto-place"
                    ? "Auto place a resource to a specified number of nodes (N, +N for additional replicas, or max)"
                    : "Auto place a resource to a specified number of nodes, set 0 to remove"
            ),
            OptionSpec(
                ["--do-not-place-with"],
                .zeroOrMore,
                metavar: "RESOURCE_NAME",
                help: "Try to avoid nodes that already have a given resource deployed."
            ),
            OptionSpec(
                ["--do-not-place-with-regex"],
                .optionalSingle,
                metavar: "RESOURCE_REGEX",
                help:
                    "Try to avoid nodes that already have a resource deployed whose name is matching the given regular expression."
            ),
            OptionSpec(
                ["--replicas-on-same"],
                .zeroOrMore,
                metavar: "AUX_PROPERTY",
                help: "Tries to place resources on nodes with the same given auxiliary node property values."
            ),
            OptionSpec(
                ["--replicas-on-different"],
                .zeroOrMore,
                metavar: "AUX_PROPERTY",
                help: "Tries to place resources on nodes with a different value for the given auxiliary node property."
            ),
            OptionSpec(
                ["--x-replicas-on-different"],
                .zeroOrMore,
                metavar: "AUX_PROPERTY",
                help:
                    "Accepts a list of pairs as argument. Example: \"--x-replicas-on-different datacenter 2\" will allow 2 replicas on nodes that have the same value for the property \"Aux/datacenter\""
            ),
            OptionSpec(
                ["--diskless-on-remaining"],
                .optionalSingle,
                metavar: "DISKLESS_ON_REMAINING",
                help:
                    "Will add a diskless resource on all non replica nodes. Setting can be unset if \"false\" is given as argument"
            ),
            OptionSpec(
                ["-l", "--layer-list"],
                .single,
                metavar: "LAYER_LIST",
                help:
                    "Comma separated layer list, order is from left to right top-down This means the top most layer is on the left. Possible layers are: "
                    + Self.layers.joined(separator: ",")
            ),
            OptionSpec(
                ["--providers", providersShort],
                .single,
                metavar: "PROVIDERS",
                help:
                    "Comma separated providers list. Only storage pools with the given provider kind are considered as auto-place target. Possible providers are: "
                    + Self.providers.joined(separator: ",")
            ),
        ]
    }

    /// Depot's `--dry-run` on `r c --auto-place`, `rd ap` and `rg spawn`: the controller reports the
    /// placement it would make (INFO replies) and changes nothing. LINSTOR has no such flag, and a
    /// LINSTOR controller refuses the unknown body member: the flag is for Depot controllers.
    static let dryRun = OptionSpec(
        ["--dry-run"],
        help: "Only show where the resources would be placed (and why other nodes were not chosen); create nothing."
    )

    /// `("dry_run", true)` for a body's top level when `--dry-run` was given; nothing otherwise, so that
    /// bodies stay exactly LINSTOR's.
    static func dryRunMember(_ arguments: ParsedArguments) -> [(String, JSONValue)] {
        arguments.flag("dry_run") ? [("dry_run", .bool(true))] : []
    }

    /// `-l drbd,storage` checked against LINSTOR's layer names (case-insensitively) and sent as typed.
    static func layerList(_ arguments: ParsedArguments) throws(CLIFailure) -> [String]? {
        guard let text = arguments.string("layer_list") else { return nil }
        if text.isEmpty { return [] }
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        for name in names where !Self.layers.contains(name.lowercased()) {
            throw CLIFailure.usage("Layer name \"\(name)\" not valid")
        }
        return names
    }

    static func providerList(_ arguments: ParsedArguments) throws(CLIFailure) -> [String]? {
        guard let text = arguments.string("providers") else { return nil }
        if text.isEmpty { return [] }
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        for name in names where !Self.providers.contains(name.uppercased()) {
            throw CLIFailure.usage("Provider \"\(name)\" not valid")
        }
        return names
    }

    /// Absent: `nil`; bare: `true`; `false` (any case): `false`.
    static func disklessOnRemaining(_ arguments: ParsedArguments) -> Bool? {
        switch arguments.values["diskless_on_remaining"] {
        case nil: nil
        case .single(let value): value.lowercased() != "false"
        default: true
        }
    }

    /// `N` → place_count; `+N` → additional_place_count; `max`/`all` → place_count -1.
    static func placeCount(_ text: String?, option: String) throws(CLIFailure) -> (count: Int?, additional: Int?) {
        guard let text, !text.isEmpty else { return (nil, nil) }
        if text == "max" || text == "all" { return (-1, 0) }
        if text.hasPrefix("+") {
            guard let value = Int(text.dropFirst()) else {
                throw CLIFailure.usage("argument \(option): invalid value: '\(text)'")
            }
            return (nil, value)
        }
        guard let value = Int(text) else { throw CLIFailure.usage("argument \(option): invalid value: '\(text)'") }
        return (value, nil)
    }

    /// The `select_filter` members, in api-py's order, with only the given fields.
    static func selectFilter(
        _ arguments: ParsedArguments,
        countDest: String,
        countOption: String,
        disklessType: String? = nil
    ) throws(CLIFailure) -> [(String, JSONValue)] {
        var filter: [(String, JSONValue)] = []
        let (count, additional) = try Self.placeCount(arguments.string(countDest), option: countOption)
        if let count { filter.append(("place_count", .integer(Int64(count)))) }
        if let additional, additional != 0 { filter.append(("additional_place_count", .integer(Int64(additional)))) }
        if let disklessType { filter.append(("diskless_type", .string(disklessType))) }
        if let remaining = Self.disklessOnRemaining(arguments) {
            filter.append(("diskless_on_remaining", .bool(remaining)))
        }
        if let pools = arguments.strings("storage_pool") {
            filter.append(("storage_pool_list", .strings(pools.first?.isEmpty == false ? pools : [])))
        }
        if let pools = arguments.strings("diskless_storage_pool") {
            filter.append(("storage_pool_diskless_list", .strings(pools)))
        }
        if let avoid = arguments.strings("do_not_place_with") { filter.append(("not_place_with_rsc", .strings(avoid))) }
        if case .single(let regex) = arguments.values["do_not_place_with_regex"] {
            filter.append(("not_place_with_rsc_regex", .string(regex)))
        }
        if let same = arguments.strings("replicas_on_same") {
            filter.append(("replicas_on_same", .strings(Self.auxKeys(same))))
        }
        if let different = arguments.strings("replicas_on_different") {
            filter.append(("replicas_on_different", .strings(Self.auxKeys(different))))
        }
        if let pairs = arguments.strings("x_replicas_on_different") {
            var map: [(String, JSONValue)] = []
            if !pairs.isEmpty, pairs.count % 2 == 0 {
                for index in stride(from: 0, to: pairs.count, by: 2) {
                    guard let value = Int(pairs[index + 1]) else {
                        throw CLIFailure.usage(
                            "argument --x-replicas-on-different: invalid int value: '\(pairs[index + 1])'"
                        )
                    }
                    map.append(("Aux/" + pairs[index], .integer(Int64(value))))
                }
            }
            filter.append(("x_replicas_on_different_map", .makeObject(map)))
        }
        if let layers = try Self.layerList(arguments) { filter.append(("layer_stack", .strings(layers))) }
        if let providers = try Self.providerList(arguments) { filter.append(("provider_list", .strings(providers))) }
        return filter
    }

    /// `Aux/` prepended to each property name; an empty first value clears the list.
    private static func auxKeys(_ names: [String]) -> [String] {
        names.first?.isEmpty == false ? names.map { "Aux/" + $0 } : []
    }
}
