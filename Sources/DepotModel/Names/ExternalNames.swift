public import Foundation

/// The resource name LINSTOR derives from an external name when a definition is created with only
/// `external_name` (python-linstor's `linstor.Resource` does this; OpenStack and OpenNebula name
/// volumes by their own ids). The derivation is LINSTOR's, so a volume gets the same name on
/// Depot as it would have there, and scripts that compute it keep working.
public enum ExternalNames {
    /// At most this many bytes of UTF-8 form an external name.
    public static let maximumBytes = 256

    /// The resource name for `external`, or `nil` when it has more than ``maximumBytes`` bytes.
    ///
    /// A UUID becomes `LS_` and the UUID in upper case; a valid resource name is kept; otherwise each
    /// byte of the first 48 is kept if valid there, turned into `_` if it is punctuation, or mapped
    /// to a letter. A result that is still invalid, or `isTaken`, becomes `LS_` and a random UUID.
    public static func resourceName(for external: String, isTaken: (String) -> Bool) -> String? {
        let bytes = Array(external.utf8)
        guard bytes.count <= self.maximumBytes else { return nil }
        let truncated = Array(bytes.prefix(NameKind.resource.lengthRange.upperBound))
        let text = String(decoding: truncated, as: UTF8.self)
        var candidate: String
        if let uuid = UUID(uuidString: text) {
            candidate = "LS_" + uuid.uuidString.uppercased()
        } else if (try? NameKind.resource.validate(text)) != nil {
            candidate = text
        } else {
            candidate = String(decoding: truncated.enumerated().map { Self.translated($0.element, at: $0.offset) }, as: UTF8.self)
        }
        if (try? NameKind.resource.validate(candidate)) == nil || isTaken(candidate) {
            candidate = "LS_" + UUID().uuidString.lowercased()
        }
        return candidate
    }

    private static let punctuation = Set(" !@#$%^&*()+=[]{}:;\"'<>?,./~".utf8)

    private static func translated(_ byte: UInt8, at index: Int) -> UInt8 {
        let isLetter = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
        let isDigitOrDash = (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
        if isLetter || byte == UInt8(ascii: "_") || (isDigitOrDash && index > 0) { return byte }
        if self.punctuation.contains(byte) { return UInt8(ascii: "_") }
        // Java's signed byte and remainder: bytes above 127 count as negative.
        let remainder = abs(Int(Int8(bitPattern: byte)) % 52)
        return remainder < 26 ? UInt8(ascii: "A") + UInt8(remainder) : UInt8(ascii: "a") + UInt8(remainder - 26)
    }
}
