public import Logging
import Synchronization

/// A daemon's log level that can change while it runs: `controller set-log-level` and
/// `node set-log-level` reach every logger at once, without a restart.
public final class RuntimeLogLevel: Sendable {
    private let level: Mutex<Logger.Level>

    public init(_ level: Logger.Level) {
        self.level = Mutex(level)
    }

    public var current: Logger.Level { self.level.withLock { $0 } }

    public func set(_ level: Logger.Level) { self.level.withLock { $0 = level } }

    /// Makes swift-log write to standard error at this level, now and after every change.
    public func bootstrap() {
        LoggingSystem.bootstrap { label in FollowingLogHandler(base: StreamLogHandler.standardError(label: label), level: self) }
    }

    /// LINSTOR's level names (`ERROR`, `WARN`, `INFO`, `DEBUG`, `TRACE`) and swift-log's, in any case.
    public static func parse(_ text: String) -> Logger.Level? {
        switch text.lowercased() {
        case "warn": .warning
        case let name: Logger.Level(rawValue: name)
        }
    }
}

/// Writes through `base` at the daemon's current ``RuntimeLogLevel``.
struct FollowingLogHandler: LogHandler {
    var base: StreamLogHandler
    let level: RuntimeLogLevel

    var logLevel: Logger.Level {
        get { self.level.current }
        // The level belongs to the daemon, not to one logger.
        set {}
    }

    var metadata: Logger.Metadata {
        get { self.base.metadata }
        set { self.base.metadata = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { self.base.metadataProvider }
        set { self.base.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.base[metadataKey: key] }
        set { self.base[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        self.base.log(event: event)
    }
}
