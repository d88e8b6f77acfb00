/// The facts and the answer of `DialabilityDecision` (issue 17): what is true about a lead and
/// the queue at one instant, and the ordered reasons that keep the lead from being dialed.

import Shared

/// Everything the decision looks at.
struct DialabilityFacts: Equatable {
    /// The lead's own facts.
    var lead = LeadDialFacts()
    /// The queue's facts at this instant.
    var queue = QueueDialFacts()
}

struct LeadDialFacts: Equatable {
    var status: LeadStatus = .pending
    var isActive = true
    var assignedTo: OperatorID?
    var attempts = 0
    var doNotCall = false
    /// A booked call-back reserved for an operator (issue 12).
    var callback: CallbackFacts?
    /// `next_call_time` (ms): not dialed before it; nil = now.
    var nextCallTime: Int64?
    /// The stored `next_call_time` is a daily-cap hold (`hold_reason`), not a retry back-off.
    var nextCallTimeIsCapHold = false
    /// The lead's zones are known (an empty or unloadable `leads.timezone` is not).
    var zoneKnown = true
    /// The calling window in the lead's zones (ignored when the zone is unknown).
    var window: WindowState = .open(closesAt: .max)
    /// The lead's local time(s) now, for the explanation ("14:05 Asia/Tashkent").
    var localTime: String?
    /// Start times (ms) of the calls to the number within the cap window.
    var recentCallTimes: [Int64] = []
}

struct CallbackFacts: Equatable {
    var operatorId: OperatorID
    /// The booked time (ms).
    var dueAt: Int64
    /// Until when it waits for its operator after `dueAt` (ms): `dueAt + IBRAT_CALLBACK_GRACE`.
    var graceEndsAt: Int64
    /// Its operator is free to take it now.
    var operatorFree: Bool
}

struct QueueDialFacts: Equatable {
    var paused = false
    /// Connected to the dialer and reconciled with it (dispatch is held otherwise).
    var dialerReady = true
    var freeLines = 1
    /// A call placed now would get an operator: a free operator to reserve (progressive), or
    /// room in the predictive model's plan.
    var operatorAvailable = true
}

/// One reason, with what a supervisor needs to act on it.
struct DialabilityReason: Equatable {
    enum Code: String, CaseIterable, Equatable {
        case paused
        case dialerUnavailable = "dialer_unavailable"
        case notPending = "not_pending"
        case claimed
        case doNotCall = "do_not_call"
        case callbackReserved = "callback_reserved"
        case unknownTimezone = "unknown_timezone"
        case retryWait = "retry_wait"
        case outsideCallingHours = "outside_calling_hours"
        case dailyCap = "daily_cap"
        case maxAttempts = "max_attempts"
        case waitingForLine = "waiting_for_line"
        case waitingForOperator = "waiting_for_operator"

        /// Reasons about the queue, not the lead (they hold every lead alike).
        var isQueueWide: Bool {
            self == .paused || self == .dialerUnavailable || self == .waitingForLine || self == .waitingForOperator
        }
    }

    var code: Code
    /// When it stops holding, when known (ms): the retry time, the next opening, the cap's release,
    /// the call-back's time or the end of its grace.
    var until: Int64?
    /// The lead's status (`not_pending`), holder (`claimed`) or reserving operator (`callback_reserved`).
    var detail: String?
    /// The lead's local time (`outside_calling_hours`).
    var localTime: String?

    init(_ code: Code, until: Int64? = nil, detail: String? = nil, localTime: String? = nil) {
        self.code = code
        self.until = until
        self.detail = detail
        self.localTime = localTime
    }

    /// The lead cannot become callable by waiting: something or someone must change it.
    var isLasting: Bool {
        switch code {
        case .notPending, .claimed, .doNotCall, .unknownTimezone, .maxAttempts: return true
        default: return false
        }
    }
}

struct Dialability: Equatable {
    var reasons: [DialabilityReason]
    /// The earliest instant the lead's own rules allow a call (ms); nil when a lasting reason holds
    /// or nothing about the lead waits (queue-wide reasons may delay it further).
    var nextCallableAt: Int64?

    var callable: Bool { reasons.isEmpty }
    var firstReason: DialabilityReason? { reasons.first }
    /// The first reason about the lead itself (the one the queue counts it under).
    var firstLeadReason: DialabilityReason? { reasons.first { !$0.code.isQueueWide } }
}
