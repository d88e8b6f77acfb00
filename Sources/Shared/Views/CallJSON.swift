/// The JSON shape of a call (the original's CallLog, reference §2.3), shared by the dialer-daemon
/// (IPC replies and `event.call_status_changed`) and the api-gateway (HTTP responses):
/// `_id`, `id`, `lead` (lead id), `salesperson` (operator id or null: the field name panels use),
/// `twilioCallSid`, `direction`, `mode`, `status`, `from`, `to`, `duration` (seconds),
/// `startTime`, `answerTime`, `endTime`, `transferTime` (ISO 8601 UTC with milliseconds, null when
/// absent), `notes`, `errorCode`, `errorMessage`, `endReason`, `createdAt`, `updatedAt`,
/// `disposition`, `dispositionAt`, `callbackAt` (issue 12).
/// Every key is always present (null when unset), in this order. Also defines `CallRecord`, a
/// `calls` row as a typed value.
public enum CallJSON {
    /// The keys of a rendered call, in order.
    public static let keys = ["_id", "id", "lead", "salesperson", "twilioCallSid", "direction", "mode",
                              "status", "from", "to", "duration", "startTime", "answerTime", "endTime",
                              "transferTime", "notes", "errorCode", "errorMessage", "endReason",
                              "createdAt", "updatedAt", "disposition", "dispositionAt", "callbackAt"]

    /// Renders a row of `SELECT * FROM calls` (any row with the `calls` column names). Lenient:
    /// a missing or odd column renders as null, so a reader never fails on one bad row.
    public static func render(row: Row) -> JSONObject {
        let id = JSON.from(row.optionalString("id"))
        return JSONObject([
            ("_id", id), ("id", id),
            ("lead", JSON.from(row.optionalString("lead_id"))),
            ("salesperson", JSON.from(row.optionalString("operator_id"))),
            ("twilioCallSid", JSON.from(row.optionalString("twilio_call_sid"))),
            ("direction", JSON.from(row.optionalString("direction"))),
            ("mode", JSON.from(row.optionalString("mode"))),
            ("status", JSON.from(row.optionalString("status"))),
            ("from", JSON.from(row.optionalString("from_number"))),
            ("to", JSON.from(row.optionalString("to_number"))),
            ("duration", .int(row.optionalInt("duration") ?? 0)),
            ("startTime", time(row.optionalInt("start_time"))),
            ("answerTime", time(row.optionalInt("answer_time"))),
            ("endTime", time(row.optionalInt("end_time"))),
            ("transferTime", time(row.optionalInt("transfer_time"))),
            ("notes", JSON.from(row.optionalString("notes"))),
            ("errorCode", JSON.from(row.optionalString("error_code"))),
            ("errorMessage", JSON.from(row.optionalString("error_message"))),
            ("endReason", JSON.from(row.optionalString("end_reason"))),
            ("createdAt", time(row.optionalInt("created_at"))),
            ("updatedAt", time(row.optionalInt("updated_at"))),
            ("disposition", JSON.from(row.optionalString("disposition"))),
            ("dispositionAt", time(row.optionalInt("disposition_at"))),
            ("callbackAt", time(row.optionalInt("callback_at"))),
        ])
    }

    /// Renders a typed call; the same keys and values as `render(row:)` of its row.
    public static func render(_ call: CallRecord) -> JSONObject {
        let id = JSON.string(call.id)
        return JSONObject([
            ("_id", id), ("id", id),
            ("lead", .string(call.leadId)),
            ("salesperson", JSON.from(call.operatorId)),
            ("twilioCallSid", JSON.from(call.twilioCallSid)),
            ("direction", .string(call.direction)),
            ("mode", .string(call.mode.rawValue)),
            ("status", .string(call.status.rawValue)),
            ("from", .string(call.from)),
            ("to", .string(call.to)),
            ("duration", .int(Int64(call.duration))),
            ("startTime", time(call.startTime)),
            ("answerTime", time(call.answerTime)),
            ("endTime", time(call.endTime)),
            ("transferTime", time(call.transferTime)),
            ("notes", JSON.from(call.notes)),
            ("errorCode", JSON.from(call.errorCode)),
            ("errorMessage", JSON.from(call.errorMessage)),
            ("endReason", JSON.from(call.endReason)),
            ("createdAt", time(call.createdAt)),
            ("updatedAt", time(call.updatedAt)),
            ("disposition", JSON.from(call.disposition)),
            ("dispositionAt", time(call.dispositionAt)),
            ("callbackAt", time(call.callbackAt)),
        ])
    }

    /// ISO 8601 with milliseconds, or null.
    public static func time(_ millis: Int64?) -> JSON {
        guard let millis else { return .null }
        return .string(Timestamp.iso8601(millis: millis))
    }
}

/// One `calls` row (RULES.md schema) as a typed value. Timestamps are epoch milliseconds (UTC).
public struct CallRecord: Equatable, Sendable {
    public var id: String
    public var leadId: String
    public var operatorId: String?
    public var twilioCallSid: String?
    /// Always "outbound" today (the original's enum also has "inbound", never used).
    public var direction: String
    public var mode: CallMode
    public var status: CallStatus
    /// `from_number`: the caller id shown to the lead.
    public var from: String
    /// `to_number`: the lead's phone.
    public var to: String
    /// Talk time in whole seconds.
    public var duration: Int
    public var startTime: Int64
    public var answerTime: Int64?
    public var endTime: Int64?
    public var transferTime: Int64?
    public var notes: String?
    public var errorCode: String?
    public var errorMessage: String?
    public var endReason: String?
    public var createdAt: Int64
    public var updatedAt: Int64
    /// What the call achieved, as the operator recorded it (issue 12), and when; nil before.
    public var disposition: String?
    public var dispositionAt: Int64?
    /// The call-back the operator booked with a `callback` disposition.
    public var callbackAt: Int64?

    /// The direction of every call the system places.
    public static let outbound = "outbound"

    public init(id: String, leadId: String, operatorId: String?, twilioCallSid: String? = nil,
                direction: String = CallRecord.outbound, mode: CallMode, status: CallStatus,
                from: String, to: String, duration: Int = 0, startTime: Int64, answerTime: Int64? = nil,
                endTime: Int64? = nil, transferTime: Int64? = nil, notes: String? = nil,
                errorCode: String? = nil, errorMessage: String? = nil, endReason: String? = nil,
                createdAt: Int64, updatedAt: Int64) {
        self.id = id
        self.leadId = leadId
        self.operatorId = operatorId
        self.twilioCallSid = twilioCallSid
        self.direction = direction
        self.mode = mode
        self.status = status
        self.from = from
        self.to = to
        self.duration = duration
        self.startTime = startTime
        self.answerTime = answerTime
        self.endTime = endTime
        self.transferTime = transferTime
        self.notes = notes
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.endReason = endReason
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Reads a `calls` row; nil when the id, lead id, status or mode is missing or unknown.
    public init?(row: Row) {
        guard let id = row.optionalString("id"), let leadId = row.optionalString("lead_id"),
              let status = row.optionalString("status").flatMap(CallStatus.init(rawValue:)),
              let mode = row.optionalString("mode").flatMap(CallMode.init(rawValue:)) else { return nil }
        self.init(id: id, leadId: leadId, operatorId: row.optionalString("operator_id"),
                  twilioCallSid: row.optionalString("twilio_call_sid"),
                  direction: row.optionalString("direction") ?? CallRecord.outbound,
                  mode: mode, status: status,
                  from: row.string("from_number"), to: row.string("to_number"),
                  duration: Int(clamping: row.int("duration")),
                  startTime: row.int("start_time"), answerTime: row.optionalInt("answer_time"),
                  endTime: row.optionalInt("end_time"), transferTime: row.optionalInt("transfer_time"),
                  notes: row.optionalString("notes"), errorCode: row.optionalString("error_code"),
                  errorMessage: row.optionalString("error_message"), endReason: row.optionalString("end_reason"),
                  createdAt: row.int("created_at"), updatedAt: row.int("updated_at"))
        disposition = row.optionalString("disposition")
        dispositionAt = row.optionalInt("disposition_at")
        callbackAt = row.optionalInt("callback_at")
    }

    /// The rendered JSON (`CallJSON.render`).
    public var json: JSONObject { CallJSON.render(self) }
}
