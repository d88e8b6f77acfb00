import XCTest
@testable import Shared

final class LeadCSVReaderTests: XCTestCase {
    private func read(_ text: String, cc: String = "998") -> LeadCSVReadResult {
        LeadCSVReader.read(Array(text.utf8), defaultCountryCode: cc)
    }

    private func assertInvariant(_ r: LeadCSVReadResult, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r.rows.count + r.errors.count + r.duplicateLines.count, r.totalDataRows, file: file, line: line)
    }

    func testFullRowIsNormalised() {
        let r = read("""
        phone,name,email,priority,notes,tags
        +998 90 123-45-67,Ali Valiyev,ali@example.uz,HIGH,Called before,"vip, tashkent ,,new"
        """)
        XCTAssertNil(r.fileError)
        XCTAssertEqual(r.rows, [LeadImportRow(line: 2, phone: "+998901234567", name: "Ali Valiyev", email: "ali@example.uz",
                                              priority: .high, notes: "Called before", tags: ["vip", "tashkent", "new"])])
        XCTAssertEqual(r.totalDataRows, 1)
        assertInvariant(r)
    }

    func testHeaderAliasesMixedCaseAndSpacing() {
        let r = read(" Phone_Number ,FULL_NAME,E-mail,Priority,Comments,TAGS\n901234567,Bob,b@x.io,low,hi,a\n")
        XCTAssertEqual(r.rows.first, LeadImportRow(line: 2, phone: "+998901234567", name: "Bob", email: "b@x.io",
                                                   priority: .low, notes: "hi", tags: ["a"]))
        for header in ["telephone", "Tel", "MOBILE", "phonenumber", "Phone Number", "PHONE"] {
            XCTAssertEqual(read("\(header)\n901234567\n").rows.map(\.phone), ["+998901234567"], header)
        }
    }

    func testTagsOnlyCapitalisedColumnDoesNotCrash() {
        let r = read("Phone,Tags\n901234567,\"a, b\"\n")
        XCTAssertEqual(r.rows.first?.tags, ["a", "b"])
        XCTAssertEqual(read("Tags\nvip\n").fileError, .missingPhoneColumn)
    }

    func testMissingPhoneColumnAndEmptyFile() {
        let r = read("name,email\nAli,a@b.c\n")
        XCTAssertEqual(r.fileError, .missingPhoneColumn)
        XCTAssertEqual(r.rows, [])
        XCTAssertEqual(r.totalDataRows, 0)
        XCTAssertEqual(read("").fileError, .emptyFile)
        XCTAssertEqual(read("\n\n  ,  \n").fileError, .emptyFile)
        XCTAssertEqual(read("phone\n").fileError, nil)
        XCTAssertEqual(read("phone\n").totalDataRows, 0)
    }

    func testBOMAndCRLF() {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("phone,name\r\n901234567,A\r\n911234567,B\r\n".utf8)
        let r = LeadCSVReader.read(bytes, defaultCountryCode: "998")
        XCTAssertEqual(r.rows.map(\.phone), ["+998901234567", "+998911234567"])
        XCTAssertEqual(r.rows.map(\.line), [2, 3])
    }

    func testQuotedCommasAndNewlinesKeepLineNumbers() {
        let r = read("phone,name,notes\n901234567,\"Valiyev, Ali\",\"first line\nsecond line\"\nbad,X,\n")
        XCTAssertEqual(r.rows.first?.name, "Valiyev, Ali")
        XCTAssertEqual(r.rows.first?.notes, "first line\nsecond line")
        XCTAssertEqual(r.errors, [LeadRowError(line: 4, message: "Invalid phone number: bad")])
    }

    func testBlankLinesAreSkippedAndNotCounted() {
        let r = read("\n\nphone\n\n901234567\n   \n,\n911234567\n\n")
        XCTAssertEqual(r.rows.map(\.line), [5, 8])
        XCTAssertEqual(r.totalDataRows, 2)
        XCTAssertEqual(r.errors, [])
    }

    func testPhoneErrorsAndDuplicates() {
        let r = read("""
        phone,name
        901234567,first
        +998 90 123 45 67,same number other spelling
        12ab,bad
        ,no phone
        0901234567,third spelling
        911234567,other
        """)
        XCTAssertEqual(r.rows.map(\.line), [2, 7])
        XCTAssertEqual(r.duplicateLines, [3, 6])
        XCTAssertEqual(r.errors, [LeadRowError(line: 4, message: "Invalid phone number: 12ab"),
                                  LeadRowError(line: 5, message: "Phone number is required")])
        XCTAssertEqual(r.totalDataRows, 6)
        assertInvariant(r)
    }

    func testRejectedRowDoesNotMakeALaterRowADuplicate() {
        let r = read("phone,priority\n901234567,soon\n901234567,urgent\n")
        XCTAssertEqual(r.errors.map(\.line), [2])
        XCTAssertEqual(r.rows.map(\.line), [3])
        XCTAssertEqual(r.duplicateLines, [])
    }

    func testPriority() {
        let r = read("phone,priority\n901234561,\n901234562, Urgent \n901234563,LOW\n901234564,medium\n901234565,asap\n")
        XCTAssertEqual(r.rows.map(\.priority), [.medium, .urgent, .low, .medium])
        XCTAssertEqual(r.errors, [LeadRowError(line: 6, message: #"Invalid priority "asap" (allowed: urgent, high, medium, low)"#)])
        XCTAssertEqual(read("phone\n901234567\n").rows.first?.priority, .medium)
    }

    /// The limits of `FieldRules`, in UTF-16 code units: 100 Cyrillic letters (200 UTF-8 bytes)
    /// fit a name, 50 emoji (100 units) fit, one more unit does not.
    func testNameAndNotesLengthsAtTheirBoundaries() {
        let name100 = String(repeating: "ш", count: 100)
        let notes500 = String(repeating: "n", count: 500)
        let ok = read("phone,name,notes\n901234567,\(name100),\(notes500)\n")
        XCTAssertEqual(ok.rows.first?.name, name100)
        XCTAssertEqual(ok.rows.first?.notes, notes500)
        XCTAssertEqual(read("phone,name\n901234567,\(name100)x\n").errors.first?.message, "Name must be at most 100 characters")
        XCTAssertEqual(read("phone,notes\n901234567,\(notes500)x\n").errors.first?.message, "Notes must be at most 500 characters")
        let emojiName = String(repeating: "😀", count: 50), emojiNotes = String(repeating: "😀", count: 250)
        XCTAssertEqual(read("phone,name,notes\n901234567,\(emojiName),\(emojiNotes)\n").rows.first?.notes, emojiNotes)
        XCTAssertEqual(read("phone,name\n901234567,\(emojiName)x\n").errors.first?.message, "Name must be at most 100 characters")
        XCTAssertEqual(read("phone,notes\n901234567,\(emojiNotes)x\n").errors.first?.message, "Notes must be at most 500 characters")
    }

    func testEmail() {
        for good in ["a@b.co", "first.last+tag@sub.example.uz"] {
            XCTAssertEqual(read("phone,email\n901234567,\(good)\n").rows.first?.email, good, good)
        }
        for bad in ["plain", "@b.co", "a@b", "a@@b.co", "a@b@c.co", "a b@c.co", "a@.co", "a@b.", "a@b.co\u{7}"] {
            XCTAssertEqual(read("phone,email\n901234567,\"\(bad)\"\n").errors.first?.message, "Invalid email \"\(bad)\"", bad)
        }
        let long = String(repeating: "a", count: 250) + "@b.co"
        XCTAssertEqual(read("phone,email\n901234567,\(long)\n").errors.count, 1)
    }

    func testTagLimitsAtTheirBoundaries() {
        let twenty = (1...20).map { "t\($0)" }.joined(separator: ",")
        XCTAssertEqual(read("phone,tags\n901234567,\"\(twenty), t1 ,,\"\n").rows.first?.tags.count, 20)
        XCTAssertEqual(read("phone,tags\n901234567,\"\(twenty),t21\"\n").errors.first?.message, "Too many tags (max 20)")
        let tag50 = String(repeating: "g", count: 50)
        XCTAssertEqual(read("phone,tags\n901234567,\(tag50)\n").rows.first?.tags, [tag50])
        XCTAssertEqual(read("phone,tags\n901234567,\(tag50)g\n").errors.first?.message, "Tag \"\(tag50)g\" exceeds 50 characters")
    }

    func testFirstNonEmptyMatchingColumnWins() {
        let r = read("phone,mobile,name,fullname\n,911234567,,Full\n901234567,911111111,Short,Full\n")
        XCTAssertEqual(r.rows.map(\.phone), ["+998911234567", "+998901234567"])
        XCTAssertEqual(r.rows.map(\.name), ["Full", "Short"])
    }

    func testShortAndLongRows() {
        let r = read("name,phone,notes\nOnly name\nA,901234567,n,extra,columns\n")
        XCTAssertEqual(r.errors, [LeadRowError(line: 2, message: "Phone number is required")])
        XCTAssertEqual(r.rows.map(\.notes), ["n"])
    }

    func testMalformedCSVIsAFileError() {
        XCTAssertEqual(read("phone,name\n901234567,\"open\n").fileError, .malformed(.unterminatedQuote(line: 2)))
        XCTAssertEqual(read("phone,name\n901234567,\"open\n").rows, [])
    }

    func testDefaultCountryCodeIsUsed() {
        XCTAssertEqual(read("phone\n(555) 010-9999\n", cc: "1").rows.map(\.phone), ["+15550109999"])
    }

    func testLargeFileCounts() {
        var text = "phone,name,priority\n"
        for i in 0..<20_000 { text += "+99890\(String(format: "%07d", i % 15_000)),Lead \(i),\(i % 7 == 0 ? "bogus" : "high")\n" }
        let r = read(text)
        XCTAssertEqual(r.totalDataRows, 20_000)
        assertInvariant(r)
        XCTAssertEqual(r.errors.count, (0..<20_000).filter { $0 % 7 == 0 }.count)
        XCTAssertEqual(Set(r.rows.map(\.phone)).count, r.rows.count)
    }

    func testStreamingBatchesAddUpToTheWholeRead() {
        var text = "phone,priority\n"
        for i in 0..<1_000 { text += "+99890\(String(format: "%07d", i % 700)),\(i % 9 == 0 ? "bogus" : "low")\n" }
        let whole = read(text)
        var batches: [LeadCSVReadResult] = []
        let error = Array(text.utf8).withUnsafeBytes { bytes in
            LeadCSVReader.stream(bytes, defaultCountryCode: "998", batchRows: 100) { batches.append($0); return true }
        }
        XCTAssertNil(error)
        XCTAssertTrue(batches.dropLast().allSatisfy { $0.rows.count == 100 }, "a batch is handed over at every 100 rows")
        batches.forEach { assertInvariant($0) }
        XCTAssertEqual(batches.flatMap(\.rows), whole.rows)
        XCTAssertEqual(batches.flatMap(\.errors), whole.errors)
        XCTAssertEqual(batches.flatMap(\.duplicateLines), whole.duplicateLines, "duplicates are found across batches")
        XCTAssertEqual(batches.reduce(0) { $0 + $1.totalDataRows }, 1_000)
    }

    func testStreamingStopsOnRequestAndReportsFileErrors() {
        var text = "phone\n"
        for i in 0..<500 { text += "+99890\(String(format: "%07d", i))\n" }
        var calls = 0
        let stopped = Array(text.utf8).withUnsafeBytes { bytes in
            LeadCSVReader.stream(bytes, defaultCountryCode: "998", batchRows: 100) { _ in calls += 1; return calls < 2 }
        }
        XCTAssertNil(stopped)
        XCTAssertEqual(calls, 2, "no batch after the consumer said stop")
        let late = Array((text + "1,\"open\n").utf8).withUnsafeBytes { bytes in
            LeadCSVReader.stream(bytes, defaultCountryCode: "998", batchRows: 100) { _ in true }
        }
        XCTAssertEqual(late, .malformed(.unterminatedQuote(line: 502)))
        let empty = Array("\n\n".utf8).withUnsafeBytes { bytes in
            LeadCSVReader.stream(bytes, defaultCountryCode: "998", batchRows: 100) { _ in XCTFail("nothing to emit"); return true }
        }
        XCTAssertEqual(empty, .emptyFile)
    }
}
