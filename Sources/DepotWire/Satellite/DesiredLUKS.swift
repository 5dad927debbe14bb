/// What a node's LUKS layer needs for one volume: the passphrase its header takes and how to open it.
///
/// Travels only inside a desired state, which the controller sends over the satellite link alone;
/// ``VolumeSecret`` keeps the passphrases out of every log line and message that prints the state.
public struct DesiredLUKSVolume: Codable, Sendable, Equatable {
    /// The passphrase the header must take; `nil` when the controller withholds it (``withheld``).
    public var passphrase: VolumeSecret?
    /// Which change of the passphrase this is; a replica reports the one its header takes.
    public var generation: Int
    /// Earlier passphrases, newest first: a header that still takes one of them is changed to ``passphrase``.
    public var former: [VolumeSecret]
    /// Why the controller sent no passphrase (its master key is locked, the link is not encrypted).
    public var withheld: String?
    /// `Luks/AllowDiscards`: pass discards through the mapping.
    public var allowDiscards: Bool
    /// `StorDriver/LuksFormatOptions`, split into arguments.
    public var formatOptions: [String]
    /// `StorDriver/LuksOpenOptions`, split into arguments.
    public var openOptions: [String]

    public init(
        passphrase: VolumeSecret?, generation: Int, former: [VolumeSecret] = [], withheld: String? = nil, allowDiscards: Bool = false,
        formatOptions: [String] = [], openOptions: [String] = []
    ) {
        self.passphrase = passphrase
        self.generation = generation
        self.former = former
        self.withheld = withheld
        self.allowDiscards = allowDiscards
        self.formatOptions = formatOptions
        self.openOptions = openOptions
    }
}

/// A passphrase in transit: encoded as its text on the link, printed as `<secret>` everywhere else.
public struct VolumeSecret: Codable, Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public let text: String

    public init(_ text: String) { self.text = text }

    public init(from decoder: any Decoder) throws {
        self.text = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.text)
    }

    public var description: String { "<secret>" }
    public var debugDescription: String { "<secret>" }
}
