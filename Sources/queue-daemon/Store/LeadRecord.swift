/// One `leads` row decoded for the queue-daemon's own logic (the JSON for clients is rendered
/// from the SQL row by `LeadJSON`). `snapshot` is the state machine's view of it.

import Shared

struct LeadRecord: Equatable {
    var id: LeadID
    var phone: String
    var name: String
    var email: String
    var status: LeadStatus
    var priority: LeadPriority
    var attempts: Int
    var lastCallAttempt: Int64?
    var nextCallTime: Int64?
    var assignedTo: String?
    var claimedAt: Int64?
    var notes: String
    var tags: [String]
    var source: String
    var isActive: Bool
    var createdAt: Int64
    var updatedAt: Int64
    var timezone: ResolvedTimeZone
    var doNotCall: Bool
    var disposition: String?
    var callbackOperator: OperatorID?
    var callbackAt: Int64?
    /// `hold_reason` (issue 12): why `next_call_time` was set by the rules, nil for a back-off.
    var holdReason: String?

    /// Decodes a row selected with `LeadJSON.columns`. A status or priority that is not in the
    /// vocabulary (only possible through a hand-edited database) reads as `failed` / `medium`, so
    /// the lead is never dialled by mistake.
    init(row: Row) {
        id = row.string("id")
        phone = row.string("phone")
        name = row.string("name")
        email = row.string("email")
        status = LeadStatus(rawValue: row.string("status")) ?? .failed
        priority = LeadPriority(rawValue: row.string("priority")) ?? .medium
        attempts = Int(clamping: row.int("call_attempts"))
        lastCallAttempt = row.optionalInt("last_call_attempt")
        nextCallTime = row.optionalInt("next_call_time")
        assignedTo = row.optionalString("assigned_to")
        claimedAt = row.optionalInt("claimed_at")
        notes = row.string("notes")
        tags = LeadJSON.tags(fromColumn: row.string("tags"))
        source = row.string("source")
        isActive = row.bool("is_active")
        createdAt = row.int("created_at")
        updatedAt = row.int("updated_at")
        doNotCall = row.bool("do_not_call")
        disposition = row.optionalString("disposition")
        callbackOperator = row.optionalString("callback_operator")
        callbackAt = row.optionalInt("callback_at")
        holdReason = row.optionalString("hold_reason")
        timezone = ResolvedTimeZone(column: row.optionalString("timezone"), source: row.optionalString("timezone_source"))
    }

    var snapshot: LeadSnapshot {
        var lead = LeadSnapshot(id: id, status: status, priority: priority, isActive: isActive, attempts: attempts,
                                nextCallTime: nextCallTime, lastCallAttempt: lastCallAttempt, assignedTo: assignedTo,
                                claimedAt: claimedAt, createdAt: createdAt,
                                timezones: timezone.column ?? "", doNotCall: doNotCall, callbackOperator: callbackOperator)
        lead.capHeld = holdReason == CallableReason.dailyCap.rawValue
        return lead
    }

    var isDispatchable: Bool { snapshot.isDispatchable }

    /// A call is live on the lead: it may not be deleted or re-set by hand.
    var hasCallInProgress: Bool { status == .calling || status == .answered }
}
