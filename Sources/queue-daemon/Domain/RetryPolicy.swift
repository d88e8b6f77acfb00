/// Retry policy for calls that end without being answered (DESIGN §5): `busy`, `no-answer` and
/// `failed` each count one attempt; below `maxAttempts` the lead goes back to `pending` with
/// `nextCallTime = now + backoff`, at `maxAttempts` it becomes `failed`. A `canceled` call (hung up
/// before anyone answered, e.g. by an admin) counts no attempt and is re-dialled after
/// `canceledDelayMillis`. Every value is configurable and range-checked.

import Shared

/// The call outcomes that count as an unsuccessful attempt. Raw values are the call-status wire strings.
enum UnsuccessfulOutcome: String, CaseIterable, Equatable {
    case busy
    case noAnswer = "no-answer"
    case failed
    /// An answering machine answered (issue 14): an attempt with its own back-off.
    case machine
    /// A person answered and no operator was free in time (issue 14): retried after its
    /// back-off without counting an attempt (the lead did nothing wrong).
    case abandoned

    /// Maps a terminal unanswered call status; nil for every other status.
    init?(callStatus: CallStatus) {
        switch callStatus {
        case .busy: self = .busy
        case .noAnswer: self = .noAnswer
        case .failed: self = .failed
        case .machine: self = .machine
        case .abandoned: self = .abandoned
        default: return nil
        }
    }
}

/// What happens to a lead after an unsuccessful call.
enum RetryDecision: Equatable {
    /// Back to `pending`; dial again at `at` (ms). `attempts` is the new attempt count.
    case retry(attempts: Int, at: Int64)
    /// Max attempts reached: the lead becomes `failed`.
    case giveUp(attempts: Int)
}

struct RetryPolicy: Equatable {
    static let defaultMaxAttempts = 3
    static let defaultBusyBackoffMillis: Int64 = 15 * 60_000
    static let defaultNoAnswerBackoffMillis: Int64 = 30 * 60_000
    static let defaultFailedBackoffMillis: Int64 = 5 * 60_000
    static let defaultCanceledDelayMillis: Int64 = 5 * 60_000
    static let defaultMachineBackoffMillis: Int64 = 60 * 60_000
    static let defaultAbandonedBackoffMillis: Int64 = 60 * 60_000
    /// Allowed `maxAttempts` (the original model capped attempts at 5; we allow more, never 0).
    static let maxAttemptsRange: ClosedRange<Int64> = 1...100
    /// Allowed backoffs: zero (retry at once) up to one week.
    static let backoffRange: ClosedRange<Int64> = 0...(7 * 24 * 3_600_000)

    /// The product defaults: 3 attempts, busy 15 min, no-answer 30 min, failed 5 min, canceled 5 min.
    static let standard = RetryPolicy(
        unchecked: defaultMaxAttempts, busy: defaultBusyBackoffMillis, noAnswer: defaultNoAnswerBackoffMillis,
        failed: defaultFailedBackoffMillis, canceled: defaultCanceledDelayMillis)

    let maxAttempts: Int
    let busyBackoffMillis: Int64
    let noAnswerBackoffMillis: Int64
    let failedBackoffMillis: Int64
    let canceledDelayMillis: Int64
    var machineBackoffMillis: Int64 = defaultMachineBackoffMillis
    var abandonedBackoffMillis: Int64 = defaultAbandonedBackoffMillis

    /// Throws `DomainConfigError` naming the first value outside its range.
    init(maxAttempts: Int = defaultMaxAttempts,
         busyBackoffMillis: Int64 = defaultBusyBackoffMillis,
         noAnswerBackoffMillis: Int64 = defaultNoAnswerBackoffMillis,
         failedBackoffMillis: Int64 = defaultFailedBackoffMillis,
         canceledDelayMillis: Int64 = defaultCanceledDelayMillis) throws {
        try DomainConfigError.check("maxAttempts", Int64(maxAttempts), in: Self.maxAttemptsRange)
        try DomainConfigError.check("busyBackoffMillis", busyBackoffMillis, in: Self.backoffRange)
        try DomainConfigError.check("noAnswerBackoffMillis", noAnswerBackoffMillis, in: Self.backoffRange)
        try DomainConfigError.check("failedBackoffMillis", failedBackoffMillis, in: Self.backoffRange)
        try DomainConfigError.check("canceledDelayMillis", canceledDelayMillis, in: Self.backoffRange)
        self.init(unchecked: maxAttempts, busy: busyBackoffMillis, noAnswer: noAnswerBackoffMillis,
                  failed: failedBackoffMillis, canceled: canceledDelayMillis)
    }

    private init(unchecked maxAttempts: Int, busy: Int64, noAnswer: Int64, failed: Int64, canceled: Int64) {
        self.maxAttempts = maxAttempts
        busyBackoffMillis = busy
        noAnswerBackoffMillis = noAnswer
        failedBackoffMillis = failed
        canceledDelayMillis = canceled
    }

    func backoffMillis(for outcome: UnsuccessfulOutcome) -> Int64 {
        switch outcome {
        case .busy: return busyBackoffMillis
        case .noAnswer: return noAnswerBackoffMillis
        case .failed: return failedBackoffMillis
        case .machine: return machineBackoffMillis
        case .abandoned: return abandonedBackoffMillis
        }
    }

    /// `attemptsBefore` is the lead's `callAttempts` before this call ended. A count already at or
    /// above the maximum (e.g. the maximum was lowered at runtime) gives up at once.
    func decide(_ outcome: UnsuccessfulOutcome, attemptsBefore: Int, now: Int64) -> RetryDecision {
        if outcome == .abandoned {
            return .retry(attempts: max(0, attemptsBefore), at: saturatingAddMillis(now, backoffMillis(for: outcome)))
        }
        let attempts = max(0, attemptsBefore) &+ 1
        if attempts >= maxAttempts { return .giveUp(attempts: attempts) }
        return .retry(attempts: attempts, at: saturatingAddMillis(now, backoffMillis(for: outcome)))
    }
}
