/// "Why is the queue not dialing?" (issue 17), as one answer a supervisor can act on: the queue's
/// switches and resources, and the pending leads counted by the first reason about the lead itself
/// that `DialabilityDecision` gives (the queue-wide reasons hold every lead alike, so they are the
/// `reason`, not a count). Pure: `QueueExplainer` fills it from the dispatcher's state; the
/// headline `reason`, `dialing`, `idle` and the text are derived here.

import Shared

struct QueueExplanation: Equatable {
    /// The lead reasons pending leads are counted under, in `DialabilityDecision`'s order.
    static let countedReasons: [DialabilityReason.Code] = [
        .doNotCall, .callbackReserved, .unknownTimezone, .retryWait, .outsideCallingHours, .dailyCap,
    ]
    /// Headline when no lead is pending at all.
    static let noPendingLeads = "no_pending_leads"

    struct NextOpening: Equatable {
        var at: Int64
        var zones: String
        /// The opening in the zone's local time ("Tue 09:00 in Asia/Tashkent").
        var localTime: String
    }

    var paused = false
    var dialerReady = true
    var linesInUse = 0
    var maxLines = 0
    var operators: [OperatorActivity: Int] = [:]
    var operatorAvailable = true
    var pacingMode = "progressive"
    var effectiveMode = "progressive"
    var pacingReason = "progressive"
    var dialLevel = 0.0
    var maxDialLevel = 1.0
    /// Pending leads no lead reason holds (only queue-wide ones may).
    var ready = 0
    var byFirstReason: [DialabilityReason.Code: Int] = [:]
    var nextOpening: NextOpening?
    var nextDialableAt: Int64?

    var freeLines: Int { maxLines - linesInUse }
    var pendingTotal: Int { ready + byFirstReason.values.reduce(0, +) }

    /// The queue-wide reasons holding the ready leads now, in order.
    var blockers: [DialabilityReason.Code] {
        var codes: [DialabilityReason.Code] = []
        if paused { codes.append(.paused) }
        if !dialerReady { codes.append(.dialerUnavailable) }
        if freeLines <= 0 { codes.append(.waitingForLine) }
        if !operatorAvailable { codes.append(.waitingForOperator) }
        return codes
    }

    /// Why nothing (more) is dialed now: a queue-wide blocker of ready leads, else the lead
    /// reason holding the most pending leads (ties in decision order), `no_pending_leads`, or nil
    /// when ready leads can be dialed now.
    var reason: String? {
        if paused { return DialabilityReason.Code.paused.rawValue }
        if !dialerReady { return DialabilityReason.Code.dialerUnavailable.rawValue }
        if ready > 0 { return blockers.first?.rawValue }
        guard pendingTotal > 0 else { return Self.noPendingLeads }
        var best: (code: DialabilityReason.Code, count: Int)?
        for code in Self.countedReasons {
            let count = byFirstReason[code] ?? 0
            if count > (best?.count ?? 0) { best = (code, count) }
        }
        return best?.code.rawValue
    }

    /// Calls are in progress or a ready lead can be dialed now.
    var dialing: Bool { linesInUse > 0 || (ready > 0 && blockers.isEmpty) }
    /// Nothing dials and nothing can, while leads are pending.
    var idle: Bool { !dialing && pendingTotal > 0 }

    /// The answer in one line ("Nothing can dial: 7,210 outside calling hours — next opening …;
    /// 0 operators available; 3 on the do-not-call list").
    func message(now: Int64) -> String {
        var parts: [String] = []
        if paused { parts.append("the queue is paused") }
        if !dialerReady { parts.append("the dialer-daemon is not connected") }
        if ready > 0 { parts.append("\(Self.number(ready)) ready to dial") }
        for code in Self.countedReasons {
            guard let count = byFirstReason[code], count > 0 else { continue }
            var part = "\(Self.number(count)) \(Self.phrase(code))"
            if code == .outsideCallingHours, let opening = nextOpening {
                part += " — next opening \(opening.localTime) in \(Self.duration(opening.at - now))"
            }
            parts.append(part)
        }
        parts.append("lines \(linesInUse)/\(maxLines)")
        parts.append("\(operators[.available] ?? 0) operators available")
        let head: String
        if pendingTotal == 0 { head = "No leads pending" } else if idle { head = "Nothing can dial" }
        else if dialing { head = "Dialing" } else { head = "Waiting" }
        return head + ": " + parts.joined(separator: "; ")
    }

    static func phrase(_ code: DialabilityReason.Code) -> String {
        switch code {
        case .claimed: return "claimed by operators"
        case .doNotCall: return "on the do-not-call list"
        case .callbackReserved: return "reserved for call-backs"
        case .unknownTimezone: return "with an unknown time zone"
        case .retryWait: return "waiting to retry"
        case .outsideCallingHours: return "outside calling hours"
        case .dailyCap: return "at the daily call limit"
        default: return code.rawValue
        }
    }

    /// "7,210".
    static func number(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return String(out.reversed())
    }

    /// "2 h 14 min", "45 s".
    static func duration(_ millis: Int64) -> String {
        let seconds = max(0, millis / 1000)
        if seconds < 60 { return "\(seconds) s" }
        let minutes = seconds / 60
        if minutes < 60 { return "\(minutes) min" }
        let hours = minutes / 60
        if hours < 48 { return "\(hours) h \(minutes % 60) min" }
        return "\(hours / 24) d \(hours % 24) h"
    }
}
