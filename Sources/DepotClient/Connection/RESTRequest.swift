/// One call of LINSTOR's REST API: method, path, query and an optional JSON body.
public struct RESTRequest: Sendable {
    public enum Method: String, Sendable {
        case get = "GET"
        case post = "POST"
        case put = "PUT"
        case delete = "DELETE"
        case patch = "PATCH"
        case options = "OPTIONS"
    }

    public var method: Method
    /// The path, its variable segments already percent-encoded (see ``segment(_:)``).
    public var path: String
    /// Query parameters in order; list filters repeat the key (`nodes=a&nodes=b`), as LINSTOR expects.
    public var query: [(name: String, value: String)]
    public var body: JSONValue?

    public init(_ method: Method, _ path: String, query: [(name: String, value: String)] = [], body: JSONValue? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.body = body
    }

    /// Percent-encodes one path segment (a node or resource name), like api-py's `_pquote`.
    public static func segment(_ value: String) -> String {
        Self.percentEncode(value)
    }

    /// The path and query as they go on the request line.
    public var target: String {
        guard !self.query.isEmpty else { return self.path }
        return self.path + "?"
            + self.query.map { "\(Self.percentEncode($0.name))=\(Self.percentEncode($0.value))" }
            .joined(separator: "&")
    }

    /// Adds `name=value` once per value.
    public mutating func addQuery(_ name: String, _ values: [String]?) {
        for value in values ?? [] {
            self.query.append((name: name, value: value))
        }
    }

    private static func percentEncode(_ value: String) -> String {
        var output = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                output += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return output
    }
}
