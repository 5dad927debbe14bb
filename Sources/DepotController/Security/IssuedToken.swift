import Crypto
import Foundation

/// A new bearer token and the hash the controller keeps of it.
///
/// Made outside the state actor; the text goes back to the caller once and is never stored.
struct IssuedToken: Sendable {
    /// 32 letters and digits, as LINSTOR makes them (about 190 bits from the system's CSPRNG).
    let text: String
    let hash: String

    static let length = 32
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    static func make() -> IssuedToken {
        var generator = SystemRandomNumberGenerator()
        let text = String((0..<Self.length).map { _ in Self.alphabet[Int.random(in: 0..<Self.alphabet.count, using: &generator)] })
        return IssuedToken(text: text, hash: Self.hash(of: text))
    }

    /// Lower-case hex SHA-256 of the token's UTF-8 bytes: what LINSTOR's `AUTH_TOKENS` holds, so the
    /// same token hashes the same in both.
    static func hash(of text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
