import Foundation

/// Reads a passphrase from the terminal without echo (`getpass`).
enum Passphrase {
    static func prompt(twice: Bool, again: String = "Reenter passphrase: ") throws(CLIFailure) -> String {
        let first = Self.read("Passphrase: ")
        if twice, Self.read(again) != first {
            throw CLIFailure.message("Passphrase doesn't match.", exitCode: ExitCode.argumentError)
        }
        return first
    }

    /// A new passphrase, typed twice (linstor-client's "New passphrase: " / "Retype new passphrase: ").
    static func promptNew() throws(CLIFailure) -> String {
        let first = Self.read("New passphrase: ")
        if Self.read("Retype new passphrase: ") != first {
            throw CLIFailure.message("Passphrase doesn't match.", exitCode: ExitCode.argumentError)
        }
        return first
    }

    static func read(_ prompt: String) -> String {
        guard let pointer = getpass(prompt) else { return "" }
        return String(cString: pointer)
    }
}
