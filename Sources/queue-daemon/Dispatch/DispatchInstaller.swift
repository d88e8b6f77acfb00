/// Wires the dispatcher into a `QueueDaemon` before it starts: the daemon's dispatch hooks, the
/// `queue.start_manual_call` command, and three start-up steps that run before READY — load the
/// queue state from SQL, connect to the dialer (waiting at most
/// `DispatchLimits.startupDialerWaitSeconds`), stuck-lead recovery — plus a last step that lets
/// planning begin on the loop turn after READY.

import Shared

extension Dispatcher {
    @discardableResult
    static func install(on daemon: QueueDaemon, dialerWaitSeconds: Double = DispatchLimits.startupDialerWaitSeconds)
        -> Dispatcher {
        let dispatcher = Dispatcher(daemon: daemon)
        daemon.dispatch = dispatcher
        // unowned below: the daemon holds both the dispatcher (`dispatch`) and these start-up steps.
        daemon.startup.add("dispatch: load leads, operators and live calls", sync: { [unowned dispatcher] in
            try dispatcher.loadState()
        })
        daemon.startup.add("dispatch: connect to the dialer-daemon") { [unowned dispatcher] done in
            dispatcher.waitForDialer(seconds: dialerWaitSeconds) { done(nil) }
        }
        daemon.startup.add("dispatch: stuck-lead recovery") { [unowned dispatcher] done in
            dispatcher.recovery.run(reason: "start-up") { result in
                if case .failure(let error) = result { return done(error) }
                done(nil)
            }
        }
        daemon.startup.add("dispatch: start", sync: { [unowned dispatcher] in
            daemon.loop.schedule(after: 0) { [weak dispatcher] in dispatcher?.start() }
        })
        daemon.registerCommand(StartManualCallBody.self, writes: true) { [weak dispatcher] command, reply in
            guard let dispatcher else { throw IPCError.unreachable("queue-daemon") }
            try dispatcher.startManualCall(command, reply: reply)
        }
        daemon.registerCommand(QueueSetDispositionBody.self, writes: true) { [weak dispatcher] command, reply in
            guard let dispatcher else { throw IPCError.unreachable("queue-daemon") }
            try dispatcher.setDisposition(command, reply: reply)
        }
        dispatcher.registerExplainCommands()
        return dispatcher
    }
}
