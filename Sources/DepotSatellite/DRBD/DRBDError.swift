/// A DRBD layer operation that failed, with a message meant for the REST caller.
public struct DRBDError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// drbdadm rejected the generated configuration; it did not go live.
        case invalidConfiguration
        /// A `DrbdOptions/...` property cannot be written to a `.res` file.
        case invalidOption
        /// Reading or writing the DRBD metadata failed.
        case metadata
        /// drbdadm or drbdsetup failed bringing the resource up, changing or removing it.
        case commandFailed
        /// Writing the configuration files failed.
        case fileSystem
        /// `drbdadm resize` ran but the device did not reach the new size.
        case resizeNotDone
        /// The resource is held open on this node (mounted, or opened by a process): it stays up.
        case inUse
    }

    public var code: Code
    public var message: String
    public var commandError: CommandError?

    public init(_ code: Code, _ message: String, commandError: CommandError? = nil) {
        self.code = code
        self.message = message
        self.commandError = commandError
    }

    public var description: String {
        guard let commandError = self.commandError else { return self.message }
        return self.message + " " + commandError.description
    }
}
