import DepotModel
import DepotWire
import Synchronization

/// Questions the controller asks satellites over their links, and the answers they send back.
///
/// A link's session registers how to send on it while it is up; a question goes out on the node's
/// current link and waits, bounded, for the answer with its request id. When the link drops, its
/// open questions end without an answer at once instead of waiting out their time.
final class SatelliteQuestions: Sendable {
    typealias Send = @Sendable (SatelliteMessage) async throws -> Void

    private struct Line {
        let session: UInt64
        let send: Send
    }

    private struct Waiting {
        let node: ObjectKey
        let answer: AsyncStream<SatelliteAnswer?>.Continuation
    }

    private struct State {
        var lines: [ObjectKey: Line] = [:]
        var waiting: [UInt64: Waiting] = [:]
        var lastID: UInt64 = 0
    }

    private let state = Mutex(State())

    /// The node's link is up and sends with `send`; returns the session to name when it closes.
    func open(_ node: ObjectKey, send: @escaping Send) -> UInt64 {
        self.state.withLock { state in
            state.lastID += 1
            state.lines[node] = Line(session: state.lastID, send: send)
            return state.lastID
        }
    }

    /// The link of `session` is down: its open questions end unanswered.
    func close(_ node: ObjectKey, session: UInt64) {
        self.state.withLock { state in
            guard state.lines[node]?.session == session else { return }
            state.lines[node] = nil
            for (id, waiting) in state.waiting where waiting.node == node {
                waiting.answer.yield(nil)
                state.waiting[id] = nil
            }
        }
    }

    func received(_ answer: SatelliteAnswer) {
        self.state.withLock { state in
            state.waiting.removeValue(forKey: answer.requestID)?.answer.yield(answer)
        }
    }

    /// Sends the query `make` builds with a fresh request id and waits at most `timeout` for its answer.
    ///
    /// - Returns: the answer, or `nil` when the node has no link, the link dropped, or time ran out.
    func ask(_ node: ObjectKey, within timeout: Duration, _ make: (UInt64) -> SatelliteQuery) async -> SatelliteAnswer? {
        let (answers, sink) = AsyncStream.makeStream(of: SatelliteAnswer?.self, bufferingPolicy: .bufferingNewest(1))
        // Registered before it is sent, so an answer that comes at once finds its question.
        let registered: (UInt64, Send)? = self.state.withLock { state in
            guard let line = state.lines[node] else { return nil }
            state.lastID += 1
            state.waiting[state.lastID] = Waiting(node: node, answer: sink)
            return (state.lastID, line.send)
        }
        guard let (id, send) = registered else { return nil }
        defer { _ = self.state.withLock { $0.waiting.removeValue(forKey: id) } }
        do {
            try await send(.query(make(id)))
        } catch {
            return nil
        }
        return await withTaskGroup(of: Void.self) { group in
            group.addTask {
                try? await Task.sleep(for: timeout)
                sink.yield(nil)
            }
            var iterator = answers.makeAsyncIterator()
            let answer = await iterator.next() ?? nil
            group.cancelAll()
            return answer
        }
    }
}
