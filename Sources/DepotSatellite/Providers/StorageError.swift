import DepotModel

/// A storage operation that failed, with a message meant for the REST caller.
///
/// When an external command failed, ``commandError`` carries its command line, exit code and the
/// end of its stderr, and ``description`` includes them.
public struct StorageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why a storage operation failed. New codes may be added; switch with a `default`.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: Sendable, Hashable {
            case poolMissing
            case volumeMissing
            case volumeInUse
            case deviceTimeout
            case sizeMismatch
            case commandFailed
            case invalidName
            case invalidConfiguration
            case unexpectedOutput
            case systemCallFailed
            case snapshotsNotSupported
            case snapshotMissing
        }

        private let value: Value

        private init(_ value: Value) {
            self.value = value
        }

        /// The pool's VG, thin pool, zpool or directory does not exist.
        public static let poolMissing = Code(.poolMissing)
        /// The volume to resize does not exist.
        public static let volumeMissing = Code(.volumeMissing)
        /// The volume's device is mounted, opened exclusively or otherwise busy.
        public static let volumeInUse = Code(.volumeInUse)
        /// The device did not appear, or not with the expected size, within the pool's wait timeout.
        public static let deviceTimeout = Code(.deviceTimeout)
        /// The volume exists with a size that cannot be made to match (it would have to shrink).
        public static let sizeMismatch = Code(.sizeMismatch)
        /// An external command failed; see ``StorageError/commandError``.
        public static let commandFailed = Code(.commandFailed)
        /// A resource or volume name is not safe to use in a command or path.
        public static let invalidName = Code(.invalidName)
        /// The pool's configuration is incomplete or wrong (no `StorDriver/StorPoolName`, say).
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// A tool printed something the provider could not parse.
        public static let unexpectedOutput = Code(.unexpectedOutput)
        /// A system call (stat, statvfs, unlink, open) failed.
        public static let systemCallFailed = Code(.systemCallFailed)
        /// The pool's provider cannot take snapshots (LVM, DISKLESS); nothing was run.
        public static let snapshotsNotSupported = Code(.snapshotsNotSupported)
        /// The snapshot to restore or roll back to does not exist.
        public static let snapshotMissing = Code(.snapshotMissing)

        public var description: String {
            switch self.value {
            case .poolMissing: "pool missing"
            case .volumeMissing: "volume missing"
            case .volumeInUse: "volume in use"
            case .deviceTimeout: "device timeout"
            case .sizeMismatch: "size mismatch"
            case .commandFailed: "command failed"
            case .invalidName: "invalid name"
            case .invalidConfiguration: "invalid configuration"
            case .unexpectedOutput: "unexpected output"
            case .systemCallFailed: "system call failed"
            case .snapshotsNotSupported: "snapshots not supported"
            case .snapshotMissing: "snapshot missing"
            }
        }
    }

    /// Why the operation failed.
    public var code: Code
    /// What went wrong, in one or two sentences naming the pool, volume or device.
    public var message: String
    /// The failed command, when one failed.
    public var commandError: CommandError?
    /// Where the error was raised.
    public var file: String
    /// The line where the error was raised.
    public var line: Int

    /// Creates an error.
    public init(
        _ code: Code,
        _ message: String,
        commandError: CommandError? = nil,
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.commandError = commandError
        self.file = file
        self.line = line
    }

    public var description: String {
        guard let commandError = self.commandError else { return self.message }
        return self.message + " " + commandError.description
    }
}

extension StorageError {
    /// Wraps a failed command; `what` says what was attempted ("Creating LV 'vg/r_00000'").
    static func command(
        _ what: String,
        _ error: CommandError,
        file: String = #fileID,
        line: Int = #line
    ) -> StorageError {
        StorageError(.commandFailed, "\(what) failed.", commandError: error, file: file, line: line)
    }
}

extension StorageError {
    /// What LINSTOR answers when a snapshot is asked of a pool that cannot take one.
    static func snapshotsNotSupported(
        _ pool: PoolConfig,
        _ kind: ProviderKind,
        file: String = #fileID,
        line: Int = #line
    ) -> StorageError {
        StorageError(
            .snapshotsNotSupported,
            "Storage pool '\(pool.name)' (\(kind.rawValue)) does not support snapshots.",
            file: file,
            line: line
        )
    }
}
