import CSystemd
import Foundation
import Synchronization
import Glibc

/// The structured logger of every daemon (DESIGN §9). Under systemd records go to journald
/// with `PRIORITY=`, `SYSLOG_IDENTIFIER=` and the caller's fields (`LEAD_ID`, `CALL_ID`,
/// `USER_ID`, `REQUEST_ID`, ...), so `journalctl LEAD_ID=…` follows one lead across daemons;
/// otherwise each record is one `<N>message KEY=value` line on stderr, written with one write(2).
/// Thread-safe: the level may be changed at runtime and records may come from any thread.
public final class Logger: Sendable {
    public let identifier: String
    private let sink: LogSink
    private let minimum: Mutex<LogLevel>

    public init(identifier: String, minimumLevel: LogLevel = .info, sink: LogSink = .automatic) {
        self.identifier = identifier
        self.minimum = Mutex(minimumLevel)
        if case .automatic = sink {
            self.sink = LogSink.resolveAutomatic()
        } else {
            self.sink = sink
        }
    }

    /// The least severe level written; records below it are dropped before formatting.
    public var minimumLevel: LogLevel {
        get { minimum.withLock { $0 } }
        set { minimum.withLock { $0 = newValue } }
    }

    /// True when records at `level` are written (use to skip building expensive messages).
    public func isEnabled(_ level: LogLevel) -> Bool { level.passes(minimum: minimumLevel) }

    /// True when this logger writes to journald.
    public var usesJournal: Bool {
        if case .journal = sink { return true }
        return false
    }

    public func log(_ level: LogLevel, _ message: String, _ fields: [String: String] = [:]) {
        guard isEnabled(level) else { return }
        let record = LogRecord(identifier: identifier, level: level, message: message, fields: fields)
        switch sink {
        case .journal:
            if !Self.sendToJournal(record) { Self.writeToStderr(record) }
        case .stderr, .automatic:
            Self.writeToStderr(record)
        case .capture(let capture):
            capture.add(record)
        case .closure(let handler):
            handler(record)
        }
    }

    public func debug(_ message: String, _ fields: [String: String] = [:]) { log(.debug, message, fields) }
    public func info(_ message: String, _ fields: [String: String] = [:]) { log(.info, message, fields) }
    public func notice(_ message: String, _ fields: [String: String] = [:]) { log(.notice, message, fields) }
    public func warning(_ message: String, _ fields: [String: String] = [:]) { log(.warning, message, fields) }
    public func error(_ message: String, _ fields: [String: String] = [:]) { log(.error, message, fields) }
    public func critical(_ message: String, _ fields: [String: String] = [:]) { log(.critical, message, fields) }

    /// Writes the record's line with a single write(2) (retried only on EINTR or a short write).
    static func writeToStderr(_ record: LogRecord) {
        var bytes = Array(record.stderrLine.utf8)
        bytes.withUnsafeMutableBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(STDERR_FILENO, raw.baseAddress! + offset, raw.count - offset)
                if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else { return }
            }
        }
    }

    /// Sends the record's entries with sd_journal_sendv; false when journald refused it.
    static func sendToJournal(_ record: LogRecord) -> Bool {
        var buffer: [UInt8] = []
        var spans: [(offset: Int, length: Int)] = []
        for entry in record.journalEntries {
            let start = buffer.count
            buffer.append(contentsOf: entry.utf8)
            spans.append((start, buffer.count - start))
        }
        return buffer.withUnsafeMutableBytes { raw -> Bool in
            guard let base = raw.baseAddress else { return false }
            var vectors = spans.map { iovec(iov_base: base + $0.offset, iov_len: $0.length) }
            return sd_journal_sendv(&vectors, Int32(vectors.count)) >= 0
        }
    }
}
