import DepotClient

/// The `-m --output-version v0` shapes of LINSTOR's lists: python-linstor's `data_v0` of each list
/// response (linstor-api-py `linstor/responses.py`), which linstor-client prints as
/// `json.dumps([response.data_v0], indent=2)`.
///
/// v1 prints the controller's JSON unchanged, so `depot -m n l` is `[[{node}, …]]`. v0 is the
/// protobuf-era layout: one object per response (`[{"nodes": […]}]`), property maps as
/// `[{"key", "value"}]` lists, and older field names (`rsc_name`, `stor_pool_name`, `vlm_nr`, …).
/// Key order and the conditions under which a key appears are api-py's; where api-py would fail on
/// a missing field (a `KeyError`), depot prints `null` or leaves the key out instead.
enum ListShape {
    /// `node list`, `node interface list`, `node info`: `{"nodes": [Node.data_v0…]}`.
    case nodes
    /// `storage-pool list`: `{"stor_pools": [StoragePool.data_v0…]}`.
    case storagePools
    /// `resource-definition list` and `volume-definition list`: `{"rsc_dfns": […]}`.
    case resourceDefinitions
    /// `resource list`, `resource list-volumes`, `volume list`: `{"resource_states": […], "resources": […]}`.
    case resources
    /// `snapshot list`: `{"snapshot_dfns": […]}`, or `{}` when there are none.
    case snapshots
    /// Lists whose api-py response class has no `data_v0` of its own (resource groups, volume
    /// groups): v0 is the controller's JSON, as in v1.
    case unchanged

    /// What `-m` prints for a list: `[list]` in v1, `[v0 object]` in v0, as Python's
    /// `json.dumps(…, indent=2)` plus a newline.
    func machineReadable(_ list: JSONValue, outputVersion: String) -> String {
        let element = outputVersion == "v0" ? self.version0(list) : list
        return JSONValue.array([element]).pythonIndentedText() + "\n"
    }

    /// The v0 object for one list as the controller returned it.
    func version0(_ list: JSONValue) -> JSONValue {
        let elements = list.arrayValue
        switch self {
        case .nodes:
            return .makeObject([("nodes", .array(elements.map(OutputVersion0.node)))])
        case .storagePools:
            return .makeObject([("stor_pools", .array(elements.map(OutputVersion0.storagePool)))])
        case .resourceDefinitions:
            return .makeObject([("rsc_dfns", .array(elements.map(OutputVersion0.resourceDefinition)))])
        case .resources:
            return .makeObject([
                ("resource_states", .array(elements.map(OutputVersion0.resourceState))),
                ("resources", .array(elements.map(OutputVersion0.resource))),
            ])
        case .snapshots:
            return elements.isEmpty
                ? .object([])
                : .makeObject([("snapshot_dfns", .array(elements.map(OutputVersion0.snapshotDefinition)))])
        case .unchanged:
            return list
        }
    }
}

/// api-py's `data_v0` of the single objects (`Node`, `StoragePool`, `Volume`, …).
enum OutputVersion0 {
    /// linstor-common `ConnectionStatus`: the v0 `connection_status` is the enum's number.
    static let connectionStatus: [String: Int64] = [
        "OFFLINE": 0, "CONNECTED": 1, "ONLINE": 2, "VERSION_MISMATCH": 3, "FULL_SYNC_FAILED": 4,
        "AUTHENTICATION_ERROR": 5, "UNKNOWN": 6, "HOSTNAME_MISMATCH": 7, "OTHER_CONTROLLER": 8, "AUTHENTICATED": 9,
        "NO_STLT_CONN": 10, "MISSING_EXT_TOOLS": 11, "DUPLICATE_UNAME": 12,
    ]

    /// api-py `StoragePool.DRIVER_KIND_MAP`; other provider kinds give `""`.
    static let driverNames: [String: String] = [
        "DISKLESS": "DisklessDriver", "LVM": "LvmDriver", "LVM_THIN": "LvmThinDriver", "ZFS": "ZfsDriver",
        "ZFS_THIN": "ZfsThinDriver", "SPDK": "SpdkDriver",
    ]

    /// The node's REST object with `props` as a key/value list, `connection_status` as a number and
    /// the interfaces in their v0 form; every other member is kept where it was.
    static func node(_ node: JSONValue) -> JSONValue {
        var members = node.objectMembers
        Self.assign(&members, "props", Self.keyValueList(node["props"]))
        // An absent status is UNKNOWN in api-py; a name it does not know (where api-py would fail) too.
        let status = node["connection_status"]?.stringValue ?? "UNKNOWN"
        Self.assign(&members, "connection_status", .integer(Self.connectionStatus[status] ?? 6))
        Self.assign(
            &members,
            "net_interfaces",
            .array((node["net_interfaces"]?.arrayValue ?? []).map(Self.netInterface))
        )
        return .object(members)
    }

    static func netInterface(_ interface: JSONValue) -> JSONValue {
        .makeObject([
            ("address", interface.member("address")), ("name", interface.member("name")),
            ("stlt_port", interface.member("satellite_port")),
            ("stlt_encryption_type", interface.member("satellite_encryption_type")),
        ])
    }

    static func storagePool(_ pool: JSONValue) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("stor_pool_uuid", pool.member("uuid")), ("stor_pool_name", pool.member("storage_pool_name")),
            ("node_name", pool.member("node_name")), ("free_space_mgr_name", pool.member("free_space_mgr_name")),
        ]
        if pool["free_capacity"] != nil {
            members.append(
                (
                    "free_space",
                    .makeObject([
                        ("stor_pool_name", pool.member("storage_pool_name")),
                        ("free_capacity", pool.member("free_capacity")),
                        ("total_capacity", pool.member("total_capacity")),
                    ])
                )
            )
        }
        members.append(("driver", .string(Self.driverNames[pool.text("provider_kind")] ?? "")))
        members.append(("static_traits", Self.keyValueList(pool["static_traits"])))
        if pool["props"]?.isTruthy == true { members.append(("props", Self.keyValueList(pool["props"]))) }
        return .makeObject(members)
    }

    static func resourceDefinition(_ definition: JSONValue) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("rsc_name", definition.member("name")), ("rsc_dfn_uuid", definition.member("uuid")),
            ("vlm_dfns", .array((definition["volume_definitions"]?.arrayValue ?? []).map(Self.volumeDefinition))),
        ]
        if definition["flags"]?.isTruthy == true { members.append(("rsc_dfn_flags", definition.member("flags"))) }
        if definition["props"]?.isTruthy == true {
            members.append(("rsc_dfn_props", Self.keyValueList(definition["props"])))
        }
        if let drbd = Self.drbdLayerData(definition["layer_data"]) {
            members.append(("rsc_dfn_port", drbd.member("port")))
            members.append(("rsc_dfn_secret", drbd.member("secret")))
        }
        return .makeObject(members)
    }

    static func volumeDefinition(_ definition: JSONValue) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("vlm_nr", definition.member("volume_number")), ("vlm_size", definition.member("size_kib")),
            ("vlm_dfn_uuid", definition.member("uuid")),
        ]
        if definition["flags"]?.isTruthy == true { members.append(("vlm_flags", definition.member("flags"))) }
        if definition["props"]?.isTruthy == true {
            members.append(("vlm_props", Self.keyValueList(definition["props"])))
        }
        if let drbd = Self.drbdLayerData(definition["layer_data"]) {
            members.append(("vlm_minor", drbd.member("minor_number")))
        }
        return .makeObject(members)
    }

    /// api-py `ResourceResponse.resource_states`: name, node, `in_use` when known, disk states.
    static func resourceState(_ resource: JSONValue) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("rsc_name", resource.member("name")), ("node_name", resource.member("node_name")),
        ]
        if let inUse = resource["state"]?["in_use"], !inUse.isNull { members.append(("in_use", inUse)) }
        let volumes = resource["volumes"]?.arrayValue ?? []
        if !volumes.isEmpty {
            let states = volumes.map { volume in
                JSONValue.makeObject([
                    ("vlm_nr", volume.member("volume_number")),
                    ("disk_state", volume["state"]?["disk_state"] ?? .null),
                ])
            }
            members.append(("vlm_states", .array(states)))
        }
        return .makeObject(members)
    }

    static func resource(_ resource: JSONValue) -> JSONValue {
        .makeObject([
            ("name", resource.member("name")), ("uuid", resource.member("uuid")),
            ("node_name", resource.member("node_name")), ("rsc_flags", resource["flags"] ?? .array([])),
            ("props", Self.keyValueList(resource["props"])),
            ("vlms", .array((resource["volumes"]?.arrayValue ?? []).map(Self.volume))),
        ])
    }

    static func volume(_ volume: JSONValue) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("stor_pool_name", volume.member("storage_pool_name")), ("vlm_nr", volume.member("volume_number")),
            ("vlm_uuid", volume.member("uuid")), ("device_path", volume.member("device_path")),
        ]
        if let drbd = Self.drbdLayerData(volume["layer_data_list"]) {
            members.append(("vlm_minor_nr", drbd["drbd_volume_definition"]?["minor_number"] ?? .null))
            if let backing = drbd["backing_device"], backing.isTruthy { members.append(("backing_disk", backing)) }
            members.append(("meta_disk", drbd["meta_disk"] ?? .string("")))
            // api-py tests the DRBD layer's allocated size but prints the volume's.
            if drbd["allocated_size_kib"]?.isTruthy == true {
                members.append(("allocated", volume.member("allocated_size_kib")))
            }
        }
        return .makeObject(members)
    }

    static func snapshotDefinition(_ definition: JSONValue) -> JSONValue {
        .makeObject([
            ("rsc_name", definition.member("resource_name")), ("snapshot_name", definition.member("name")),
            ("uuid", definition.member("uuid")), ("snapshot_dfn_flags", definition["flags"] ?? .array([])),
            (
                "snapshots",
                .array((definition["nodes"]?.arrayValue ?? []).map { .makeObject([("node_name", $0)]) })
            ),
            (
                "snapshot_vlm_dfns",
                .array(
                    (definition["volume_definitions"]?.arrayValue ?? []).map {
                        .makeObject([("vlm_nr", $0.member("volume_number")), ("vlm_size", $0.member("size_kib"))])
                    }
                )
            ),
        ])
    }

    /// api-py `ApiCallResponse.data_v0`: `ret_code`, `message`, the non-empty `cause`, `correction`
    /// and `details`, `obj_refs` as `object_refs: [{key, value}]`, and `error_report_ids`.
    static func reply(_ reply: JSONValue) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("ret_code", reply.member("ret_code")), ("message", reply.member("message")),
        ]
        for key in ["cause", "correction", "details"] {
            if let text = reply[key], text.isTruthy { members.append((key, text)) }
        }
        if let references = reply["obj_refs"], references.isTruthy {
            members.append(("object_refs", Self.keyValueList(references)))
        }
        if let ids = reply["error_report_ids"], ids.isTruthy { members.append(("error_report_ids", ids)) }
        return .makeObject(members)
    }

    /// api-py `ErrorReport.data_v0`: `node_name` renamed to `node_names` (moved to the end).
    static func errorReport(_ report: JSONValue) -> JSONValue {
        guard let nodeName = report["node_name"] else { return report }
        var members = report.objectMembers.filter { $0.key != "node_name" }
        Self.assign(&members, "node_names", nodeName)
        return .object(members)
    }

    /// A property map as `[{"key": k, "value": v}, …]`, in the map's order.
    static func keyValueList(_ map: JSONValue?) -> JSONValue {
        .array(
            (map?.objectMembers ?? []).map { JSONValue.makeObject([("key", .string($0.key)), ("value", $0.value)]) })
    }

    /// The `data` of the first DRBD entry of a layer list whose data is not empty.
    static func drbdLayerData(_ layers: JSONValue?) -> JSONValue? {
        for layer in layers?.arrayValue ?? [] where layer["type"]?.stringValue == "DRBD" {
            if let data = layer["data"], data.isTruthy { return data }
        }
        return nil
    }

    /// Python's `d[key] = value`: replaces the member in place, or appends it.
    static func assign(_ members: inout [(key: String, value: JSONValue)], _ key: String, _ value: JSONValue) {
        if let index = members.firstIndex(where: { $0.key == key }) {
            members[index].value = value
        } else {
            members.append((key: key, value: value))
        }
    }
}

extension JSONValue {
    /// A member, or `null` when absent (api-py's `.get(key)`).
    func member(_ key: String) -> JSONValue { self[key] ?? .null }

    /// Python's truth value of the decoded JSON: `null`, `false`, `0`, `""`, `[]` and `{}` are false.
    var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let value): value
        case .integer(let value): value != 0
        case .double(let value): value != 0
        case .string(let text): !text.isEmpty
        case .array(let elements): !elements.isEmpty
        case .object(let members): !members.isEmpty
        }
    }
}
