/// A fake dialer-daemon for the dispatch tests: an `IPCServer` with role `dialer` on the
/// configured `dialer.sock`, owning the `calls` table like the real one. It records every
/// `dialer.start_call`, answers as told (accept, refuse, stay silent, or drop every connection as
/// if it crashed), lists its live calls for `dialer.status`, and lets a test end or advance a call
/// with `report`, which stores the row and pushes `event.call_status_changed`. Plus the tests of
/// the fake itself.

import Foundation
import XCTest
@testable import Shared
@testable import queue_daemon

final class FakeDialer {
    enum Mode {
        case accept
        case refuse(IPCError)
        case silent
        case crash
    }

    let loop: EventLoop
    let config: Config
    let clock: WallClock
    let db: Database
    var mode: Mode = .accept
    /// Calls `dialer.status` leaves out (as if the dialer had lost them).
    var hiddenFromStatus: Set<String> = []
    /// `dialer.status` answers this much later with the list as it was when asked.
    var statusDelay: Double = 0
    private(set) var server: IPCServer?
    private(set) var starts: [JSONObject] = []
    private(set) var statusRequests = 0
    /// Requests received and deliberately left unanswered (`.silent`).
    private(set) var held = 0
    private var createdSequence: Int64 = 0

    init(loop: EventLoop, config: Config, clock: WallClock) throws {
        self.loop = loop
        self.config = config
        self.clock = clock
        db = try Database(path: config.dbPath, owner: .dialer)
        try Schema.migrate(db, owner: .dialer, now: clock.nowMillis())
    }

    deinit { server?.stop() }

    var startedCallIds: [String] { starts.compactMap { $0["callId"]?.string } }
    var startedLeadIds: [String] { starts.compactMap { $0["leadId"]?.string } }

    func listen() throws {
        unlink(config.dialerSocketPath)
        let fd = try Socket.listenUnix(path: config.dialerSocketPath)
        let server = try IPCServer(loop: loop, listenFD: fd, role: "dialer", allowedPeers: ["queue", "gateway"],
                                   logger: { _ in })
        server.onCommand("dialer.start_call") { [weak self] request, reply in self?.startCall(request, reply) }
        server.onCommand("dialer.status") { [weak self] _, reply in
            guard let self else { return }
            self.statusRequests += 1
            let rows = self.liveRows().filter { !self.hiddenFromStatus.contains($0.string(at: 0)) }
            let body: JSONObject = ["provider": "fake", "activeCount": .int(Int64(rows.count)),
                                    "activeCalls": .array(rows.map(Self.statusEntry))]
            if self.statusDelay > 0 {
                self.loop.schedule(after: self.statusDelay) { reply(.success(body)) }
            } else {
                reply(.success(body))
            }
        }
        self.server = server
    }

    /// Closes the socket and every connection (the daemon went away).
    func stop() {
        server?.stop()
        server = nil
        unlink(config.dialerSocketPath)
    }

    private func startCall(_ request: IPCRequest, _ reply: @escaping IPCReply) {
        starts.append(request.body)
        switch mode {
        case .refuse(let error):
            reply(.failure(error))
        case .silent:
            held += 1
        case .crash:
            loop.post { [weak self] in self?.stop() }
        case .accept:
            let body = request.body
            guard let callId = body["callId"]?.string, let leadId = body["leadId"]?.string else {
                return reply(.failure(.invalid(message: "callId and leadId are required")))
            }
            do {
                try insertCall(id: callId, leadId: leadId, operatorId: body["operatorId"]?.string,
                               mode: body["mode"]?.string ?? "automatic", status: .initiated)
            } catch {
                return reply(.failure(.internal(message: "\(error)")))
            }
            let call = self.call(callId)
            publish(call, previous: nil)
            reply(.success(["call": .object(call)]))
        }
    }

    /// Inserts a `calls` row (tests also use it to seed the database).
    func insertCall(id: String, leadId: String, operatorId: String?, mode: String = "automatic",
                    status: CallStatus, startTime: Int64? = nil) throws {
        createdSequence += 1
        let now = clock.nowMillis()
        try db.run("""
            INSERT INTO calls(id, lead_id, operator_id, mode, status, from_number, to_number, start_time,
                              end_time, created_at, updated_at) VALUES(?, ?, ?, ?, ?, '+10000000000', '+19999999999', ?, ?, ?, ?)
            """, [.text(id), .text(leadId), SQLValue(operatorId), .text(mode), .text(status.rawValue),
                  .int(startTime ?? now), status.isTerminal ? .int(now) : .null, .int(now * 1000 + createdSequence), .int(now)])
    }

    /// Moves a call to `status` in the table and pushes the event (like the real dialer).
    func report(_ callId: String, _ status: CallStatus, publish: Bool = true) {
        let previous = CallStatus(rawValue: call(callId)["status"]?.string ?? "")
        _ = try? db.run("""
            UPDATE calls SET status = ?, end_time = ?, updated_at = ?,
                             answer_time = CASE WHEN ? = 'answered' THEN ? ELSE answer_time END WHERE id = ?
            """, [.text(status.rawValue), status.isTerminal ? .int(clock.nowMillis()) : .null,
                  .int(clock.nowMillis()), .text(status.rawValue), .int(clock.nowMillis()), .text(callId)])
        if publish { self.publish(call(callId), previous: previous) }
    }

    func publish(_ call: JSONObject, previous: CallStatus?) {
        server?.publish(type: "event.call_status_changed",
                        body: ["call": .object(call), "previousStatus": JSON.from(previous?.rawValue)])
    }

    /// The call as the event renders it (the fields dispatch reads).
    func call(_ id: String) -> JSONObject {
        guard let row = try? db.queryOne("SELECT id, lead_id, operator_id, mode, status, start_time FROM calls WHERE id = ?",
                                         [.text(id)]) else { return JSONObject() }
        return JSONObject([("_id", .string(row.string(at: 0))), ("id", .string(row.string(at: 0))),
                           ("lead", .string(row.string(at: 1))), ("salesperson", JSON.from(row.optionalString(at: 2))),
                           ("mode", .string(row.string(at: 3))), ("status", .string(row.string(at: 4))),
                           ("startTime", .string(Timestamp.iso8601(millis: row.int(at: 5))))])
    }

    func liveRows() -> [Row] {
        (try? db.query("SELECT id, lead_id, operator_id, status, start_time FROM calls "
                       + "WHERE status IN ('initiated', 'ringing', 'answered') ORDER BY start_time")) ?? []
    }

    private static func statusEntry(_ row: Row) -> JSON {
        .object(JSONObject([("callId", .string(row.string(at: 0))), ("leadId", .string(row.string(at: 1))),
                            ("operatorId", JSON.from(row.optionalString(at: 2))), ("status", .string(row.string(at: 3))),
                            ("startTime", .string(Timestamp.iso8601(millis: row.int(at: 4))))]))
    }
}

final class DispatchFakeDialerTests: XCTestCase {
    func testFakeDialerStoresCallsAndListsOnlyLiveOnes() throws {
        let harness = try DispatchHarness(startQueue: false)
        let dialer = harness.dialer
        try dialer.insertCall(id: ObjectID.generate(nowMillis: 0), leadId: ObjectID.generate(nowMillis: 0),
                              operatorId: nil, status: .ringing)
        let ended = ObjectID.generate(nowMillis: 0)
        try dialer.insertCall(id: ended, leadId: ObjectID.generate(nowMillis: 0), operatorId: nil, status: .ringing)
        dialer.report(ended, .busy, publish: false)
        XCTAssertEqual(dialer.liveRows().count, 1)
        XCTAssertEqual(dialer.call(ended)["status"]?.string, "busy")
    }
}
