import Shared

/// Lead and queue-setting changes pushed to admins (issue 13: the wallboard's lead counters
/// must follow every change within a second, and creations, edits, deletions, bulk actions,
/// releases and claim expiries had no Socket.IO event). Payloads are slim — ids, the change, a
/// timestamp, no lead record — because a busy queue changes a lead's status several times per
/// call; panels reload what they show. Pure.
enum RealtimeLeadEvents {
    /// The daemon events this covers (`event.` + the Socket.IO event name).
    static let types: Set<String> = ["event.lead_created", "event.lead_updated", "event.lead_deleted",
                                     "event.lead_status_changed", "event.leads_bulk_updated",
                                     "event.queue_settings_changed"]

    /// `lead_created {leadId, status, priority}`, `lead_updated {leadId, fields}`,
    /// `lead_deleted {leadId}`, `lead_status_changed {leadId, from, to, reason}`,
    /// `leads_bulk_updated {action, modifiedCount}`, `queue_settings_changed {paused,
    /// maxConcurrentCalls}`, each with `timestamp`, to the `admin` room.
    static func broadcast(_ type: String, _ body: JSONObject, timestamp: JSON) -> [RealtimeBroadcast] {
        let name = String(type.dropFirst("event.".count))
        let lead = body["lead"]?.object
        let leadId = RealtimeEventTranslator.reference(body["leadId"]) ?? lead.flatMap { $0["id"]?.string ?? $0["_id"]?.string }
        var payload = JSONObject()
        switch name {
        case "lead_created":
            payload["leadId"] = leadId.map(JSON.string) ?? .null
            payload["status"] = lead?["status"] ?? .null
            payload["priority"] = lead?["priority"] ?? .null
        case "lead_updated":
            payload["leadId"] = leadId.map(JSON.string) ?? .null
            payload["fields"] = body["fields"] ?? .array([])
        case "lead_deleted":
            payload["leadId"] = leadId.map(JSON.string) ?? .null
        case "lead_status_changed":
            payload["leadId"] = leadId.map(JSON.string) ?? .null
            payload["from"] = body["from"] ?? .null
            payload["to"] = body["to"] ?? .null
            payload["reason"] = body["reason"] ?? .null
        case "leads_bulk_updated":
            payload["action"] = body["action"] ?? .null
            payload["modifiedCount"] = body["modifiedCount"] ?? .int(0)
        default:
            payload["paused"] = body["paused"] ?? .null
            payload["maxConcurrentCalls"] = body["maxConcurrentCalls"] ?? .null
        }
        payload["timestamp"] = timestamp
        return [RealtimeBroadcast(event: name, payload: .object(payload), rooms: [RealtimeRooms.admin])]
    }
}
