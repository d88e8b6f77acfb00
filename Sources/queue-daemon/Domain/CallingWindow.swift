/// Calling-window arithmetic (issue 12), pure: given the `CallingHours` and a lead's zones, is the
/// window open at a moment (and until when), or when does it next open? Local times are turned
/// into instants by Foundation's `Calendar` in each zone, so daylight-saving changes follow the
/// zone's rules (a 09:00 opening is 09:00 local on both sides of a transition). A lead in several
/// zones is callable only when the window is open in ALL of them: the answer is the earliest
/// instant at which every zone is inside a window. Times are epoch milliseconds.

import Foundation
import Shared

enum WindowState: Equatable {
    /// Open now; closes (in at least one zone) at this instant.
    case open(closesAt: Int64)
    /// Closed now; opens in every zone at this instant, nil when not within `searchDays`.
    case closed(opensAt: Int64?)

    var isOpen: Bool { if case .open = self { return true } else { return false } }
}

struct CallingWindow {
    /// How far ahead an opening is searched (a week, plus the day a window may spill into).
    static let searchDays = 8
    /// Rounds of "advance to the next zone's opening" before giving up (zones that never overlap).
    static let maxRoundsPerZone = 16

    let hours: CallingHours

    /// The window in one zone at `now`.
    func state(at now: Int64, zone: TimeZone) -> WindowState {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let today = calendar.startOfDay(for: Self.date(now))
        // A window across midnight, or one ending at 24:00, closes on the next local day.
        let endsNextDay = hours.crossesMidnight || hours.endMinute >= CallingHours.minutesPerDay
        let closeOffset = endsNextDay ? 1 : 0
        let closeMinute = hours.endMinute % CallingHours.minutesPerDay
        for offset in -1...Self.searchDays {
            guard let day = calendar.date(byAdding: .day, value: offset, to: today),
                  let weekday = Weekday(rawValue: calendar.component(.weekday, from: day)),
                  hours.days.contains(weekday),
                  let open = Self.instant(calendar, day: day, minute: hours.startMinute),
                  let closeDay = closeOffset == 0 ? day : calendar.date(byAdding: .day, value: closeOffset, to: day),
                  let close = Self.instant(calendar, day: closeDay, minute: closeMinute),
                  close > open else { continue }
            if now < open { return .closed(opensAt: open) }
            if now < close { return .open(closesAt: close) }
        }
        return .closed(opensAt: nil)
    }

    /// The window in all of `zones` at `now` (see the type comment); closed for no zones.
    func state(at now: Int64, zones: [TimeZone]) -> WindowState {
        guard !zones.isEmpty else { return .closed(opensAt: nil) }
        let horizon = now + Int64(Self.searchDays) * 86_400_000
        var t = now
        for _ in 0..<(Self.maxRoundsPerZone * zones.count) {
            var closes = Int64.max
            var advanced = false
            for zone in zones {
                switch state(at: t, zone: zone) {
                case .open(let closesAt):
                    closes = min(closes, closesAt)
                case .closed(let opensAt):
                    guard let opensAt, opensAt <= horizon else { return .closed(opensAt: nil) }
                    t = opensAt
                    advanced = true
                }
                if advanced { break }
            }
            if !advanced { return t == now ? .open(closesAt: closes) : .closed(opensAt: t) }
        }
        return .closed(opensAt: nil)
    }

    /// "Mon 22:15 in Asia/Tashkent" (the lead's local time, for a 409 message).
    static func localTime(at now: Int64, zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.weekday, .hour, .minute], from: date(now))
        let day = Weekday(rawValue: parts.weekday ?? 1)?.name.capitalized ?? "?"
        return "\(day) \(CallingHours.text((parts.hour ?? 0) * 60 + (parts.minute ?? 0))) in \(zone.identifier)"
    }

    private static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }

    /// `day` (a local midnight) at `minute` local time, as epoch ms (a time skipped by a DST jump
    /// comes out as Foundation resolves it: the first valid instant after it).
    private static func instant(_ calendar: Calendar, day: Date, minute: Int) -> Int64? {
        var parts = calendar.dateComponents([.year, .month, .day], from: day)
        parts.hour = minute / 60
        parts.minute = minute % 60
        parts.second = 0
        guard let date = calendar.date(from: parts) else { return nil }
        return Int64((date.timeIntervalSince1970 * 1000).rounded())
    }
}
