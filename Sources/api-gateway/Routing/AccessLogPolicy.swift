import Shared

/// The level of a request's access-log line (issue 10). At the default `info` level a log line
/// per request cost a third of `/health`'s throughput and, under systemd, one journal entry per
/// request (journald drops past 10,000 per 30 s per service by default). So a request is logged
/// at info only when it tells an operator something: an error answer (4xx/5xx), a slow answer
/// (at least `slowMicros`), or a change of state (POST, PUT, PATCH, DELETE); every other request
/// at debug. The Socket.IO endpoint is the exception: its polling GETs are held for up to the
/// ping interval by design and its POSTs carry realtime messages, so only its errors are info.
struct AccessLogPolicy {
    static let stateChangingMethods: Set<String> = ["POST", "PUT", "PATCH", "DELETE"]

    /// `IBRAT_SLOW_REQUEST_MS` in microseconds.
    let slowMicros: UInt64

    init(slowRequestMillis: Int) {
        slowMicros = UInt64(max(0, slowRequestMillis)) * 1000
    }

    func level(method: String, path: String, status: Int, micros: UInt64) -> LogLevel {
        if status >= 400 { return .info }
        if EngineIOServer.owns(path) { return .debug }
        if micros >= slowMicros || Self.stateChangingMethods.contains(method) { return .info }
        return .debug
    }
}
