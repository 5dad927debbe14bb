/// The kinds of names LINSTOR validates, each with its own length and character rules.
///
/// Depot validates every name before it reaches the database or an external command, so a name
/// can never be interpreted by a shell or a tool as anything but a name. The rules match
/// LINSTOR's `Checks.nameCheck` and `Checks.hostNameCheck` so that scripts that work there work here.
public enum NameKind: Sendable, Hashable {
    case node
    case resource
    case storagePool
    case netInterface
    case resourceGroup
    case snapshot
    case keyValueStore

    /// The object name users see in error messages.
    public var objectDescription: String {
        switch self {
        case .node: "node"
        case .resource: "resource"
        case .storagePool: "storage pool"
        case .netInterface: "net interface"
        case .resourceGroup: "resource group"
        case .snapshot: "snapshot"
        case .keyValueStore: "key-value store"
        }
    }

    public var lengthRange: ClosedRange<Int> {
        switch self {
        case .node: 2...255
        case .resource, .resourceGroup, .snapshot, .keyValueStore: 2...48
        case .storagePool: 3...48
        case .netInterface: 3...32
        }
    }
}

/// Why a name was refused; the text is shown to users as the cause of the error.
public struct InvalidNameError: Error, Sendable, Equatable, CustomStringConvertible {
    public let kind: NameKind
    public let name: String
    public let reason: String

    public init(kind: NameKind, name: String, reason: String) {
        self.kind = kind
        self.name = name
        self.reason = reason
    }

    public var description: String { "Invalid \(self.kind.objectDescription) name '\(self.name)': \(self.reason)" }
}

extension NameKind {
    /// Checks `name` against this kind's rules.
    ///
    /// - Throws: ``InvalidNameError`` naming the first rule that failed.
    public func validate(_ name: String) throws(InvalidNameError) {
        switch self {
        case .node: try self.validateHostName(name)
        default: try self.validateIdentifier(name)
        }
    }

    private func fail(_ name: String, _ reason: String) -> InvalidNameError {
        InvalidNameError(kind: self, name: name, reason: reason)
    }

    private func validateIdentifier(_ name: String) throws(InvalidNameError) {
        let bytes = Array(name.utf8)
        let range = self.lengthRange
        if bytes.count < range.lowerBound {
            throw self.fail(name, "name length \(bytes.count) is less than minimum length \(range.lowerBound)")
        }
        if bytes.count > range.upperBound {
            throw self.fail(name, "name length \(bytes.count) is greater than maximum length \(range.upperBound)")
        }
        if !bytes.contains(where: Self.isAlpha) {
            throw self.fail(name, "name must contain at least one character that matches [a-zA-Z]")
        }
        if let first = bytes.first, !Self.isAlpha(first), first != UInt8(ascii: "_") {
            throw self.fail(name, "cannot begin with character '\(Self.printable(first))'")
        }
        for byte in bytes.dropFirst()
        where !(Self.isAlpha(byte) || Self.isDigit(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")) {
            throw self.fail(name, "cannot contain character '\(Self.printable(byte))'")
        }
    }

    private func validateHostName(_ name: String) throws(InvalidNameError) {
        let bytes = Array(name.utf8)
        if bytes.first == UInt8(ascii: ".") { throw self.fail(name, "hostname cannot begin with '.'") }
        if bytes.first == UInt8(ascii: "-") { throw self.fail(name, "hostname cannot begin with '-'") }
        if bytes.last == UInt8(ascii: "-") { throw self.fail(name, "hostname cannot end with '-'") }
        let range = self.lengthRange
        if bytes.count < range.lowerBound {
            throw self.fail(name, "hostname length of \(bytes.count) violates RFC1123 minimum length of \(range.lowerBound)")
        }
        if bytes.count > range.upperBound {
            throw self.fail(name, "hostname length of \(bytes.count) violates RFC1123 maximum length of \(range.upperBound)")
        }
        var labelLength = 0
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                labelLength = 0
                continue
            }
            labelLength += 1
            if labelLength > 63 {
                throw self.fail(name, "domain name component length of \(labelLength) violates RFC1123 maximum length of 63")
            }
            if !(Self.isAlpha(byte) || Self.isDigit(byte) || byte == UInt8(ascii: "-")) {
                throw self.fail(name, "hostname contains invalid character '\(Self.printable(byte))'")
            }
        }
    }

    private static func isAlpha(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func printable(_ byte: UInt8) -> String {
        (32..<127).contains(byte) ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16)
    }
}
