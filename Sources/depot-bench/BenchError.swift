/// Why a run stopped. Every case carries what a developer needs to reproduce it.
enum BenchError: Error, CustomStringConvertible {
    /// The controller refused or failed a request: the request and the reply as received.
    case rejected(HTTPRequest, HTTPResponse, reason: String)
    /// The controller misbehaved as a process; `log` is the end of its log.
    case controller(String, log: String)
    /// The controller answered, but with the wrong data.
    case wrongAnswer(String)
    case setup(String)

    var description: String {
        switch self {
        case .rejected(let request, let response, let reason):
            let reply = response.bodyText
            let shown = reply.count > 4000 ? String(reply.prefix(4000)) + "…" : reply
            return "\(reason)\n  request: \(request)\n  reply:   HTTP \(response.status) \(shown)"
        case .controller(let message, let log):
            return "depot-controller \(message)" + (log.isEmpty ? "" : "\n  its log ends with:\n\(log)")
        case .wrongAnswer(let message), .setup(let message):
            return message
        }
    }
}
