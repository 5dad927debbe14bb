import ArgumentParser
import DepotPKI
import Foundation

/// `depot-pki`: the cluster CA and the certificates for the controller's HTTPS API and the
/// controller–satellite link, without an `openssl` recipe.
@main
struct PKICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "depot-pki",
        abstract: "Make a small cluster CA and certificates for Depot's REST API (HTTPS) and satellite link (mutual TLS).",
        discussion: """
            Every certificate serves as TLS server and client, so one file can be the controller's HTTPS certificate and its \
            satellite-link identity. Keys are EC P-256, written unencrypted with mode 0600: keep ca.key off the nodes.
            """,
        subcommands: [InitCA.self, Issue.self])
}

struct InitCA: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Make the cluster CA: DIR/ca.crt and DIR/ca.key.")

    @Option(name: .customLong("dir"), help: "Directory for the files (created if missing).")
    var directory = "."

    @Option(name: .customLong("name"), help: "The CA's common name.")
    var commonName = "Depot cluster CA"

    @Option(name: .customLong("days"), help: "Validity in days.")
    var days = 3650

    func run() throws {
        try PKIRun.run { () throws(PKIError) in
            try PKIRun.makeDirectory(self.directory)
            let base = (self.directory as NSString).appendingPathComponent("ca")
            try PEMFiles.write(try ClusterPKI.makeCA(commonName: self.commonName, days: self.days), base: base)
            print("\(base).crt\n\(base).key")
        }
    }
}

struct Issue: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: "Make NAME.crt and NAME.key signed by the cluster CA.",
        discussion: """
            NAME is the certificate's common name: a node name for a satellite, "controller" for the controller. \
            Give --address for every host name and IP address clients use to reach it over HTTPS (they check them).
            """)

    @Argument(help: "Common name and file name: a node name, or controller.")
    var name: String

    @Option(name: .customLong("address"), help: "A host name or IP address the certificate is valid for (repeatable).")
    var addresses: [String] = []

    @Option(name: .customLong("dir"), help: "Directory of ca.crt and ca.key, where the new files go too.")
    var directory = "."

    @Option(name: .customLong("days"), help: "Validity in days.")
    var days = 825

    func run() throws {
        try PKIRun.run { () throws(PKIError) in
            let ca = try PEMFiles.read(base: (self.directory as NSString).appendingPathComponent("ca"))
            let base = (self.directory as NSString).appendingPathComponent(self.name)
            try PEMFiles.write(try ClusterPKI.issue(commonName: self.name, names: self.addresses, days: self.days, signedBy: ca), base: base)
            print("\(base).crt\n\(base).key")
        }
    }
}

/// Prints a ``PKIError`` as one line and exits 1, instead of a stack of Swift error text.
enum PKIRun {
    static func run(_ body: () throws(PKIError) -> Void) throws {
        do {
            try body()
        } catch {
            FileHandle.standardError.write(Data("depot-pki: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    static func makeDirectory(_ path: String) throws(PKIError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw PKIError("Cannot create the directory \(path): \(error.localizedDescription)")
        }
    }
}
