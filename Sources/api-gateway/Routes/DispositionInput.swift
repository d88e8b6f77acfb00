import Shared

/// The disposition part of a call update (issue 12), from `PUT /api/operator/calls/:id/update` or
/// the Socket.IO `update_call_notes` event: `disposition` one of the configured names (400 listing
/// them) and `callbackAt` an ISO 8601 time (required for `callback`; the queue-daemon checks it is
/// ahead, within 30 days and inside the lead's calling hours). Sent as `queue.set_disposition`.
enum DispositionInput {
    /// The `queue.set_disposition` fields (`QueueSetDispositionBody` without actor and call), nil
    /// when the update has no `disposition`.
    static func fields(_ object: JSONObject, allowed: [String]) throws -> Choice? {
        // A malformed `callbackAt` is refused even without a disposition (it is never ignored silently).
        var callbackAt: Int64?
        if let raw = object["callbackAt"], raw != .null {
            guard case .string(let text) = raw, let millis = Timestamp.parseISO8601(text) else {
                throw HTTPError.validation("\"callbackAt\" must be an ISO 8601 time such as 2026-01-15T10:30:00Z")
            }
            callbackAt = millis
        }
        guard let value = object["disposition"], value != .null else { return nil }
        guard case .string(let name) = value, allowed.contains(name) else {
            throw HTTPError.validation("\"disposition\" must be one of " + allowed.joined(separator: ", "))
        }
        if callbackAt == nil && name == Dispositions.callback {
            throw HTTPError.validation("\"callbackAt\" is required for the callback disposition")
        }
        return Choice(disposition: name, callbackAt: callbackAt)
    }

    /// The disposition chosen and, for a call-back, when (epoch ms).
    struct Choice: Equatable {
        var disposition: String
        var callbackAt: Int64?
    }

    /// `object` without the disposition keys (what is left for `dialer.update_call`).
    static func remainder(_ object: JSONObject) -> JSONObject {
        var rest = object
        rest["disposition"] = nil
        rest["callbackAt"] = nil
        return rest
    }
}
