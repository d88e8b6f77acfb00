import XCTest
@testable import Shared
@testable import api_gateway

/// Unit tests of the query building blocks: the date range (whole-day end, order check), the
/// filter's SQL, the figures' arithmetic and the /proc parsers of the memory figures.
final class CallQueryTests: XCTestCase {
    func request(_ query: String) throws -> HTTPRequest { try HTTPRequest(method: "GET", target: "/x" + query) }
    let alice = AuthUser(id: "aaaaaaaaaaaaaaaaaaaaaaaa", role: .operator_, name: "Alice", email: "a@x.io")
    let admin = AuthUser(id: "bbbbbbbbbbbbbbbbbbbbbbbb", role: .admin, name: "Root", email: "r@x.io")

    func testDateRangeEndCoversTheWholeDay() throws {
        let range = try CallDateRange.parse(request("?startDate=2024-01-15&endDate=2024-01-15"))
        XCTAssertEqual(range.start, Timestamp.parseISO8601("2024-01-15T00:00:00Z"))
        XCTAssertEqual(range.end, Timestamp.parseISO8601("2024-01-15T23:59:59.999Z"))
        let exact = try CallDateRange.parse(request("?endDate=2024-01-15T08:00:00Z"))
        XCTAssertEqual(exact.end, Timestamp.parseISO8601("2024-01-15T08:00:00Z"))
        XCTAssertNil(exact.start)
        XCTAssertTrue(try CallDateRange.parse(request("")).isUnbounded)
    }

    func testDateRangeRejectsReversedAndMalformedDates() throws {
        XCTAssertThrowsError(try CallDateRange.parse(request("?startDate=2024-01-15T10:00:00Z&endDate=2024-01-15T09:00:00Z")))
        XCTAssertNoThrow(try CallDateRange.parse(request("?startDate=2024-01-15T10:00:00Z&endDate=2024-01-15")))
        XCTAssertThrowsError(try CallDateRange.parse(request("?startDate=2024-02-30")))
        XCTAssertThrowsError(try CallDateRange.parse(request("?endDate=15.01.2024")))
    }

    func testDayBucketsAndKeys() {
        let start = Timestamp.parseISO8601("2024-01-31T23:00:00Z") ?? 0
        let end = Timestamp.parseISO8601("2024-02-02T01:00:00Z") ?? 0
        let days = CallDateRange.days(from: start, through: end)
        XCTAssertEqual(days.count, 3)
        XCTAssertEqual(CallDateRange.dayKey(days.lowerBound), ["year": 2024, "month": 1, "day": 31])
        XCTAssertEqual(CallDateRange.dayKey(days.upperBound), ["year": 2024, "month": 2, "day": 2])
    }

    func testFilterSQL() throws {
        XCTAssertEqual(CallFilter().whereClause().sql, "")
        let filter = CallFilter(operatorId: "o", leadId: "l", status: .noAnswer, range: CallDateRange(start: 1, end: 2))
        let (sql, params) = filter.whereClause()
        XCTAssertEqual(sql, " WHERE c.operator_id = ? AND c.lead_id = ? AND c.status = ? AND c.created_at >= ? AND c.created_at <= ?")
        XCTAssertEqual(params, ["o", "l", "no-answer", 1, 2])
    }

    func testOperatorsAreScopedToThemselves() throws {
        XCTAssertEqual(try CallFilter.parse(request(""), caller: alice).operatorId, alice.id)
        XCTAssertNil(try CallFilter.parse(request(""), caller: admin).operatorId)
        XCTAssertEqual(try CallFilter.parse(request("?salespersonId=\(alice.id)"), caller: admin).operatorId, alice.id)
        XCTAssertThrowsError(try CallFilter.parse(request("?salespersonId=\(admin.id)"), caller: alice)) { error in
            XCTAssertEqual((error as? HTTPError)?.status, 403)
        }
        XCTAssertNil(try CallFilter.parse(request("?status=busy"), caller: admin, status: false).status)
    }

    func testFiguresArithmetic() {
        let figures = CallFigures(total: 3, answered: 2, completed: 2, duration: 100)
        XCTAssertEqual(figures.averageDuration, 33.33)
        XCTAssertEqual(figures.successRate, 0.6667)
        XCTAssertEqual(CallFigures.zero.averageDuration, 0)
        XCTAssertEqual(CallFigures.zero.successRate, 0)
        var sum = figures
        sum.add(CallFigures(total: 1, answered: 0, completed: 1, duration: 20))
        XCTAssertEqual(sum, CallFigures(total: 4, answered: 2, completed: 3, duration: 120))
        XCTAssertEqual(sum.summaryJSON.keys, ["totalCalls", "answeredCalls", "completedCalls", "totalDuration", "averageDuration"])
    }

    func testMemoryParsers() {
        XCTAssertEqual(SystemStatusMemory.statmResidentPages("1000 250 30 5 0 400 0\n"), 250)
        XCTAssertEqual(SystemStatusMemory.statmResidentPages("garbage"), 0)
        let status = "Name:\tapi-gateway\nVmData:\t   20480 kB\nRssAnon:\t    1024 kB\n"
        XCTAssertEqual(SystemStatusMemory.statusKilobytes(status, field: "VmData"), 20480)
        XCTAssertEqual(SystemStatusMemory.statusKilobytes(status, field: "RssAnon"), 1024)
        XCTAssertEqual(SystemStatusMemory.statusKilobytes(status, field: "VmSwap"), 0)
        XCTAssertNil(SystemStatusMemory.readProc("/proc/self/does-not-exist"))
        let current = SystemStatusMemory.current()
        XCTAssertGreaterThan(current.rss, 0)
        XCTAssertGreaterThan(current.heapTotal, 0)
    }

    func testOnlyTheDaemonsMissingTablesFallBack() throws {
        func missing(_ table: String) -> DatabaseError { DatabaseError(code: DatabaseError.error, message: "no such table: " + table) }
        XCTAssertEqual(try CallTables.orEmpty(7) { throw missing("calls") }, 7)
        XCTAssertEqual(try CallTables.orEmpty(7) { throw missing("main.leads") }, 7)
        XCTAssertThrowsError(try CallTables.orEmpty(7) { throw missing("json_each") })
        XCTAssertThrowsError(try CallTables.orEmpty(7) { throw missing("users") })
        XCTAssertThrowsError(try CallTables.orEmpty(7) { throw DatabaseError(code: DatabaseError.busy, message: "busy") })
    }
}
