import DepotModel

/// A replica of a resource definition on one node, as `resource create`, the autoplacer and the
/// tie-breaker ask for it.
///
/// Values are as the caller gave them; ``ClusterTransaction/createResource(definition:_:)`` checks
/// them, so every way of creating a replica is checked the same way.
struct NewResource: Sendable {
    /// `nil` when the request named no node (refused).
    var nodeName: String?
    var props: [String: String] = [:]
    /// Flags as given (any case); only ``ResourceFlag/creatable`` ones pass.
    var flags: [String] = []
    /// Top to bottom; `nil` or empty takes the definition's stack.
    var layerStack: [String]?
    /// A DRBD client: diskless, without a storage pool of its own.
    var isDRBDClient = false
    var drbdNodeID: Int?
    var drbdTCPPortCount: Int?
    var drbdTCPPorts: [Int]?
    var uuid: String?
}

/// What `toggle-disk` turns a DRBD replica into; `pool` is the storage pool asked for, if any.
enum DiskToggle: Sendable {
    case diskful(pool: String?)
    case diskless(pool: String?)
}

/// What `make-available` asks for: a replica on the node, with a disk if `diskful`.
struct MakeAvailable: Sendable {
    var diskful = false
    /// Top to bottom; `nil` or empty takes the definition's stack.
    var layerList: [String]?
    var drbdTCPPorts: [Int]?
}
