/// `LeadStore`, `QueueSettingsStore`, `LeadImportWriter` and `LeadJSON` against a real SQLite file:
/// inserts and duplicates, field writes with the rank in step, the guarded transition write, the
/// atomic claim, claim expiry, settings defaults, the all-or-nothing import, and the lead JSON shape.

import Foundation
import TestSupport
import XCTest
import Shared
@testable import queue_daemon

final class LeadStoreTests: XCTestCase {
    private var temp: TemporaryDatabase!
    private var db: Database { temp.db }
    private var store: LeadStore!
    private let now: Int64 = 1_700_000_000_000
    private let actor = "aaaaaaaaaaaaaaaaaaaaaaaa"

    override func setUpWithError() throws {
        temp = try TemporaryDatabase(owner: .queue, migratedAt: now, prefix: "leadstore")
        store = LeadStore(db: db)
    }

    override func tearDown() {
        temp = nil
    }

    @discardableResult
    private func insert(_ phone: String, priority: LeadPriority = .medium) throws -> String {
        let id = ObjectID.generate(nowMillis: now)
        let inserted = try db.transaction {
            try store.insert(NewLead(contact: LeadContact(phone: phone), priority: priority), id: id, source: .manual, zone: .unknown, actor: actor,
                             reason: "created", now: now)
        }
        XCTAssertTrue(inserted)
        return id
    }

    func testImportInsertBindsAWholeBatchInOneStatement() throws {
        let sql = LeadImportWriter.insertLeads(rows: LeadImportWriter.rowsPerStatement, now: 1)
        let statement = try db.prepare(sql)
        XCTAssertEqual(statement.parameterCount, LeadImportWriter.rowsPerStatement * LeadImportWriter.parametersPerRow)
        XCTAssertLessThanOrEqual(statement.parameterCount, 32_766, "SQLite's default parameter limit")
    }

    func testImportPhoneOrderKeySortsLikeThePhoneIndex() {
        var generator = SystemRandomNumberGenerator()
        var phones = ["+12", "+120", "+1200", "+121", "+998901234567", "+99890123456", "+999999999999999", "+10000000"]
        for _ in 0..<2_000 {
            let digits = Int.random(in: 8...15, using: &generator)
            phones.append("+" + String((0..<digits).map { _ in Character(String(Int.random(in: 0...9, using: &generator))) }))
        }
        XCTAssertEqual(phones.sorted { LeadImportWriter.phoneOrderKey($0) < LeadImportWriter.phoneOrderKey($1) }, phones.sorted())
        XCTAssertEqual(LeadImportWriter.phoneOrderKey("998901234567"), 0)
        XCTAssertEqual(LeadImportWriter.phoneOrderKey("+9989012345678901"), 0, "16 digits do not fit")
    }

    func testInsertRefusesADuplicatePhoneWithoutWriting() throws {
        try insert("+998901234567")
        let second = try db.transaction {
            try store.insert(NewLead(contact: LeadContact(phone: "+998901234567")), id: ObjectID.generate(nowMillis: now), source: .csvUpload, zone: .unknown,
                             actor: actor, reason: "created", now: now)
        }
        XCTAssertFalse(second)
        XCTAssertEqual(try db.queryOne("SELECT COUNT(*) FROM lead_events")?.int(at: 0), 1)
        XCTAssertTrue(try store.isPhoneTaken("+998901234567"))
    }

    func testWriteFieldsKeepsThePriorityRankInStep() throws {
        let id = try insert("+998901234567")
        var lead = try XCTUnwrap(store.record(id: id))
        for priority in LeadPriority.allCases {
            lead.priority = priority
            try db.transaction { try store.writeFields(of: lead, actor: actor, reason: "edit", now: now + 1) }
            XCTAssertEqual(try db.queryOne("SELECT priority_rank FROM leads WHERE id = ?", [.text(id)])?.int(at: 0),
                           Int64(priority.rank))
        }
        XCTAssertEqual(try store.record(id: id)?.updatedAt, now + 1)
    }

    func testATransitionWriteIsGuardedOnTheStatusItWasComputedFrom() throws {
        let id = try insert("+998901234567")
        let stale = try XCTUnwrap(store.record(id: id))
        XCTAssertTrue(try db.transaction { try store.claim(id: id, operatorId: actor, now: now) })
        guard case .success(let transition) = store.machine.apply(.adminSetStatus(.failed), to: stale.snapshot, now: now) else {
            return XCTFail("transition refused")
        }
        XCTAssertThrowsError(try db.transaction { try store.write(transition, on: stale.snapshot, actor: actor, now: now) }) {
            XCTAssertTrue($0 is LeadStoreConflict)
        }
        XCTAssertEqual(try store.record(id: id)?.status, .claimed)
    }

    func testClaimIsConditional() throws {
        let id = try insert("+998901234567")
        XCTAssertTrue(try db.transaction { try store.claim(id: id, operatorId: actor, now: now) })
        XCTAssertFalse(try db.transaction { try store.claim(id: id, operatorId: "bbbbbbbbbbbbbbbbbbbbbbbb", now: now) })
        let lead = try XCTUnwrap(store.record(id: id))
        XCTAssertEqual(lead.assignedTo, actor)
        XCTAssertEqual(lead.claimedAt, now)
        XCTAssertEqual(try store.earliestClaimedAt(), now)
    }

    func testExpireClaimsReturnsOnlyOverdueClaims() throws {
        let old = try insert("+998901111111")
        let fresh = try insert("+998902222222")
        _ = try db.transaction { try store.claim(id: old, operatorId: actor, now: now) }
        _ = try db.transaction { try store.claim(id: fresh, operatorId: actor, now: now + 10_000) }
        let expired = try db.transaction { try store.expireClaims(before: now + 5_000, now: now + 20_000) }
        XCTAssertEqual(expired.map(\.leadId), [old])
        let lead = try XCTUnwrap(store.record(id: old))
        XCTAssertEqual(lead.status, .pending)
        XCTAssertNil(lead.assignedTo)
        XCTAssertNil(lead.claimedAt)
        XCTAssertTrue(lead.isDispatchable)
        XCTAssertEqual(try store.record(id: fresh)?.status, .claimed)
    }

    func testSettingsDefaultsAreWrittenOnceAndBadValuesReplaced() throws {
        let settings = try QueueSettingsStore(db: db, defaults: QueueSettings(paused: false, maxConcurrentCalls: 5))
        try settings.setPaused(true)
        try settings.setMaxConcurrentCalls(40)
        let reread = try QueueSettingsStore(db: db, defaults: QueueSettings(paused: false, maxConcurrentCalls: 5))
        XCTAssertEqual(reread.current, QueueSettings(paused: true, maxConcurrentCalls: 40))
        try db.run("UPDATE queue_settings SET value = 'lots' WHERE key = 'max_concurrent_calls'")
        let repaired = try QueueSettingsStore(db: db, defaults: QueueSettings(paused: false, maxConcurrentCalls: 5))
        XCTAssertEqual(repaired.current.maxConcurrentCalls, 5)
        XCTAssertEqual(try db.queryOne("SELECT value FROM queue_settings WHERE key = 'max_concurrent_calls'")?.string(at: 0), "5")
    }

    func testLeadJSONShape() throws {
        let id = try insert("+998901234567", priority: .high)
        try db.run("UPDATE leads SET tags = '[\"a\",\"b\"]', assigned_to = ?, last_call_attempt = 0 WHERE id = ?",
                   [.text(actor), .text(id)])
        let json = LeadJSON.render(row: try XCTUnwrap(store.row(id: id)))
        XCTAssertEqual(json.keys, ["_id", "id", "phone", "name", "email", "status", "priority", "callAttempts",
                                   "lastCallAttempt", "nextCallTime", "assignedTo", "claimedAt", "notes", "tags",
                                   "source", "isActive", "createdAt", "updatedAt", "timezone", "timezoneSource",
                                   "doNotCall", "callableReason", "disposition", "callbackAt", "callbackMine",
                                   "callbackOperator"])
        XCTAssertEqual(json["lastCallAttempt"], "1970-01-01T00:00:00.000Z")
        XCTAssertEqual(json["nextCallTime"], .null)
        XCTAssertEqual(json["assignedTo"]?.string, actor)
        XCTAssertEqual(json["tags"], ["a", "b"])
        XCTAssertEqual(json["createdAt"], "2023-11-14T22:13:20.000Z")
        XCTAssertEqual(LeadJSON.tags(fromColumn: "not json"), [])
        XCTAssertEqual(LeadJSON.tagsColumn(["x\"y"]), "[\"x\\\"y\"]")
    }

    func testAFailingImportRollsBackEveryRow() throws {
        let setup = try temp.connect(owner: nil)
        try setup.execute("""
            CREATE TRIGGER refuse_poison BEFORE INSERT ON leads WHEN NEW.phone = '+99899999999'
            BEGIN SELECT RAISE(ABORT, 'poison row'); END
            """)
        setup.close()
        var rows = (0..<1_000).map { StagedLead(line: $0 + 2, lead: NewLead(contact: LeadContact(phone: "+99890\(1_000_000 + $0)"))) }
        rows.insert(StagedLead(line: 9_999, lead: NewLead(contact: LeadContact(phone: "+99899999999"))), at: 500)
        XCTAssertThrowsError(try LeadImportWriter.commit(rows: rows, into: db, actorId: actor, now: now, zones: TimeZoneResolver(countries: CountryZoneTable(zones: [:]))))
        XCTAssertEqual(try db.queryOne("SELECT COUNT(*) FROM leads")?.int(at: 0), 0)
        XCTAssertEqual(try db.queryOne("SELECT COUNT(*) FROM lead_events")?.int(at: 0), 0)
    }

    /// 150,000 rows in one transaction (figures printed, not asserted: see scripts/bench for speed).
    func testOneHundredFiftyThousandRowImport() throws {
        try insert("+99890" + String(1_000_000 + 77))
        let rows = (0..<150_000).map {
            StagedLead(line: $0 + 2, lead: NewLead(contact: LeadContact(phone: "+99890\(1_000_000 + $0)", name: "Lead \($0)", tags: ["csv"]),
                                                   priority: LeadPriority.allCases[$0 % 4]))
        }
        let started = MonotonicClock.seconds()
        let cpuStarted = clock()
        var result: Result<ImportOutcome, Error>?
        var delivered = 0.0
        LeadImportWriter.commit(rows: rows, dbPath: temp.path, actorId: actor, now: now,
                                zones: TimeZoneResolver(countries: CountryZoneTable(zones: [:]))) {
            result = $0
            delivered = MonotonicClock.seconds() - started
        }
        guard case .success(let outcome)? = result else { return XCTFail("import failed: \(String(describing: result))") }
        print("LeadImportWriter: 150,000 rows committed in \(Int(delivered * 1000)) ms (checkpoint included: "
              + "\(Int((MonotonicClock.seconds() - started) * 1000)) ms, CPU \((clock() - cpuStarted) / 1000) ms)")
        XCTAssertEqual(outcome.successCount, 149_999)
        XCTAssertEqual(outcome.duplicateLines, [79])
        XCTAssertEqual(outcome.inserted.count, 149_999)
        XCTAssertEqual(try db.queryOne("SELECT COUNT(*) FROM leads")?.int(at: 0), 150_000)
        XCTAssertEqual(try db.queryOne("SELECT COUNT(DISTINCT id) FROM leads")?.int(at: 0), 150_000)
    }
}
