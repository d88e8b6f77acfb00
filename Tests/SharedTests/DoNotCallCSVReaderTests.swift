/// `DoNotCallCSVReader` (issue 12): header aliases, normalisation, reasons, row errors,
/// duplicates within the file, blank rows, and whole-file refusals.

import XCTest
@testable import Shared

final class DoNotCallCSVReaderTests: XCTestCase {
    private func read(_ text: String) -> DoNotCallCSVReader.Result {
        Array(text.utf8).withUnsafeBytes { DoNotCallCSVReader.read($0, defaultCountryCode: "998") }
    }

    func testRowsErrorsAndDuplicates() {
        let result = read("Phone Number,Reason\n901234567,asked\n\n+998901234567,dup\n+12125550100,\nabc,x\n,\n"
                          + "+12125550101," + String(repeating: "r", count: 201) + "\n")
        XCTAssertEqual(result.rows, [.init(line: 2, phone: "+998901234567", reason: "asked"),
                                        .init(line: 5, phone: "+12125550100", reason: "")])
        XCTAssertEqual(result.duplicateLines, [4])
        XCTAssertEqual(result.errors.map(\.line), [6, 8])  // "," on line 7 is a blank row
        XCTAssertEqual(result.totalDataRows, 5)
        XCTAssertNil(result.fileError)
    }

    func testWholeFileRefusals() {
        XCTAssertEqual(read("").fileError, .emptyFile)
        XCTAssertEqual(read("name,reason\nx,y\n").fileError, .missingPhoneColumn)
        XCTAssertNotNil(read("phone\n\"+998901234567\n").fileError)
    }
}
