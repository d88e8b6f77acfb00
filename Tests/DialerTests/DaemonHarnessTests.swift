import Foundation
@testable import Shared
import TestSupport
import XCTest
@testable import dialer_daemon

/// The fixture of the daemon tests: a real `DialerDaemon` on a temp directory and its own
/// `EventLoop`, with a captured logger, recorded sd_notify messages, and real `IPCClient`s
/// (`role: "queue"` by default) subscribed to `event.`. `request` drives the loop until the answer
/// arrives. The tests at the bottom check the harness's own start-up expectations.
final class DaemonHarness {
    let dir: String
    /// The directory this harness made (nil when it shares another harness's `dir`).
    private var temp: TemporaryDirectory?
    let loop: EventLoop
    let clock: WallClock
    let capture = LogCapture()
    let logger: Logger
    var environment: [String: String]
    /// The clock of the `STATUS=` throttle: its interval passes when a test advances it.
    let statusClock = ManualMonotonicClock()
    /// Short timings so no test waits for the production intervals.
    lazy var tuning = DialerTuning(statusInterval: 0.05, statusClock: statusClock.reading, persistRetry: 0.02,
                                   shutdownGrace: 0.05)
    private(set) var notifications: [String] = []
    private(set) var daemon: DialerDaemon?
    private(set) var events: [IPCMessage] = []
    private var clients: [IPCClient] = []

    /// `settings` are extra configuration variables (e.g. `IBRAT_SIM_P_ANSWER`).
    init(settings: [String: String] = [:], clock: WallClock = SystemWallClock(), dir: String? = nil) throws {
        if let dir {
            self.dir = dir
        } else {
            let temp = try TemporaryDirectory(prefix: "dialerd-test")
            self.temp = temp
            self.dir = temp.path
        }
        loop = try EventLoop()
        self.clock = clock
        logger = Logger(identifier: "dialer-daemon", minimumLevel: .debug, sink: .capture(capture))
        environment = ["STATE_DIRECTORY": self.dir, "IBRAT_SIM_SEED": "42", "IBRAT_SIM_TIME_SCALE": "0.001",
                       "IBRAT_SIM_RING_SECONDS": "1-2", "IBRAT_SIM_TALK_SECONDS": "1-2"]
        environment.merge(settings) { $1 }
    }

    /// Every call ends as `outcome` ("ANSWER", "BUSY", "NO_ANSWER", "FAILED").
    static func only(_ outcome: String) -> [String: String] {
        var settings: [String: String] = [:]
        for name in ["ANSWER", "BUSY", "NO_ANSWER", "FAILED"] {
            settings["IBRAT_SIM_P_\(name)"] = name == outcome ? "1" : "0"
        }
        return settings
    }

    /// Calls that ring for ~10 minutes: they stay live for the whole test.
    static let longCalls: [String: String] = ["IBRAT_SIM_TIME_SCALE": "1", "IBRAT_SIM_RING_SECONDS": "600-600"]

    var config: Config { get throws { try Config.load(environment: environment) } }
    var socketPath: String { (try? config.dialerSocketPath) ?? dir + "/run/dialer.sock" }

    var notifier: ServiceNotifier {
        ServiceNotifier(ready: { [unowned self] in notifications.append("READY " + $0) },
                        status: { [unowned self] in notifications.append("STATUS " + $0) },
                        stopping: { [unowned self] in notifications.append("STOPPING") })
    }

    @discardableResult
    func start() throws -> DialerDaemon {
        let daemon = DialerDaemon(config: try config, loop: loop, clock: clock, logger: logger, notifier: notifier,
                                  tuning: tuning)
        try daemon.start()
        self.daemon = daemon
        return daemon
    }

    /// A connected client subscribed to every event (collected in `events`).
    func connect(role: String = "queue", subscribe: Bool = true) -> IPCClient {
        let client = IPCClient(loop: loop, path: socketPath, role: role, peerName: "dialer-daemon",
                               timeout: 3, logger: { _ in })
        if subscribe {
            client.subscribe(prefixes: ["event."]) { [unowned self] in events.append($0) }
        }
        client.start()
        XCTAssertTrue(loop.run(until: { client.isConnected }, timeout: 3), "client connects")
        // The subscribe request is answered before any later request on the same connection.
        _ = request("dialer.status", [:], on: client)
        clients.append(client)
        return client
    }

    func request(_ type: String, _ body: JSONObject, on client: IPCClient) -> Result<JSONObject, IPCError> {
        var result: Result<JSONObject, IPCError>?
        client.request(type: type, body: body) { result = $0 }
        XCTAssertTrue(loop.run(until: { result != nil }, timeout: 3), "\(type) answered")
        return result ?? .failure(.internal(message: "no answer"))
    }

    /// The `call` object of a successful answer (fails the test otherwise).
    func call(_ result: Result<JSONObject, IPCError>, file: StaticString = #filePath,
              line: UInt = #line) -> JSONObject {
        switch result {
        case .success(let body):
            guard let call = body["call"]?.object else {
                XCTFail("no call in \(body)", file: file, line: line)
                return JSONObject()
            }
            return call
        case .failure(let error):
            XCTFail("unexpected error \(error)", file: file, line: line)
            return JSONObject()
        }
    }

    func error(_ result: Result<JSONObject, IPCError>, file: StaticString = #filePath, line: UInt = #line) -> IPCError? {
        if case .failure(let error) = result { return error }
        XCTFail("expected an error, got \(result)", file: file, line: line)
        return nil
    }

    /// The `call_status_changed` events of `callId`, as (previousStatus, status).
    func transitions(of callId: String) -> [(String?, String)] {
        events.filter { $0.type == "event.call_status_changed" && $0.body["call"]?["id"]?.string == callId }
            .map { ($0.body["previousStatus"]?.string, $0.body["call"]?["status"]?.string ?? "?") }
    }

    func statuses(of callId: String) -> [String] { transitions(of: callId).map(\.1) }

    /// A reading connection to the daemon's database.
    func readDB() throws -> Database { try Database(path: try config.dbPath, owner: nil) }

    func row(_ callId: String) throws -> Row? {
        try readDB().queryOne("SELECT * FROM calls WHERE id = ?", [.text(callId)])
    }

    func startBody(callId: String, leadId: String, operatorId: String? = Fixture.operatorA,
                   to: String = "+998901234567", mode: String = "automatic") -> JSONObject {
        JSONObject([("callId", .string(callId)), ("leadId", .string(leadId)), ("operatorId", JSON.from(operatorId)),
                    ("to", .string(to)), ("mode", .string(mode)), ("operatorPhone", "+998907654321")])
    }

    func logs(containing text: String) -> [LogRecord] { capture.records.filter { $0.message.contains(text) } }

    func tearDown() {
        for client in clients { client.stop() }
        clients.removeAll()
        daemon?.server?.stop()
        daemon?.database?.close()
        daemon = nil
        temp?.remove()
    }
}

/// Ids used across the daemon tests.
enum Fixture {
    static let operatorA = "65a000000000000000000001"
    static let operatorB = "65a000000000000000000002"
    static let admin = "65a0000000000000000000ad"
    static func lead(_ n: Int) -> String { String(format: "65b%021x", n) }
    static func callId(_ n: Int) -> String { String(format: "65c%021x", n) }
}

final class DaemonHarnessTests: XCTestCase {
    var harness: DaemonHarness!

    override func setUpWithError() throws { harness = try DaemonHarness() }
    override func tearDown() { harness.tearDown() }

    func testStartSendsReadyWithStatusLineAndListensOnTheRuntimeSocket() throws {
        try harness.start()
        XCTAssertEqual(harness.notifications, ["READY 0 active calls, provider=simulation"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: harness.socketPath))
        let client = harness.connect(role: "gateway")
        XCTAssertEqual(client.serverRole, "dialer")
        let ready = harness.logs(containing: "dialer-daemon ready")
        XCTAssertEqual(ready.first?.field("SIM_SEED"), "42")
    }

    func testOnlyGatewayAndQueueMayConnect() throws {
        try harness.start()
        var logged: [String] = []
        let client = IPCClient(loop: harness.loop, path: harness.socketPath, role: "dialer",
                               peerName: "dialer-daemon", logger: { logged.append($0) })
        client.start()
        defer { client.stop() }
        XCTAssertTrue(harness.loop.run(until: { logged.contains { $0.contains("connection to dialer-daemon lost") } },
                                       timeout: 5), "the daemon closes the connection: \(logged)")
        XCTAssertFalse(client.isConnected)
    }

    func testStatusLineWordsAndInterval() {
        XCTAssertEqual(StatusReporter.line(activeCount: 1, provider: "simulation"), "1 active call, provider=simulation")
        XCTAssertEqual(StatusReporter.line(activeCount: 3, provider: "simulation"), "3 active calls, provider=simulation")
        XCTAssertEqual(DialerLimits.statusMinInterval, 1.0)
    }
}
