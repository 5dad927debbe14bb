import Foundation

/// Encodes a value with Foundation's encoder (kept out of the request factories' imports).
enum JSONEncoderBox {
    static func encode<T: Encodable>(_ value: T) throws -> Data {
        try JSONEncoder().encode(value)
    }
}
