import Glibc
import TestSupport
import XCTest
@testable import Shared
@testable import api_gateway

/// Thrown by `CallSliceFixture.send` when a request got no answer in time.
struct NoResponse: Error { let request: String }

/// Shared fixture for the calls-slice route tests (no tests of its own): a temp database with
/// all three owners' migrations (each applied through its own owner connection), a gateway
/// context on a manual clock with the calls-slice routes on a router, users with tokens, seeding
/// helpers for leads (as queue-daemon) and calls (as dialer-daemon), fake daemons as in-process
/// `IPCServer`s, and `send` that drives one request through the router without sockets.
final class CallSliceFixture {
    /// 2024-01-15T10:30:00.000Z.
    static let now: Int64 = 1_705_314_600_000
    static let hour: Int64 = 3_600_000
    static let day: Int64 = 86_400_000

    let directory: String
    private let temp: TemporaryDirectory
    let loop: EventLoop
    let ctx: GatewayContext
    let router = Router()
    let queueDB: Database
    let dialerDB: Database
    let clock = ManualWallClock(now: CallSliceFixture.now)
    private(set) var reader: DashboardReader!
    private var servers: [IPCServer] = []
    private var seq = 0

    /// `migrateDaemons: false` leaves out the queue and dialer tables (those daemons never ran).
    init(ipcTimeoutMillis: Int = 300, migrateDaemons: Bool = true) throws {
        temp = try TemporaryDirectory(prefix: "gwcalls-test")
        directory = temp.path
        mkdir(directory + "/run", 0o700)
        let config = try Config.load(environment: [
            "STATE_DIRECTORY": directory, "IBRAT_RUNTIME_DIR": directory + "/run",
            "IBRAT_JWT_SECRET": String(repeating: "s", count: 40), "IBRAT_IPC_TIMEOUT_MS": String(ipcTimeoutMillis),
            "IBRAT_ENV": "test",
        ])
        let db = try Database(path: config.dbPath, owner: .gateway)
        try Schema.migrate(db, owner: .gateway, now: Self.now)
        queueDB = try Database(path: config.dbPath, owner: .queue)
        dialerDB = try Database(path: config.dbPath, owner: .dialer)
        if migrateDaemons {
            try Schema.migrate(queueDB, owner: .queue, now: Self.now)
            try Schema.migrate(dialerDB, owner: .dialer, now: Self.now)
        }
        loop = try EventLoop()
        let logger = Logger(identifier: "gwcalls-test", minimumLevel: .critical, sink: .capture(LogCapture()))
        ctx = try GatewayContext(loop: loop, config: config, logger: logger, db: db, clock: clock,
                                 jwtSecret: Array(String(repeating: "s", count: 40).utf8))
        let modules = CallRoutes.modules(ctx, activeConnections: { 7 })
        for module in modules { module.register(on: router) }
        reader = (modules.first as? CallRoutes)?.reader
    }

    deinit {
        ctx.queue.stop()
        ctx.dialer.stop()
        for server in servers { server.stop() }
    }

    // MARK: Seeding

    private func nextID(_ millis: Int64) -> String {
        seq += 1
        return String(format: "%08x%010x%06x", UInt32(millis / 1000), 0xabcdef0123, seq)
    }

    @discardableResult
    func user(_ name: String, role: UserRole = .operator_, active: Bool = true, available: Bool = true) throws -> (id: String, token: String) {
        let id = nextID(Self.now - Self.day)
        try ctx.users.insert(UserRecord(id: id, name: name, email: name.lowercased() + "@example.com",
                                        phone: "+99890\(1_000_000 + seq)", passwordHash: "!", role: role,
                                        isActive: active, isAvailable: available, createdAt: Self.now - Self.day,
                                        updatedAt: Self.now - Self.day))
        return (id, ctx.tokens.issue(userID: id, role: role).token)
    }

    @discardableResult
    func lead(priority: LeadPriority = .medium, status: LeadStatus = .pending, assignedTo: String? = nil,
              active: Bool = true, createdAt: Int64 = CallSliceFixture.now - CallSliceFixture.day) throws -> String {
        let id = nextID(createdAt)
        try queueDB.run("""
            INSERT INTO leads(id, phone, name, email, status, priority, priority_rank, assigned_to, is_active,
                              created_at, updated_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(id), .text("+99891\(1_000_000 + seq)"), .text("Lead \(seq)"), .text("lead\(seq)@example.com"),
                  .text(status.rawValue), .text(priority.rawValue), .int(Int64(priority.rank)), SQLValue(assignedTo),
                  SQLValue(active), .int(createdAt), .int(createdAt)])
        try LeadCounts.countInserted(queueDB, where: "rowid = last_insert_rowid()", [])  // as the queue-daemon does
        return id
    }

    /// A call; `answered` sets `answer_time`.
    @discardableResult
    func call(lead: String, operator op: String?, status: CallStatus, createdAt: Int64, duration: Int64 = 0,
              answered: Bool? = nil) throws -> String {
        let id = nextID(createdAt)
        let wasAnswered = answered ?? (status == .answered || status == .completed)
        try dialerDB.run("""
            INSERT INTO calls(id, lead_id, operator_id, twilio_call_sid, mode, status, from_number, to_number, duration,
                              start_time, answer_time, created_at, updated_at) VALUES(?, ?, ?, ?, 'automatic', ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(id), .text(lead), SQLValue(op), .text("CA" + id + "00000000"), .text(status.rawValue),
                  "+998712000000", "+998911234567", .int(duration), .int(createdAt),
                  wasAnswered ? .int(createdAt + 5000) : .null, .int(createdAt), .int(createdAt)])
        return id
    }

    // MARK: Requests

    /// Sends one request through the router and runs the loop until it is answered.
    func send(_ method: String, _ target: String, token: String?, json: JSON? = nil,
              timeout: Double = 5) throws -> (status: Int, body: JSON) {
        var headers = HTTPHeaders()
        if let token { headers.add("Authorization", "Bearer " + token) }
        var body: [UInt8] = []
        if let json {
            headers.add("Content-Type", "application/json")
            body = json.serialized()
        }
        let request = try HTTPRequest(method: method, target: target, headers: headers, body: body)
        var response: HTTPResponse?
        router.handle(request, HTTPResponder(request: request) { response = $0 })
        _ = loop.run(until: { response != nil }, timeout: timeout)
        guard let response else { throw NoResponse(request: "\(method) \(target)") }
        let parsed = response.body.isEmpty ? JSON.null : try JSON.parse(response.body)
        return (response.status, parsed)
    }

    /// The numeric members of an object (ints and doubles alike; JSON prints 25.0 as 25).
    static func numbers(_ json: JSON?) -> [String: Double] {
        var result: [String: Double] = [:]
        for (key, value) in json?.object ?? [:] { if let d = value.double { result[key] = d } }
        return result
    }

    // MARK: Fake daemons

    /// Serves `role` ("queue" or "dialer") on its socket with `handlers`, and connects the
    /// gateway's client to it.
    func fakeDaemon(_ role: String, _ handlers: [String: IPCCommandHandler]) throws {
        let path = role == "queue" ? ctx.config.queueSocketPath : ctx.config.dialerSocketPath
        let fd = try Socket.listenUnix(path: path, mode: 0o600)
        let server = try IPCServer(loop: loop, listenFD: fd, role: role, allowedPeers: ["gateway"]) { _ in }
        for (type, handler) in handlers { server.onCommand(type, handler) }
        servers.append(server)
        let client = role == "queue" ? ctx.queue : ctx.dialer
        client.start()
        XCTAssertTrue(loop.run(until: { client.isConnected }, timeout: 3), "\(role) fake did not connect")
    }
}
