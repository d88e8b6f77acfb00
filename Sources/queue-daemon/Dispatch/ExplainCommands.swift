/// The IPC commands of issue 17 (docs/ipc/queue.md, "Explanations"):
/// - `queue.explain {}` → `{explanation}`: why the queue is or is not dialing now.
/// - `queue.explain_leads {leadIds: [id…]}` (at most `QueueExplainer.maxLeadsPerRequest`) →
///   `{dialability: {<leadId>: {callable, firstReason, reasons, nextCallableAt}}}`; unknown ids
///   are left out. 400 `validation_failed` for a missing or oversized list or an id that is not a
///   string. Both read only; they write nothing.

import Shared

extension Dispatcher {
    func explainQueue(_ command: ExplainBody) throws -> JSONObject {
        let now = clock.nowMillis()
        return JSONObject([("explanation", DialabilityJSON.explanation(try explainer.explain(now: now), now: now))])
    }

    func explainLeads(_ command: ExplainLeadsBody) throws -> JSONObject {
        let ids = command.leadIds
        guard ids.count <= QueueExplainer.maxLeadsPerRequest else {
            throw QueueErrors.validation("\"leadIds\" may hold at most \(QueueExplainer.maxLeadsPerRequest) ids")
        }
        let now = clock.nowMillis()
        var out = JSONObject()
        for id in ids {
            guard let record = try daemon.store.record(id: id) else { continue }
            out[id] = DialabilityJSON.render(explainer.dialability(of: record, now: now))
        }
        return JSONObject([("dialability", .object(out))])
    }

    /// Registers both commands (read-only: not serialised behind the write gate).
    func registerExplainCommands() {
        daemon.registerCommand(ExplainBody.self) { [weak self] command, reply in
            guard let self else { throw IPCError.unreachable("queue-daemon") }
            reply(.success(try self.explainQueue(command)))
        }
        daemon.registerCommand(ExplainLeadsBody.self) { [weak self] command, reply in
            guard let self else { throw IPCError.unreachable("queue-daemon") }
            reply(.success(try self.explainLeads(command)))
        }
    }
}
