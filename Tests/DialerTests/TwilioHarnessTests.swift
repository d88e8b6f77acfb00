import Foundation
import Shared
import TestSupport
import XCTest
@testable import dialer_daemon

/// A `TwilioTransport` the test answers by hand: requests are recorded with their completions;
/// `answer(_:with:)` completes one (the provider posts the result to its loop).
/// `@unchecked Sendable`: used on the test's loop thread only (the test answers by hand, no URLSession).
final class ScriptedTwilioTransport: TwilioTransport, @unchecked Sendable {
    private(set) var requests: [TwilioHTTPRequest] = []
    private var completions: [Int: @Sendable (TwilioHTTPResult) -> Void] = [:]

    func send(_ request: TwilioHTTPRequest, completion: @escaping @Sendable (TwilioHTTPResult) -> Void) {
        completions[requests.count] = completion
        requests.append(request)
    }

    var pending: [Int] { completions.keys.sorted() }

    func answer(_ index: Int, with result: TwilioHTTPResult) {
        completions.removeValue(forKey: index)?(result)
    }

    /// The form fields of request `index` (repeated keys kept in order).
    func form(_ index: Int) -> [(String, String)] {
        let text = String(decoding: requests[index].body, as: UTF8.self)
        return text.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                String($0).removingPercentEncoding ?? String($0)
            }
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
    }
}

/// A Twilio provider with a scripted transport and a real `CallManager` on a temp database:
/// the fixture of the Twilio provider and webhook tests.
final class TwilioHarness {
    static let sid = "AC0123456789abcdef0123456789abcdef"
    static let settings = TwilioSettings(accountSid: sid, authToken: "token-123", from: "+15005550006",
                                         publicURL: "https://calls.example.com", apiBase: "https://twilio.test",
                                         callsPerSecond: 1000, ringTimeoutSeconds: 30)
    static func callSid(_ n: Int) -> String { String(format: "CA%032x", n) }
    static func created(_ n: Int) -> TwilioHTTPResult {
        .response(status: 201, body: Array("{\"sid\":\"\(callSid(n))\",\"status\":\"queued\"}".utf8))
    }

    let dir: String
    private let temp: TemporaryDirectory
    let loop: EventLoop
    let clock = ManualWallClock(now: 1_700_000_000_000)
    let capture = LogCapture()
    let transport = ScriptedTwilioTransport()
    let db: Database
    let provider: TwilioProvider
    let manager: CallManager
    let handler: TwilioWebhookHandler
    var published: [(String?, String)] = []

    init(settings: TwilioSettings = TwilioHarness.settings, timing: TwilioTiming = TwilioTiming(
        connectRetryDelays: [0.01, 0.01, 0.01], unknownSidWait: 0.2, statusGraceSeconds: 600, answeredCheckSeconds: 600),
         now: @escaping () -> Double = { MonotonicClock.seconds() }) throws {
        temp = try TemporaryDirectory(prefix: "dialerd-twilio")
        dir = temp.path
        loop = try EventLoop()
        db = try Database(path: dir + "/ibrat.db", owner: .dialer)
        try Schema.migrate(db, owner: .dialer, now: 0)
        let logger = Logger(identifier: "dialer-daemon", minimumLevel: .debug, sink: .capture(capture))
        provider = TwilioProvider(settings: settings, loop: loop, logger: logger, transport: transport,
                                  timing: timing, now: now)
        manager = CallManager(store: CallStore(db: db), provider: provider, clock: clock, logger: logger, loop: loop,
                              callerId: settings.from, retryInterval: 0.01)
        handler = TwilioWebhookHandler(provider: provider, manager: manager, logger: logger)
        let commands = DialerCommands(manager: manager)
        ProviderSelection(provider: provider, twilio: provider, callerId: settings.from)
            .attach(to: commands, manager: manager, recovered: [], logger: logger)
        manager.publish = { [unowned self] _, body in
            published.append((body["previousStatus"]?.string, body["call"]?["status"]?.string ?? "?"))
        }
    }

    func tearDown() {
        db.close()
        temp.remove()
    }

    /// Starts call `n` (lead `n`) with an operator phone unless `operatorPhone` is nil.
    @discardableResult
    func start(_ n: Int, operatorPhone: String? = "+998907654321", to: String = "+998901234567") -> String {
        let command = StartCallBody(callId: Fixture.callId(n), leadId: Fixture.lead(n), operatorId: Fixture.operatorA,
                                       to: to, mode: .automatic, operatorPhone: operatorPhone)
        XCTAssertNoThrow(try manager.startCall(command).get())
        return command.callId
    }

    /// Runs the loop until `condition` holds (at most one second).
    @discardableResult
    func run(until condition: @escaping () -> Bool) -> Bool { loop.run(until: condition, timeout: 1) }

    /// Starts call `n` and lets Twilio accept it with sid `callSid(n)`.
    @discardableResult
    func startAccepted(_ n: Int, operatorPhone: String? = "+998907654321") -> String {
        let callId = start(n, operatorPhone: operatorPhone)
        XCTAssertTrue(run { self.transport.requests.count >= 1 && !self.transport.pending.isEmpty })
        let index = transport.requests.count - 1
        transport.answer(index, with: Self.created(n))
        XCTAssertTrue(run { self.manager.active[callId]?.twilioCallSid == Self.callSid(n) })
        return callId
    }

    /// Sends a webhook through the handler and waits for its reply.
    func webhook(_ n: Int, _ status: String, duration: Int? = nil, answer: Bool = false,
                 extra: JSONObject = [:]) -> Result<JSONObject, IPCError> {
        var body: JSONObject = ["callSid": .string(Self.callSid(n)), "callStatus": .string(status)]
        if let duration { body["callDuration"] = .string(String(duration)) }
        if answer { body["webhook"] = "answer" }
        for (key, value) in extra.pairs { body[key] = value }
        var result: Result<JSONObject, IPCError>?
        handler.handle(IPCRequest(type: "dialer.provider_event", id: 1, body: body, peerRole: "gateway",
                                  connectionNumber: 1)) { result = $0 }
        XCTAssertTrue(run { result != nil }, "webhook answered")
        return result ?? .failure(.internal(message: "no answer"))
    }

    func stored(_ callId: String) -> CallRecord? { try? manager.store.load(id: callId) }

    func logs(containing text: String) -> [LogRecord] { capture.records.filter { $0.message.contains(text) } }
}

final class TwilioHarnessTests: XCTestCase {
    func testScriptedTransportRecordsAndAnswersThroughTheLoop() throws {
        let harness = try TwilioHarness()
        defer { harness.tearDown() }
        let callId = harness.startAccepted(1)
        XCTAssertEqual(harness.transport.requests.count, 1)
        XCTAssertEqual(harness.stored(callId)?.twilioCallSid, TwilioHarness.callSid(1))
        XCTAssertEqual(harness.stored(callId)?.from, "+15005550006", "the caller id is IBRAT_TWILIO_FROM")
        XCTAssertEqual(harness.provider.callId(forSid: TwilioHarness.callSid(1)), callId)
    }
}
