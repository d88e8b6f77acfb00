/// The calling window (issue 12), a queue setting: local start and end time of day and the days
/// of the week on which a window opens (default 09:00–20:00 every day). `end < start` is a window
/// across midnight (22:00–06:00 opens on each listed day and closes the next morning). Parsed from
/// `set_calling_hours {start:"HH:MM", end:"HH:MM", days:["mon",…]}` and stored as that text.
/// `00:00`–`24:00` is the whole day. Shared so that `IBRAT_CALLING_HOURS` is checked at start-up.

public enum Weekday: Int, CaseIterable, Equatable, Sendable {
    // Foundation's `Calendar` weekday numbers (1 = Sunday).
    case sun = 1, mon, tue, wed, thu, fri, sat

    public var name: String { Self.names[rawValue - 1] }
    public static let names = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    public init?(name: String) {
        guard let index = Self.names.firstIndex(of: name.lowercased().prefix(3).description),
              name.count == 3 || Self.fullNames[index] == name.lowercased() else { return nil }
        self.init(rawValue: index + 1)
    }

    private static let fullNames = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
}

public struct CallingHours: Equatable, Sendable {
    public static let minutesPerDay = 24 * 60
    public static let `default` = CallingHours(startMinute: 9 * 60, endMinute: 20 * 60, days: Set(Weekday.allCases))

    /// Minutes after local midnight, 0..<1440.
    public let startMinute: Int
    /// 1...1440 (1440 = midnight at the end of the day).
    public let endMinute: Int
    public let days: Set<Weekday>

    public var crossesMidnight: Bool { endMinute < startMinute }
    public var start: String { Self.text(startMinute) }
    public var end: String { Self.text(endMinute) }
    /// Listed in week order from Monday.
    public var dayNames: [String] { [Weekday.mon, .tue, .wed, .thu, .fri, .sat, .sun].filter(days.contains).map(\.name) }
    /// "09:00–20:00 mon, tue…" for messages.
    public var summary: String { "\(start)–\(end) (\(dayNames.joined(separator: ", ")))" }

    /// `"HH:MM-HH:MM"` optionally followed by a space and `day,day…` (every day when absent), the
    /// form of `IBRAT_CALLING_HOURS` and of the stored setting.
    public init(text: String) throws {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        let times = parts.first?.split(separator: "-") ?? []
        guard parts.count <= 2, times.count == 2 else {
            throw CallingHoursError("calling hours must look like 09:00-20:00 or 09:00-20:00 mon,tue,wed,thu,fri")
        }
        try self.init(start: String(times[0]), end: String(times[1]),
                      days: parts.count == 2 ? parts[1].split(separator: ",").map(String.init) : Weekday.names)
    }

    /// The `init(text:)` form.
    public var text: String { "\(start)-\(end) " + dayNames.joined(separator: ",") }

    /// Parses and checks the setting; throws `CallingHoursError` with a message for a 400.
    public init(start: String, end: String, days: [String]) throws {
        guard let startMinute = Self.minute(start) else { throw CallingHoursError("\"start\" must be a time HH:MM, got \"\(start.prefix(20))\"") }
        guard let endMinute = Self.minute(end, isEnd: true) else { throw CallingHoursError("\"end\" must be a time HH:MM, got \"\(end.prefix(20))\"") }
        let end = endMinute == 0 ? Self.minutesPerDay : endMinute
        guard startMinute != end % Self.minutesPerDay || (startMinute == 0 && end == Self.minutesPerDay) else {
            throw CallingHoursError("\"start\" and \"end\" must differ")
        }
        var set = Set<Weekday>()
        for name in days {
            guard let day = Weekday(name: name) else {
                throw CallingHoursError("\"days\" items must be one of \(Weekday.names.joined(separator: ", ")), got \"\(name.prefix(20))\"")
            }
            set.insert(day)
        }
        guard !set.isEmpty else { throw CallingHoursError("\"days\" must name at least one day") }
        self.init(startMinute: startMinute, endMinute: end, days: set)
    }

    public init(startMinute: Int, endMinute: Int, days: Set<Weekday>) {
        self.startMinute = startMinute
        self.endMinute = endMinute
        self.days = days
    }

    /// `HH:MM` (00:00–23:59; `24:00` as an end: midnight at the end of the day, 1440) → minutes;
    /// nil otherwise. An end of `00:00` is the same midnight as `24:00` when the start is not midnight.
    public static func minute(_ text: String, isEnd: Bool = false) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              let hour = Int(parts[0]), let minute = Int(parts[1]), (0...59).contains(minute) else { return nil }
        if hour == 24 && minute == 0 && isEnd { return minutesPerDay }
        guard (0...23).contains(hour) else { return nil }
        return hour * 60 + minute
    }

    public static func text(_ minute: Int) -> String {
        let h = minute / 60, m = minute % 60
        return (h < 10 ? "0" : "") + String(h) + ":" + (m < 10 ? "0" : "") + String(m)
    }
}

public struct CallingHoursError: Error, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
}
