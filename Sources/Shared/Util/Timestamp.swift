/// UTC timestamps in integer milliseconds since the epoch, and their ISO 8601 text form, without
/// Foundation formatters: `iso8601(millis:)` writes `2024-01-15T10:30:00.000Z` from a hand-rolled
/// civil-from-days conversion; the parsers accept `YYYY-MM-DD` and
/// `YYYY-MM-DDTHH:MM[:SS[.fff…]][Z|±HH:MM]` (no zone means UTC, as Joi's ISO date does).
public enum Timestamp {
    public static let millisPerDay: Int64 = 86_400_000

    /// Days since 1970-01-01 → proleptic Gregorian date (Howard Hinnant's civil_from_days).
    @inline(__always) static func civilFromDays(_ z0: Int64) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (Int(y), Int(m), Int(d))
    }

    /// Proleptic Gregorian date → days since 1970-01-01 (days_from_civil).
    @inline(__always) static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    @inline(__always) static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    public static func isLeapYear(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public static func civil(millis: Int64) -> (year: Int, month: Int, day: Int) {
        civilFromDays(floorDiv(millis, millisPerDay))
    }

    public static func startOfUTCDay(millis: Int64) -> Int64 {
        floorDiv(millis, millisPerDay) * millisPerDay
    }

    /// `2024-01-15T10:30:00.000Z`; years outside 0...9999 use the expanded `±YYYYYY` form.
    public static func iso8601(millis: Int64) -> String {
        let days = floorDiv(millis, millisPerDay)
        let msOfDay = Int(millis - days * millisPerDay)
        let (year, month, day) = civilFromDays(days)
        let expanded = year < 0 || year > 9999
        return String(unsafeUninitializedCapacity: expanded ? 27 : 24) { out in
            var i = 0
            @inline(__always) func put(_ v: Int, _ width: Int) {
                var v = v
                var k = i + width - 1
                while k >= i { out[k] = UInt8(ascii: "0") &+ UInt8(v % 10); v /= 10; k -= 1 }
                i += width
            }
            @inline(__always) func ch(_ c: Unicode.Scalar) { out[i] = UInt8(ascii: c); i += 1 }
            if expanded {
                ch(year < 0 ? "-" : "+")
                put(min(abs(year), 999_999), 6)
            } else {
                put(year, 4)
            }
            ch("-"); put(month, 2); ch("-"); put(day, 2)
            ch("T"); put(msOfDay / 3_600_000, 2)
            ch(":"); put(msOfDay / 60_000 % 60, 2)
            ch(":"); put(msOfDay / 1000 % 60, 2)
            ch("."); put(msOfDay % 1000, 3)
            ch("Z")
            return i
        }
    }

    /// Milliseconds for an ISO 8601 date or date-time (see the file comment), nil when malformed.
    public static func parseISO8601(_ s: String) -> Int64? {
        parse(s)?.millis
    }

    /// The inclusive end of a range: a date-only value means the last millisecond of that UTC day
    /// (23:59:59.999); a full timestamp means itself.
    public static func parseDateRangeEnd(_ s: String) -> Int64? {
        guard let (millis, dateOnly) = parse(s) else { return nil }
        return dateOnly ? millis + millisPerDay - 1 : millis
    }

    private static func parse(_ string: String) -> (millis: Int64, dateOnly: Bool)? {
        var s = string
        return s.withUTF8 { b -> (Int64, Bool)? in
            let n = b.count
            var i = 0
            func digits(_ count: Int) -> Int? {
                guard i + count <= n else { return nil }
                var v = 0
                for k in i..<(i + count) {
                    let c = b[k]
                    guard c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") else { return nil }
                    v = v * 10 + Int(c - UInt8(ascii: "0"))
                }
                i += count
                return v
            }
            func expect(_ c: Unicode.Scalar) -> Bool {
                guard i < n, b[i] == UInt8(ascii: c) else { return false }
                i += 1
                return true
            }
            guard let year = digits(4), expect("-"), let month = digits(2), expect("-"), let day = digits(2),
                  (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month)
            else { return nil }
            let dayMillis = daysFromCivil(year: year, month: month, day: day) * millisPerDay
            if i == n { return (dayMillis, true) }
            guard expect("T"), let hour = digits(2), expect(":"), let minute = digits(2),
                  hour < 24, minute < 60 else { return nil }
            var second = 0, millis = 0
            if expect(":") {
                guard let sec = digits(2), sec < 60 else { return nil }
                second = sec
                if expect(".") {
                    var count = 0
                    while i < n, b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9") {
                        if count < 3 { millis = millis * 10 + Int(b[i] - UInt8(ascii: "0")) }
                        count += 1
                        i += 1
                    }
                    guard count > 0 else { return nil }
                    for _ in count..<max(count, 3) { millis *= 10 }
                }
            }
            var offsetMinutes = 0
            if i < n {
                if expect("Z") {
                } else if i < n, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                    let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
                    i += 1
                    guard let oh = digits(2), expect(":"), let om = digits(2), oh < 24, om < 60 else { return nil }
                    offsetMinutes = sign * (oh * 60 + om)
                } else {
                    return nil
                }
            }
            guard i == n else { return nil }
            let local = dayMillis + Int64(hour * 3_600_000 + minute * 60_000 + second * 1000 + millis)
            return (local - Int64(offsetMinutes) * 60_000, false)
        }
    }
}
