/// LINSTOR REST API v1 calls by object kind, as api-py (`linstor/linstorapi.py`) sends them.
///
/// Bodies are ``JSONValue`` so a caller controls exactly which fields go out (LINSTOR distinguishes
/// an absent field from an empty one); ``JSONValue/encoding(_:)`` turns a DepotWire DTO into one.
extension RESTRequest {
    // MARK: Controller

    public static let controllerVersion = RESTRequest(.get, "/v1/controller/version")
    public static let controllerProperties = RESTRequest(.get, "/v1/controller/properties")
    /// `controller backupdb NAME`: an online copy of the embedded database in the data directory.
    public static func backupDatabase(_ name: String) -> RESTRequest {
        RESTRequest(.post, "/v1/controller/backup/db", body: JSONValue.makeObject([("backup_name", .string(name))]))
    }

    /// Depot's own: the stored objects the controller left out at start (`depot-controller check`).
    public static let controllerQuarantine = RESTRequest(.get, "/v1/controller/quarantine")

    /// `POST /v1/controller/properties` with `override_props`/`delete_props`.
    public static func modifyControllerProperties(_ body: JSONValue) -> RESTRequest {
        RESTRequest(.post, "/v1/controller/properties", body: body)
    }

    /// `GET /v1/error-reports[/{id}]`; `since` and `to` in milliseconds since 1970.
    public static func errorReports(
        nodes: [String]? = nil,
        ids: [String]? = nil,
        withContent: Bool = false,
        since: Int64? = nil,
        to: Int64? = nil
    ) -> RESTRequest {
        var request = RESTRequest(.get, "/v1/error-reports")
        request.query.append((name: "withContent", value: withContent ? "true" : "false"))
        if let since { request.query.append((name: "since", value: String(since))) }
        if let to { request.query.append((name: "to", value: String(to))) }
        request.addQuery("node", nodes)
        if let ids, ids.count == 1 { request.path += "/" + Self.segment(ids[0]) }
        return request
    }

    /// `PUT /v1/controller/config` (the `log` part: `controller set-log-level`).
    public static func setControllerConfig(_ body: JSONValue) -> RESTRequest {
        RESTRequest(.put, "/v1/controller/config", body: body)
    }

    /// `PUT /v1/nodes/{node}/config` (the `log` part: `node set-log-level`).
    public static func setNodeConfig(_ node: String, _ body: JSONValue) -> RESTRequest {
        RESTRequest(.put, "/v1/nodes/\(Self.segment(node))/config", body: body)
    }

    /// `PATCH /v1/error-reports` with LINSTOR's `ErrorReportDelete` body.
    public static func deleteErrorReports(_ body: JSONValue) -> RESTRequest {
        RESTRequest(.patch, "/v1/error-reports", body: body)
    }

    // MARK: Nodes

    public static func nodes(names: [String]? = nil, props: [String]? = nil) -> RESTRequest {
        var request = RESTRequest(.get, "/v1/nodes")
        request.addQuery("nodes", names)
        request.addQuery("props", props)
        return request
    }

    public static func createNode(_ body: JSONValue) -> RESTRequest {
        RESTRequest(.post, "/v1/nodes", body: body)
    }

    public static func modifyNode(_ node: String, _ body: JSONValue) -> RESTRequest {
        RESTRequest(.put, "/v1/nodes/\(Self.segment(node))", body: body)
    }

    public static func deleteNode(_ node: String) -> RESTRequest {
        RESTRequest(.delete, "/v1/nodes/\(Self.segment(node))")
    }

    public static func lostNode(_ node: String) -> RESTRequest {
        RESTRequest(.delete, "/v1/nodes/\(Self.segment(node))/lost")
    }

    /// `PUT /v1/nodes/{node}/{action}` for reconnect, restore and evacuate.
    public static func nodeAction(_ node: String, _ action: String, body: JSONValue? = nil) -> RESTRequest {
        RESTRequest(.put, "/v1/nodes/\(Self.segment(node))/\(action)", body: body)
    }

    public static func createNetInterface(_ node: String, _ body: JSONValue) -> RESTRequest {
        RESTRequest(.post, "/v1/nodes/\(Self.segment(node))/net-interfaces", body: body)
    }

    public static func modifyNetInterface(_ node: String, _ interface: String, _ body: JSONValue) -> RESTRequest {
        RESTRequest(.put, "/v1/nodes/\(Self.segment(node))/net-interfaces/\(Self.segment(interface))", body: body)
    }

    public static func deleteNetInterface(_ node: String, _ interface: String) -> RESTRequest {
        RESTRequest(.delete, "/v1/nodes/\(Self.segment(node))/net-interfaces/\(Self.segment(interface))")
    }

    // MARK: Storage pools

    public static func storagePools(
        nodes: [String]? = nil,
        pools: [String]? = nil,
        props: [String]? = nil
    ) -> RESTRequest {
        var request = RESTRequest(.get, "/v1/view/storage-pools")
        request.addQuery("nodes", nodes)
        request.addQuery("storage_pools", pools)
        request.addQuery("props", props)
        return request
    }

    /// `GET /v1/storage-pool-definitions`: the cluster-wide pool names with their properties
    /// (`MaxOversubscriptionRatio`, which `rg qmvs` shows).
    public static let storagePoolDefinitions = RESTRequest(.get, "/v1/storage-pool-definitions")

    /// `GET /v1/physical-storage`: every online node's unused disks, grouped by size and kind.
    public static let physicalStorage = RESTRequest(.get, "/v1/physical-storage")

    /// `POST /v1/physical-storage/{node}`: a device pool on unused disks (`create-device-pool`).
    public static func createDevicePool(_ node: String, _ body: JSONValue) -> RESTRequest {
        RESTRequest(.post, "/v1/physical-storage/\(Self.segment(node))", body: body)
    }

    public static func createStoragePool(_ node: String, _ body: JSONValue) -> RESTRequest {
        RESTRequest(.post, "/v1/nodes/\(Self.segment(node))/storage-pools", body: body)
    }

    public static func modifyStoragePool(_ node: String, _ pool: String, _ body: JSONValue) -> RESTRequest {
        RESTRequest(.put, "/v1/nodes/\(Self.segment(node))/storage-pools/\(Self.segment(pool))", body: body)
    }

    public static func deleteStoragePool(_ node: String, _ pool: String) -> RESTRequest {
        RESTRequest(.delete, "/v1/nodes/\(Self.segment(node))/storage-pools/\(Self.segment(pool))")
    }
}

extension JSONValue {
    /// A DTO as JSON, for callers that build bodies from DepotWire types.
    public static func encoding<T: Encodable>(_ value: T) throws(DepotClientError) -> JSONValue {
        do {
            return try JSONValue.parse(try JSONEncoderBox.encode(value))
        } catch let error as DepotClientError {
            throw error
        } catch {
            throw DepotClientError(.invalidReply, "Cannot encode \(T.self): \(error)")
        }
    }
}

/// Node and resource connections.
extension RESTRequest {
    public static func nodeConnections(_ nodeA: String? = nil, _ nodeB: String? = nil) -> RESTRequest {
        var request = RESTRequest(.get, "/v1/node-connections")
        if let nodeA { request.query.append((name: "node_a", value: nodeA)) }
        if let nodeB { request.query.append((name: "node_b", value: nodeB)) }
        return request
    }

    public static func modifyNodeConnection(_ nodeA: String, _ nodeB: String, _ body: JSONValue) -> RESTRequest {
        RESTRequest(.put, "/v1/node-connections/\(Self.segment(nodeA))/\(Self.segment(nodeB))", body: body)
    }

    public static func resourceConnections(_ resource: String) -> RESTRequest {
        RESTRequest(.get, "/v1/resource-definitions/\(Self.segment(resource))/resource-connections")
    }

    public static func resourceConnection(_ resource: String, _ nodeA: String, _ nodeB: String) -> RESTRequest {
        RESTRequest(.get, "/v1/resource-definitions/\(Self.segment(resource))/resource-connections/\(Self.segment(nodeA))/\(Self.segment(nodeB))")
    }

    public static func modifyResourceConnection(_ resource: String, _ nodeA: String, _ nodeB: String, _ body: JSONValue) -> RESTRequest {
        RESTRequest(
            .put, "/v1/resource-definitions/\(Self.segment(resource))/resource-connections/\(Self.segment(nodeA))/\(Self.segment(nodeB))",
            body: body)
    }
}

/// Key-value stores.
extension RESTRequest {
    public static let keyValueStores = RESTRequest(.get, "/v1/key-value-store")

    public static func keyValueStore(_ instance: String) -> RESTRequest {
        RESTRequest(.get, "/v1/key-value-store/\(Self.segment(instance))")
    }

    /// `PUT /v1/key-value-store/{instance}` with `override_props`/`delete_props`.
    public static func modifyKeyValueStore(_ instance: String, _ body: JSONValue) -> RESTRequest {
        RESTRequest(.put, "/v1/key-value-store/\(Self.segment(instance))", body: body)
    }

    /// `encryption create-passphrase`.
    public static func createPassphrase(_ passphrase: String) -> RESTRequest {
        RESTRequest(.post, "/v1/encryption/passphrase", body: .object([("new_passphrase", .string(passphrase))]))
    }

    /// `encryption modify-passphrase`.
    public static func modifyPassphrase(old: String, new: String) -> RESTRequest {
        RESTRequest(.put, "/v1/encryption/passphrase", body: .object([("new_passphrase", .string(new)), ("old_passphrase", .string(old))]))
    }

    /// `encryption enter-passphrase`: the body is the passphrase as a bare JSON string.
    public static func enterPassphrase(_ passphrase: String) -> RESTRequest {
        RESTRequest(.patch, "/v1/encryption/passphrase", body: .string(passphrase))
    }
}
