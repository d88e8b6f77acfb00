/// Installs the queue-daemon's command handlers on its `IPCServer` and turns what they throw
/// into error answers: an `IPCError` is sent as is; a database failure (disk full, I/O error)
/// is logged at error level and answered `500 {"error":"Internal Server Error","message":"The lead
/// store could not be written"}`; the daemon keeps running. Commands that write run through the
/// daemon's `WriteGate`, so they wait (without blocking the loop) while an import commits.

import Shared

final class CommandRouter {
    /// A synchronous command: returns the reply body or throws.
    typealias Handler = (IPCRequest) throws -> JSONObject
    /// An asynchronous command: calls `reply` once, now or later (throwing answers at once).
    typealias AsyncHandler = (IPCRequest, @escaping IPCReply) throws -> Void

    private unowned let daemon: QueueDaemon

    init(daemon: QueueDaemon) {
        self.daemon = daemon
    }

    func install(on server: IPCServer) {
        let operatorChanged = OperatorChangedCommand(daemon: daemon)
        handle(server, "queue.operator_changed", writes: false, operatorChanged.run)
    }

    /// Registers a synchronous command.
    func handle(_ server: IPCServer, _ type: String, writes: Bool, _ handler: @escaping Handler) {
        handleAsync(server, type, writes: writes) { request, reply in reply(.success(try handler(request))) }
    }

    /// Registers an asynchronous command.
    func handleAsync(_ server: IPCServer, _ type: String, writes: Bool, _ handler: @escaping AsyncHandler) {
        server.onCommand(type) { [weak self] request, reply in
            guard let self else { return reply(.failure(.unreachable("queue-daemon"))) }
            let run = { [weak self] in
                guard let self else { return }
                do {
                    try handler(request, reply)
                } catch {
                    reply(.failure(self.answer(for: error, request: request)))
                }
            }
            if writes { self.daemon.writeGate.perform(run) } else { run() }
        }
    }

    /// The error answer for `error`, logging anything that is not a plain refusal.
    func answer(for error: Error, request: IPCRequest) -> IPCError {
        if let refusal = error as? IPCError { return refusal }
        var fields = ["COMMAND": request.type]
        if let leadId = request.body["leadId"]?.string { fields["LEAD_ID"] = leadId }
        if let actorId = request.body["actorId"]?.string { fields["USER_ID"] = actorId }
        if let failure = error as? DatabaseError {
            fields["SQLITE_CODE"] = String(failure.code)
            let what = failure.isDiskFull ? "disk full" : "database error"
            daemon.logger.error("\(request.type) failed (\(what)): \(failure.message)", fields)
        } else {
            daemon.logger.error("\(request.type) failed: \(error)", fields)
        }
        return QueueErrors.storeFailure
    }
}
