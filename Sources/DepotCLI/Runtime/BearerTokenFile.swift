import Foundation

/// The REST bearer token from LINSTOR's `auth.json` (`{"token": "…"}`), which python-linstor reads
/// too; a token file is used instead of an option so the token never shows in `ps`.
enum BearerTokenFile {
    /// The token of `path`, or of the default file when `path` is nil and it exists; nil when there
    /// is none.
    ///
    /// - Throws: ``CLIFailure`` when a file named with `--token-file` is missing or has no token.
    static func read(_ path: String?) throws(CLIFailure) -> String? {
        let file = path ?? GlobalOptions.defaultTokenFile
        guard let data = FileManager.default.contents(atPath: file) else {
            guard path == nil else { throw CLIFailure.message("Error: cannot read the token file \(file).", exitCode: ExitCode.argumentError) }
            return nil
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let token = object["token"] as? String, !token.isEmpty else {
            throw CLIFailure.message(#"Error: the token file \#(file) holds no {"token": "..."} object."#, exitCode: ExitCode.argumentError)
        }
        return token
    }
}
