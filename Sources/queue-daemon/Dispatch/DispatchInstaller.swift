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
        daemon.registerCommand(manualCallCommand) { [unowned daemon, weak dispatcher] request, reply in
            daemon.writeGate.perform {
                guard let dispatcher else { return reply(.failure(.unreachable("queue-daemon"))) }
                do {
                    try dispatcher.startManualCall(request, reply: reply)
                } catch let error as IPCError {
                    reply(.failure(error))
                } catch {
                    daemon.logger.error("\(request.type) failed: \(error)", ["LEAD_ID": request.body["leadId"]?.string ?? "-"])
                    reply(.failure(QueueErrors.storeFailure))
                }
            }
        }
        daemon.registerCommand(dispositionCommand) { [unowned daemon, weak dispatcher] request, reply in
            daemon.writeGate.perform {
                guard let dispatcher else { return reply(.failure(.unreachable("queue-daemon"))) }
                do {
                    try dispatcher.setDisposition(request, reply: reply)
                } catch {
                    reply(.failure(daemon.router.answer(for: error, type: request.type, body: request.body)))
                }
            }
        }
        dispatcher.registerExplainCommands()
        return dispatcher
    }
}
