#if canImport(Glibc)
    import Glibc
#endif

/// IP address literals as the bytes a certificate's IP address name holds.
enum IPAddressBytes {
    /// 4 bytes for IPv4, 16 for IPv6; nil for anything else.
    static func parse(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}
