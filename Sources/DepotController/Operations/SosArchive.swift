import Foundation

/// Writes an SOS report's files as `sos_<time>.tar.gz`, the archive LINSTOR's support tools expect.
enum SosArchive {
    /// - Returns: the archive's path.
    static func write(_ files: [String: String], into directory: String) throws(SosReportError) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd_HH-mm-ss-SSS"
        let name = "sos_" + formatter.string(from: Date())
        let root = URL(fileURLWithPath: directory).standardizedFileURL
        let staging = root.appendingPathComponent(name)
        do {
            defer { try? FileManager.default.removeItem(at: staging) }
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            for (path, text) in files {
                // Names come from the controller and its satellites; none may leave the staging folder.
                let target = staging.appendingPathComponent(path).standardizedFileURL
                guard target.path.hasPrefix(staging.path + "/") else { continue }
                try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: target)
            }
            let archive = root.appendingPathComponent(name + ".tar.gz").path
            let tar = Process()
            tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            tar.arguments = ["tar", "-czf", archive, "-C", root.path, name]
            let errors = Pipe()
            tar.standardError = errors
            try tar.run()
            tar.waitUntilExit()
            guard tar.terminationStatus == 0 else {
                let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                throw SosReportError(reason: "tar exited with \(tar.terminationStatus): \(text)")
            }
            return archive
        } catch let error as SosReportError {
            throw error
        } catch {
            throw SosReportError(reason: "\(error)")
        }
    }

    /// What `argv` prints (its error and exit code when it fails), cut at 1 MiB: the controller's
    /// log from the journal where systemd runs it.
    static func output(of argv: [String]) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = argv
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        do {
            try process.run()
        } catch {
            return "\(argv.joined(separator: " ")): \(error)\n"
        }
        let data = output.fileHandleForReading.readDataToEndOfFile().prefix(1024 * 1024)
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        return process.terminationStatus == 0 ? text : "\(argv.joined(separator: " ")) exited with \(process.terminationStatus)\n\(text)"
    }
}
