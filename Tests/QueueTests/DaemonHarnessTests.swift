/// The in-process test harness for the queue-daemon (a `QueueDaemon` on a temp directory with a
/// manual clock, and `IPCClient`s on the same loop), plus start-up and life-cycle tests: READY
/// only after the start-up steps, the socket and handshake, settings defaults and persistence
/// across a restart, and clean stop.

import Foundation
import TestSupport
import XCTest
@testable import Shared
@testable import queue_daemon

final class QueueDaemonHarness {
    let directory: String
    private let temp: TemporaryDirectory
    let loop: EventLoop
    let clock = ManualWallClock(now: 1_700_000_000_000)
    let logs = LogCapture()
    let config: Config
    var options = QueueDaemon.Options()
    private(set) var daemon: QueueDaemon!
    private var clients: [IPCClient] = []
    /// Events received by `subscribedClient`s, in order.
    var events: [IPCMessage] = []

    init(environment: [String: String] = [:], options: QueueDaemon.Options? = nil, start: Bool = true) throws {
        temp = try TemporaryDirectory(prefix: "queued-test")
        directory = temp.path
        // Tests run at any hour: the calling window is the whole day unless a test sets it; no wrap-up.
        config = try Config.load(environment: ["STATE_DIRECTORY": directory, "IBRAT_CALLING_HOURS": "00:00-24:00",
                                               "IBRAT_WRAP_UP_SECONDS": "0"].merging(environment) { $1 })
        loop = try EventLoop()
        self.options.useSocketActivation = false
        if let options {
            self.options = options
        }
        if start { try startDaemon() }
    }

    deinit {
        for client in clients { client.stop() }
        daemon?.stop()
    }

    /// Builds a daemon on the shared directory; `prepare` runs before `start` (e.g. to add steps).
    func makeDaemon() throws -> QueueDaemon {
        try QueueDaemon(config: config, loop: loop, clock: clock,
                        logger: Logger(identifier: "queue-daemon", minimumLevel: .debug, sink: .capture(logs)),
                        options: options)
    }

    func startDaemon(prepare: (QueueDaemon) -> Void = { _ in }) throws {
        let daemon = try makeDaemon()
        self.daemon = daemon
        prepare(daemon)
        var finished = false
        var failure: Error?
        daemon.start { error in
            failure = error
            finished = true
        }
        XCTAssertTrue(loop.run(until: { finished }, timeout: 5), "daemon did not finish starting")
        if let failure { throw failure }
    }

    func restart(prepare: (QueueDaemon) -> Void = { _ in }) throws {
        for client in clients { client.stop() }
        clients.removeAll()
        defaultClientStorage = nil
        daemon.stop()
        try startDaemon(prepare: prepare)
    }

    func client(role: String = "gateway", subscribe: Bool = false) -> IPCClient {
        let client = IPCClient(loop: loop, path: config.queueSocketPath, role: role, peerName: "queue-daemon",
                               timeout: 60, random: { 0.5 }, logger: { _ in })
        if subscribe { client.subscribe(prefixes: ["event."]) { [weak self] in self?.events.append($0) } }
        client.start()
        XCTAssertTrue(loop.run(until: { client.isConnected }, timeout: 5), "client did not connect")
        clients.append(client)
        return client
    }

    private var defaultClientStorage: IPCClient?

    /// The subscribed gateway client `call` uses (re-created after a restart).
    var defaultClient: IPCClient {
        if let existing = defaultClientStorage { return existing }
        let made = client(subscribe: true)
        defaultClientStorage = made
        return made
    }

    /// Sends a command and runs the loop until it is answered.
    @discardableResult
    func call(_ type: String, _ body: JSONObject, on client: IPCClient? = nil) -> Result<JSONObject, IPCError> {
        var result: Result<JSONObject, IPCError>?
        (client ?? defaultClient).request(type: type, body: body) { result = $0 }
        XCTAssertTrue(loop.run(until: { result != nil }, timeout: 60), "\(type) was not answered")
        return result ?? .failure(.unreachable("queue-daemon"))
    }

    /// The reply body of a command expected to succeed ({} after recording a failure).
    func ok(_ type: String, _ body: JSONObject, file: StaticString = #filePath, line: UInt = #line) -> JSONObject {
        switch call(type, body) {
        case .success(let reply): return reply
        case .failure(let error):
            XCTFail("\(type) failed: \(error)", file: file, line: line)
            return JSONObject()
        }
    }

    /// The error of a command expected to fail, checked against status, code and error string.
    @discardableResult
    func fails(_ type: String, _ body: JSONObject, status: Int, code: String? = nil, error: String? = nil,
               file: StaticString = #filePath, line: UInt = #line) -> IPCError? {
        switch call(type, body) {
        case .success(let reply):
            XCTFail("\(type) succeeded unexpectedly: \(reply)", file: file, line: line)
            return nil
        case .failure(let failure):
            XCTAssertEqual(failure.status, status, "\(failure)", file: file, line: line)
            if let code { XCTAssertEqual(failure.code, code, "\(failure)", file: file, line: line) }
            if let error { XCTAssertEqual(failure.error, error, "\(failure)", file: file, line: line) }
            return failure
        }
    }

    /// Creates a lead and returns its JSON.
    @discardableResult
    func createLead(phone: String, priority: String = "medium", actor: String = QueueDaemonHarness.admin,
                    extra: JSONObject = [:], file: StaticString = #filePath, line: UInt = #line) -> JSONObject {
        var body: JSONObject = ["actorId": .string(actor), "phone": .string(phone), "priority": .string(priority)]
        for (key, value) in extra { body[key] = value }
        return ok("queue.create_lead", body, file: file, line: line)["lead"]?.object ?? JSONObject()
    }

    /// Runs the loop briefly so pushed events arrive.
    func drain(until condition: () -> Bool = { false }, timeout: Double = 0.05) {
        _ = loop.run(until: condition, timeout: timeout)
    }

    func eventTypes() -> [String] { events.map(\.type) }

    /// Rows of `sql` through a second, read-only connection (what the gateway would see).
    func query(_ sql: String, _ params: [SQLValue] = []) throws -> [Row] {
        let reader = try Database(path: config.dbPath, owner: nil, readOnly: true)
        defer { reader.close() }
        return try reader.query(sql, params)
    }

    func count(_ sql: String, _ params: [SQLValue] = []) throws -> Int64 {
        try query(sql, params).first?.int(at: 0) ?? -1
    }

    static let admin = "aaaaaaaaaaaaaaaaaaaaaaaa"
    static let operatorA = "0000000000000000000000a1"
    static let operatorB = "0000000000000000000000b2"
}

final class DaemonHarnessTests: XCTestCase {
    func testStartsListensAndAnswersHelloForGatewayAndDialer() throws {
        let harness = try QueueDaemonHarness()
        XCTAssertTrue(harness.daemon.isReady)
        XCTAssertTrue(FileManager.default.fileExists(atPath: harness.config.queueSocketPath))
        XCTAssertTrue(harness.client(role: "gateway").isConnected)
        XCTAssertTrue(harness.client(role: "dialer").isConnected)
        XCTAssertTrue(harness.logs.lines.contains { $0.contains("queue-daemon ready") })
    }

    func testRefusesPeersWithAnotherRole() throws {
        let harness = try QueueDaemonHarness()
        var logged: [String] = []
        let intruder = IPCClient(loop: harness.loop, path: harness.config.queueSocketPath, role: "queue",
                                 peerName: "queue-daemon", logger: { logged.append($0) })
        intruder.start()
        harness.drain(until: { logged.contains { $0.contains("connection to queue-daemon lost") } }, timeout: 5)
        XCTAssertTrue(logged.contains { $0.contains("connection to queue-daemon lost") }, "\(logged)")
        XCTAssertFalse(intruder.isConnected)
        intruder.stop()
    }

    func testStartupStepsRunInOrderBeforeListening() throws {
        let harness = try QueueDaemonHarness(start: false)
        var order: [String] = []
        var pendingDone: ((Error?) -> Void)?
        let daemon = try harness.makeDaemon()
        daemon.startup.add("first", sync: { order.append("first") })
        daemon.startup.add("async") { done in
            order.append("async")
            pendingDone = done
        }
        var ready = false
        daemon.start { error in
            XCTAssertNil(error)
            ready = true
        }
        harness.drain(until: { pendingDone != nil }, timeout: 1)
        XCTAssertFalse(daemon.isReady)
        XCTAssertFalse(FileManager.default.fileExists(atPath: harness.config.queueSocketPath), "listening before READY")
        pendingDone?(nil)
        XCTAssertTrue(harness.loop.run(until: { ready }, timeout: 1))
        XCTAssertEqual(order, ["first", "async"])
        XCTAssertTrue(daemon.isReady)
        daemon.stop()
    }

    func testFailingStartupStepStopsTheStartWithItsName() throws {
        struct Broken: Error {}
        let harness = try QueueDaemonHarness(start: false)
        XCTAssertThrowsError(try harness.startDaemon { $0.startup.add("recover stuck leads", sync: { throw Broken() }) }) {
            XCTAssertTrue("\($0)".contains("recover stuck leads"), "\($0)")
        }
        XCTAssertFalse(harness.daemon.isReady)
    }

    func testSettingsDefaultsComeFromConfigAndPersistAcrossRestart() throws {
        let harness = try QueueDaemonHarness(environment: ["IBRAT_MAX_CONCURRENT_CALLS": "7"])
        XCTAssertEqual(try harness.query("SELECT value FROM queue_settings WHERE key = 'max_concurrent_calls'").first?
                        .string(at: 0), "7")
        XCTAssertEqual(try harness.query("SELECT value FROM queue_settings WHERE key = 'paused'").first?.string(at: 0), "0")
        _ = harness.ok("queue.control", ["action": "pause_queue"])
        _ = harness.ok("queue.control", ["action": "set_max_concurrent_calls", "value": 12])
        try harness.restart()
        XCTAssertEqual(harness.daemon.settings.current, QueueSettings(paused: true, maxConcurrentCalls: 12,
                                                                      callingHours: harness.config.callingHours))
        let status = harness.ok("queue.control", ["action": "get_queue_status"])["status"]
        XCTAssertEqual(status?["paused"], .bool(true))
        XCTAssertEqual(status?["isRunning"], .bool(false))
        XCTAssertEqual(status?["maxConcurrentCalls"], .int(12))
    }

    func testStopClosesTheSocketAndIsIdempotent() throws {
        let harness = try QueueDaemonHarness()
        harness.daemon.stop()
        harness.daemon.stop()
        XCTAssertFalse(FileManager.default.fileExists(atPath: harness.config.queueSocketPath))
        XCTAssertFalse(harness.daemon.db.isOpen)
    }

    func testUnknownCommandIsRefusedWithoutClosingTheConnection() throws {
        let harness = try QueueDaemonHarness()
        harness.fails("queue.no_such_thing", [:], status: 400, code: "unknown_command")
        _ = harness.ok("queue.control", ["action": "get_queue_status"])
    }
}
