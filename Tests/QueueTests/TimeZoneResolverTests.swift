/// Time zones from phone numbers (issue 12), table tests: a calling code with one zone, with
/// several, shared codes told apart by the next digits (+7), NANP area codes (one zone, a code on
/// a zone border, a non-geographic code), unknown codes, explicit zones, the tzdata table parser,
/// the system's own tzdata, the per-prefix memo, and the IANA name check.

import Foundation
import XCTest
import Shared
@testable import queue_daemon

final class TimeZoneResolverTests: XCTestCase {
    static let sampleTab = """
        # tzdb timezone descriptions
        #country-\tcoordinates\tTZ\tcomments
        UZ\t+3940+06648\tAsia/Samarkand\tUzbekistan (west)
        UZ\t+4120+06918\tAsia/Tashkent\tUzbekistan (east)
        GB,GG,IM,JE\t+513030-0000731\tEurope/London
        RU\t+5545+03735\tEurope/Moscow\tMSK+00 - Moscow area
        RU\t+4310+13156\tAsia/Vladivostok\tMSK+07 - Amur River
        KZ\t+4315+07657\tAsia/Almaty\tmost of Kazakhstan
        DE,DK,NO,SE,SJ\t+5230+01322\tEurope/Berlin\tmost of Germany
        broken line without tabs
        """

    let resolver = TimeZoneResolver(countries: CountryZoneTable.parse(TimeZoneResolverTests.sampleTab))

    func testResolutionTable() {
        let cases: [(String, [String], TimeZoneSource, UInt)] = [
            ("+998901234567", ["Asia/Samarkand", "Asia/Tashkent"], .country, #line),
            ("+447700900123", ["Europe/London"], .country, #line),
            ("+4915112345678", ["Europe/Berlin"], .country, #line),
            ("+4512345678", ["Europe/Berlin"], .country, #line),          // DK shares the Berlin row
            ("+74951234567", ["Europe/Moscow", "Asia/Vladivostok"], .country, #line),
            ("+77011234567", ["Asia/Almaty"], .country, #line),           // +7 7… is Kazakhstan
            ("+12125550100", ["America/New_York"], .number, #line),       // Manhattan
            ("+13105550100", ["America/Los_Angeles"], .number, #line),
            ("+14165550100", ["America/Toronto"], .number, #line),
            ("+18765550100", ["America/Jamaica"], .number, #line),
            ("+18505550100", ["America/New_York", "America/Chicago"], .number, #line),  // Florida panhandle
            ("+18005550100", [], .unknown, #line),                         // toll-free: no place
            ("+19995550100", [], .unknown, #line),                         // unassigned area code
            ("+99912345678", [], .unknown, #line),                         // no such calling code
            ("+33123456789", [], .unknown, #line),                         // France: not in this tz table
            ("998901234567", [], .unknown, #line),                         // not E.164
            ("+121", [], .unknown, #line),
        ]
        for (phone, zones, source, line) in cases {
            let resolved = resolver.resolve(phone: phone)
            XCTAssertEqual(resolved.zones, zones, phone, line: line)
            XCTAssertEqual(resolved.source, source, phone, line: line)
            XCTAssertEqual(resolved.isKnown, !zones.isEmpty, phone, line: line)
        }
    }

    func testExplicitZoneWinsAndColumnsRoundTrip() {
        let explicit = resolver.resolve(phone: "+12125550100", explicit: "Asia/Tashkent")
        XCTAssertEqual(explicit, ResolvedTimeZone(zones: ["Asia/Tashkent"], source: .explicit))
        XCTAssertEqual(resolver.resolve(phone: "+12125550100", explicit: ""), resolver.resolve(phone: "+12125550100"))
        let several = resolver.resolve(phone: "+998901234567")
        XCTAssertEqual(several.column, "Asia/Samarkand,Asia/Tashkent")
        XCTAssertEqual(ResolvedTimeZone(column: several.column, source: "country"), several)
        XCTAssertEqual(ResolvedTimeZone(column: nil, source: "unknown"), .unknown)
        XCTAssertEqual(ResolvedTimeZone(column: "Asia/Tashkent", source: nil), .unknown)
        XCTAssertEqual(ResolvedTimeZone(column: "Asia/Tashkent", source: "bogus"), .unknown)
        XCTAssertNil(ResolvedTimeZone.unknown.column)
    }

    func testParserSkipsCommentsAndSharesMultiCountryRows() {
        let table = CountryZoneTable.parse(Self.sampleTab)
        XCTAssertEqual(table.zones(forCountry: "UZ"), ["Asia/Samarkand", "Asia/Tashkent"])
        XCTAssertEqual(table.zones(forCountry: "JE"), ["Europe/London"])
        XCTAssertEqual(table.zones(forCountry: "SJ"), ["Europe/Berlin"])
        XCTAssertEqual(table.zones(forCountry: "FR"), [])
        XCTAssertNil(table.zones["#country-"])
        XCTAssertEqual(CountryZoneTable.load(directory: "/nonexistent").zones, [:])
    }

    /// The system's tzdata (installed by scripts/install-deps) and every zone named in the code's tables.
    func testSystemTzdataAndEveryTableZoneLoads() throws {
        let system = CountryZoneTable.load()
        try XCTSkipIf(system.zones.isEmpty, "tzdata is not installed (scripts/install-deps installs it)")
        let real = TimeZoneResolver(countries: system)
        XCTAssertTrue(real.resolve(phone: "+998901234567").zones.contains("Asia/Tashkent"))
        XCTAssertEqual(real.resolve(phone: "+998901234567").source, .country)
        XCTAssertTrue(real.resolve(phone: "+74951234567").zones.contains("Europe/Moscow"))
        for zones in NANPAreaCodeTable.zones.values {
            for zone in zones { XCTAssertNotNil(TimeZone(identifier: zone), zone) }
        }
        var unmapped: [String] = []
        for (prefix, countries) in CallingCodeTable.countries where countries.allSatisfy({ system.zones(forCountry: $0).isEmpty }) {
            unmapped.append("\(prefix):\(countries.joined(separator: ","))")
        }
        XCTAssertEqual(unmapped, [], "calling codes whose countries have no zone in \(system.source)")
        for zones in system.zones.values {
            for zone in zones { XCTAssertNotNil(TimeZone(identifier: zone), zone) }
        }
    }

    func testMemoGivesTheResolversAnswer() {
        var memo = TimeZoneMemo(resolver: resolver)
        for phone in ["+998901234567", "+998991234567", "+12125550100", "+12125559999", "+18505550100",
                      "+99912345678", "+77011234567", "+74951234567", "+1212"] {
            let direct = resolver.resolve(phone: phone)
            for _ in 0..<2 {
                let columns = memo.columns(phone: phone, explicit: nil)
                XCTAssertEqual(columns.column, direct.column, phone)
                XCTAssertEqual(columns.source, direct.source.rawValue, phone)
            }
        }
        XCTAssertEqual(memo.columns(phone: "+12125550100", explicit: "Asia/Tokyo").column, "Asia/Tokyo")
        XCTAssertEqual(memo.columns(phone: "+12125550100", explicit: "Asia/Tokyo").source, "explicit")
    }

    func testTimeZoneNameValidation() {
        for valid in ["Asia/Tashkent", "America/New_York", "America/Argentina/Buenos_Aires", "UTC", " Europe/London "] {
            XCTAssertNotNil(TimeZoneName.validated(valid), valid)
        }
        for invalid in ["", "Mars/Olympus_Mons", "EST", "GMT+5", "+05:00", "asia/tashkent", "../../etc/passwd",
                        "Asia/Tashkent\n", String(repeating: "A/", count: 40)] {
            XCTAssertNil(TimeZoneName.validated(invalid), invalid)
        }
        XCTAssertEqual(TimeZoneName.validated(" Europe/London "), "Europe/London")
    }
}
