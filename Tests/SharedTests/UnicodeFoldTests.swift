import XCTest
@testable import Shared

final class UnicodeFoldTests: XCTestCase {
    func testUfoldMatchesAcrossScriptsAndKeepsNull() throws {
        let db = try Database(path: ":memory:", owner: nil)
        try db.execute("CREATE TABLE t(name TEXT)")
        for name in ["Алишер Навоий", "ÖZBEK Şirkat", "Plain ASCII", "ß-Straße"] {
            try db.run("INSERT INTO t(name) VALUES(?)", [.text(name)])
        }
        try db.run("INSERT INTO t(name) VALUES(NULL)")
        func search(_ text: String) throws -> [String] {
            try db.query("SELECT name FROM t WHERE ufold(name) LIKE ? ORDER BY name",
                         [.text("%" + UnicodeFold.fold(text) + "%")]).map { $0.string("name") }
        }
        XCTAssertEqual(try search("АЛИШЕР"), ["Алишер Навоий"])
        XCTAssertEqual(try search("навоий"), ["Алишер Навоий"])
        XCTAssertEqual(try search("özbek"), ["ÖZBEK Şirkat"])
        XCTAssertEqual(try search("plain ascii"), ["Plain ASCII"])
        XCTAssertEqual(try db.queryOne("SELECT ufold(NULL) IS NULL AS n")?.int("n"), 1)
        XCTAssertEqual(try db.queryOne("SELECT ufold('ABC') AS f")?.string("f"), "abc")
    }
}
