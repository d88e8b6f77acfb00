/// One `leads` row decoded for the queue-daemon's own logic (the JSON for clients is rendered
/// from the SQL row by `LeadJSON`). The state the rules read and write (status, priority,
/// attempts, times, holder, do-not-call, call-back operator) is stored once, as the state
/// machine's `snapshot`, and the contact fields (phone, name, email, notes, tags) as the
/// `LeadContact` a new lead has too; both are read through the record (`record.status`,
/// `record.phone`). The rest of the row (source, zone, disposition, call-back) is the record's own.

import Shared

@dynamicMemberLookup
struct LeadRecord: Equatable {
    var snapshot: LeadSnapshot
    var contact: LeadContact
    var source: String
    var updatedAt: Int64
    /// The snapshot's `timezones` follow it.
    var timezone: ResolvedTimeZone { didSet { snapshot.timezones = timezone.column ?? "" } }
    var disposition: String?
    var callbackAt: Int64?
    /// `hold_reason` (issue 12): why `next_call_time` was set by the rules, nil for a back-off.
    /// The snapshot's `capHeld` follows it.
    var holdReason: String? { didSet { snapshot.capHeld = holdReason == CallableReason.dailyCap.rawValue } }

    /// Decodes a row selected with `LeadJSON.columns`. A status or priority that is not in the
    /// vocabulary (only possible through a hand-edited database) reads as `failed` / `medium`, so
    /// the lead is never dialled by mistake.
    init(row: Row) {
        timezone = ResolvedTimeZone(column: row.optionalString("timezone"), source: row.optionalString("timezone_source"))
        holdReason = row.optionalString("hold_reason")
        snapshot = LeadSnapshot(id: row.string("id"), status: LeadStatus(rawValue: row.string("status")) ?? .failed,
                                priority: LeadPriority(rawValue: row.string("priority")) ?? .medium,
                                isActive: row.bool("is_active"), attempts: Int(clamping: row.int("call_attempts")),
                                nextCallTime: row.optionalInt("next_call_time"),
                                lastCallAttempt: row.optionalInt("last_call_attempt"),
                                assignedTo: row.optionalString("assigned_to"), claimedAt: row.optionalInt("claimed_at"),
                                createdAt: row.int("created_at"), timezones: timezone.column ?? "",
                                doNotCall: row.bool("do_not_call"), callbackOperator: row.optionalString("callback_operator"))
        snapshot.capHeld = holdReason == CallableReason.dailyCap.rawValue
        contact = LeadContact(phone: row.string("phone"), name: row.string("name"), email: row.string("email"),
                              notes: row.string("notes"), tags: LeadJSON.tags(fromColumn: row.string("tags")))
        source = row.string("source")
        updatedAt = row.int("updated_at")
        disposition = row.optionalString("disposition")
        callbackAt = row.optionalInt("callback_at")
    }

    /// The snapshot's fields and properties, read through the record (`record.status`,
    /// `record.isDispatchable`).
    subscript<Value>(dynamicMember keyPath: KeyPath<LeadSnapshot, Value>) -> Value { snapshot[keyPath: keyPath] }

    subscript<Value>(dynamicMember keyPath: WritableKeyPath<LeadSnapshot, Value>) -> Value {
        get { snapshot[keyPath: keyPath] }
        set { snapshot[keyPath: keyPath] = newValue }
    }

    /// The contact fields, read and set through the record (`record.phone`).
    subscript<Value>(dynamicMember keyPath: WritableKeyPath<LeadContact, Value>) -> Value {
        get { contact[keyPath: keyPath] }
        set { contact[keyPath: keyPath] = newValue }
    }

    /// A call is live on the lead: it may not be deleted or re-set by hand.
    var hasCallInProgress: Bool { snapshot.status == .calling || snapshot.status == .answered }
}
