import Foundation
import Shared
import TestSupport
import XCTest
@testable import dialer_daemon

/// `CallStore` on a real SQLite file (owner `dialer`) and `CallJSON`, the shape the gateway and
/// the events share: round trips, live-call queries, insert-if-new outcomes, and rendering.
final class CallStoreTests: XCTestCase {
    private var temp: TemporaryDatabase!
    var db: Database { temp.db }
    var store: CallStore!
    let t0: Int64 = 1_700_000_000_000  // 2023-11-14T22:13:20.000Z

    override func setUpWithError() throws {
        temp = try TemporaryDatabase(owner: .dialer, prefix: "dialerd-store")
        store = CallStore(db: db)
    }

    override func tearDown() {
        temp = nil
    }

    private func call(_ n: Int, lead: Int? = nil, status: CallStatus = .initiated, start: Int64? = nil) -> CallRecord {
        let time = start ?? t0 + Int64(n)
        return CallRecord(id: Fixture.callId(n), leadId: Fixture.lead(lead ?? n), operatorId: Fixture.operatorA,
                          mode: .automatic, status: status, from: "+15005550006", to: "+998901234567",
                          startTime: time, createdAt: time, updatedAt: time)
    }

    func testInsertLoadAndUpdateRoundTrip() throws {
        var record = call(1)
        try store.insert(record)
        XCTAssertEqual(try store.load(id: record.id), record)
        record.twilioCallSid = "CA0123456789abcdef0123456789abcdef"
        record.status = .completed
        record.answerTime = t0 + 1000
        record.endTime = t0 + 61_000
        record.duration = 60
        record.notes = "callback"
        record.endReason = "provider"
        record.updatedAt = t0 + 61_000
        try store.update(record)
        XCTAssertEqual(try store.load(sid: "CA0123456789abcdef0123456789abcdef"), record)
        XCTAssertNil(try store.load(id: Fixture.callId(2)))
        XCTAssertThrowsError(try store.update(call(2))) { XCTAssertEqual($0 as? CallStoreError, .missing(callId: Fixture.callId(2))) }
    }

    func testLiveCallsAndLiveCallForLead() throws {
        try store.insert(call(3, status: .answered, start: t0 + 30))
        try store.insert(call(1, status: .ringing, start: t0 + 10))
        try store.insert(call(2, lead: 1, status: .busy, start: t0 + 20))
        try store.insert(call(4, status: .completed))
        XCTAssertEqual(try store.liveCalls().map(\.id), [Fixture.callId(1), Fixture.callId(3)])
        XCTAssertEqual(try store.liveCall(forLead: Fixture.lead(1))?.id, Fixture.callId(1))
        XCTAssertNil(try store.liveCall(forLead: Fixture.lead(4)))
    }

    func testInsertNewRefusesKnownIdsAndBusyLeads() throws {
        XCTAssertEqual(try store.insertNew(call(1)), .inserted)
        XCTAssertEqual(try store.insertNew(call(1)), .existing(call(1)))
        XCTAssertEqual(try store.insertNew(call(2, lead: 1)), .leadBusy(call(1)))
        XCTAssertNil(try store.load(id: Fixture.callId(2)))
        var ended = call(1)
        ended.status = .failed
        try store.update(ended)
        XCTAssertEqual(try store.insertNew(call(2, lead: 1)), .inserted)
    }

    func testAnUnreadableRowIsAnErrorNotACrash() throws {
        try db.run("""
            INSERT INTO calls(id, lead_id, mode, status, from_number, to_number, start_time, created_at, updated_at)
            VALUES(?, ?, 'automatic', 'exploded', '+1', '+2', 0, 0, 0)
            """, [.text(Fixture.callId(5)), .text(Fixture.lead(5))])
        XCTAssertThrowsError(try store.load(id: Fixture.callId(5)))
        XCTAssertEqual(CallJSON.render(row: try XCTUnwrap(store.row(id: Fixture.callId(5))))["status"], "exploded")
    }

    func testOnlyTheDialerMayWriteCalls() throws {
        let queue = try temp.connect(owner: .queue)
        XCTAssertThrowsError(try CallStore(db: queue).insert(call(6))) {
            XCTAssertTrue(($0 as? DatabaseError)?.isAuthDenied == true, "\($0)")
        }
    }

    func testCallJSONRendersRowsAndRecordsAlike() throws {
        var record = call(1)
        record.answerTime = t0 + 1500
        record.notes = "n"
        try store.insert(record)
        let fromRow = CallJSON.render(row: try XCTUnwrap(store.row(id: record.id)))
        let fromRecord = CallJSON.render(record)
        XCTAssertEqual(fromRow, fromRecord)
        XCTAssertEqual(fromRecord.keys, CallJSON.keys)
        XCTAssertEqual(fromRecord["_id"], fromRecord["id"])
        XCTAssertEqual(fromRecord["lead"]?.string, Fixture.lead(1))
        XCTAssertEqual(fromRecord["salesperson"]?.string, Fixture.operatorA)
        XCTAssertEqual(fromRecord["direction"], "outbound")
        XCTAssertEqual(fromRecord["startTime"], "2023-11-14T22:13:20.001Z")
        XCTAssertEqual(fromRecord["answerTime"], "2023-11-14T22:13:21.500Z")
        XCTAssertEqual(fromRecord["duration"], 0)
        for key in ["twilioCallSid", "endTime", "transferTime", "errorCode", "errorMessage", "endReason"] {
            XCTAssertEqual(fromRecord[key], .null, key)
        }
        let text = JSON.object(fromRecord).text
        XCTAssertTrue(text.hasPrefix("{\"_id\":\"\(record.id)\",\"id\":\"\(record.id)\",\"lead\":"), text)
    }
}
