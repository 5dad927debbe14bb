import DepotModel

/// Names one backing volume: a resource's volume number, plus a suffix for sub-volumes.
public struct VolumeID: Sendable, Hashable, CustomStringConvertible {
    /// The resource name (validated by LINSTOR's name rules before any command sees it).
    public var resourceName: String
    /// The volume number within the resource.
    public var volumeNumber: Int
    /// LINSTOR's sub-volume suffix: `""` for data, `".meta"` for external DRBD metadata.
    public var suffix: String

    /// Creates a volume identifier.
    public init(resourceName: String, volumeNumber: Int, suffix: String = "") {
        self.resourceName = resourceName
        self.volumeNumber = volumeNumber
        self.suffix = suffix
    }

    /// The volume a backing name stands for, or nil for a name Depot does not make (another tool's
    /// LV, a snapshot object): `<resource><sub-volume suffix>_<volume number, 5 digits>`.
    public init?(backingName name: some StringProtocol) {
        let digits = name.suffix(5)
        guard digits.count == 5, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(digits), number <= 65535,
            name.dropLast(5).last == "_"
        else { return nil }
        let resourceAndSuffix = name.dropLast(6)
        // The longest suffix first: `.dmcache_cache` before `.cache`, `""` last.
        for suffix in Self.knownSuffixes.sorted(by: { $0.count > $1.count }) where resourceAndSuffix.hasSuffix(suffix) {
            let id = VolumeID(resourceName: String(resourceAndSuffix.dropLast(suffix.count)), volumeNumber: number, suffix: suffix)
            if (try? id.validate()) != nil {
                self = id
                return
            }
        }
        return nil
    }

    /// LINSTOR's backing volume name, `<resource><suffix>_<volume number, 5 digits>` (`LocalData_00000`).
    public var backingName: String {
        Volume.backingName(resource: self.resourceName + self.suffix, volumeNumber: self.volumeNumber)
    }

    public var description: String { self.backingName }

    /// Checks that the name is safe to put into a path or an argument.
    ///
    /// - Throws: ``StorageError/Code/invalidName`` when the resource name breaks LINSTOR's rules,
    ///   the volume number is outside 0…65535 or the suffix is not a known sub-volume suffix.
    func validate() throws(StorageError) {
        do {
            try NameKind.resource.validate(self.resourceName)
        } catch {
            throw StorageError(.invalidName, error.description)
        }
        guard (0...65535).contains(self.volumeNumber) else {
            throw StorageError(
                .invalidName,
                "Invalid volume number \(self.volumeNumber) for resource '\(self.resourceName)'."
            )
        }
        guard Self.knownSuffixes.contains(self.suffix) else {
            throw StorageError(.invalidName, "Invalid sub-volume suffix '\(self.suffix)'.")
        }
    }

    /// LINSTOR's sub-volume suffixes (notes §6).
    static let knownSuffixes: Set<String> = ["", ".meta", ".cache", ".dmcache_cache", ".dmcache_meta", ".bcache"]
}
