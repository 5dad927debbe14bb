/// `PUT /v1/controller/config` and `PUT /v1/nodes/{node}/config` as python-linstor's
/// `controller_set_log_level` and `node_set_log_level` send them: only the `log` part is read.
public struct DaemonConfigDTO: Codable, Sendable, Equatable {
    public var log: LogConfigDTO?

    public init(log: LogConfigDTO? = nil) { self.log = log }
}

/// LINSTOR's `log` section: `level` is for libraries, `level_linstor` for LINSTOR itself (Depot has
/// one level for both); the `_global` forms also set every satellite's level.
public struct LogConfigDTO: Codable, Sendable, Equatable {
    public var level: String?
    public var levelLinstor: String?
    public var levelGlobal: String?
    public var levelLinstorGlobal: String?

    public init(level: String? = nil, levelLinstor: String? = nil, levelGlobal: String? = nil, levelLinstorGlobal: String? = nil) {
        self.level = level
        self.levelLinstor = levelLinstor
        self.levelGlobal = levelGlobal
        self.levelLinstorGlobal = levelLinstorGlobal
    }

    enum CodingKeys: String, CodingKey {
        case level
        case levelLinstor = "level_linstor"
        case levelGlobal = "level_global"
        case levelLinstorGlobal = "level_linstor_global"
    }
}
