/// Identifier aliases and the configuration error shared by the queue-daemon's pure domain core
/// (state machine, retry policy, scheduler, operator pool, dispatch planner, claim expiry).
/// Ids are the 24-lowercase-hex ObjectID strings stored in SQLite; the core never parses them.

typealias LeadID = String
typealias OperatorID = String
typealias CallID = String

/// A domain setting outside its allowed range (e.g. `maxAttempts = 0`). The daemon's config layer
/// turns this into a start-up message naming the variable.
struct DomainConfigError: Error, Equatable, CustomStringConvertible {
    let name: String
    let value: Int64
    let allowed: ClosedRange<Int64>

    var description: String {
        "\(name) = \(value) is outside the allowed range \(allowed.lowerBound)...\(allowed.upperBound)"
    }

    static func check(_ name: String, _ value: Int64, in allowed: ClosedRange<Int64>) throws {
        if !allowed.contains(value) { throw DomainConfigError(name: name, value: value, allowed: allowed) }
    }
}

/// Saturating addition for millisecond timestamps read from the database: a corrupt huge value
/// must never trap the daemon.
@inline(__always)
func saturatingAddMillis(_ a: Int64, _ b: Int64) -> Int64 {
    let (sum, overflow) = a.addingReportingOverflow(b)
    if overflow { return b > 0 ? Int64.max : Int64.min }
    return sum
}
