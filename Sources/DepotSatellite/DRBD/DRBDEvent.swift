/// One line of `drbdsetup events2`: `<action> <object> key:value …`.
///
/// Examples: `exists resource name:r0 role:Secondary …`, `change peer-device name:r0 peer-node-id:1
/// conn-name:beta volume:0 replication:SyncTarget done:42.00`, `destroy connection …`, `exists -`
/// (end of the initial dump), `call helper … helper:split-brain`. With `--timestamps` each line
/// starts with an ISO 8601 time, which is skipped.
struct DRBDEvent: Sendable, Equatable {
    enum Action: String, Sendable {
        case exists, create, change, destroy, call, response
    }

    enum Object: String, Sendable {
        case resource, connection, device
        case peerDevice = "peer-device"
        case path, helper
    }

    var action: Action
    var object: Object
    var fields: [String: String]

    /// The `exists -` line that ends the initial state dump.
    static func isInitialDumpEnd(_ line: String) -> Bool {
        line.split(separator: " ").suffix(2) == ["exists", "-"]
    }

    /// Parses a line; `nil` for lines it does not describe (unknown objects, the dump end, noise).
    init?(_ line: String) {
        var words = line.split(separator: " ", omittingEmptySubsequences: true)
        if let first = words.first, first.first?.isNumber == true { words.removeFirst() }
        guard words.count >= 2, let action = Action(rawValue: String(words[0])), let object = Object(rawValue: String(words[1])) else { return nil }
        self.action = action
        self.object = object
        var fields: [String: String] = [:]
        for word in words.dropFirst(2) {
            guard let colon = word.firstIndex(of: ":") else { continue }
            fields[String(word[..<colon])] = String(word[word.index(after: colon)...])
        }
        guard fields["name"] != nil else { return nil }
        self.fields = fields
    }

    var resourceName: String { self.fields["name"] ?? "" }
    var peerNodeID: Int? { self.fields["peer-node-id"].flatMap { Int($0) } }
    var volume: Int? { self.fields["volume"].flatMap { Int($0) } }
}
