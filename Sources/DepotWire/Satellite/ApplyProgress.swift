/// What a satellite is doing while an apply runs, sent about once a second.
///
/// A node with thousands of volumes, or a DRBD step that takes its time, must not look like a dead
/// link: the controller shows this in replies that time out instead of guessing.
public struct ApplyProgress: Codable, Sendable, Equatable {
    /// The desired-state version being applied.
    public var version: UInt64
    /// Resources finished so far in this apply, and how many it has.
    public var resourcesDone: Int
    public var resourcesTotal: Int
    /// The resource and layer being worked on, e.g. `SharedData` / `DRBD`.
    public var currentResource: String?
    public var currentLayer: String?
    /// How long the apply has been running, in milliseconds.
    public var elapsedMilliseconds: Int64

    public init(
        version: UInt64, resourcesDone: Int, resourcesTotal: Int, currentResource: String?, currentLayer: String?, elapsedMilliseconds: Int64
    ) {
        self.version = version
        self.resourcesDone = resourcesDone
        self.resourcesTotal = resourcesTotal
        self.currentResource = currentResource
        self.currentLayer = currentLayer
        self.elapsedMilliseconds = elapsedMilliseconds
    }

    /// "resource 'X' (DRBD), 120 of 1000 resources done, running for 3.2 s".
    public var summary: String {
        var parts: [String] = []
        if let resource = self.currentResource {
            parts.append("resource '\(resource)'" + (self.currentLayer.map { " (\($0))" } ?? ""))
        }
        parts.append("\(self.resourcesDone) of \(self.resourcesTotal) resources done")
        parts.append("running for \(Double(self.elapsedMilliseconds / 100) / 10) s")
        return parts.joined(separator: ", ")
    }
}
