import Shared

/// The dialer's IPC commands (docs/ipc/dialer.md): parses each body, hands it to `CallManager`,
/// and answers `{call}` or an IPC error. Peers are `gateway` and `queue` (checked by `IPCServer`
/// at hello). While the daemon shuts down every command answers 503 `dialer_stopping`.
final class DialerCommands {
    let manager: CallManager
    /// Set at SIGTERM: no new work is accepted.
    var isStopping = false
    /// `dialer.provider_event`, set by `ProviderSelection.attach` when Twilio places the calls.
    var providerEvents: ((ProviderEventBody, @escaping IPCReply) -> Void)?

    init(manager: CallManager) { self.manager = manager }

    func register(on server: IPCServer) {
        server.onCommand(StartCallBody.self) { [weak self] command, _, reply in
            guard let self, !self.isStopping else { return reply(.failure(DialerErrors.stopping)) }
            self.manager.startCall(command) { reply(Self.callBody($0)) }
        }
        server.onCommand(UpdateCallBody.self) { [weak self] command, _, reply in
            guard let self, !self.isStopping else { return reply(.failure(DialerErrors.stopping)) }
            reply(Self.callBody(self.manager.updateCall(command)))
        }
        server.onCommand(SetDispositionBody.self) { [weak self] command, _, reply in
            guard let self, !self.isStopping else { return reply(.failure(DialerErrors.stopping)) }
            self.setDisposition(command, reply)
        }
        server.onCommand(HangupBody.self) { [weak self] command, _, reply in
            guard let self, !self.isStopping else { return reply(.failure(DialerErrors.stopping)) }
            reply(Self.callBody(self.manager.hangup(callId: command.callId)))
        }
        server.onCommand(ProviderEventBody.self) { [weak self] command, _, reply in
            guard let self, !self.isStopping else { return reply(.failure(DialerErrors.stopping)) }
            guard let handler = self.providerEvents else { return reply(.failure(ProviderSelection.notTwilio)) }
            handler(command, reply)
        }
        server.onCommand(ConnectCallBody.self) { [weak self] command, _, reply in
            guard let self, !self.isStopping else { return reply(.failure(DialerErrors.stopping)) }
            reply(Self.callBody(self.manager.connectCall(callId: command.callId, operatorId: command.operatorId,
                                                         operatorPhone: command.operatorPhone)))
        }
        server.onCommand(DialerStatusBody.self) { [weak self] _, _, reply in
            guard let self else { return reply(.failure(DialerErrors.stopping)) }
            reply(.success(self.manager.statusBody()))
        }
    }

    // `dialer.update_call` (`UpdateCallBody`) → `{call}`: the operator panel's outcome form (#37)
    // and socket notes updates run the call state machine with an operator report (ending a live
    // call also hangs it up at the provider); errors are `CallManager.updateCall`'s.
    // `dialer.hangup` (`HangupBody`) → `{call}`: a live call ends `canceled` before it was answered
    // and `completed` after (`endReason` "hangup"); an ended call is returned unchanged.
    // `dialer.status {}` → `{provider, activeCount, activeCalls}`, answered even while stopping.

    static func callBody(_ result: Result<CallRecord, IPCError>) -> Result<JSONObject, IPCError> {
        result.map { JSONObject([("call", .object($0.json))]) }
    }
}
