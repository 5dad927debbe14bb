import DepotModel

/// A node to register, with the interfaces its satellite and DRBD use.
struct NewNode: Sendable {
    var name: String?
    /// As given (any case); one of ``NodeType``.
    var type: String
    var props: [String: String] = [:]
    var netInterfaces: [NetInterfaceSettings] = []
    var uuid: String?
}

/// A change to a node; absent fields stay as they are.
struct NodeModification: Sendable {
    /// As given (any case); one of ``NodeType``.
    var type: String?
    var props = PropertyChange()
}

/// A net interface to create, or the fields of one to change (absent fields stay as they are).
struct NetInterfaceSettings: Sendable {
    var name: String?
    var address: String?
    var satellitePort: Int?
    /// `PLAIN` or `SSL`, any case.
    var encryptionType: String?
    /// Make it the interface the controller reaches the satellite through.
    var isActive = false
    var uuid: String?
}

/// Where an evacuation may move a node's replicas: only to `targets`, or anywhere but `excluded`.
struct NodeEvacuation: Sendable {
    var targets: [String] = []
    var excluded: [String] = []
}
