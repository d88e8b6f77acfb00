import Shared

/// The call writes gathered for the next group commit (`CallCommitter`), one entry per call in
/// the order the calls were first written: a call inserted and then changed before the commit is
/// inserted once, as it is by then; a call changed several times is updated once, to its last
/// state (the counters' triggers count from the row's old and new values, so the result is the
/// same as writing every step). Answers what `start_call` must know before the commit: whether a
/// call id is waiting, and which live call of a lead is. Pure data; the owner is loop-confined.
struct CallWriteBatch {
    struct Entry: Equatable {
        var call: CallRecord
        /// The call has no row yet.
        var isInsert: Bool
    }

    private(set) var order: [String] = []
    private(set) var entries: [String: Entry] = [:]
    /// The waiting live call of each lead (a lead has at most one live call).
    private var liveByLead: [String: String] = [:]

    var count: Int { order.count }
    var isEmpty: Bool { order.isEmpty }

    /// Adds `call` as it is now; `inserting` for a call with no row yet.
    mutating func add(_ call: CallRecord, inserting: Bool) {
        if var entry = entries[call.id] {
            entry.call = call
            entries[call.id] = entry
        } else {
            order.append(call.id)
            entries[call.id] = Entry(call: call, isInsert: inserting)
        }
        if !call.status.isTerminal {
            liveByLead[call.leadId] = call.id
        } else if liveByLead[call.leadId] == call.id {
            liveByLead[call.leadId] = nil
        }
    }

    /// The waiting state of `callId`, if it waits.
    func waiting(id callId: String) -> CallRecord? { entries[callId]?.call }

    /// The waiting live call of `leadId`, if any.
    func waitingLiveCall(forLead leadId: String) -> CallRecord? {
        liveByLead[leadId].flatMap { entries[$0]?.call }
    }

    /// The calls to insert, in order.
    var inserts: [CallRecord] { order.compactMap { entries[$0].flatMap { $0.isInsert ? $0.call : nil } } }
    /// The calls to update, in order.
    var updates: [CallRecord] { order.compactMap { entries[$0].flatMap { $0.isInsert ? nil : $0.call } } }
}
