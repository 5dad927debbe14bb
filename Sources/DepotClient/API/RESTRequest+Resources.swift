/// Resource definitions, volume definitions, resources, resource groups and snapshots.
extension RESTRequest {
    public static func resourceDefinitions(
        names: [String]? = nil,
        props: [String]? = nil,
        withVolumeDefinitions: Bool = false
    ) -> RESTRequest {
        var request = RESTRequest(.get, "/v1/resource-definitions")
        request.addQuery("resource_definitions", names)
        request.addQuery("props", props)
        if withVolumeDefinitions { request.query.append((name: "with_volume_definitions", value: "true")) }
        return request
    }

    public static func createResourceDefinition(_ body: JSONValue) -> RESTRequest {
        RESTRequest(.post, "/v1/resource-definitions", body: body)
    }

    public static func modifyResourceDefinition(_ resource: String, _ body: JSONValue) -> RESTRequest {
        RESTRequest(.put, "/v1/resource-definitions/\(Self.segment(resource))", body: body)
    }

    public static func deleteResourceDefinition(_ resource: String) -> RESTRequest {
        RESTRequest(.delete, "/v1/resource-definitions/\(Self.segment(resource))")
    }

    public static func autoPlace(_ resource: String, _ body: JSONValue) -> RESTRequest {
        RESTRequest(.post, "/v1/resource-definitions/\(Self.segment(resource))/autoplace", body: body)
    }

    public static func createVolumeDefinition(_ resource: String, _ body: JSONValue) -> RESTRequest {
        RESTRequest(.post, "/v1/resource-definitions/\(Self.segment(resource))/volume-definitions", body: body)
    }

    public static func modifyVolumeDefinition(_ resource: String, _ volume: Int, _ body: JSONValue) -> RESTRequest {
        RESTRequest(.put, "/v1/resource-definitions/\(Self.segment(resource))/volume-definitions/\(volume)", body: body)
    }

    public static func modifyVolumeDefinitionPassphrase(_ resource: String, _ volume: Int, _ passphrase: String) -> RESTRequest {
        RESTRequest(
            .put, "/v1/resource-definitions/\(Self.segment(resource))/volume-definitions/\(volume)/encryption-passphrase",
            body: .object([("new_passphrase", .string(passphrase))]))
    }

    public static func deleteVolumeDefinition(_ resource: String, _ volume: Int) -> RESTRequest {
        RESTRequest(.delete, "/v1/resource-definitions/\(Self.segment(resource))/volume-definitions/\(volume)")
    }

    /// `GET /v1/view/resources`: resources with their volumes, for `r l`, `r lv` and `v l`.
    public static func resources(
        nodes: [String]? = nil,
        storagePools: [String]? = nil,
        resources: [String]? = nil,
        props: [String]? = nil
    ) -> RESTRequest {
        var request = RESTRequest(.get, "/v1/view/resources")
        request.addQuery("nodes", nodes)
        request.addQuery("storage_pools", storagePools)
        request.addQuery("resources", resources)
        request.addQuery("props", props)
        return request
    }

    /// `POST …/resources`: one array body for every node.
    public static func createResources(_ resource: String, _ body: JSONValue) -> RESTRequest {
        RESTRequest(.post, "/v1/resource-definitions/\(Self.segment(resource))/resources", body: body)
    }

    public static func modifyResource(_ resource: String, node: String, _ body: JSONValue) -> RESTRequest {
        RESTRequest(
            .put,
            "/v1/resource-definitions/\(Self.segment(resource))/resources/\(Self.segment(node))",
            body: body
        )
    }

    public static func deleteResource(_ resource: String, node: String, keepTiebreaker: Bool = false) -> RESTRequest {
        var request = RESTRequest(
            .delete,
            "/v1/resource-definitions/\(Self.segment(resource))/resources/\(Self.segment(node))"
        )
        if keepTiebreaker { request.query.append((name: "keep_tiebreaker", value: "True")) }
        return request
    }

    /// `…/resources/{node}/{suffix}` for toggle-disk, make-available, activate and deactivate.
    public static func resourceAction(
        _ method: Method,
        _ resource: String,
        node: String,
        _ suffix: String,
        body: JSONValue? = nil
    ) -> RESTRequest {
        RESTRequest(
            method,
            "/v1/resource-definitions/\(Self.segment(resource))/resources/\(Self.segment(node))/\(suffix)",
            body: body
        )
    }

    public static func modifyVolume(_ resource: String, node: String, volume: Int, _ body: JSONValue) -> RESTRequest {
        RESTRequest(
            .put,
            "/v1/resource-definitions/\(Self.segment(resource))/resources/\(Self.segment(node))/volumes/\(volume)",
            body: body
        )
    }

    // MARK: Resource and volume groups

    public static func resourceGroups(names: [String]? = nil, props: [String]? = nil) -> RESTRequest {
        var request = RESTRequest(.get, "/v1/resource-groups")
        request.addQuery("resource_groups", names)
        request.addQuery("props", props)
        return request
    }

    public static func createResourceGroup(_ body: JSONValue) -> RESTRequest {
        RESTRequest(.post, "/v1/resource-groups", body: body)
    }

    public static func modifyResourceGroup(_ group: String, _ body: JSONValue) -> RESTRequest {
        RESTRequest(.put, "/v1/resource-groups/\(Self.segment(group))", body: body)
    }

    public static func deleteResourceGroup(_ group: String) -> RESTRequest {
        RESTRequest(.delete, "/v1/resource-groups/\(Self.segment(group))")
    }

    public static func spawn(_ group: String, _ body: JSONValue) -> RESTRequest {
        RESTRequest(.post, "/v1/resource-groups/\(Self.segment(group))/spawn", body: body)
    }

    /// `POST …/{group}/query-size-info` with `{"select_filter": {…}}`: how large a volume the group
    /// could spawn now, and where the next spawn would go.
    public static func querySizeInfo(_ group: String, _ body: JSONValue) -> RESTRequest {
        RESTRequest(.post, "/v1/resource-groups/\(Self.segment(group))/query-size-info", body: body)
    }

    /// `GET …/{group}/query-max-volume-size`, the older per-pool form of ``querySizeInfo(_:_:)``.
    public static func queryMaxVolumeSize(_ group: String) -> RESTRequest {
        RESTRequest(.get, "/v1/resource-groups/\(Self.segment(group))/query-max-volume-size")
    }

    public static func volumeGroups(_ group: String) -> RESTRequest {
        RESTRequest(.get, "/v1/resource-groups/\(Self.segment(group))/volume-groups")
    }

    public static func createVolumeGroup(_ group: String, _ body: JSONValue) -> RESTRequest {
        RESTRequest(.post, "/v1/resource-groups/\(Self.segment(group))/volume-groups", body: body)
    }

    public static func modifyVolumeGroup(_ group: String, _ volume: Int, _ body: JSONValue) -> RESTRequest {
        RESTRequest(.put, "/v1/resource-groups/\(Self.segment(group))/volume-groups/\(volume)", body: body)
    }

    public static func deleteVolumeGroup(_ group: String, _ volume: Int) -> RESTRequest {
        RESTRequest(.delete, "/v1/resource-groups/\(Self.segment(group))/volume-groups/\(volume)")
    }

    // MARK: Snapshots

    public static func cloneResourceDefinition(_ resource: String, _ body: JSONValue) -> RESTRequest {
        RESTRequest(.post, "/v1/resource-definitions/\(Self.segment(resource))/clone", body: body)
    }

    public static func cloneStatus(_ resource: String, _ clone: String) -> RESTRequest {
        RESTRequest(.get, "/v1/resource-definitions/\(Self.segment(resource))/clone/\(Self.segment(clone))")
    }

    public static func syncStatus(_ resource: String) -> RESTRequest {
        RESTRequest(.get, "/v1/resource-definitions/\(Self.segment(resource))/sync-status")
    }

    public static func snapshots(nodes: [String]? = nil, resources: [String]? = nil) -> RESTRequest {
        var request = RESTRequest(.get, "/v1/view/snapshots")
        request.addQuery("nodes", nodes)
        request.addQuery("resources", resources)
        return request
    }

    public static func createSnapshot(_ resource: String, _ body: JSONValue) -> RESTRequest {
        RESTRequest(.post, "/v1/resource-definitions/\(Self.segment(resource))/snapshots", body: body)
    }

    /// `POST /v1/actions/snapshot/multi`: snapshots of several resource definitions taken together.
    public static func createSnapshots(_ body: JSONValue) -> RESTRequest {
        RESTRequest(.post, "/v1/actions/snapshot/multi", body: body)
    }

    public static func modifySnapshot(_ resource: String, _ snapshot: String, _ body: JSONValue) -> RESTRequest {
        RESTRequest(.put, "/v1/resource-definitions/\(Self.segment(resource))/snapshots/\(Self.segment(snapshot))", body: body)
    }

    public static func deleteSnapshot(_ resource: String, _ snapshot: String, nodes: [String]? = nil) -> RESTRequest {
        var request = RESTRequest(
            .delete,
            "/v1/resource-definitions/\(Self.segment(resource))/snapshots/\(Self.segment(snapshot))"
        )
        request.addQuery("nodes", nodes)
        return request
    }

    public static func rollbackSnapshot(_ resource: String, _ snapshot: String) -> RESTRequest {
        RESTRequest(
            .post,
            "/v1/resource-definitions/\(Self.segment(resource))/snapshot-rollback/\(Self.segment(snapshot))",
            body: .object([])
        )
    }

    /// `snapshot-restore-resource` or `snapshot-restore-volume-definition`.
    public static func restoreSnapshot(
        _ kind: String,
        _ resource: String,
        _ snapshot: String,
        _ body: JSONValue
    ) -> RESTRequest {
        RESTRequest(
            .post,
            "/v1/resource-definitions/\(Self.segment(resource))/snapshot-restore-\(kind)/\(Self.segment(snapshot))",
            body: body
        )
    }
}
