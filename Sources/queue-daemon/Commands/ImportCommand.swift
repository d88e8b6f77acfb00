/// CSV import in steps (the gateway parses and validates the file, then sends rows in chunks
/// that fit the 1 MiB IPC frame):
/// - `queue.import_begin {actorId}` → `{importId, maxRowsPerChunk, maxRows}`; 429 `too_many_imports`
///   when `ImportStaging.maxOpenImports` are open.
/// - `queue.import_chunk {importId, rows: [[line, phone, name, email, priority, notes, tags]]}` (or
///   rows as objects `{line, phone, name?, email?, priority?, notes?, tags?}`) → `{received, total}`:
///   rows validated again (cheaply), then inserted at once on the import's own connection inside
///   ONE transaction opened at its first chunk (`ImportTransaction`, `BEGIN IMMEDIATE`, on a serial
///   worker queue, chunks in arrival order; the import holds the `WriteGate` from then on, so other
///   writes queue up instead of blocking the loop on the lock). When another import holds the gate
///   at the first chunk, the rows are staged in memory and inserted at the commit instead. 404
///   `import_not_found` for an unknown, committed, discarded or other connection's import; 413
///   `import_too_large` past `maxRowsPerChunk` (5,000) or `maxRowsPerImport` (500,000); 400
///   `validation_failed` naming the row and line (the chunk is not added).
/// - `queue.import_commit {importId}` → `{importId, successCount, duplicateCount, duplicateLines,
///   duplicateLinesTruncated}`: COMMITs (each chunk already wrote its `lead_events` rows) (or inserts the staged
///   rows in one transaction, `LeadImportWriter`), off the loop; publishes `event.leads_imported
///   {count, duplicateCount, importId, actorId}` and hands the new leads to dispatch.
/// - `queue.import_abort {importId}` → `{importId, aborted: true}`: rolls the import back.
/// An import is also rolled back when its connection closes, after 5 minutes idle, or when its
/// transaction was open `ImportStaging.maxTransactionSeconds`: all or nothing.

import Shared

struct ImportCommand {
    // unowned: reachable only through the daemon's own server handlers (`CommandRouter`), which the daemon owns.
    unowned let daemon: QueueDaemon

    func begin(_ command: ImportBeginBody, _ request: IPCRequest) throws -> JSONObject {
        let actorId = command.actorId
        let now = daemon.clock.nowMillis()
        guard let session = daemon.imports.begin(id: ObjectID.generate(nowMillis: now), actorId: actorId,
                                                 connection: request.connectionNumber, now: now) else {
            throw IPCError(code: .tooManyImports, status: 429, error: "Too Many Requests",
                           message: "\(ImportStaging.maxOpenImports) imports are already in progress; try again shortly")
        }
        daemon.logger.info("import begun", ["USER_ID": actorId, "IMPORT_ID": session.id])
        return ["importId": .string(session.id), "maxRowsPerChunk": .int(Int64(ImportStaging.maxRowsPerChunk)),
                "maxRows": .int(Int64(ImportStaging.maxRowsPerImport))]
    }

    func chunk(_ request: IPCRequest) throws -> JSONObject {
        if let raw = request.raw {
            if let decoded = ImportChunkDecoder.decode(raw) {
                let session = try openSession(importId: decoded.importId, connection: request.connectionNumber)
                return try add(decoded.rows.count, to: session) { try ImportRowFields.stagedRow(decoded.rows[$0], index: $1) }
            }
            let message: IPCMessage
            do {
                message = try raw.parsed()
            } catch {
                throw QueueErrors.validation("The request is not valid JSON: \(error)")
            }
            return try chunk(body: message.body, connection: request.connectionNumber)
        }
        return try chunk(body: request.body, connection: request.connectionNumber)
    }

    private func chunk(body: JSONObject, connection: Int) throws -> JSONObject {
        let command = try ImportChunkBody(body: body)
        let session = try openSession(importId: command.importId, connection: connection)
        let rows = command.rows
        return try add(rows.count, to: session) { try Self.stagedRow(rows[$0], index: $1) }
    }

    /// Validates `count` rows (`stage(offset, index in the import)`) and adds them to `session`,
    /// opening its transaction at the first chunk when the write gate is free.
    private func add(_ count: Int, to session: ImportSession, stage: (Int, Int) throws -> StagedLead) throws -> JSONObject {
        guard count <= ImportStaging.maxRowsPerChunk else {
            throw QueueErrors.importTooLarge("A chunk may carry at most \(ImportStaging.maxRowsPerChunk) rows (got \(count))")
        }
        guard session.rowCount + count <= ImportStaging.maxRowsPerImport else {
            throw QueueErrors.importTooLarge("An import may hold at most \(ImportStaging.maxRowsPerImport) rows")
        }
        var staged: [StagedLead] = []
        staged.reserveCapacity(count)
        for offset in 0..<count {
            staged.append(try stage(offset, session.rowCount + offset))
        }
        if session.transaction == nil, session.rowCount == 0, !daemon.writeGate.isHeld {
            daemon.writeGate.hold()
            session.transaction = ImportTransaction(dbPath: daemon.config.dbPath, now: daemon.clock.nowMillis(),
                                                    actorId: session.actorId, label: session.id,
                                                    zones: daemon.zoneResolver)
            daemon.imports.limitTransaction(session)
        }
        session.append(staged)
        daemon.imports.touch(session)
        return ["received": .int(Int64(staged.count)), "total": .int(Int64(session.rowCount))]
    }

    func commit(_ command: ImportCommitBody, _ request: IPCRequest, reply: @escaping IPCReply) throws {
        let importId = command.importId
        guard let session = daemon.imports.take(id: importId, connection: request.connectionNumber) else {
            throw QueueErrors.importNotFound(CommandBody.clip(importId))
        }
        let loop = daemon.loop
        let started = MonotonicClock.seconds()
        let finish = loop.bounce { [weak daemon] (result: Result<ImportOutcome, Error>) in
            guard let daemon else { return }
            ImportCommand(daemon: daemon).finishCommit(result, importId: importId, actorId: session.actorId,
                                                       rows: session.rowCount, started: started,
                                                       request: request, reply: reply)
        }
        // The transaction already holds the write gate; staged rows wait for it like any write.
        if let transaction = session.transaction { return transaction.commit(delivered: finish) }
        daemon.writeGate.perform { [weak daemon] in
            guard let daemon else { return }
            let rows = session.takeRows()
            let dbPath = daemon.config.dbPath
            let now = daemon.clock.nowMillis()
            let zones = daemon.zoneResolver
            let actorId = session.actorId
            daemon.writeGate.hold()
            WorkerPool.shared.submit {
                LeadImportWriter.commit(rows: rows, dbPath: dbPath, actorId: actorId, now: now, zones: zones,
                                        delivered: finish)
            }
        }
    }

    func abort(_ command: ImportAbortBody, _ request: IPCRequest) throws -> JSONObject {
        let importId = command.importId
        guard let session = daemon.imports.session(id: importId, connection: request.connectionNumber) else {
            throw QueueErrors.importNotFound(CommandBody.clip(importId))
        }
        daemon.imports.discard(session, reason: "aborted by the \(request.type) command")
        return ["importId": .string(importId), "aborted": .bool(true)]
    }

    /// Back on the loop: publish, hand the new leads to dispatch, reply, then let queued writes run.
    private func finishCommit(_ result: Result<ImportOutcome, Error>, importId: String, actorId: String, rows: Int,
                              started: Double, request: IPCRequest, reply: IPCReply) {
        defer { daemon.writeGate.release() }
        switch result {
        case .failure(let error):
            reply(.failure(daemon.router.answer(for: error, type: request.type, body: request.body)))
        case .success(let outcome):
            let millis = Int((MonotonicClock.seconds() - started) * 1000)
            daemon.logger.info("import committed: \(outcome.successCount) added, \(outcome.duplicateCount) duplicates in \(millis) ms",
                               ["USER_ID": actorId, "IMPORT_ID": importId, "ROWS": String(rows)])
            // Reply first: handing ~150,000 leads to dispatch takes a while and the caller need not wait.
            reply(.success(Self.replyBody(outcome, importId: importId)))
            // Written on the import's own connection: its change set is the outcome's leads.
            var changes = QueueChangeSet.inserted(outcome.inserted)
            changes.publish(QueueEventPublisher.leadsImportedBody(
                count: outcome.successCount, duplicateCount: outcome.duplicateCount, importId: importId, actorId: actorId))
            daemon.afterCommit(changes)
            // Next iteration, when the staged rows and the outcome are freed: give the pages back (issue 10).
            if rows >= Self.trimAfterRows {
                let loop = daemon.loop
                loop.post { HeapTrimmer.trim(on: loop) }
            }
        }
    }

    /// Imports of at least this many rows are followed by a heap trim.
    static let trimAfterRows = 10_000

    private func openSession(importId: String, connection: Int) throws -> ImportSession {
        guard let session = daemon.imports.session(id: importId, connection: connection) else {
            throw QueueErrors.importNotFound(CommandBody.clip(importId))
        }
        return session
    }

    /// One chunk row as a validated `StagedLead`; 400 naming the row (and line when known). A row
    /// is either the compact array the gateway sends (`ImportRowFields`) or an object.
    static func stagedRow(_ value: JSON, index: Int) throws -> StagedLead {
        if let fields = value.array { return try ImportRowFields.stagedRow(fields, index: index) }
        guard let object = value.object else {
            throw QueueErrors.validation("rows[\(index)] must be an array or an object")
        }
        let row = CommandBody(object)
        guard let line = row.value("line")?.int, line >= 1, line <= Int64(Int32.max) else {
            throw QueueErrors.validation("rows[\(index)]: \"line\" must be a positive integer")
        }
        do {
            return StagedLead(line: Int(line), lead: try LeadFieldValidator.newLead(from: try LeadFields(body: row)))
        } catch let error as IPCError {
            throw QueueErrors.validation("line \(line): \(error.message)")
        }
    }

    static func replyBody(_ outcome: ImportOutcome, importId: String) -> JSONObject {
        let limit = LeadImportWriter.maxDuplicateLinesReported
        let lines = outcome.duplicateLines.prefix(limit).map { JSON.int(Int64($0)) }
        return ["importId": .string(importId), "successCount": .int(Int64(outcome.successCount)),
                "duplicateCount": .int(Int64(outcome.duplicateCount)), "duplicateLines": .array(Array(lines)),
                "doNotCallCount": .int(Int64(outcome.doNotCallCount)),
                "duplicateLinesTruncated": .bool(outcome.duplicateLines.count > limit)]
    }
}
