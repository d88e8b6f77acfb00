import Shared

/// The dialer's IPC commands (docs/ipc/dialer.md): parses each body, hands it to `CallManager`,
/// and answers `{call}` or an IPC error. Peers are `gateway` and `queue` (checked by `IPCServer`
/// at hello). While the daemon shuts down every command answers 503 `dialer_stopping`.
final class DialerCommands {
    let manager: CallManager
    /// Set at SIGTERM: no new work is accepted.
    var isStopping = false
    /// `dialer.provider_event`, set by `ProviderSelection.attach` when Twilio places the calls.
    var providerEvents: IPCCommandHandler?

    init(manager: CallManager) { self.manager = manager }

    func register(on server: IPCServer) {
        server.onCommand(StartCallBody.self) { [weak self] command, _, reply in
            guard let self, !self.isStopping else { return reply(.failure(DialerErrors.stopping)) }
            self.manager.startCall(command) { reply(Self.callBody($0)) }
        }
        server.onCommand(DialerCommand.updateCall) { [weak self] request, reply in
            guard let self, !self.isStopping else { return reply(.failure(DialerErrors.stopping)) }
            self.updateCall(request, reply)
        }
        server.onCommand(DialerCommand.setDisposition) { [weak self] request, reply in
            guard let self, !self.isStopping else { return reply(.failure(DialerErrors.stopping)) }
            self.setDisposition(request, reply)
        }
        server.onCommand(DialerCommand.hangup) { [weak self] request, reply in
            guard let self, !self.isStopping else { return reply(.failure(DialerErrors.stopping)) }
            self.hangup(request, reply)
        }
        server.onCommand(DialerCommand.providerEvent) { [weak self] request, reply in
            guard let self, !self.isStopping else { return reply(.failure(DialerErrors.stopping)) }
            guard let handler = self.providerEvents else { return reply(.failure(ProviderSelection.notTwilio)) }
            handler(request, reply)
        }
        server.onCommand(ConnectCallBody.self) { [weak self] command, _, reply in
            guard let self, !self.isStopping else { return reply(.failure(DialerErrors.stopping)) }
            reply(Self.callBody(self.manager.connectCall(callId: command.callId, operatorId: command.operatorId,
                                                         operatorPhone: command.operatorPhone)))
        }
        server.onCommand(DialerCommand.status) { [weak self] request, reply in
            guard let self else { return reply(.failure(DialerErrors.stopping)) }
            self.status(request, reply)
        }
    }

    /// `dialer.update_call {actorId, actorRole:"admin"|"operator", callId, status?, notes?, duration?}`
    /// → `{call}`. The operator panel's outcome form (#37) and socket notes updates. Runs the state
    /// machine with an operator report; at least one of status, notes, duration must be given.
    /// Ending a live call (completed, failed, …) also hangs it up at the provider.
    /// Errors: 400 `validation_failed` (field named; an unknown status lists the allowed values
    /// `initiated, ringing, answered, completed, busy, no-answer, failed, canceled`); 400
    /// `invalid_value` (notes over 1000 characters, duration out of range or for a status other
    /// than completed); 404 `call_not_found` `{error:"Call log not found"}`; 403 `access_denied`
    /// `{error:"Access denied. This call does not belong to you."}` for an operator who is not the
    /// call's operator (admins may update any call); 409 `invalid_transition` (the message names
    /// the current status); 500 `internal` when the change cannot be stored.
    func updateCall(_ request: IPCRequest, _ reply: IPCReply) {
        switch UpdateCallCommand.parse(request.body) {
        case .failure(let error): reply(.failure(error))
        case .success(let command): reply(Self.callBody(manager.updateCall(command)))
        }
    }

    /// `dialer.hangup {callId}` → `{call}`: a live call ends `canceled` before it was answered and
    /// `completed` after (`endReason` "hangup"); an ended call is returned unchanged.
    /// Errors: 400 `validation_failed`; 404 `call_not_found`; 500 `internal`.
    func hangup(_ request: IPCRequest, _ reply: IPCReply) {
        do {
            let callId = try RequestFields.objectID(request.body, "callId")
            reply(Self.callBody(manager.hangup(callId: callId)))
        } catch let error as IPCError {
            reply(.failure(error))
        } catch {
            reply(.failure(DialerErrors.validation("\(error)")))
        }
    }

    /// `dialer.status {}` → `{provider:"simulation"|"twilio", activeCount, activeCalls:[{callId, leadId,
    /// operatorId, status, startTime}]}`, oldest call first. Answered even while stopping.
    func status(_ request: IPCRequest, _ reply: IPCReply) {
        reply(.success(manager.statusBody()))
    }

    static func callBody(_ result: Result<CallRecord, IPCError>) -> Result<JSONObject, IPCError> {
        result.map { JSONObject([("call", .object($0.json))]) }
    }
}
