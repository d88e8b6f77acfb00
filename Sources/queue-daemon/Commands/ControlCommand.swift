/// `queue.control {actorId?, action, value?}` — the admin's queue controls (original
/// `POST /api/admin/system/control`), with the original reply shapes:
/// - `pause_queue` → `{message: "Call queue paused", status: "paused"}`; persisted; publishes
///   `event.queue_paused` when it changed.
/// - `resume_queue` → `{message: "Call queue resumed", status: "running"}`; `event.queue_resumed`.
/// - `set_max_concurrent_calls` (`value` 1…10000) → `{message, maxConcurrentCalls}`; persisted;
///   publishes `event.queue_settings_changed`.
/// - `set_calling_hours` (`start`, `end` "HH:MM", `days` ["mon",…], issue 12) → `{message,
///   callingHours: {start, end, days}}`; persisted; `event.queue_settings_changed`; dispatch
///   re-reads the queue so leads held for the old window are looked at again.
/// - `get_queue_status` → `{message: "Queue status retrieved", status: {isRunning, paused,
///   maxConcurrentCalls, activeCalls, claimTimeoutSeconds, leads: {<status>: count}, openImports},
///   activeCalls: [...]}` (the dispatch hook adds call details).
/// - `reset_stuck_leads` → answered by the dispatch hook (`{message: "Stuck leads reset completed", ...}`).
/// Missing action → 400 "Action parameter required"; unknown → 400 `invalid_action` ("Invalid
/// action specified", the message lists the allowed actions).

import Shared

struct ControlCommand {
    static let actions = ControlBody.Action.allCases.map(\.rawValue)

    // unowned: reachable only through the daemon's own server handlers (`CommandRouter`), which the daemon owns.
    unowned let daemon: QueueDaemon

    func run(_ command: ControlBody, reply: @escaping IPCReply) throws {
        let body = CommandBody(command.arguments)
        let actorId = command.actorId
        switch command.action {
        case .pauseQueue, .resumeQueue:
            let paused = command.action == .pauseQueue
            write(reply) {
                if try daemon.settings.setPaused(paused) {
                    daemon.logger.notice(paused ? "queue paused" : "queue resumed", actorId.map { ["USER_ID": $0] } ?? [:])
                    daemon.events.queuePausedOrResumed(paused: paused, actorId: actorId)
                    daemon.dispatch?.queueSettingsChanged(daemon.settings.current)
                }
                return ["message": .string(paused ? "Call queue paused" : "Call queue resumed"),
                        "status": .string(paused ? "paused" : "running")]
            }
        case .setMaxConcurrentCalls:
            // The last check of `FieldRules.maxConcurrentCalls` (the gateway checked it for its 400).
            let rule = FieldRules.maxConcurrentCalls
            guard let value = body.value("value")?.int else { throw QueueErrors.validation("\"value\" must be an integer") }
            if let message = rule.violation(value: value) { throw QueueErrors.validation(message) }
            write(reply) {
                let before = daemon.settings.current
                try daemon.settings.setMaxConcurrentCalls(Int(value))
                if daemon.settings.current != before {
                    daemon.logger.notice("max concurrent calls set to \(value)", actorId.map { ["USER_ID": $0] } ?? [:])
                    daemon.events.queueSettingsChanged(daemon.settings.current, actorId: actorId)
                    daemon.dispatch?.queueSettingsChanged(daemon.settings.current)
                }
                return ["message": "Max concurrent calls updated", "maxConcurrentCalls": .int(value)]
            }
        case .setCallingHours:
            let hours = try Self.callingHours(body)
            write(reply) {
                let before = daemon.settings.current
                try daemon.settings.setCallingHours(hours)
                if daemon.settings.current != before {
                    daemon.logger.notice("calling hours set to \(hours.summary)", actorId.map { ["USER_ID": $0] } ?? [:])
                    daemon.events.queueSettingsChanged(daemon.settings.current, actorId: actorId)
                    daemon.dispatch?.queueSettingsChanged(daemon.settings.current)
                }
                return ["message": "Calling hours updated", "callingHours": Self.json(hours)]
            }
        case .getQueueStatus:
            reply(.success(try status()))
        case .setPacing:
            let (mode, rate) = try PacingControl.parse(body, current: daemon.settings.current)
            write(reply) {
                if try daemon.settings.setPacing(mode: mode, maxAbandonRate: rate) {
                    daemon.logger.notice("pacing set to \(mode.rawValue), abandon cap \(rate)", actorId.map { ["USER_ID": $0] } ?? [:])
                    daemon.events.queueSettingsChanged(daemon.settings.current, actorId: actorId)
                    daemon.dispatch?.queueSettingsChanged(daemon.settings.current)
                }
                return PacingControl.reply(daemon.settings.current)
            }
        case .resetStuckLeads:
            guard let dispatch = daemon.dispatch else {
                throw IPCError.unavailable(code: .notAvailable, message: "Stuck-lead recovery is not available")
            }
            daemon.writeGate.perform { dispatch.resetStuckLeads(actorId: actorId, reply: reply) }
        }
    }

    /// `{start, end, days}` from the body (top level, or inside `value`); 400 naming what is wrong.
    static func callingHours(_ body: CommandBody) throws -> CallingHours {
        let source = body.value("value")?.object.map(CommandBody.init) ?? body
        guard let start = source.value("start")?.string, let end = source.value("end")?.string else {
            throw QueueErrors.validation("set_calling_hours needs \"start\" and \"end\" as \"HH:MM\"")
        }
        var days = Weekday.names
        if let value = source.value("days"), value != .null {
            guard let array = value.array else { throw QueueErrors.validation("\"days\" must be an array of day names") }
            days = try array.map { item in
                guard let name = item.string else { throw QueueErrors.validation("\"days\" must be an array of day names") }
                return name
            }
        }
        do {
            return try CallingHours(start: start, end: end, days: days)
        } catch let error as CallingHoursError {
            throw QueueErrors.validation(error.message)
        }
    }

    static func json(_ hours: CallingHours) -> JSON {
        .object(JSONObject([("start", .string(hours.start)), ("end", .string(hours.end)),
                            ("days", .array(hours.dayNames.map(JSON.string)))]))
    }

    /// Runs a settings write through the write gate and answers with its result.
    private func write(_ reply: @escaping IPCReply, _ body: @escaping () throws -> JSONObject) {
        daemon.writeGate.perform { [daemon] in
            do {
                reply(.success(try body()))
            } catch {
                reply(.failure(daemon.router.answer(for: error, type: QueueCommand.control.rawValue, body: JSONObject())))
            }
        }
    }

    private func status() throws -> JSONObject {
        let settings = daemon.settings.current
        var leads = JSONObject()
        let counts = try daemon.store.activeStatusCounts()
        for status in LeadStatus.allCases { leads[status.rawValue] = .int(Int64(counts[status] ?? 0)) }
        var status: JSONObject = [
            "isRunning": .bool(!settings.paused), "paused": .bool(settings.paused),
            "maxConcurrentCalls": .int(Int64(settings.maxConcurrentCalls)), "activeCalls": 0,
            "claimTimeoutSeconds": .int(Int64(daemon.config.claimTimeoutSeconds)),
            "leads": .object(leads), "openImports": .int(Int64(daemon.imports.openCount)),
            "callingHours": Self.json(settings.callingHours),
            "unknownTimezoneLeads": .int(Int64(try daemon.store.unknownTimezoneCount())),
        ]
        let details = daemon.dispatch?.queueStatusDetails() ?? (status: JSONObject(), activeCalls: [])
        for (key, value) in details.status { status[key] = value }
        return ["message": "Queue status retrieved", "status": .object(status), "activeCalls": .array(details.activeCalls)]
    }
}
