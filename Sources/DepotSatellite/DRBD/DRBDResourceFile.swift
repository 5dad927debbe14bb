public import DepotWire

/// Renders a resource's DRBD configuration (`.res` file) from its desired state.
///
/// Every node writes its own file: its `on` section with the real backing disks, one `on` section per
/// peer it replicates with, and one `connection` per peer with each side's own address and port.
public struct DRBDResourceFile: Sendable {
    public let name: String
    public let drbd: DesiredDRBDResource
    /// This node's `on` section name (its host name).
    public let hostname: String
    /// Volume number → minor, backing device (`nil` for a diskless volume) and the volume's own
    /// disk options.
    public let volumes: [(number: Int, minor: Int, disk: String?, options: [String: String])]
    public let header: String

    public init(
        name: String, drbd: DesiredDRBDResource, hostname: String, volumes: [(number: Int, minor: Int, disk: String?, options: [String: String])],
        header: String
    ) {
        self.name = name
        self.drbd = drbd
        self.hostname = hostname
        self.volumes = volumes.sorted { $0.number < $1.number }
        self.header = header
    }

    /// Where peers' disks are written: drbdadm needs to know a peer has one, never its path.
    static let peerDiskPlaceholder = "/dev/drbd/this/is/not/used"

    /// The file's text.
    ///
    /// - Throws: ``DRBDError`` when an option name or value could break the file's syntax.
    public func render() throws(DRBDError) -> String {
        var lines: [String] = self.header.split(separator: "\n", omittingEmptySubsequences: false).map { "# " + $0 }
        lines.append("")
        lines.append("resource \"\(self.name)\" {")
        let sections = try Self.optionSections(self.drbd.options)
        if let resource = sections["Resource"] { lines += Self.block("options", resource, indent: 1) }
        if let handlers = sections["Handlers"] { lines += Self.block("handlers", handlers, indent: 1) }
        var net = [("cram-hmac-alg", "sha1"), ("shared-secret", Self.quoted(self.drbd.secret))]
        net += sections["Net"] ?? []
        lines += Self.block("net", net, indent: 1)
        let disk = (sections["Disk"] ?? []) + (sections["PeerDevice"] ?? [])
        if !disk.isEmpty { lines += Self.block("disk", disk, indent: 1) }
        var own: [(Int, Int, String, [(String, String)])] = []
        for volume in self.volumes {
            let options = volume.disk == nil ? [] : (try Self.optionSections(volume.options)["Disk"] ?? [])
            own.append((volume.number, volume.minor, volume.disk ?? "none", options))
        }
        lines += self.onSection(host: self.hostname, nodeID: self.drbd.nodeID, disks: own)
        for peer in self.drbd.peers.sorted(by: { $0.nodeID < $1.nodeID }) {
            let disk = peer.diskless ? "none" : Self.peerDiskPlaceholder
            lines += self.onSection(host: peer.hostName, nodeID: peer.nodeID, disks: self.volumes.map { ($0.number, $0.minor, disk, []) })
        }
        for peer in self.drbd.peers.sorted(by: { $0.nodeID < $1.nodeID }) {
            lines += try self.connection(to: peer)
        }
        lines.append("}")
        lines.append("")
        return lines.joined(separator: "\n")
    }

    /// One `connection`: its own options, then one `path` per explicit path or the two hosts'
    /// default addresses; each side uses its own port.
    private func connection(to peer: DesiredDRBDPeer) throws(DRBDError) -> [String] {
        var lines = ["    connection {"]
        let sections = try Self.optionSections(peer.options)
        if let net = sections["Net"] { lines += Self.block("net", net, indent: 2) }
        if let peerDevice = sections["PeerDevice"] { lines += Self.block("disk", peerDevice, indent: 2) }
        let paths = peer.paths.isEmpty ? [DesiredDRBDPath(localAddress: self.drbd.address, peerAddress: peer.address)] : peer.paths
        let indent = peer.paths.isEmpty ? "        " : "            "
        for path in paths {
            if !peer.paths.isEmpty { lines.append("        path {") }
            lines.append(indent + "host \"\(self.hostname)\" address \(Self.address(path.localAddress, self.drbd.port));")
            lines.append(indent + "host \"\(peer.hostName)\" address \(Self.address(path.peerAddress, peer.port));")
            if !peer.paths.isEmpty { lines.append("        }") }
        }
        lines.append("    }")
        return lines
    }

    private func onSection(host: String, nodeID: Int, disks: [(Int, Int, String, [(String, String)])]) -> [String] {
        var lines = ["    on \"\(host)\" {"]
        for (number, minor, disk, options) in disks {
            lines.append("        volume \(number) {")
            lines.append("            disk \(disk);")
            if !options.isEmpty { lines += Self.block("disk", options, indent: 3) }
            if disk != "none" { lines.append("            meta-disk internal;") }
            lines.append("            device minor \(minor);")
            lines.append("        }")
        }
        lines.append("        node-id \(nodeID);")
        lines.append("    }")
        return lines
    }

    /// `DrbdOptions/<Section>/<name>` grouped by section, sorted by name.
    private static func optionSections(_ options: [String: String]) throws(DRBDError) -> [String: [(String, String)]] {
        var sections: [String: [(String, String)]] = [:]
        for key in options.keys.sorted() {
            let parts = key.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, parts[0] == "DrbdOptions", let value = options[key] else { continue }
            let name = parts[2]
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }), name.first?.isLetter == true else {
                throw DRBDError(.invalidOption, "The DRBD option '\(key)' is not a valid option name.")
            }
            guard !value.isEmpty, !value.contains(where: { $0 == "\"" || $0 == "\\" || $0.isNewline || $0 == ";" || $0 == "{" || $0 == "}" }) else {
                throw DRBDError(.invalidOption, "The value of DRBD option '\(key)' must not be empty or contain quotes, backslashes, ';', braces or line breaks.")
            }
            sections[parts[1], default: []].append((name, Self.quotedIfNeeded(value)))
        }
        return sections
    }

    private static func block(_ name: String, _ options: [(String, String)], indent: Int) -> [String] {
        let pad = String(repeating: "    ", count: indent)
        return ["\(pad)\(name) {"] + options.map { "\(pad)    \($0.0) \($0.1);" } + ["\(pad)}"]
    }

    static func address(_ address: String, _ port: Int) -> String {
        address.contains(":") ? "ipv6 [\(address)]:\(port)" : "ipv4 \(address):\(port)"
    }

    static func quoted(_ text: String) -> String { "\"" + text + "\"" }

    static func quotedIfNeeded(_ value: String) -> String {
        let plain = value.allSatisfy { $0.isLetter || $0.isNumber || "-_.:/+".contains($0) }
        return plain ? value : self.quoted(value)
    }
}
