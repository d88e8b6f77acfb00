/// The IPC commands of issue 17 (docs/ipc/queue.md, "Explanations"):
/// - `queue.explain {}` → `{explanation}`: why the queue is or is not dialing now.
/// - `queue.explain_leads {leadIds: [id…]}` (at most `QueueExplainer.maxLeadsPerRequest`) →
///   `{dialability: {<leadId>: {callable, firstReason, reasons, nextCallableAt}}}`; unknown ids
///   are left out. 400 `validation_failed` for a missing or oversized list or an id that is not a
///   string. Both read only; they write nothing.

import Shared

extension Dispatcher {
    static let explainCommand = "queue.explain"
    static let explainLeadsCommand = "queue.explain_leads"

    func explainQueue(_ request: IPCRequest) throws -> JSONObject {
        let now = clock.nowMillis()
        return JSONObject([("explanation", DialabilityJSON.explanation(try explainer.explain(now: now), now: now))])
    }

    func explainLeads(_ request: IPCRequest) throws -> JSONObject {
        guard let ids = request.body["leadIds"]?.array else {
            throw QueueErrors.validation("\"leadIds\" must be an array of lead ids")
        }
        guard ids.count <= QueueExplainer.maxLeadsPerRequest else {
            throw QueueErrors.validation("\"leadIds\" may hold at most \(QueueExplainer.maxLeadsPerRequest) ids")
        }
        let now = clock.nowMillis()
        var out = JSONObject()
        for value in ids {
            guard let id = value.string else { throw QueueErrors.validation("\"leadIds\" must hold strings") }
            guard let record = try daemon.store.record(id: id) else { continue }
            out[id] = DialabilityJSON.render(explainer.dialability(of: record, now: now))
        }
        return JSONObject([("dialability", .object(out))])
    }

    /// Registers both commands (read-only: not serialised behind the write gate).
    func registerExplainCommands() {
        for (type, handler) in [(Self.explainCommand, explainQueue), (Self.explainLeadsCommand, explainLeads)] {
            daemon.registerCommand(type) { [unowned daemon] request, reply in
                do {
                    reply(.success(try handler(request)))
                } catch {
                    reply(.failure(daemon.router.answer(for: error, type: request.type, body: request.body)))
                }
            }
        }
    }
}
