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
        if let change = DialerEvent(rawValue: event.type) {
            switch change {
            case .callStatusChanged:
                guard let decoded = try? CallStatusChangedBody(body: body) else { return [] }
                return callStatusChanged(decoded, timestamp: timestamp)
            case .callUpdated, .callConnected: return []  // the queue's business (wrap-up, pacing)
            }
        }
        guard let change = QueueEvent(rawValue: event.type) else { return [] }
        switch change {
        case .leadAssigned, .callbackDue:
            // `{lead, callId, operatorId, timestamp}` to the operator and the admins.
            guard let assigned = try? LeadAssignedBody(body: body) else { return [] }
            let payload = JSONObject([("lead", assigned.lead), ("callId", .string(assigned.callId)),
                                      ("operatorId", .string(assigned.operatorId)), ("timestamp", timestamp)])
            return [RealtimeBroadcast(event: change.shortName, payload: .object(payload),
                                      rooms: RealtimeRooms.userAndAdmins(assigned.operatorId))]
        case .leadClaimed, .leadsImported, .queuePaused, .queueResumed, .stuckLeadsReset, .leadCreated,
             .leadUpdated, .leadDeleted,
             .queueExplained:  // issue 17: the queue's explanation when its headline reason changes
            return [adminBroadcast(change.shortName, body, timestamp: timestamp)]
        case .operatorStateChanged:  // issue 14: to the operator and the admins
            guard let state = try? OperatorStateChangedBody(body: body) else { return [] }
            var payload = state.body
            payload["timestamp"] = timestamp
            return [RealtimeBroadcast(event: change.shortName, payload: .object(payload),
                                      rooms: RealtimeRooms.userAndAdmins(state.operatorId))]
        case .leadsBulkUpdated:
            // Named as panels of the earlier version expect (`leads_updated`, like `leads_imported`).
            return [adminBroadcast("leads_updated", body, timestamp: timestamp)]
        case .leadStatusChanged, .queueSettingsChanged:
            return RealtimeLeadEvents.broadcast(change, body, timestamp: timestamp)
        case .dncChanged:
            return []
        }
    }

    /// The queue's body as is, with a `timestamp`, to the admin room.
    static func adminBroadcast(_ name: String, _ body: JSONObject, timestamp: JSON) -> RealtimeBroadcast {
        var payload = body
        if payload["timestamp"] == nil { payload["timestamp"] = timestamp }
        return RealtimeBroadcast(event: name, payload: .object(payload), rooms: [RealtimeRooms.admin])
    }

    /// `{callId, leadId, salespersonId, status, previousStatus, phone?, duration, timestamp}`.
    static func callStatusChanged(_ event: CallStatusChangedBody, timestamp: JSON) -> [RealtimeBroadcast] {
        let call = event.call
        guard let status = call["status"]?.string else { return [] }
        let operatorId = reference(call["salesperson"]) ?? reference(call["operatorId"])
        var payload = JSONObject()
        payload["callId"] = call["id"] ?? call["_id"] ?? .null
        payload["leadId"] = (reference(call["lead"]) ?? reference(call["leadId"])).map(JSON.string) ?? .null
        payload["salespersonId"] = operatorId.map(JSON.string) ?? .null
        payload["status"] = .string(status)
        payload["previousStatus"] = JSON.from(event.previousStatus)
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
