import Glibc
import XCTest
@testable import Shared

final class LoggerTests: XCTestCase {
    func testStderrLineFormatAndEscaping() {
        let record = LogRecord(identifier: "queue-daemon", level: .warning, message: "lead reset\nafter crash",
                               fields: ["lead_id": "65a1b2c3d4e5f60718293a4b", "reason": "no live call",
                                        "quote": "say \"hi\"\\", "empty": "", "n": "1"])
        XCTAssertEqual(record.stderrLine,
                       "<4>lead reset\\nafter crash EMPTY=\"\" LEAD_ID=65a1b2c3d4e5f60718293a4b N=1 "
                       + "QUOTE=\"say \\\"hi\\\"\\\\\" REASON=\"no live call\"\n")
        let control = LogRecord(identifier: "x", level: .error, message: "a\u{1}b", fields: ["K": "v\r\n"])
        XCTAssertEqual(control.stderrLine, "<3>a\\x01b K=\"v\\r\\n\"\n")
    }

    func testJournalEntries() {
        let record = LogRecord(identifier: "dialer-daemon", level: .info, message: "call answered",
                               fields: ["CALL_ID": "c1", "MESSAGE": "spoof", "lead-id": "l1"])
        XCTAssertEqual(record.journalEntries, [
            "MESSAGE=call answered", "PRIORITY=6", "SYSLOG_IDENTIFIER=dialer-daemon",
            "CALL_ID=c1", "FIELD_MESSAGE=spoof", "LEAD_ID=l1",
        ])
    }

    func testKeySanitising() {
        XCTAssertEqual(LogRecord.sanitiseKey("LEAD_ID"), "LEAD_ID")
        XCTAssertEqual(LogRecord.sanitiseKey("request-id"), "REQUEST_ID")
        XCTAssertEqual(LogRecord.sanitiseKey("user.id"), "USER_ID")
        XCTAssertEqual(LogRecord.sanitiseKey("_SYSTEMD_UNIT"), "SYSTEMD_UNIT")
        XCTAssertEqual(LogRecord.sanitiseKey("__pid"), "PID")
        XCTAssertEqual(LogRecord.sanitiseKey("3way"), "FIELD_3WAY")
        XCTAssertEqual(LogRecord.sanitiseKey(""), "FIELD_")
        XCTAssertEqual(LogRecord.sanitiseKey("priority"), "FIELD_PRIORITY")
        XCTAssertEqual(LogRecord.sanitiseKey("ünï"), "N_", "one _ per non-ASCII character")
        XCTAssertEqual(LogRecord.sanitiseKey(String(repeating: "k", count: 100)).count, LogRecord.maxKeyLength)
    }

    func testLevelFilteringWithCaptureSink() {
        let capture = LogCapture()
        let logger = Logger(identifier: "test", minimumLevel: .info, sink: .capture(capture))
        logger.debug("hidden")
        logger.info("shown", ["USER_ID": "u1"])
        logger.warning("also shown")
        logger.error("and this")
        XCTAssertEqual(capture.lines, ["<6>shown USER_ID=u1", "<4>also shown", "<3>and this"])
        XCTAssertFalse(logger.isEnabled(.debug))

        capture.clear()
        logger.minimumLevel = .warning
        logger.notice("dropped")
        logger.info("dropped")
        logger.log(.critical, "kept")
        XCTAssertEqual(capture.records.map(\.level), [.critical])
        logger.minimumLevel = .debug
        logger.debug("now visible")
        XCTAssertEqual(capture.lines.last, "<7>now visible")
    }

    func testClosureSinkSeesRecords() {
        let box = LogCapture()
        let logger = Logger(identifier: "gw", sink: .closure { box.add($0) })
        logger.notice("hello", ["REQUEST_ID": "r-1"])
        XCTAssertEqual(box.records.count, 1)
        XCTAssertEqual(box.records.first?.identifier, "gw")
        XCTAssertEqual(box.records.first?.field("REQUEST_ID"), "r-1")
    }

    func testStderrSinkWritesOneLine() throws {
        var fds: [Int32] = [-1, -1]
        XCTAssertEqual(pipe(&fds), 0)
        let saved = dup(STDERR_FILENO)
        XCTAssertGreaterThanOrEqual(saved, 0)
        fflush(nil)
        dup2(fds[1], STDERR_FILENO)
        let logger = Logger(identifier: "t", sink: .stderr)
        logger.info("to stderr", ["LEAD_ID": "abc"])
        dup2(saved, STDERR_FILENO)
        close(saved)
        close(fds[1])
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = read(fds[0], &buffer, buffer.count)
        close(fds[0])
        XCTAssertEqual(String(decoding: buffer[0..<max(n, 0)], as: UTF8.self), "<6>to stderr LEAD_ID=abc\n")
    }

    func testAutomaticSinkResolution() throws {
        let path = "/tmp/ibrat-logger-\(getpid())"
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd); unlink(path) }
        var info = stat()
        XCTAssertEqual(fstat(fd, &info), 0)
        let matching = "\(info.st_dev):\(info.st_ino)"

        func isJournal(_ sink: LogSink) -> Bool { if case .journal = sink { return true }; return false }
        XCTAssertTrue(isJournal(LogSink.resolveAutomatic(environment: ["JOURNAL_STREAM": matching], stderrFD: fd)))
        XCTAssertFalse(isJournal(LogSink.resolveAutomatic(environment: ["JOURNAL_STREAM": "1:2"], stderrFD: fd)))
        XCTAssertFalse(isJournal(LogSink.resolveAutomatic(environment: ["JOURNAL_STREAM": "junk"], stderrFD: fd)))
        XCTAssertFalse(isJournal(LogSink.resolveAutomatic(environment: [:], stderrFD: fd)))
        // IBRAT_LOG=journal is honoured only when the journal socket exists (else records would vanish).
        let sockDir = "/tmp/ibrat-journal-\(getpid())"
        mkdir(sockDir, 0o700)
        defer { rmdir(sockDir) }
        let sockPath = sockDir + "/socket"
        let listener = try Socket.listenUnix(path: sockPath)
        defer { Socket.close(listener); unlink(sockPath) }
        XCTAssertTrue(isJournal(LogSink.resolveAutomatic(
            environment: ["IBRAT_LOG": "journal", "IBRAT_JOURNAL_SOCKET": sockPath], stderrFD: fd)))
        XCTAssertFalse(isJournal(LogSink.resolveAutomatic(
            environment: ["IBRAT_LOG": "journal", "IBRAT_JOURNAL_SOCKET": sockDir + "/missing"], stderrFD: fd)))
        XCTAssertFalse(isJournal(LogSink.resolveAutomatic(environment: ["IBRAT_LOG": "stderr", "JOURNAL_STREAM": matching],
                                                          stderrFD: fd)))
    }

    func testSyslogNumbers() {
        XCTAssertEqual(LogLevel.emergency.rawValue, 0)
        XCTAssertEqual(LogLevel.error.rawValue, 3)
        XCTAssertEqual(LogLevel.debug.rawValue, 7)
        XCTAssertTrue(LogLevel.error.passes(minimum: .info))
        XCTAssertFalse(LogLevel.debug.passes(minimum: .info))
    }
}
