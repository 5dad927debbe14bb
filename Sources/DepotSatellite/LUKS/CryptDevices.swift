import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What the kernel shows of dm-crypt mappings and LUKS headers, read without starting a program:
/// a node with a thousand encrypted volumes lists them in one directory walk.
public protocol CryptDevices: Sendable {
    /// The dm-crypt mappings that exist now, by name, with their size in KiB.
    func openMappings() -> [String: Int64]
    /// Whether the device starts with a LUKS header; `nil` when it cannot be read.
    func hasLUKSHeader(at device: String) -> Bool?
}

/// The machine's own: `/sys/block/dm-*/dm/{name,uuid}` and the device's first bytes.
public struct SystemCryptDevices: CryptDevices {
    public init() {}

    public func openMappings() -> [String: Int64] {
        let root = "/sys/block"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: root) else { return [:] }
        var mappings: [String: Int64] = [:]
        for entry in entries where entry.hasPrefix("dm-") {
            let directory = "\(root)/\(entry)"
            // cryptsetup names its mappings' uuid CRYPT-LUKS2-<header uuid>-<name> (CRYPT-PLAIN-… for others).
            guard let uuid = Self.contents("\(directory)/dm/uuid"), uuid.hasPrefix("CRYPT-"), let name = Self.contents("\(directory)/dm/name") else { continue }
            let sectors = Self.contents("\(directory)/size").flatMap { Int64($0) } ?? 0
            mappings[name] = sectors / 2
        }
        return mappings
    }

    public func hasLUKSHeader(at device: String) -> Bool? {
        let descriptor = open(device, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var magic = [UInt8](repeating: 0, count: 6)
        let count = magic.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, 6) }
        guard count == 6 else { return nil }
        return magic == Self.luksMagic
    }

    /// "LUKS" followed by 0xBA 0xBE, the first bytes of every LUKS1 and LUKS2 header.
    static let luksMagic: [UInt8] = [0x4C, 0x55, 0x4B, 0x53, 0xBA, 0xBE]

    private static func contents(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
