import Foundation

/// Reads a passphrase from the terminal without echo (`getpass`).
enum Passphrase {
    static func prompt(twice: Bool) throws(CLIFailure) -> String {
        let first = Self.read("Passphrase: ")
        if twice, Self.read("Reenter passphrase: ") != first {
            throw CLIFailure.message("Passphrase doesn't match.", exitCode: ExitCode.argumentError)
        }
        return first
    }

    static func read(_ prompt: String) -> String {
        guard let pointer = getpass(prompt) else { return "" }
        return String(cString: pointer)
    }
}
