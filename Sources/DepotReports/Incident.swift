/// What went wrong, as an error report records it: enough for an operator to act without the logs.
public struct Incident: Sendable, Equatable {
    /// The kind of failure, shown as the report's `exception` (`CommandFailed`, `DatabaseError`, …).
    public var kind: String
    public var message: String
    /// What the daemon was doing, in order (`Resource`, `Layer`, `Call`, …).
    public var context: [ContextEntry]
    public var command: FailedCommand?
    /// The client or controller involved, when there is one.
    public var peer: String?
    public var origin: Origin

    public init(
        kind: String, message: String, context: [ContextEntry] = [], command: FailedCommand? = nil, peer: String? = nil,
        fileID: String = #fileID, function: String = #function, line: Int = #line
    ) {
        self.kind = kind
        self.message = message
        self.context = context
        self.command = command
        self.peer = peer
        self.origin = Origin(file: String(fileID.split(separator: "/").last ?? Substring(fileID)), function: function, line: Int32(clamping: line))
    }

    public struct ContextEntry: Sendable, Equatable {
        public var label: String
        public var value: String

        public init(_ label: String, _ value: String) {
            self.label = label
            self.value = value
        }
    }

    /// An external command that failed: its line, exit code and the end of its standard error.
    public struct FailedCommand: Sendable, Equatable {
        public var commandLine: String
        public var exitCode: Int32?
        public var stderrTail: String?

        public init(commandLine: String, exitCode: Int32?, stderrTail: String?) {
            self.commandLine = commandLine
            self.exitCode = exitCode
            self.stderrTail = stderrTail
        }
    }

    /// Where in Depot the failure was noticed.
    public struct Origin: Sendable, Equatable {
        public var file: String
        public var function: String
        public var line: Int32
    }
}
