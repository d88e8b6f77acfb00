import Shared

/// Lead status and queue-setting changes pushed to admins (issue 13: the wallboard's lead
/// counters must follow every change within a second, and releases, claim expiries, retries
/// and status changes made by calls had no Socket.IO event of their own). Payloads are slim —
/// ids, the change, a timestamp, no lead record — because a busy queue changes a lead's status
/// several times per call; panels reload what they show. Pure.
enum RealtimeLeadEvents {
    /// `lead_status_changed {leadId, from, to, reason}` and `queue_settings_changed {paused,
    /// maxConcurrentCalls}`, each with `timestamp`, to the `admin` room.
    static func broadcast(_ event: QueueEvent, _ body: JSONObject, timestamp: JSON) -> [RealtimeBroadcast] {
        let name = event.shortName
        var payload = JSONObject()
        if event == .leadStatusChanged {
            guard let change = try? LeadStatusChangedBody(body: body) else { return [] }
            let lead = change.lead.object
            let leadId = RealtimeEventTranslator.reference(body["leadId"]) ?? lead.flatMap { $0["id"]?.string ?? $0["_id"]?.string }
            payload["leadId"] = leadId.map(JSON.string) ?? .null
            payload["from"] = .string(change.from)
            payload["to"] = .string(change.to)
            payload["reason"] = .string(change.reason)
        } else {
            guard let settings = try? QueueSettingsChangedBody(body: body) else { return [] }
            payload["paused"] = .bool(settings.paused)
            payload["maxConcurrentCalls"] = .int(settings.maxConcurrentCalls)
        }
        payload["timestamp"] = timestamp
        return [RealtimeBroadcast(event: name, payload: .object(payload), rooms: [RealtimeRooms.admin])]
    }
}
