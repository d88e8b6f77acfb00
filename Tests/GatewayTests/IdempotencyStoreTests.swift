import TestSupport
import XCTest
@testable import api_gateway
import Shared

/// Issue 10: a retried create with the same `Idempotency-Key` gets the first answer.
final class IdempotencyStoreTests: XCTestCase {
    private func request(key: String?, body: String = "{}") throws -> HTTPRequest {
        var headers = HTTPHeaders()
        if let key { headers.add(IdempotencyStore.headerName, key) }
        return try HTTPRequest(method: "POST", target: "/api/leads", headers: headers, body: Array(body.utf8))
    }

    private func makeStore() throws -> (IdempotencyStore, ManualWallClock, Database) {
        let dir = try TemporaryDirectory(prefix: "idem")
        addTeardownBlock { dir.remove() }
        let db = try Database(path: dir.file("t.db"), owner: .gateway)
        try Schema.migrate(db, owner: .gateway, now: 1)
        let clock = ManualWallClock(now: 1_700_000_000_000)
        return (IdempotencyStore(db: db, clock: clock, logger: Logger(identifier: "t", minimumLevel: .critical,
                                                                        sink: .capture(LogCapture()))), clock, db)
    }

    func testFirstAnswerIsReplayedForTheSameKeyUserRouteAndBody() throws {
        let (store, clock, _) = try makeStore()
        XCTAssertNil(try store.begin(try request(key: nil), userID: "u1", route: "POST /api/leads"))
        guard case .proceed(let record)? = try store.begin(try request(key: "k-1"), userID: "u1", route: "POST /api/leads") else {
            return XCTFail("expected proceed")
        }
        // A retry while the first is still running is refused.
        XCTAssertThrowsError(try store.begin(try request(key: "k-1"), userID: "u1", route: "POST /api/leads")) {
            XCTAssertEqual(($0 as? HTTPError)?.status, 409)
        }
        record(.json(201, ["lead": ["id": "x"]]))
        guard case .replay(let replay)? = try store.begin(try request(key: "k-1"), userID: "u1", route: "POST /api/leads") else {
            return XCTFail("expected replay")
        }
        XCTAssertEqual(replay.status, 201)
        XCTAssertEqual(try JSON.parse(String(decoding: replay.body, as: UTF8.self)), ["lead": ["id": "x"]])
        XCTAssertEqual(replay.headers[IdempotencyStore.replayedHeader], "true")
        // Keys are per user; another body or route with the same key is a conflict.
        guard case .proceed? = try store.begin(try request(key: "k-1"), userID: "u2", route: "POST /api/leads") else {
            return XCTFail("another user's key is independent")
        }
        for (body, route) in [("{\"a\":1}", "POST /api/leads"), ("{}", "POST /api/leads/upload-csv")] {
            XCTAssertThrowsError(try store.begin(try request(key: "k-1", body: body), userID: "u1", route: route)) {
                XCTAssertEqual(($0 as? HTTPError)?.status, 409)
            }
        }
        // After 24 hours the key is forgotten.
        clock.advance(byMillis: IdempotencyStore.retentionMillis + 1)
        guard case .proceed? = try store.begin(try request(key: "k-1"), userID: "u1", route: "POST /api/leads") else {
            return XCTFail("expired key runs again")
        }
    }

    func testServerErrorsAreNotKeptAndBadKeysAre400() throws {
        let (store, _, _) = try makeStore()
        guard case .proceed(let record)? = try store.begin(try request(key: "k"), userID: "u", route: "r") else {
            return XCTFail("expected proceed")
        }
        record(.error(503, message: "queue-daemon is not reachable"))
        guard case .proceed? = try store.begin(try request(key: "k"), userID: "u", route: "r") else {
            return XCTFail("a 503 is retried, not replayed")
        }
        for bad in ["", String(repeating: "k", count: 256), "has space", "tab\tkey", "ünï"] {
            XCTAssertThrowsError(try store.begin(try request(key: bad), userID: "u", route: "r"), bad) {
                XCTAssertEqual(($0 as? HTTPError)?.status, 400)
            }
        }
    }
}
