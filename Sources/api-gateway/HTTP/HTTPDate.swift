import Glibc
import Shared

/// The `Date:` header value (IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`), formatted without
/// Foundation and cached for the current second, so a busy server formats it once a second.
public final class HTTPDate {
    private var cachedSecond: Int = -1
    private var cached: [UInt8] = []

    public init() {}

    /// The value for the current wall-clock second.
    public func current() -> [UInt8] {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        let second = Int(ts.tv_sec)
        if second != cachedSecond {
            cachedSecond = second
            cached = Array(HTTPDate.format(epochSeconds: Int64(second)).utf8)
        }
        return cached
    }

    static let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"] // 1970-01-01 was a Thursday
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    public static func format(epochSeconds: Int64) -> String {
        let days = epochSeconds >= 0 ? epochSeconds / 86_400 : (epochSeconds - 86_399) / 86_400
        let secs = Int(epochSeconds - days * 86_400)
        let (y, m, d) = Timestamp.civil(millis: days * 86_400_000)
        let weekday = weekdays[Int(((days % 7) + 7) % 7)]
        return "\(weekday), \(two(d)) \(months[m - 1]) \(y) \(two(secs / 3600)):\(two(secs / 60 % 60)):\(two(secs % 60)) GMT"
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
