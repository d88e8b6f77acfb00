import XCTest
@testable import api_gateway
@testable import Shared

/// `GET /api/leads` through the router with its answer cache (`LeadListRoute`): a repeated read
/// is served from the cache without asking the queue-daemon again; a commit by another daemon,
/// the gateway's own write to `users`, and the dialability's one-second bound each make the next
/// read fresh; an operator never gets an admin's page nor another operator's; with the
/// queue-daemon away nothing is kept.
final class LeadListRouteTests: XCTestCase {
    var h: LeadTestHarness!
    /// What the fake queue-daemon says about every lead it is asked about.
    var reason = "ready"

    override func setUpWithError() throws {
        h = try LeadTestHarness()
        h.queueHandlers[QueueCommand.explainLeads.rawValue] = { [unowned self] body in
            var found = JSONObject()
            for id in body["leadIds"]?.array?.compactMap(\.string) ?? [] {
                found[id] = .object(JSONObject([("reason", .string(reason))]))
            }
            return .success(JSONObject([("dialability", .object(found))]))
        }
    }

    override func tearDown() { h = nil }

    private var cache: LeadListResponseCache { h.leadRoutes.listRoute.responses }
    private var explains: Int { h.commands(QueueCommand.explainLeads.rawValue).count }

    private func list(_ target: String = "/api/leads", as user: UserRecord) -> HTTPResponse {
        let response = h.send("GET", target, as: user)
        XCTAssertEqual(response.status, 200, String(decoding: response.body, as: UTF8.self))
        return response
    }

    private func names(_ response: HTTPResponse) -> [String] {
        response.json["leads"]?.array?.compactMap { $0["name"]?.string } ?? []
    }

    func testARepeatedReadIsServedFromTheCacheUntilAnotherDaemonCommits() throws {
        try h.startFakeQueue()
        let id = try h.insertLead(phone: "+998900000001", name: "Before")
        let first = list(as: h.admin)
        XCTAssertEqual(first.json["leads"]?.array?.first?["dialability"]?["reason"]?.string, "ready")
        XCTAssertEqual(explains, 1)
        let again = list("/api/leads?limit=20&page=1", as: h.admin)   // the same page, spelled otherwise
        XCTAssertEqual(again.body, first.body)
        XCTAssertEqual(cache.hits, 1)
        XCTAssertEqual(explains, 1, "served from the cache")
        XCTAssertEqual(again.headers["Content-Type"], "application/json; charset=utf-8")

        try h.queueDB.run("UPDATE leads SET name = 'After' WHERE id = ?", [.text(id)])
        XCTAssertEqual(names(list(as: h.admin)), ["After"], "the next read after a commit shows it")
        XCTAssertEqual(cache.hits, 1)
    }

    func testDialabilityIsAtMostOneSecondOld() throws {
        try h.startFakeQueue()
        try h.insertLead(phone: "+998900000001", name: "One")
        _ = list(as: h.admin)
        reason = "retry_wait"
        h.clock.advance(byMillis: LeadDialabilityCache.maxAgeMillis - 1)
        XCTAssertEqual(list(as: h.admin).json["leads"]?.array?.first?["dialability"]?["reason"]?.string, "ready")
        h.clock.advance(byMillis: 1)
        XCTAssertEqual(list(as: h.admin).json["leads"]?.array?.first?["dialability"]?["reason"]?.string, "retry_wait")
        XCTAssertEqual(explains, 2)
    }

    /// Close to its expiry a kept answer is still served while it is rebuilt with a fresh
    /// dialability once; the rebuilt answer is then served without asking again.
    func testAnAnswerAboutToExpireIsRebuiltAheadWhileServed() throws {
        try h.startFakeQueue()
        try h.insertLead(phone: "+998900000001", name: "One")
        _ = list(as: h.admin)
        reason = "retry_wait"
        h.clock.advance(byMillis: LeadDialabilityCache.maxAgeMillis - LeadListResponseCache.refreshAheadMillis - 1)
        XCTAssertEqual(list(as: h.admin).json["leads"]?.array?.first?["dialability"]?["reason"]?.string, "ready")
        XCTAssertEqual(explains, 1, "not due yet")
        h.clock.advance(byMillis: 1)
        XCTAssertEqual(list(as: h.admin).json["leads"]?.array?.first?["dialability"]?["reason"]?.string, "ready",
                       "still valid: served while rebuilt")
        XCTAssertTrue(h.loop.run(until: { self.keptAnswer()?.contains("retry_wait") == true }, timeout: 3), "rebuilt")
        XCTAssertEqual(explains, 2)
        h.clock.advance(byMillis: LeadListResponseCache.refreshAheadMillis)   // past the first answer's expiry
        XCTAssertEqual(list(as: h.admin).json["leads"]?.array?.first?["dialability"]?["reason"]?.string, "retry_wait")
        XCTAssertEqual(explains, 2)
    }

    /// The admin's first page as kept now.
    private func keptAnswer() -> String? {
        let key = LeadListResponseCache.key(LeadListFilter(), caller: h.admin.authUser)
        guard let stamp = try? h.leadRoutes.list.stamp(),
              let body = cache.lookup(key, stamp: stamp, now: h.clock.now) else { return nil }
        return String(decoding: body, as: UTF8.self)
    }

    /// The gateway's own writes (a user's name, shown in `assignedTo`) do not move the data
    /// version of its own connection; they still make the next read fresh.
    func testTheGatewaysOwnWriteMakesTheNextReadFresh() throws {
        try h.startFakeQueue()
        try h.insertLead(phone: "+998900000001", name: "Mine", status: .claimed, assignedTo: h.operatorA.id)
        XCTAssertEqual(list(as: h.admin).json["leads"]?.array?.first?["assignedTo"]?["name"]?.string, "Olga")
        try h.ctx.db.run("UPDATE users SET name = 'Olga Renamed' WHERE id = ?", [.text(h.operatorA.id)])
        XCTAssertEqual(list(as: h.admin).json["leads"]?.array?.first?["assignedTo"]?["name"]?.string, "Olga Renamed")
    }

    /// Admin first, then each operator, then again: every caller gets their own scope, never a
    /// page cached for someone else.
    func testAnOperatorNeverGetsAnAdminsPageOrAnotherOperators() throws {
        try h.startFakeQueue()
        try h.insertLead(phone: "+998900000001", name: "Free")
        try h.insertLead(phone: "+998900000002", name: "Of A", status: .claimed, assignedTo: h.operatorA.id)
        try h.insertLead(phone: "+998900000003", name: "Of B", status: .claimed, assignedTo: h.operatorB.id)
        for _ in 0..<2 {
            XCTAssertEqual(Set(names(list(as: h.admin))), ["Free", "Of A", "Of B"])
            XCTAssertEqual(Set(names(list(as: h.operatorA))), ["Free", "Of A"])
            XCTAssertEqual(Set(names(list(as: h.operatorB))), ["Free", "Of B"])
        }
        XCTAssertEqual(cache.hits, 3, "the second round came from the cache, each caller their own")
    }

    func testNothingIsKeptWhileTheQueueDaemonIsAway() throws {
        try h.insertLead(phone: "+998900000001", name: "One")
        XCTAssertEqual(list(as: h.admin).json["leads"]?.array?.first?["dialability"], .null)
        _ = list(as: h.admin)
        XCTAssertEqual(cache.hits, 0)
        XCTAssertEqual(cache.count, 0)
    }

    func testAnEmptyPageIsKeptUntilACommit() throws {
        try h.startFakeQueue()
        XCTAssertEqual(names(list(as: h.admin)), [])
        XCTAssertEqual(names(list(as: h.admin)), [])
        XCTAssertEqual(cache.hits, 1)
        XCTAssertEqual(explains, 0)
        try h.insertLead(phone: "+998900000001", name: "New")
        XCTAssertEqual(names(list(as: h.admin)), ["New"])
    }

    func testBadQueriesAreStillRefused() throws {
        try h.startFakeQueue()
        XCTAssertEqual(h.send("GET", "/api/leads?limit=abc", as: h.admin).status, 400)
        XCTAssertEqual(h.send("GET", "/api/leads?includeDeleted=true", as: h.operatorA).status, 403)
        XCTAssertEqual(h.send("GET", "/api/leads").status, 401)
        // The same text that an admin may send is still refused to an operator (scoped aliases).
        XCTAssertEqual(h.send("GET", "/api/leads?includeDeleted=true", as: h.admin).status, 200)
        XCTAssertEqual(h.send("GET", "/api/leads?includeDeleted=true", as: h.operatorA).status, 403)
        XCTAssertEqual(h.send("GET", "/api/leads?limit=abc", as: h.admin).status, 400)
    }

    /// Requests that miss while the same answer is being built wait for it: one question to the
    /// queue-daemon for all of them, each gets the answer.
    func testConcurrentMissesShareOneQuestionToTheQueueDaemon() throws {
        try h.startFakeQueue()
        try h.insertLead(phone: "+998900000001", name: "One")
        var answers: [HTTPResponse] = []
        for _ in 0..<3 {
            let request = try HTTPRequest(method: "GET", target: "/api/leads", headers: ["Authorization": "Bearer " + h.token(h.admin)], body: [])
            h.router.handle(request, HTTPResponder(request: request) { answers.append($0) })
        }
        XCTAssertTrue(h.loop.run(until: { answers.count == 3 }, timeout: 5))
        XCTAssertEqual(explains, 1)
        XCTAssertEqual(cache.joined, 2)
        XCTAssertEqual(Set(answers.map(\.body)).count, 1)
        XCTAssertEqual(answers.first?.json["leads"]?.array?.first?["dialability"]?["reason"]?.string, "ready")
    }
}
