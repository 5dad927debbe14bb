/// Why a command stopped early, and the exit code it ends with.
struct CLIFailure: Error {
    enum Kind {
        /// A grammar error: print the usage line and `prog: error: message` (exit 2).
        case usage
        /// `-h`/`--help`: print the command's help (exit 0).
        case help
        /// A message for stderr, printed as is.
        case message
        /// Already reported to the user; only the exit code is left.
        case reported
    }

    let kind: Kind
    let message: String
    let exitCode: Int32

    static func usage(_ message: String) -> CLIFailure {
        CLIFailure(kind: .usage, message: message, exitCode: ExitCode.argumentError)
    }

    static let help = CLIFailure(kind: .help, message: "", exitCode: ExitCode.ok)

    static func message(_ message: String, exitCode: Int32) -> CLIFailure {
        CLIFailure(kind: .message, message: message, exitCode: exitCode)
    }

    static func reported(_ exitCode: Int32) -> CLIFailure {
        CLIFailure(kind: .reported, message: "", exitCode: exitCode)
    }
}

/// LINSTOR's client exit codes (`linstor_client/consts.py`).
enum ExitCode {
    static let ok: Int32 = 0
    static let unknownError: Int32 = 1
    static let argumentError: Int32 = 2
    static let objectNotFound: Int32 = 3
    static let illegalState: Int32 = 5
    static let apiError: Int32 = 10
    static let connectionError: Int32 = 20
    static let connectionTimeout: Int32 = 21
}
