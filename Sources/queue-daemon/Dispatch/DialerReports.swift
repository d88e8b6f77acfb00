/// The dialer's messages as the dispatcher reads them (docs/ipc/dialer.md):
/// `event.call_status_changed {call:{id, lead, salesperson, status, mode, startTime, …},
/// previousStatus}` becomes a `CallReport`, and each entry of the `dialer.status` reply's
/// `activeCalls:[{callId, leadId, operatorId, status, startTime}]` a `DialerLiveCall`. Parsing is
/// strict about what dispatch needs (ids are ObjectIDs, the status is in the vocabulary) and
/// ignores everything else; a malformed report is dropped and logged, never trusted.

import Shared

struct CallReport: Equatable {
    let callId: CallID
    let leadId: LeadID
    let operatorId: OperatorID?
    let status: CallStatus
    let previousStatus: CallStatus?
    let mode: CallMode
    /// `startTime` in ms; nil when absent or unreadable.
    let startTime: Int64?

    /// The report of a raw `event.call_status_changed` body (nil when it does not decode).
    init?(eventBody body: JSONObject) {
        guard let event = try? CallStatusChangedBody(body: body) else { return nil }
        self.init(event)
    }

    /// Reads a decoded `event.call_status_changed`; nil when the call's id, lead or status is
    /// missing or malformed.
    init?(_ event: CallStatusChangedBody) {
        let call = event.call
        guard let callId = call["id"]?.string ?? call["_id"]?.string, ObjectID.isValid(callId),
              let leadId = call["lead"]?.string, ObjectID.isValid(leadId),
              let statusText = call["status"]?.string, let status = CallStatus(rawValue: statusText)
        else { return nil }
        let operatorId = call["salesperson"]?.string
        if let operatorId, !ObjectID.isValid(operatorId) { return nil }
        self.callId = callId
        self.leadId = leadId
        self.operatorId = operatorId
        self.status = status
        previousStatus = event.previousStatus.flatMap(CallStatus.init(rawValue:))
        mode = call["mode"]?.string.flatMap(CallMode.init(rawValue:)) ?? .automatic
        startTime = call["startTime"]?.string.flatMap(Timestamp.parseISO8601)
    }

    var logFields: [String: String] {
        var fields = ["LEAD_ID": leadId, "CALL_ID": callId, "CALL_STATUS": status.rawValue]
        if let operatorId { fields["USER_ID"] = operatorId }
        return fields
    }
}

struct DialerLiveCall: Equatable {
    let callId: CallID
    let leadId: LeadID
    let operatorId: OperatorID?
    let status: CallStatus
    let startTime: Int64?

    init(callId: CallID, leadId: LeadID, operatorId: OperatorID?, status: CallStatus, startTime: Int64?) {
        self.callId = callId
        self.leadId = leadId
        self.operatorId = operatorId
        self.status = status
        self.startTime = startTime
    }

    /// Reads the `dialer.status` reply; nil when `activeCalls` is missing or not an array.
    /// Entries that are malformed or already terminal are skipped.
    static func list(fromStatusReply body: JSONObject) -> [DialerLiveCall]? {
        guard let entries = body["activeCalls"]?.array else { return nil }
        return entries.compactMap { entry in
            guard let object = entry.object,
                  let callId = object["callId"]?.string, ObjectID.isValid(callId),
                  let leadId = object["leadId"]?.string, ObjectID.isValid(leadId),
                  let status = object["status"]?.string.flatMap(CallStatus.init(rawValue:)), !status.isTerminal
            else { return nil }
            let operatorId = object["operatorId"]?.string.flatMap { ObjectID.isValid($0) ? $0 : nil }
            let startTime = object["startTime"]?.string.flatMap(Timestamp.parseISO8601)
            return DialerLiveCall(callId: callId, leadId: leadId, operatorId: operatorId, status: status,
                                  startTime: startTime)
        }
    }
}
