import XCTest
@testable import Shared

final class TimestampTests: XCTestCase {
    let known: [(Int64, String)] = [
        (0, "1970-01-01T00:00:00.000Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (1_705_314_600_000, "2024-01-15T10:30:00.000Z"),
        (1_705_314_600_007, "2024-01-15T10:30:00.007Z"),
        (951_782_400_000, "2000-02-29T00:00:00.000Z"),
        (1_709_164_800_000, "2024-02-29T00:00:00.000Z"),
        (1_709_251_199_999, "2024-02-29T23:59:59.999Z"),
        (2_147_483_647_000, "2038-01-19T03:14:07.000Z"),
        (2_147_483_648_000, "2038-01-19T03:14:08.000Z"),
        (4_102_444_800_000, "2100-01-01T00:00:00.000Z"),
        (4_107_456_000_000, "2100-02-28T00:00:00.000Z"),
        (4_107_542_400_000, "2100-03-01T00:00:00.000Z"),
        (-2_203_891_200_000, "1900-03-01T00:00:00.000Z"),
        (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
    ]

    func testFormatKnownValues() {
        for (millis, text) in known {
            XCTAssertEqual(Timestamp.iso8601(millis: millis), text, "\(millis)")
        }
        XCTAssertEqual(Timestamp.iso8601(millis: 253_402_300_800_000), "+010000-01-01T00:00:00.000Z")
    }

    func testParseKnownValues() {
        for (millis, text) in known {
            XCTAssertEqual(Timestamp.parseISO8601(text), millis, text)
        }
    }

    func testParseForms() {
        XCTAssertEqual(Timestamp.parseISO8601("2024-01-15"), 1_705_276_800_000)
        XCTAssertEqual(Timestamp.parseISO8601("2024-01-15T10:30Z"), 1_705_314_600_000)
        XCTAssertEqual(Timestamp.parseISO8601("2024-01-15T10:30:00Z"), 1_705_314_600_000)
        XCTAssertEqual(Timestamp.parseISO8601("2024-01-15T10:30:00.5Z"), 1_705_314_600_500)
        XCTAssertEqual(Timestamp.parseISO8601("2024-01-15T10:30:00.123456Z"), 1_705_314_600_123)
        XCTAssertEqual(Timestamp.parseISO8601("2024-01-15T15:30:00+05:00"), 1_705_314_600_000)
        XCTAssertEqual(Timestamp.parseISO8601("2024-01-15T05:00:00-05:30"), 1_705_314_600_000)
        XCTAssertEqual(Timestamp.parseISO8601("2024-01-15T10:30:00"), 1_705_314_600_000)
        XCTAssertEqual(Timestamp.parseISO8601("2024-01-01T00:30:00+01:00"), 1_704_065_400_000)
    }

    func testParseRejects() {
        for bad in ["", "2024", "2024-1-15", "2024-01-5", "24-01-15", "2024-13-01", "2024-00-10", "2024-01-32",
                    "2023-02-29", "1900-02-29", "2024-04-31", "2024-01-15T", "2024-01-15T24:00Z",
                    "2024-01-15T10:60Z", "2024-01-15T10:30:60Z", "2024-01-15T10:30:00.Z", "2024-01-15T10:30:00+0500",
                    "2024-01-15T10:30:00+05", "2024-01-15 10:30:00Z", "2024-01-15T10:30:00ZZ", "2024-01-15x",
                    "2024-01-15T10:30:00z", "abcd-ef-gh", "2024-01-15T1:30Z", "٢٠٢٤-01-15"] {
            XCTAssertNil(Timestamp.parseISO8601(bad), bad)
            XCTAssertNil(Timestamp.parseDateRangeEnd(bad), bad)
        }
        XCTAssertEqual(Timestamp.parseISO8601("2000-02-29"), 951_782_400_000)
    }

    func testDateRangeEnd() {
        XCTAssertEqual(Timestamp.parseDateRangeEnd("2024-01-31"), 1_706_745_599_999)
        XCTAssertEqual(Timestamp.iso8601(millis: Timestamp.parseDateRangeEnd("2024-02-29") ?? 0),
                       "2024-02-29T23:59:59.999Z")
        XCTAssertEqual(Timestamp.parseDateRangeEnd("2024-01-15T10:30:00.000Z"), 1_705_314_600_000)
    }

    func testStartOfDayAndCivil() {
        XCTAssertEqual(Timestamp.startOfUTCDay(millis: 1_705_314_600_123), 1_705_276_800_000)
        XCTAssertEqual(Timestamp.startOfUTCDay(millis: 1_705_276_800_000), 1_705_276_800_000)
        XCTAssertEqual(Timestamp.startOfUTCDay(millis: -1), -86_400_000)
        let c = Timestamp.civil(millis: 2_147_483_648_000)
        XCTAssertEqual(c.year, 2038); XCTAssertEqual(c.month, 1); XCTAssertEqual(c.day, 19)
        let leap = Timestamp.civil(millis: 951_782_400_000)
        XCTAssertEqual(leap.year, 2000); XCTAssertEqual(leap.month, 2); XCTAssertEqual(leap.day, 29)
        let before = Timestamp.civil(millis: -1)
        XCTAssertEqual(before.year, 1969); XCTAssertEqual(before.month, 12); XCTAssertEqual(before.day, 31)
    }

    func testRoundTripEveryDayFrom1900To2200() {
        var previous: (Int, Int, Int)?
        var day = Timestamp.daysFromCivil(year: 1900, month: 1, day: 1)
        let last = Timestamp.daysFromCivil(year: 2200, month: 12, day: 31)
        while day <= last {
            let millis = day * Timestamp.millisPerDay + 45_296_789 // 12:34:56.789
            let text = Timestamp.iso8601(millis: millis)
            XCTAssertEqual(Timestamp.parseISO8601(text), millis, text)
            let c = Timestamp.civil(millis: millis)
            if let p = previous {
                let advanced = (c.0 == p.0 && c.1 == p.1 && c.2 == p.2 + 1)
                    || (c.0 == p.0 && c.1 == p.1 + 1 && c.2 == 1 && p.2 == Timestamp.daysInMonth(year: p.0, month: p.1))
                    || (c.0 == p.0 + 1 && c.1 == 1 && c.2 == 1 && p.1 == 12 && p.2 == 31)
                XCTAssertTrue(advanced, text)
                if !advanced { return }
            }
            previous = (c.year, c.month, c.day)
            day += 1
        }
    }
}
