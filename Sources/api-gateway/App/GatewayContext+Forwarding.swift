import Shared

/// IPC helpers: forward a command to a daemon and turn its reply into the HTTP response, or
/// send a fire-and-forget notification. An unreachable or silent daemon answers
/// `503 {"error":"Service Unavailable","message":"<daemon> is not reachable"}` within
/// `config.ipcTimeoutMillis` (the IPC client's request timeout).
extension GatewayContext {
    /// Sends the typed body `message` to the daemon that serves its command; `map` turns the reply
    /// body into the response. An `IPCError` reply becomes its `status` with `{error, message}`; a
    /// throwing `map` is mapped like any handler error, unless `mapError` gives another error for it.
    public func forward<Body: IPCBody>(_ message: Body, responder: HTTPResponder, mapError: ((IPCError) -> Error?)? = nil,
                                       map: @escaping (JSONObject) throws -> HTTPResponse) {
        let type = Body.commandType, peer = Body.Command.receiver
        let started = MonotonicClock.micros()
        let request = responder.request
        correlate(request, with: message.body)
        client(for: Body.command).request(message) { [self] result in
            switch result {
            case .success(let reply):
                correlate(request, with: reply)
                answer(responder) { try map(reply) }
            case .failure(let error):
                if error.status >= 500 {
                    logger.warning("\(type) to \(peer.daemonName) failed: \(error)", logFields(request, [
                        "IPC_TYPE": type, "IPC_MS": String((MonotonicClock.micros() &- started) / 1000)]))
                }
                fail(responder, mapError?(error) ?? error)
            }
        }
    }

    /// The client connected to the daemon that serves `command`.
    public func client<Command: IPCCommandName>(for command: Command) -> IPCClient {
        Command.receiver == .dialer ? dialer : queue
    }

    /// Tags the request's access-log line with the lead and call a command or its reply names
    /// (`leadId`/`callId`, or the `id` of a `lead`/`call` object; a call's `lead`), so
    /// `journalctl LEAD_ID=…` shows the gateway's part in a lead's path too.
    public func correlate(_ request: HTTPRequest, with body: JSONObject) {
        if let id = body["leadId"]?.string { request.logFields["LEAD_ID"] = id }
        if let id = body["callId"]?.string { request.logFields["CALL_ID"] = id }
        if let lead = body["lead"]?.object, let id = lead["id"]?.string { request.logFields["LEAD_ID"] = id }
        if let call = body["call"]?.object {
            if let id = call["id"]?.string { request.logFields["CALL_ID"] = id }
            if let id = call["lead"]?.string { request.logFields["LEAD_ID"] = id }
        }
    }

    /// Sends `command` and ignores the answer; failures are logged at debug (the daemon re-reads
    /// the database when it starts, so a missed notification is harmless).
    public func notify<Body: IPCBody>(_ message: Body) {
        client(for: Body.command).request(message) { [logger] result in
            if case .failure(let error) = result {
                logger.debug("\(Body.commandType) not delivered to \(Body.Command.receiver.daemonName): \(error.message)")
            }
        }
    }
}
