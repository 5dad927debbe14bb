/// One controller-level property (`Cluster/LocalID`, `DrbdOptions/…`) as it is stored.
///
/// The controller's model keeps these as one dictionary; the store keeps one row per key, so that
/// changing one property writes one row.
public struct ControllerProperty: Codable, Equatable, Sendable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
