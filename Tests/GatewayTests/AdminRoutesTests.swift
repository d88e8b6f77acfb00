import XCTest
@testable import Shared
@testable import api_gateway

/// `POST /api/admin/system/control` (every action mapped to `queue.control` and back, the 400s
/// before any IPC, 503 with the queue down) and `GET /api/admin/system-status` with both daemons
/// answering, down, or hanging (answered within the IPC timeout, figures from SQL).
final class AdminRoutesTests: XCTestCase {
    var fx: CallSliceFixture!
    var admin: (id: String, token: String)!
    var sent: [JSONObject] = []

    override func setUpWithError() throws {
        fx = try CallSliceFixture()
        admin = try fx.user("Admin", role: .admin)
    }

    override func tearDown() { fx = nil }

    /// A queue fake with queue-daemon's reply shapes.
    func startQueue() throws {
        try fx.fakeDaemon("queue", ["queue.control": { [self] request, reply in
            sent.append(request.body)
            switch request.body["action"]?.string {
            case "pause_queue": reply(.success(["message": "Call queue paused", "status": "paused"]))
            case "resume_queue": reply(.success(["message": "Call queue resumed", "status": "running"]))
            case "reset_stuck_leads": reply(.success(["message": "Reset 3 stuck leads", "resetCount": 3]))
            case "set_max_concurrent_calls":
                reply(.success(["message": "Max concurrent calls updated", "maxConcurrentCalls": request.body["value"] ?? 0]))
            default:
                reply(.success(["message": "Queue status retrieved",
                                "status": ["isRunning": true, "paused": false, "activeCalls": 2, "maxConcurrentCalls": 5,
                                           "pendingLeads": 9],
                                "activeCalls": [["leadId": "l1"], ["leadId": "l2"]]]))
            }
        }])
    }

    func control(_ json: JSON) throws -> (status: Int, body: JSON) {
        try fx.send("POST", "/api/admin/system/control", token: admin.token, json: json)
    }

    func testEveryActionMapsToTheOriginalResponse() throws {
        try startQueue()
        XCTAssertEqual(try control(["action": "pause_queue"]).body, ["message": "Call queue paused", "status": "paused"])
        XCTAssertEqual(try control(["action": "resume_queue"]).body, ["message": "Call queue resumed", "status": "running"])
        XCTAssertEqual(try control(["action": "reset_stuck_leads"]).body,
                       ["message": "Stuck leads reset completed", "resetCount": 3])
        XCTAssertEqual(try control(["action": "set_max_concurrent_calls", "value": 12]).body,
                       ["message": "Max concurrent calls updated", "maxConcurrentCalls": 12])
        let status = try control(["action": "get_queue_status"])
        XCTAssertEqual(status.status, 200)
        XCTAssertEqual(status.body["message"], "Queue status retrieved")
        XCTAssertEqual(status.body["status"]?["activeCalls"], 2)
        XCTAssertEqual(status.body["activeCalls"]?.array?.count, 2)
        XCTAssertEqual(sent.first, ["action": "pause_queue", "actorId": .string(admin.id)])
        XCTAssertEqual(sent[3], ["action": "set_max_concurrent_calls", "actorId": .string(admin.id), "value": 12])
    }

    func testBadActionsAre400sWithoutIPC() throws {
        try startQueue()
        let missing = try control([:])
        XCTAssertEqual(missing.status, 400)
        XCTAssertEqual(missing.body["error"], "Action parameter required")
        XCTAssertEqual(try control(["action": ""]).body["error"], "Action parameter required")
        let empty = try fx.send("POST", "/api/admin/system/control", token: admin.token)
        XCTAssertEqual(empty.body["error"], "Action parameter required")
        let unknown = try control(["action": "reboot"])
        XCTAssertEqual(unknown.status, 400)
        XCTAssertEqual(unknown.body["error"], "Invalid action specified")
        XCTAssertEqual(unknown.body["allowedActions"]?.array?.compactMap(\.string), AdminRoutes.controlActions)
        XCTAssertEqual(try control(["action": 5]).body["error"], "Invalid action specified")
        XCTAssertEqual(try control(["action": "set_max_concurrent_calls"]).body["message"], "\"value\" is required")
        XCTAssertEqual(try control(["action": "set_max_concurrent_calls", "value": 0]).status, 400)
        XCTAssertEqual(try control(["action": "set_max_concurrent_calls", "value": 10001]).status, 400)
        XCTAssertEqual(try control(["action": "set_max_concurrent_calls", "value": "7"]).status, 400)
        XCTAssertTrue(sent.isEmpty)
    }

    /// `FieldRules.maxConcurrentCalls`: 1 and 10000 are forwarded, 0 and 10001 are the rule's 400.
    func testMaxConcurrentCallsAtItsBounds() throws {
        try startQueue()
        for value: Int64 in [1, 10_000] {
            XCTAssertEqual(try control(["action": "set_max_concurrent_calls", "value": .int(value)]).body["maxConcurrentCalls"],
                           .int(value))
        }
        for value: Int64 in [0, 10_001, -1] {
            let refused = try control(["action": "set_max_concurrent_calls", "value": .int(value)])
            XCTAssertEqual(refused.status, 400)
            XCTAssertEqual(refused.body["message"], "\"value\" must be between 1 and 10000")
        }
        XCTAssertEqual(sent.map { $0["value"] }, [1, 10_000])
    }

    func testControlIsAdminOnlyAndNeedsTheQueue() throws {
        let op = try fx.user("Olga")
        XCTAssertEqual(try fx.send("POST", "/api/admin/system/control", token: op.token, json: ["action": "pause_queue"]).status,
                       403)
        let down = try control(["action": "pause_queue"])
        XCTAssertEqual(down.status, 503)
        XCTAssertEqual(down.body["message"], "queue-daemon is not reachable")
    }

    func testSystemStatusWithBothDaemonsAnswering() throws {
        try startQueue()
        try fx.fakeDaemon("dialer", ["dialer.status": { _, reply in
            reply(.success(["provider": "simulation", "activeCount": 2, "activeCalls": []]))
        }])
        let (status, body) = try fx.send("GET", "/api/admin/system-status", token: admin.token)
        XCTAssertEqual(status, 200)
        let s = try XCTUnwrap(body["systemStatus"])
        XCTAssertEqual(s.object?.keys, ["database", "callQueue", "queueDaemon", "dialer", "activeConnections", "uptime",
                                        "memory", "environment"])
        XCTAssertEqual(s["database"], "connected")
        XCTAssertEqual(s["callQueue"]?["isRunning"], true)
        XCTAssertEqual(s["callQueue"]?["pendingLeads"], 9)
        XCTAssertEqual(s["queueDaemon"], ["reachable": true])
        XCTAssertEqual(s["dialer"], ["reachable": true, "provider": "simulation", "activeCalls": 2])
        XCTAssertEqual(s["activeConnections"], 7)
        XCTAssertEqual(s["environment"], "test")
        XCTAssertEqual(s["memory"]?.object?.keys, ["rss", "heapTotal", "heapUsed", "external", "arrayBuffers"])
        XCTAssertGreaterThan(s["memory"]?["rss"]?.int ?? 0, 0)
        XCTAssertGreaterThan(s["memory"]?["heapUsed"]?.int ?? 0, 0)
        XCTAssertGreaterThanOrEqual(s["uptime"]?.double ?? -1, 0)
    }

    func testSystemStatusWithDaemonsDownUsesSQL() throws {
        try fx.queueDB.run("INSERT INTO queue_settings(key, value) VALUES('paused', '1'), ('max_concurrent_calls', '8'), "
                           + "('calling_hours', '08:00-17:30 mon,fri')")
        let lead = try fx.lead()
        try fx.call(lead: lead, operator: nil, status: .ringing, createdAt: CallSliceFixture.now - 1000)
        try fx.call(lead: lead, operator: nil, status: .completed, createdAt: CallSliceFixture.now - 9000)
        let s = try XCTUnwrap(try fx.send("GET", "/api/admin/system-status", token: admin.token).body["systemStatus"])
        XCTAssertEqual(s["callQueue"], ["isRunning": false, "paused": true, "activeCalls": 1, "maxConcurrentCalls": 8,
                                        "callingHours": ["start": "08:00", "end": "17:30", "days": ["mon", "fri"]]])
        XCTAssertEqual(s["queueDaemon"], ["reachable": false])
        XCTAssertEqual(s["dialer"], ["reachable": false, "provider": nil, "activeCalls": 1])
        XCTAssertEqual(s["database"], "connected")
    }

    func testSystemStatusAnswersWhenDaemonsHang() throws {
        try fx.fakeDaemon("queue", ["queue.control": { _, _ in }])
        try fx.fakeDaemon("dialer", ["dialer.status": { _, _ in }])
        let s = try XCTUnwrap(try fx.send("GET", "/api/admin/system-status", token: admin.token, timeout: 3).body["systemStatus"])
        XCTAssertEqual(s["queueDaemon"], ["reachable": false])
        XCTAssertEqual(s["dialer"]?["reachable"], false)
        XCTAssertEqual(s["callQueue"]?["maxConcurrentCalls"], .int(Int64(fx.ctx.config.maxConcurrentCalls)))
    }

    func testSystemStatusWithoutDaemonTables() throws {
        let bare = try CallSliceFixture(migrateDaemons: false)
        let root = try bare.user("Root", role: .admin)
        let (status, body) = try bare.send("GET", "/api/admin/system-status", token: root.token)
        XCTAssertEqual(status, 200)
        XCTAssertEqual(body["systemStatus"]?["callQueue"]?["activeCalls"], 0)
        XCTAssertEqual(try bare.send("GET", "/api/admin/system-status", token: bare.user("Op").token).status, 403)
    }
}
