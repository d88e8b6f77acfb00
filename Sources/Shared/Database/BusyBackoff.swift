import Glibc
import CSQLite

/// How a connection waits for a database another daemon is writing (SQLite's busy handler).
/// SQLite's own `sqlite3_busy_timeout` sleeps 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100 ms
/// between tries: made for long writers, it left a daemon's loop asleep for tens of milliseconds
/// behind another daemon's commit of a fraction of a millisecond. With the dialer and the
/// queue-daemon committing hundreds of times a second (issue 16, `calls-rate.sh`), both spent
/// 10-20 % of the time in these sleeps and dispatch latency rose to hundreds of milliseconds.
/// Here the sleeps start at 50 µs and double up to 1 ms; the sum of the sleeps is bounded by
/// the same timeout as before. Pure schedule (`sleepMicros`), installed by `install`.
public enum BusyBackoff {
    /// The first sleep, microseconds; each next one doubles, up to `maxSleepMicros`.
    public static let firstSleepMicros: Int64 = 50
    public static let maxSleepMicros: Int64 = 1_000

    /// The sleep before try `attempt` + 1 (SQLite counts the handler's calls from 0), or nil when
    /// the sleeps so far have reached `timeoutMillis` (the statement then fails with SQLITE_BUSY).
    public static func sleepMicros(attempt: Int, timeoutMillis: Int64) -> Int64? {
        guard waitedMicros(before: attempt) < timeoutMillis * 1000 else { return nil }
        return sleep(attempt)
    }

    /// The sum of the sleeps before try `attempt`.
    public static func waitedMicros(before attempt: Int) -> Int64 {
        let doublings = doublingsToMax
        if attempt <= doublings { return firstSleepMicros * ((1 << Int64(attempt)) - 1) }
        return firstSleepMicros * ((1 << Int64(doublings)) - 1) + Int64(attempt - doublings) * maxSleepMicros
    }

    private static func sleep(_ attempt: Int) -> Int64 {
        attempt < doublingsToMax ? firstSleepMicros << Int64(attempt) : maxSleepMicros
    }

    /// Tries whose sleep is still below the maximum (50, 100, 200, 400, 800 µs: 5).
    private static var doublingsToMax: Int {
        var n = 0
        while firstSleepMicros << Int64(n) < maxSleepMicros { n += 1 }
        return n
    }

    /// Installs the handler on `db` with `timeoutMillis` (replaces `sqlite3_busy_timeout`).
    static func install(on db: OpaquePointer, timeoutMillis: Int32) {
        // The timeout rides in the context pointer (+1: a null pointer would read as no context).
        let context = UnsafeMutableRawPointer(bitPattern: Int(timeoutMillis) + 1)
        sqlite3_busy_handler(db, { context, count in
            let timeout = Int64(Int(bitPattern: context) - 1)
            guard let micros = BusyBackoff.sleepMicros(attempt: Int(count), timeoutMillis: timeout) else { return 0 }
            usleep(UInt32(micros))
            return 1
        }, context)
    }
}
