import Dispatch
import Glibc

/// Turns SIGINT and SIGTERM into a clean exit: the controller this run started is stopped (by its
/// PID) and the temp directory removed before the bench exits with 128 + signal.
final class InterruptHandler {
    private var sources: [any DispatchSourceSignal] = []

    init(session: BenchSession) {
        for signalNumber in [SIGINT, SIGTERM] {
            // Dispatch only sees a signal whose default action no longer kills the process.
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                Progress.say("interrupted; stopping the controller and cleaning up")
                session.tearDownNow()
                exit(128 + signalNumber)
            }
            source.resume()
            self.sources.append(source)
        }
    }
}
