import Shared

/// One Socket.IO event to emit to some rooms.
struct RealtimeBroadcast: Equatable {
    var event: String
    var payload: JSON
    var rooms: [String]
}

/// Turns gateway events into Socket.IO broadcasts (DESIGN §7, reference §4.2 with its gaps
/// filled): call status changes → `call_initiated` / `call_answered` plus `call_status_updated`
/// for every change (completed, busy, no-answer, failed, canceled included), to `admin` and the
/// call's operator; `lead_assigned` to the operator who gets an answered lead (and admins);
/// lead claims, creations, edits, deletions, bulk actions (`leads_updated`), imports, queue
/// pause/resume and stuck-lead resets to admins (so a live panel sees another admin's changes), and
/// the slim lead status and queue-setting changes of `RealtimeLeadEvents`. Events the gateway
/// produced itself already name their event and rooms. Payloads get an ISO `timestamp`. Pure.
enum RealtimeEventTranslator {
    static func translate(_ event: GatewayEvent, nowMillis: Int64) -> [RealtimeBroadcast] {
        let timestamp = JSON.string(Timestamp.iso8601(millis: nowMillis))
        switch event.origin {
        case .gateway:
            guard !event.rooms.isEmpty else { return [] }
            return [RealtimeBroadcast(event: event.type, payload: .object(event.body), rooms: event.rooms)]
        case .queue, .dialer:
            break
        }
        let body = event.body
        switch event.type {
        case "event.call_status_changed":
            return callStatusChanged(body, timestamp: timestamp)
        case "event.lead_assigned", "event.callback_due":
            // `{lead, callId, operatorId, timestamp}` to the operator and the admins.
            var payload = JSONObject()
            payload["lead"] = body["lead"] ?? .null
            payload["callId"] = body["callId"] ?? .null
            payload["operatorId"] = body["operatorId"] ?? .null
            payload["timestamp"] = timestamp
            return [RealtimeBroadcast(event: String(event.type.dropFirst("event.".count)), payload: .object(payload),
                                      rooms: RealtimeRooms.userAndAdmins(body["operatorId"]?.string))]
        case "event.lead_claimed", "event.leads_imported", "event.queue_paused", "event.queue_resumed",
             "event.stuck_leads_reset", "event.lead_created", "event.lead_updated", "event.lead_deleted",
             "event.queue_explained":  // issue 17: the queue's explanation when its headline reason changes
            return [adminBroadcast(String(event.type.dropFirst("event.".count)), body, timestamp: timestamp)]
        case "event.operator_state_changed":  // issue 14: to the operator and the admins
            var payload = body
            payload["timestamp"] = timestamp
            return [RealtimeBroadcast(event: "operator_state_changed", payload: .object(payload),
                                      rooms: RealtimeRooms.userAndAdmins(body["operatorId"]?.string))]
        case "event.leads_bulk_updated":
            // Named as panels of the earlier version expect (`leads_updated`, like `leads_imported`).
            return [adminBroadcast("leads_updated", body, timestamp: timestamp)]
        default:
            guard RealtimeLeadEvents.types.contains(event.type) else { return [] }
            return RealtimeLeadEvents.broadcast(event.type, body, timestamp: timestamp)
        }
    }

    /// The queue's body as is, with a `timestamp`, to the admin room.
    static func adminBroadcast(_ name: String, _ body: JSONObject, timestamp: JSON) -> RealtimeBroadcast {
        var payload = body
        if payload["timestamp"] == nil { payload["timestamp"] = timestamp }
        return RealtimeBroadcast(event: name, payload: .object(payload), rooms: [RealtimeRooms.admin])
    }

    /// `{callId, leadId, salespersonId, status, previousStatus, phone?, duration, timestamp}`.
    static func callStatusChanged(_ body: JSONObject, timestamp: JSON) -> [RealtimeBroadcast] {
        guard let call = body["call"]?.object, let status = call["status"]?.string else { return [] }
        let operatorId = reference(call["salesperson"]) ?? reference(call["operatorId"])
        var payload = JSONObject()
        payload["callId"] = call["id"] ?? call["_id"] ?? .null
        payload["leadId"] = (reference(call["lead"]) ?? reference(call["leadId"])).map(JSON.string) ?? .null
        payload["salespersonId"] = operatorId.map(JSON.string) ?? .null
        payload["status"] = .string(status)
        payload["previousStatus"] = body["previousStatus"] ?? .null
        if let phone = call["to"]?.string ?? call["phone"]?.string { payload["phone"] = .string(phone) }
        payload["duration"] = call["duration"] ?? .int(0)
        payload["timestamp"] = timestamp
        let rooms = RealtimeRooms.userAndAdmins(operatorId)
        var broadcasts: [RealtimeBroadcast] = []
        if status == CallStatus.initiated.rawValue {
            broadcasts.append(RealtimeBroadcast(event: "call_initiated", payload: .object(payload), rooms: rooms))
        } else if status == CallStatus.answered.rawValue {
            broadcasts.append(RealtimeBroadcast(event: "call_answered", payload: .object(payload), rooms: rooms))
        }
        broadcasts.append(RealtimeBroadcast(event: "call_status_updated", payload: .object(payload), rooms: rooms))
        return broadcasts
    }

    /// An id given as a string, or as an object with `id`/`_id` (a populated reference).
    static func reference(_ value: JSON?) -> String? {
        guard let value else { return nil }
        if let s = value.string, !s.isEmpty { return s }
        return value["id"]?.string ?? value["_id"]?.string
    }
}
