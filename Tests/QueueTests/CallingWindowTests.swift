/// Calling-window arithmetic (issue 12), table tests with fixed instants: a plain day window, a
/// window across midnight, selected weekdays, daylight-saving transitions in both directions
/// (the opening stays at 09:00 local), a lead in several zones (open only where all are), zones
/// that never share a window, and the settings parser.

import Foundation
import XCTest
import Shared
@testable import queue_daemon

final class CallingWindowTests: XCTestCase {
    /// Epoch ms of a UTC date-time.
    static func utc(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int = 0) -> Int64 {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = calendar.date(from: DateComponents(year: y, month: mo, day: d, hour: h, minute: mi))!
        return Int64(date.timeIntervalSince1970 * 1000)
    }

    static func hours(_ start: String, _ end: String, _ days: [String] = Weekday.names) -> CallingHours {
        try! CallingHours(start: start, end: end, days: days)
    }

    let utcZone = TimeZone(identifier: "UTC")!

    func testDayWindowInOneZone() {
        let window = CallingWindow(hours: .default)  // 09:00–20:00 every day
        let cases: [(Int64, WindowState, UInt)] = [
            (Self.utc(2026, 1, 15, 8), .closed(opensAt: Self.utc(2026, 1, 15, 9)), #line),
            (Self.utc(2026, 1, 15, 9), .open(closesAt: Self.utc(2026, 1, 15, 20)), #line),
            (Self.utc(2026, 1, 15, 19, 59), .open(closesAt: Self.utc(2026, 1, 15, 20)), #line),
            (Self.utc(2026, 1, 15, 20), .closed(opensAt: Self.utc(2026, 1, 16, 9)), #line),
            (Self.utc(2026, 1, 15, 23), .closed(opensAt: Self.utc(2026, 1, 16, 9)), #line),
        ]
        for (now, expected, line) in cases {
            XCTAssertEqual(window.state(at: now, zone: utcZone), expected, line: line)
        }
        // Asia/Tashkent is UTC+5 all year: 09:00 local is 04:00Z.
        let tashkent = TimeZone(identifier: "Asia/Tashkent")!
        XCTAssertEqual(window.state(at: Self.utc(2026, 1, 15, 3), zone: tashkent), .closed(opensAt: Self.utc(2026, 1, 15, 4)))
        XCTAssertEqual(window.state(at: Self.utc(2026, 1, 15, 16), zone: tashkent), .closed(opensAt: Self.utc(2026, 1, 16, 4)))
    }

    func testWindowAcrossMidnight() {
        let window = CallingWindow(hours: Self.hours("22:00", "06:00"))
        let cases: [(Int64, WindowState, UInt)] = [
            (Self.utc(2026, 1, 15, 21), .closed(opensAt: Self.utc(2026, 1, 15, 22)), #line),
            (Self.utc(2026, 1, 15, 23), .open(closesAt: Self.utc(2026, 1, 16, 6)), #line),
            (Self.utc(2026, 1, 16, 3), .open(closesAt: Self.utc(2026, 1, 16, 6)), #line),  // opened the day before
            (Self.utc(2026, 1, 16, 6), .closed(opensAt: Self.utc(2026, 1, 16, 22)), #line),
        ]
        for (now, expected, line) in cases {
            XCTAssertEqual(window.state(at: now, zone: utcZone), expected, line: line)
        }
    }

    func testSelectedDays() {
        // 2026-01-17 is a Saturday, 2026-01-19 a Monday.
        let weekdays = CallingWindow(hours: Self.hours("09:00", "17:00", ["mon", "tue", "wed", "thu", "fri"]))
        XCTAssertEqual(weekdays.state(at: Self.utc(2026, 1, 17, 12), zone: utcZone), .closed(opensAt: Self.utc(2026, 1, 19, 9)))
        XCTAssertEqual(weekdays.state(at: Self.utc(2026, 1, 16, 12), zone: utcZone), .open(closesAt: Self.utc(2026, 1, 16, 17)))
        // A Monday-only night window still runs into Tuesday morning, and not into Monday morning.
        let mondayNight = CallingWindow(hours: Self.hours("22:00", "02:00", ["mon"]))
        XCTAssertEqual(mondayNight.state(at: Self.utc(2026, 1, 20, 1), zone: utcZone), .open(closesAt: Self.utc(2026, 1, 20, 2)))
        XCTAssertEqual(mondayNight.state(at: Self.utc(2026, 1, 19, 1), zone: utcZone), .closed(opensAt: Self.utc(2026, 1, 19, 22)))
    }

    /// New York: EST (UTC−5) until 2026-03-08 02:00, EDT (UTC−4) until 2026-11-01 02:00.
    func testDaylightSavingTransitions() {
        let window = CallingWindow(hours: .default)
        let newYork = TimeZone(identifier: "America/New_York")!
        let cases: [(Int64, WindowState, UInt)] = [
            // Saturday before spring-forward: 09:00 EST = 14:00Z.
            (Self.utc(2026, 3, 7, 12), .closed(opensAt: Self.utc(2026, 3, 7, 14)), #line),
            // Saturday evening (21:00 EST = 02:00Z Sunday): next opening is 09:00 EDT = 13:00Z.
            (Self.utc(2026, 3, 8, 2), .closed(opensAt: Self.utc(2026, 3, 8, 13)), #line),
            // Sunday: closes at 20:00 EDT = 00:00Z Monday.
            (Self.utc(2026, 3, 8, 13), .open(closesAt: Self.utc(2026, 3, 9, 0)), #line),
            // Fall back: Saturday 09:00 EDT = 13:00Z, Sunday 09:00 EST = 14:00Z.
            (Self.utc(2026, 10, 31, 12), .closed(opensAt: Self.utc(2026, 10, 31, 13)), #line),
            (Self.utc(2026, 11, 1, 5), .closed(opensAt: Self.utc(2026, 11, 1, 14)), #line),
            (Self.utc(2026, 11, 1, 14), .open(closesAt: Self.utc(2026, 11, 2, 1)), #line),
        ]
        for (now, expected, line) in cases {
            XCTAssertEqual(window.state(at: now, zone: newYork), expected, line: line)
        }
        // A window opening inside the skipped hour (02:30 on 2026-03-08) opens at the first valid instant.
        let night = CallingWindow(hours: Self.hours("02:30", "05:00"))
        guard case .closed(let opensAt?) = night.state(at: Self.utc(2026, 3, 8, 5), zone: newYork) else {
            return XCTFail("expected a closed window with an opening")
        }
        XCTAssertTrue((Self.utc(2026, 3, 8, 6, 30)...Self.utc(2026, 3, 8, 7, 30)).contains(opensAt), "\(opensAt)")
    }

    func testSeveralZonesMustAllBeInside() {
        let window = CallingWindow(hours: .default)
        // London is UTC+0 in January, Tashkent UTC+5: both inside 09:00–15:00Z.
        let zones = [TimeZone(identifier: "Europe/London")!, TimeZone(identifier: "Asia/Tashkent")!]
        let cases: [(Int64, WindowState, UInt)] = [
            (Self.utc(2026, 1, 15, 5), .closed(opensAt: Self.utc(2026, 1, 15, 9)), #line),
            (Self.utc(2026, 1, 15, 10), .open(closesAt: Self.utc(2026, 1, 15, 15)), #line),
            (Self.utc(2026, 1, 15, 16), .closed(opensAt: Self.utc(2026, 1, 16, 9)), #line),
        ]
        for (now, expected, line) in cases {
            XCTAssertEqual(window.state(at: now, zones: zones), expected, line: line)
        }
        XCTAssertEqual(window.state(at: Self.utc(2026, 1, 15, 10), zones: []), .closed(opensAt: nil))
    }

    func testWholeDayWindowIsAlwaysOpen() {
        let window = CallingWindow(hours: try! CallingHours(text: "00:00-24:00"))
        XCTAssertEqual(window.state(at: Self.utc(2026, 1, 15, 23, 59), zone: utcZone), .open(closesAt: Self.utc(2026, 1, 16, 0)))
        XCTAssertEqual(window.state(at: Self.utc(2026, 1, 16, 0), zone: utcZone), .open(closesAt: Self.utc(2026, 1, 17, 0)))
        let until = CallingWindow(hours: try! CallingHours(text: "18:00-24:00"))
        XCTAssertEqual(until.state(at: Self.utc(2026, 1, 15, 20), zone: utcZone), .open(closesAt: Self.utc(2026, 1, 16, 0)))
    }

    func testZonesThatNeverShareAWindow() {
        // +14 and −11: one-hour windows 09:00–10:00 local never overlap.
        let window = CallingWindow(hours: Self.hours("09:00", "10:00"))
        let zones = [TimeZone(identifier: "Pacific/Kiritimati")!, TimeZone(identifier: "Pacific/Pago_Pago")!]
        XCTAssertEqual(window.state(at: Self.utc(2026, 1, 15, 0), zones: zones), .closed(opensAt: nil))
    }

    func testLocalTimeText() {
        let tashkent = TimeZone(identifier: "Asia/Tashkent")!
        XCTAssertEqual(CallingWindow.localTime(at: Self.utc(2026, 1, 15, 17, 5), zone: tashkent), "Thu 22:05 in Asia/Tashkent")
    }

    func testCallingHoursParsing() throws {
        let hours = try CallingHours(start: "08:30", end: "24:00", days: ["Monday", "tue", "SAT"])
        XCTAssertEqual(hours.startMinute, 510)
        XCTAssertEqual(hours.endMinute, 1440)
        XCTAssertFalse(hours.crossesMidnight)
        XCTAssertEqual(hours.end, "24:00")
        XCTAssertEqual(try CallingHours(text: "00:00-24:00").text, "00:00-24:00 mon,tue,wed,thu,fri,sat,sun")
        XCTAssertEqual(try CallingHours(text: "22:00-00:00 sun").endMinute, 1440)
        XCTAssertThrowsError(try CallingHours(text: "09:00 to 20:00"))
        XCTAssertEqual(hours.dayNames, ["mon", "tue", "sat"])
        XCTAssertEqual(CallingHours.default.summary, "09:00–20:00 (mon, tue, wed, thu, fri, sat, sun)")
        let bad: [(String, String, [String], String)] = [
            ("9:00", "20:00", ["mon"], "\"start\""), ("09:00", "25:00", ["mon"], "\"end\""),
            ("09:00", "09:00", ["mon"], "differ"), ("09:00", "20:00", ["funday"], "\"days\""),
            ("09:00", "20:00", [], "at least one"), ("09:60", "20:00", ["mon"], "\"start\""),
        ]
        for (start, end, days, fragment) in bad {
            XCTAssertThrowsError(try CallingHours(start: start, end: end, days: days)) { error in
                XCTAssertTrue((error as? CallingHoursError)?.message.contains(fragment) ?? false, "\(error)")
            }
        }
        XCTAssertEqual(QueueSettingsStore.hours(QueueSettingsStore.text(hours)), hours)
        XCTAssertNil(QueueSettingsStore.hours("garbage"))
    }
}
