import XCTest
@testable import Shared

final class PhoneNumberTests: XCTestCase {
    private func n(_ raw: String, _ cc: String = "998") -> String? { PhoneNumber.normalize(raw, defaultCountryCode: cc) }

    func testUzbekFormsAllNormaliseToOneNumber() {
        let table: [String] = [
            "+998 90 123-45-67", "+998901234567", "(90) 123 45 67", "0901234567", "901234567",
            "998901234567", "00998901234567", "90.123.45.67", " +998 (90) 123 45 67 ", "90\u{A0}123\u{A0}45\u{A0}67",
            "\t998 90 123 45 67",
        ]
        for raw in table { XCTAssertEqual(n(raw), "+998901234567", raw) }
    }

    func testOtherCountriesAndDefaultCodes() {
        XCTAssertEqual(n("+1 (555) 010-9999"), "+15550109999")
        XCTAssertEqual(n("(555) 010-9999", "1"), "+15550109999")
        XCTAssertEqual(n("15550109999", "1"), "+15550109999")
        XCTAssertEqual(n("555 010 9999", "+1"), "+15550109999")
        XCTAssertEqual(n("+44 20 7946 0958"), "+442079460958")
        XCTAssertEqual(n("0044 20 7946 0958"), "+442079460958")
        XCTAssertEqual(n("020 7946 0958", "44"), "+442079460958")
        XCTAssertEqual(n("442079460958", "44"), "+442079460958", "unknown length: CC + ≥ 8 digits kept")
        XCTAssertEqual(n("8 912 345 67 89", "7"), nil, "11 national digits for +7 is not a valid length")
        XCTAssertEqual(n("912 345 67 89", "7"), "+79123456789")
    }

    func testGarbageIsRejected() {
        let garbage = ["", "   ", "+", "abc", "90-123-45-67x", "tel:+998901234567", "+998 90 123 45 67 ext 5",
                       "90/123/45/67", "++998901234567", "998+901234567", "+0998901234567", "12345",
                       "+998 90 123 45 6", "+998 90 123 45 678", "+1234567", "+1234567890123456",
                       "９０１２３４５６７", "undefined", "#901234567", "90_123_45_67", "0"]
        for raw in garbage { XCTAssertNil(n(raw), raw) }
    }

    func testDigitCountLimits() {
        XCTAssertEqual(n("+12345678"), nil, "+1 requires 10 national digits")
        XCTAssertEqual(n("+31234567"), "+31234567", "8 digits is the minimum")
        XCTAssertNil(n("+3123456"), "7 digits is too short")
        XCTAssertEqual(n("+312345678901234"), "+312345678901234", "15 digits is the maximum")
        XCTAssertNil(n("+3123456789012345"), "16 digits is too long")
        XCTAssertNil(n(String(repeating: "9", count: 10_000)), "long input stops early")
    }

    func testOnlyOneTrunkZeroIsDropped() {
        XCTAssertNil(n("00901234567"), "00 means international, and +901234567 is not a valid Turkish length")
        XCTAssertEqual(n("0 90 123 45 67"), "+998901234567")
    }

    func testInvalidDefaultCountryCode() {
        for cc in ["", "0", "99a", "1234", "+", "099"] { XCTAssertNil(n("901234567", cc), cc) }
    }

    func testIsE164() {
        XCTAssertTrue(PhoneNumber.isE164("+998901234567"))
        XCTAssertFalse(PhoneNumber.isE164("998901234567"))
        XCTAssertFalse(PhoneNumber.isE164("+0998901234567"))
        XCTAssertFalse(PhoneNumber.isE164("+998 901234567"))
        XCTAssertFalse(PhoneNumber.isE164("+1234567"))
    }

    func testAlreadyNormalisedInputTakesTheFastPathWithTheSameAnswers() {
        for cc in ["998", "+998", "1", "7", "90", "44", "", "0", "99a"] {
            for raw in ["+998901234567", "+99890123456", "+12025550123", "+1202555012", "+79161234567", "+31234567",
                        "+312345678901234", "+3123456789012345", "+447911123456", "+90212345678", "+9021234567"] {
                // The same number written with a separator goes through the general path.
                let general = PhoneNumber.normalize(raw.replacingOccurrences(of: "+", with: "+ "), defaultCountryCode: cc)
                XCTAssertEqual(PhoneNumber.normalize(raw, defaultCountryCode: cc), general, "\(raw) with \(cc)")
            }
        }
    }

    func testCSVReaderPhoneSetKeysAreDistinctPerNumber() {
        typealias Set = LeadCSVReader.PhoneSet
        XCTAssertEqual(Set.key("+998901234567"), 998_901_234_567 << 4 | 12)
        XCTAssertNotEqual(Set.key("+0123"), Set.key("+123"), "leading zeros stay distinct")
        XCTAssertEqual(Set.key("+999999999999999"), 999_999_999_999_999 << 4 | 15)
        XCTAssertNil(Set.key("+9999999999999999"), "16 digits do not fit the key")
        XCTAssertNil(Set.key("998901234567"))
        XCTAssertNil(Set.key("+99890a"))
        var seen = Set()
        XCTAssertTrue(seen.insert("+998901234567"))
        XCTAssertFalse(seen.insert("+998901234567"))
        XCTAssertTrue(seen.insert("+99890123456"))
        XCTAssertTrue(seen.insert("not a number"))
        XCTAssertFalse(seen.insert("not a number"))
    }
}
