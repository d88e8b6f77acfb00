import CSystemd
import Glibc

/// The sd_notify protocol for `Type=notify` services (DESIGN §9): `READY=1` once state is rebuilt
/// from the database, `STATUS=` lines shown by `systemctl status`, `STOPPING=1`, `RELOADING=1`
/// and watchdog keep-alives. Every call is a no-op returning false outside systemd (no
/// `NOTIFY_SOCKET`). Newlines in status text are replaced by spaces so a status can never
/// inject another assignment.
public enum SystemdNotify {
    /// Tells systemd start-up is complete, optionally with a status line.
    @discardableResult
    public static func ready(status: String? = nil) -> Bool {
        var message = "READY=1"
        if let status { message += "\nSTATUS=" + clean(status) }
        return send(message)
    }

    /// Updates the free-form status line.
    @discardableResult
    public static func status(_ text: String) -> Bool { send("STATUS=" + clean(text)) }

    /// Asks systemd for `seconds` more before it gives up on the start-up (a long migration).
    @discardableResult
    public static func extendTimeout(seconds: Int64) -> Bool { send("EXTEND_TIMEOUT_USEC=\(seconds * 1_000_000)") }

    /// Tells systemd the service is shutting down.
    @discardableResult
    public static func stopping() -> Bool { send("STOPPING=1") }

    /// Tells systemd a reload started (call `ready` when it is done). Includes the
    /// `MONOTONIC_USEC=` that `Type=notify-reload` requires.
    @discardableResult
    public static func reloading() -> Bool {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let micros = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
        return send("RELOADING=1\nMONOTONIC_USEC=\(micros)")
    }

    /// Sends a watchdog keep-alive (`WATCHDOG=1`). The EventLoop's `enableWatchdog()` does this
    /// automatically; this is for code that pings by hand.
    @discardableResult
    public static func watchdogPing() -> Bool { send("WATCHDOG=1") }

    /// The watchdog interval in seconds when systemd expects keep-alives (`WatchdogSec=`),
    /// otherwise nil. Ping at half this interval or more often.
    public static var watchdogInterval: Double? {
        var usec: UInt64 = 0
        guard sd_watchdog_enabled(0, &usec) > 0, usec > 0 else { return nil }
        return Double(usec) / 1_000_000
    }

    /// True when the process was started with a notification socket.
    public static var isAvailable: Bool { getenv("NOTIFY_SOCKET") != nil }

    @discardableResult
    static func send(_ message: String) -> Bool { sd_notify(0, message) > 0 }

    private static func clean(_ text: String) -> String {
        String(text.map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 })
    }
}
