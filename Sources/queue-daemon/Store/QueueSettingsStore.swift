/// The queue's persisted runtime settings (`queue_settings`: key `paused` '0'/'1' and
/// `max_concurrent_calls`). Defaults are written at first start from the configuration; later
/// starts keep what an admin set at runtime (pause survives a restart, unlike the original).

import Shared

/// The values held in `queue_settings`.
struct QueueSettings: Equatable {
    /// Allowed `max_concurrent_calls` (same range as `IBRAT_MAX_CONCURRENT_CALLS`).
    static let maxConcurrentCallsRange = FieldRules.maxConcurrentCalls.limit

    var paused: Bool
    var maxConcurrentCalls: Int
    var callingHours: CallingHours = .default
    /// Issue 14: `pacing_mode` and `max_abandon_rate` (`set_pacing`).
    var pacingMode: PacingMode = .progressive
    var maxAbandonRate: Double = PacingSettingsRules.defaultMaxAbandonRate
}

final class QueueSettingsStore {
    static let pausedKey = "paused"
    static let maxConcurrentCallsKey = "max_concurrent_calls"
    /// `calling_hours`: "HH:MM-HH:MM day,day…" (issue 12).
    static let callingHoursKey = "calling_hours"

    private let db: Database
    /// The current values (always equal to what is stored).
    private(set) var current: QueueSettings

    /// Reads the stored settings, writing `defaults` for every key that is missing or unreadable.
    init(db: Database, defaults: QueueSettings) throws {
        self.db = db
        var settings = defaults
        var missing: [(String, String)] = []
        let stored = try Self.readAll(db)
        switch stored[Self.pausedKey] {
        case "0"?: settings.paused = false
        case "1"?: settings.paused = true
        default: missing.append((Self.pausedKey, defaults.paused ? "1" : "0"))
        }
        if let text = stored[Self.maxConcurrentCallsKey], let value = Int(text),
           QueueSettings.maxConcurrentCallsRange.contains(value) {
            settings.maxConcurrentCalls = value
        } else {
            missing.append((Self.maxConcurrentCallsKey, String(defaults.maxConcurrentCalls)))
        }
        if let text = stored[Self.callingHoursKey], let hours = Self.hours(text) {
            settings.callingHours = hours
        } else {
            missing.append((Self.callingHoursKey, Self.text(defaults.callingHours)))
        }
        missing += PacingSettingsRules.read(stored, into: &settings, defaults: defaults)
        if !missing.isEmpty {
            try db.transaction {
                for (key, value) in missing { try Self.write(db, key, value) }
            }
        }
        current = settings
    }

    /// Persists `paused`; returns false when it already had that value (nothing written).
    @discardableResult
    func setPaused(_ paused: Bool) throws -> Bool {
        guard paused != current.paused else { return false }
        try db.transaction { try Self.write(db, Self.pausedKey, paused ? "1" : "0") }
        current.paused = paused
        return true
    }

    /// Persists `max_concurrent_calls` (the caller has range-checked it).
    func setMaxConcurrentCalls(_ value: Int) throws {
        precondition(QueueSettings.maxConcurrentCallsRange.contains(value), "range-checked by the caller")
        guard value != current.maxConcurrentCalls else { return }
        try db.transaction { try Self.write(db, Self.maxConcurrentCallsKey, String(value)) }
        current.maxConcurrentCalls = value
    }

    /// Persists the calling window.
    func setCallingHours(_ hours: CallingHours) throws {
        guard hours != current.callingHours else { return }
        try db.transaction { try Self.write(db, Self.callingHoursKey, Self.text(hours)) }
        current.callingHours = hours
    }

    static func text(_ hours: CallingHours) -> String { hours.text }

    /// The stored text back; nil when unreadable (the default is then written again).
    static func hours(_ text: String) -> CallingHours? { try? CallingHours(text: text) }

    /// Persists the pacing mode and cap (the caller has range-checked the cap); false when unchanged.
    @discardableResult
    func setPacing(mode: PacingMode, maxAbandonRate: Double) throws -> Bool {
        guard mode != current.pacingMode || maxAbandonRate != current.maxAbandonRate else { return false }
        try db.transaction {
            for (key, value) in PacingSettingsRules.values(mode: mode, maxAbandonRate: maxAbandonRate) {
                try Self.write(db, key, value)
            }
        }
        current.pacingMode = mode
        current.maxAbandonRate = maxAbandonRate
        return true
    }

    private static func readAll(_ db: Database) throws -> [String: String] {
        var values: [String: String] = [:]
        try db.forEachRow("SELECT key, value FROM queue_settings") { values[$0.string(at: 0)] = $0.string(at: 1) }
        return values
    }

    private static func write(_ db: Database, _ key: String, _ value: String) throws {
        try db.run("INSERT INTO queue_settings(key, value) VALUES(?, ?) "
                   + "ON CONFLICT(key) DO UPDATE SET value = excluded.value", [.text(key), .text(value)])
    }
}
