import Foundation
import Synchronization
import Glibc

/// Where a `Logger` writes. `.automatic` picks journald when stderr is the journal stream
/// systemd set up (`JOURNAL_STREAM` names stderr's device:inode) or `IBRAT_LOG=journal`, and
/// stderr otherwise or with `IBRAT_LOG=stderr`. `.capture` and `.closure` are for tests.
public enum LogSink: Sendable {
    case automatic
    case journal
    case stderr
    /// Records and their stderr lines are collected in the given `LogCapture`.
    case capture(LogCapture)
    /// Every record that passes the level filter is handed to the closure.
    case closure(@Sendable (LogRecord) -> Void)

    /// Resolves `.automatic` to `.journal` or `.stderr` for this process.
    public static func resolveAutomatic(environment: [String: String] = ProcessInfo.processInfo.environment,
                                        stderrFD: Int32 = STDERR_FILENO) -> LogSink {
        switch environment["IBRAT_LOG"]?.lowercased() {
        case "journal": return journalAvailable(environment) ? .journal : .stderr
        case "stderr": return .stderr
        default: break
        }
        guard let stream = environment["JOURNAL_STREAM"] else { return .stderr }
        return isJournalStream(stream, fd: stderrFD) ? .journal : .stderr
    }

    /// The journal's native socket. sd_journal_sendv (systemd 252) reports success even when it is
    /// missing, so asking for the journal without one would silently drop every record.
    public static let journalSocketPath = "/run/systemd/journal/socket"

    static func journalAvailable(_ environment: [String: String]) -> Bool {
        let path = environment["IBRAT_JOURNAL_SOCKET"] ?? journalSocketPath
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFSOCK
    }

    /// True when `value` ("device:inode", decimal) matches fstat of `fd`, as systemd documents
    /// for deciding that a process's stderr is connected to the journal.
    public static func isJournalStream(_ value: String, fd: Int32) -> Bool {
        let parts = value.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return false }
        return UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode
    }
}

/// A thread-safe collector of log output for tests.
public final class LogCapture: Sendable {
    private let storedRecords = Mutex<[LogRecord]>([])

    public init() {}

    func add(_ record: LogRecord) {
        storedRecords.withLock { $0.append(record) }
    }

    public var records: [LogRecord] {
        storedRecords.withLock { $0 }
    }

    /// The stderr renderings of the captured records, without the trailing newline.
    public var lines: [String] { records.map { String($0.stderrLine.dropLast()) } }

    public func clear() {
        storedRecords.withLock { $0.removeAll() }
    }
}
