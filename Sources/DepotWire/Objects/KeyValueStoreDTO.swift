/// `KeyValueStore`: one instance of LINSTOR's key-value store, as `GET /v1/key-value-store` lists it.
public struct KeyValueStoreDTO: Codable, Sendable, Equatable {
    public var name: String = ""
    public var props: [String: String]?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, props
    }
}

/// `KeyValueStoreModify`: the body of `PUT /v1/key-value-store/{instance}`.
///
/// A value may be `null` (LINSTOR refuses it as an invalid value, not as unparsable JSON), and a
/// number or boolean is read as its text (``StrictJSON``).
public struct KeyValueStoreModifyDTO: Codable, Sendable {
    public var overrideProps: [String: String?]?
    public var deleteProps: [String]?
    public var deleteNamespaces: [String]?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case overrideProps = "override_props"
        case deleteProps = "delete_props"
        case deleteNamespaces = "delete_namespaces"
    }
}
