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

    // unowned: the daemon owns its router (`daemon.router`); the server's handlers hold the router weakly.
    private unowned let daemon: QueueDaemon

    init(daemon: QueueDaemon) {
        self.daemon = daemon
    }

    func install(on server: IPCServer) {
        server.rawRequestTypes.insert(QueueCommand.importChunk.rawValue)
        let create = CreateLeadCommand(daemon: daemon)
        let update = UpdateLeadCommand(daemon: daemon)
        let delete = DeleteLeadCommand(daemon: daemon)
        let bulk = BulkActionCommand(daemon: daemon)
        let claim = ClaimLeadCommand(daemon: daemon)
        let imports = ImportCommand(daemon: daemon)
        let control = ControlCommand(daemon: daemon)
        let operatorChanged = OperatorChangedCommand(daemon: daemon)
        let doNotCall = DoNotCallCommand(daemon: daemon)
        handle(server, CreateLeadBody.self, writes: true, create.run)
        handle(server, UpdateLeadBody.self, writes: true, update.run)
        handle(server, DeleteLeadBody.self, writes: true, delete.run)
        handle(server, BulkActionBody.self, writes: true, bulk.run)
        handle(server, ClaimLeadBody.self, writes: true, claim.claim)
        handle(server, ReleaseLeadBody.self, writes: true, claim.release)
        handle(server, ImportBeginBody.self, writes: false, withRequest: imports.begin)
        // The hot path reads the chunk from the frame's bytes (`ImportChunkDecoder`), else as `ImportChunkBody`.
        handle(server, .importChunk, writes: false, imports.chunk)
        handleAsync(server, ImportCommitBody.self, writes: false) { command, request, reply in
            try imports.commit(command, request, reply: reply)
        }
        handle(server, ImportAbortBody.self, writes: false, withRequest: imports.abort)
        handleAsync(server, ControlBody.self, writes: false) { command, _, reply in try control.run(command, reply: reply) }
        handle(server, OperatorChangedBody.self, writes: false, operatorChanged.run)
        handle(server, DncAddBody.self, writes: true, doNotCall.add)
        handle(server, DncRemoveBody.self, writes: true, doNotCall.remove)
        handle(server, DncImportBody.self, writes: true, doNotCall.importRows)
    }

    /// Registers a synchronous command.
    func handle(_ server: IPCServer, _ command: QueueCommand, writes: Bool, _ handler: @escaping Handler) {
        handleAsync(server, command, writes: writes) { request, reply in reply(.success(try handler(request))) }
    }

    /// Registers a synchronous command taking its typed body (a body that does not decode is
    /// answered with the decoder's 400).
    func handle<Body: IPCBody>(_ server: IPCServer, _ type: Body.Type, writes: Bool,
                               _ handler: @escaping (Body) throws -> JSONObject) where Body.Command == QueueCommand {
        handle(server, Body.command, writes: writes) { request in try handler(try Body(body: request.body)) }
    }

    /// `handle(_:_:writes:_:)` for a handler that also needs the request (its connection).
    func handle<Body: IPCBody>(_ server: IPCServer, _ type: Body.Type, writes: Bool,
                               withRequest handler: @escaping (Body, IPCRequest) throws -> JSONObject)
        where Body.Command == QueueCommand {
        handle(server, Body.command, writes: writes) { request in try handler(try Body(body: request.body), request) }
    }

    /// Registers an asynchronous command taking its typed body (and the request, for its connection).
    func handleAsync<Body: IPCBody>(_ server: IPCServer, _ type: Body.Type, writes: Bool,
                                    _ handler: @escaping (Body, IPCRequest, @escaping IPCReply) throws -> Void)
        where Body.Command == QueueCommand {
        handleAsync(server, Body.command, writes: writes) { request, reply in
            try handler(try Body(body: request.body), request, reply)
        }
    }

    /// Registers an asynchronous command.
    func handleAsync(_ server: IPCServer, _ command: QueueCommand, writes: Bool, _ handler: @escaping AsyncHandler) {
        server.onCommand(command) { [weak self] request, reply in
            guard let self else { return reply(.failure(.unreachable("queue-daemon"))) }
            let run = { [weak self] in
                guard let self else { return }
                do {
                    try handler(request, reply)
                } catch {
                    reply(.failure(self.answer(for: error, type: request.type, body: request.body)))
                }
            }
            if writes { self.daemon.writeGate.perform(run) } else { run() }
        }
    }

    /// The error answer for `error`, logging anything that is not a plain refusal.
    func answer(for error: Error, type: String, body: JSONObject) -> IPCError {
        if let refusal = error as? IPCError { return refusal }
        var fields = ["COMMAND": type]
        if let leadId = body["leadId"]?.string { fields["LEAD_ID"] = leadId }
        if let actorId = body["actorId"]?.string { fields["USER_ID"] = actorId }
        if let failure = error as? DatabaseError {
            fields["SQLITE_CODE"] = String(failure.code)
            let what = failure.isDiskFull ? "disk full" : "database error"
            daemon.logger.error("\(type) failed (\(what)): \(failure.message)", fields)
        } else {
            daemon.logger.error("\(type) failed: \(error)", fields)
        }
        return QueueErrors.storeFailure
    }
}
