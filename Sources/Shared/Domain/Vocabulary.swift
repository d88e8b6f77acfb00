/// The product's fixed vocabularies (DESIGN §5, API document "Data Models"). Raw values are the
/// wire strings panels depend on; parsing is strict and case-sensitive.

public enum LeadStatus: String, CaseIterable, Sendable {
    case pending, claimed, calling, answered, transferred, failed
}

public enum LeadPriority: String, CaseIterable, Sendable, Comparable {
    case urgent, high, medium, low

    /// 0 = most urgent. Used for ordering (never sort priorities as strings).
    public var rank: Int {
        switch self {
        case .urgent: return 0
        case .high: return 1
        case .medium: return 2
        case .low: return 3
        }
    }

    /// Dispatch SLA in milliseconds from the time a lead becomes due; nil = only when idle (low).
    public var slaMillis: Int64? {
        switch self {
        case .urgent: return 0
        case .high: return 120_000
        case .medium: return 600_000
        case .low: return nil
        }
    }

    public static func < (a: LeadPriority, b: LeadPriority) -> Bool { a.rank < b.rank }
}

public enum CallStatus: String, CaseIterable, Sendable {
    case initiated, ringing, answered, completed, busy
    case noAnswer = "no-answer"
    case failed, canceled
    /// Issue 14: a person answered an automatic call and no operator was free within the abandon
    /// wait; the lead heard a short message and the call ended.
    case abandoned
    /// Issue 14: an answering machine (or fax) answered; the call ended without an operator.
    case machine

    /// Statuses an operator or admin may report (`abandoned` and `machine` are the dialer's own).
    public static let operatorSettable = allCases.filter { $0 != .abandoned && $0 != .machine }

    /// Terminal states never change again (notes may still be added).
    public var isTerminal: Bool {
        switch self {
        case .completed, .busy, .noAnswer, .failed, .canceled, .abandoned, .machine: return true
        case .initiated, .ringing, .answered: return false
        }
    }
}

/// A user's role. The raw value is the name stored in `users.role`; `wireName` is the name on the
/// wire (JSON answers, token payloads, Socket.IO events): the earlier version's panels test
/// `user.role === 'salesperson'`, so the operator role is `salesperson` there (DESIGN §6). Both
/// names are accepted as input. This is the one place the two names meet.
public enum UserRole: String, CaseIterable, Sendable {
    case admin, operator_ = "operator"

    /// The name panels see.
    public var wireName: String {
        switch self {
        case .admin: return "admin"
        case .operator_: return "salesperson"
        }
    }

    /// Accepts `salesperson` (the wire name) and `operator` (its alias) for the operator role.
    public init?(input: String) {
        switch input {
        case "admin": self = .admin
        case "operator", "salesperson": self = .operator_
        default: return nil
        }
    }
}

/// How a call was started.
public enum CallMode: String, Sendable {
    case automatic, manual
}
