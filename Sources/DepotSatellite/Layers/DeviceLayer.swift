public import DepotModel
public import DepotWire

/// One layer of a resource's device stack (storage, DRBD, later LUKS or a cache), as LINSTOR's
/// satellite has one `DeviceLayer` per kind.
///
/// The reconciler knows no layer by name: it builds a resource bottom-up along its layer list,
/// handing each layer the devices of the one below, and tears resources down top-down. Adding a
/// layer means one type in its own folder and one entry in ``LayerRegistry``.
///
/// Exactly one apply runs at a time, so a layer may keep what it learned in ``prepare(_:fullPass:)`` for the
/// rest of that apply.
public protocol DeviceLayer: Sendable {
    var kind: LayerKind { get }

    /// Reads this layer's state on the node for the apply (one listing per pool, the kernel's state),
    /// so that each resource is decided in memory and only differences cost work.
    ///
    /// - Parameter fullPass: look at everything again (on connect and periodically, to repair drift);
    ///   otherwise a layer may keep what earlier applies saw and what it did since.
    func prepare(_ desired: DesiredNodeState, fullPass: Bool) async

    /// Removes this layer's part of every resource that `wanted` does not have, except resources in
    /// `held` (a layer above could not let go of them).
    ///
    /// - Returns: per resource name, why its part could not be removed; layers below keep it then.
    func removeUnwanted(wanted: [DesiredResource], held: HeldResources) async -> [String: LayerFailure]

    /// Brings the resource's part of this layer to its desired state on top of `below`, the devices
    /// of the layer underneath (empty for the bottom layer), and returns this layer's devices.
    func apply(_ resource: DesiredResource, below: [Int: LayerDevice]) async throws(LayerFailure) -> [Int: LayerDevice]

    /// Takes the resource's part of this layer down and keeps its data (LINSTOR's `INACTIVE`): the
    /// reconciler asks the layers top-down; a later ``apply(_:below:)`` brings the part back.
    func deactivate(_ resource: DesiredResource) async throws(LayerFailure)

    /// Adds what this layer observes (devices, sizes, disk and connection states) to a report, from
    /// what it already knows: no commands. Layers are asked bottom-up, so the top one's disk state wins.
    func annotate(_ report: inout ResourceReport, for resource: DesiredResource) async

    /// Capacity reports of the pools this layer owns (the storage layer's); others have none.
    func poolReports(_ desired: DesiredNodeState) async -> [StoragePoolReport]

    /// Lets go of I/O held for a snapshot whose controller is gone (DRBD's `resume-io`); layers that
    /// hold none do nothing.
    func releaseHeldIO() async
}

extension DeviceLayer {
    public func prepare(_ desired: DesiredNodeState, fullPass: Bool) async {}

    public func poolReports(_ desired: DesiredNodeState) async -> [StoragePoolReport] { [] }

    public func releaseHeldIO() async {}
}

/// One volume's device as a layer hands it to the layer above.
public struct LayerDevice: Sendable, Hashable {
    /// The block device, or `nil` for a diskless volume.
    public var path: String?
    /// The size the device offers.
    public var usableKiB: Int64?

    public init(path: String?, usableKiB: Int64?) {
        self.path = path
        self.usableKiB = usableKiB
    }
}

/// Why a layer could not do its part: what failed and, for a command, its line, exit code and stderr.
public struct LayerFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var commandError: CommandError?

    public init(_ message: String, commandError: CommandError? = nil) {
        self.message = message
        self.commandError = commandError
    }

    init(_ error: StorageError) { self.init(error.message, commandError: error.commandError) }

    init(_ error: DRBDError) { self.init(error.message, commandError: error.commandError) }

    public var description: String { self.commandError.map { "\(self.message) (\($0))" } ?? self.message }

    /// The wire form the controller turns into the REST reply.
    var report: CommandFailureDTO {
        CommandFailureDTO(
            message: self.message, commandLine: self.commandError?.commandLine, exitCode: self.commandError?.exitCode,
            stderrTail: self.commandError?.stderrTail)
    }
}
