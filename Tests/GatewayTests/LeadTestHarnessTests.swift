import Glibc
import TestSupport
import XCTest
@testable import api_gateway
@testable import Shared

/// Fixtures for the lead route tests (no tests of its own): a temp directory with one database
/// migrated by all three owners over separate connections, a `GatewayContext` on it with a manual
/// clock, the gateway's route modules plus the lead ones on one `Router`, users with tokens, a
/// fake queue-daemon (an in-process `IPCServer`, role `queue`, on the configured socket path)
/// whose answers tests script per command, and `send` to drive one request through the router
/// and the loop.
final class LeadTestHarness {
    typealias QueueHandler = (JSONObject) -> Result<JSONObject, IPCError>

    let directory: String
    private let temp: TemporaryDirectory
    let loop: EventLoop
    let clock = ManualWallClock(now: 1_700_000_000_000)
    let logs = LogCapture()
    let config: Config
    let ctx: GatewayContext
    /// gwcore's modules plus the lead modules (proves they register side by side).
    let router: Router
    /// Writers for the tables the gateway may only read.
    let queueDB: Database
    let dialerDB: Database
    let leadRoutes: LeadRoutes
    let operatorRoutes: OperatorLeadRoutes

    private(set) var admin: UserRecord!
    private(set) var operatorA: UserRecord!
    private(set) var operatorB: UserRecord!

    private var fakeQueue: IPCServer?
    /// Scripted answers by command type; commands without one get an `unknown_command` error.
    var queueHandlers: [String: QueueHandler] = [:]
    /// Every command the fake queue received, in order.
    private(set) var received: [(type: String, body: JSONObject)] = []

    init(ipcTimeoutMillis: Int = 1000) throws {
        temp = try TemporaryDirectory(prefix: "gwleads")
        directory = temp.path
        mkdir(directory + "/run", 0o700)
        config = try Config.load(environment: [
            "STATE_DIRECTORY": directory, "IBRAT_DB": directory + "/ibrat.db",
            "IBRAT_RUNTIME_DIR": directory + "/run", "IBRAT_DEFAULT_COUNTRY_CODE": "998",
            "IBRAT_IPC_TIMEOUT_MS": String(ipcTimeoutMillis),
        ])
        loop = try EventLoop()
        let gatewayDB = try Database(path: config.dbPath, owner: .gateway)
        try Schema.migrate(gatewayDB, owner: .gateway, now: clock.now)
        queueDB = try Database(path: config.dbPath, owner: .queue)
        try Schema.migrate(queueDB, owner: .queue, now: clock.now)
        dialerDB = try Database(path: config.dbPath, owner: .dialer)
        try Schema.migrate(dialerDB, owner: .dialer, now: clock.now)
        ctx = try GatewayContext(loop: loop, config: config, logger: Logger(identifier: "test", sink: .capture(logs)),
                                 db: gatewayDB, clock: clock, jwtSecret: Array(repeating: 7, count: 32))
        // The gateway's own modules minus the ones under test (registered below with handles kept).
        router = Router()
        for module: RouteModule in [HealthRoutes(ctx: ctx), AuthRoutes(ctx: ctx), UserRoutes(ctx: ctx),
                                    ProfileRoutes(ctx: ctx)] {
            module.register(on: router)
        }
        leadRoutes = LeadRoutes(ctx: ctx)
        operatorRoutes = OperatorLeadRoutes(ctx: ctx)
        leadRoutes.register(on: router)
        operatorRoutes.register(on: router)
        AdminLeadRoutes(ctx: ctx).register(on: router)
        admin = try makeUser(name: "Admin", role: .admin)
        operatorA = try makeUser(name: "Olga", role: .operator_)
        operatorB = try makeUser(name: "Boris", role: .operator_)
    }

    deinit {
        ctx.queue.stop()
        fakeQueue?.stop()
    }

    // MARK: Users and data

    func makeUser(name: String, role: UserRole) throws -> UserRecord {
        let user = UserRecord(id: ObjectID.generate(nowMillis: clock.now), name: name,
                              email: name.lowercased() + "@example.com", phone: "+998901112233",
                              passwordHash: "x", role: role, createdAt: clock.now, updatedAt: clock.now)
        try ctx.users.insert(user)
        return user
    }

    func token(_ user: UserRecord) -> String { ctx.tokens.issue(userID: user.id, role: user.role).token }

    /// Inserts a lead as the queue-daemon would; returns its id.
    @discardableResult
    func insertLead(phone: String, name: String = "", email: String = "", status: LeadStatus = .pending,
                    priority: LeadPriority = .medium, assignedTo: String? = nil, nextCallTime: Int64? = nil,
                    isActive: Bool = true, createdAt: Int64? = nil, callAttempts: Int64 = 0) throws -> String {
        let created = createdAt ?? clock.now
        let id = ObjectID.generate(nowMillis: created)
        try queueDB.run("""
            INSERT INTO leads(id, phone, name, email, status, priority, priority_rank, call_attempts, next_call_time,
                              assigned_to, is_active, created_at, updated_at)
            VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(id), .text(phone), .text(name), .text(email), .text(status.rawValue), .text(priority.rawValue),
                  .int(Int64(priority.rank)), .int(callAttempts), SQLValue(nextCallTime), SQLValue(assignedTo),
                  SQLValue(isActive), .int(created), .int(created)])
        try LeadCounts.countInserted(queueDB, where: "rowid = last_insert_rowid()", [])  // as the queue-daemon does
        return id
    }

    func insertCall(leadID: String, operatorID: String?, status: CallStatus, startTime: Int64, duration: Int64 = 0) throws {
        let id = ObjectID.generate(nowMillis: startTime)
        try dialerDB.run("""
            INSERT INTO calls(id, lead_id, operator_id, mode, status, from_number, to_number, duration, start_time,
                              end_time, created_at, updated_at) VALUES(?, ?, ?, 'automatic', ?, '+1', '+2', ?, ?, ?, ?, ?)
            """, [.text(id), .text(leadID), SQLValue(operatorID), .text(status.rawValue), .int(duration),
                  .int(startTime), .int(startTime + duration * 1000), .int(startTime), .int(startTime)])
    }

    // MARK: Fake queue-daemon

    /// Starts the fake queue-daemon and connects the gateway's client to it.
    func startFakeQueue() throws {
        var limits = IPCLimits()
        limits.reconnectInitialDelay = 0.01
        limits.reconnectMaxDelay = 0.05
        let fd = try Socket.listenUnix(path: config.queueSocketPath, mode: 0o600)
        let server = try IPCServer(loop: loop, listenFD: fd, role: "queue", allowedPeers: ["gateway"],
                                   limits: limits) { _ in }
        server.onCommand(prefix: "queue.") { [unowned self] request, reply in
            self.received.append((request.type, request.body))
            guard let handler = self.queueHandlers[request.type] else { return reply(.failure(.unknownCommand(request.type))) }
            reply(handler(request.body))
        }
        fakeQueue = server
        ctx.queue.start()
        XCTAssertTrue(loop.run(until: { self.ctx.queue.isConnected }, timeout: 3), "gateway did not connect to the fake queue")
    }

    func commands(_ type: String) -> [JSONObject] { received.filter { $0.type == type }.map(\.body) }

    // MARK: Requests

    /// Routes one request and runs the loop until it is answered.
    func send(_ method: String, _ target: String, as user: UserRecord? = nil, json: JSON? = nil,
              body: [UInt8] = [], contentType: String? = nil, timeout: Double = 5) -> HTTPResponse {
        var headers = HTTPHeaders()
        if let user { headers.add("Authorization", "Bearer " + token(user)) }
        var bytes = body
        if let json {
            bytes = json.serialized()
            headers.add("Content-Type", contentType ?? "application/json")
        } else if let contentType {
            headers.add("Content-Type", contentType)
        }
        guard let request = try? HTTPRequest(method: method, target: target, headers: headers, body: bytes) else {
            XCTFail("bad request target \(target)")
            return HTTPResponse(status: 0)
        }
        var response: HTTPResponse?
        router.handle(request, HTTPResponder(request: request) { response = $0 })
        if response == nil { _ = loop.run(until: { response != nil }, timeout: timeout) }
        guard let response else {
            XCTFail("no response to \(method) \(target)")
            return HTTPResponse(status: 0)
        }
        return response
    }
}
