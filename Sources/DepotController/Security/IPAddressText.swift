import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// IP addresses compared as addresses, not as text: a token's IP filter `::1` matches a client at
/// `0:0:0:0:0:0:0:1`, and an IPv4 client reaching a dual-stack socket (`::ffff:127.0.0.1`) matches
/// `127.0.0.1`.
enum IPAddressText {
    /// The address's bytes (4 for IPv4 and IPv4-mapped IPv6, 16 otherwise); nil for anything that
    /// is not an IP address literal.
    static func canonical(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF { return Array(bytes[12...]) }
        return bytes
    }
}
