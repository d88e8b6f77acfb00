import TestSupport
import XCTest
@testable import Shared

/// `WALChangeProbe`: "unchanged" only while no connection commits; inactive without a WAL index.
final class WALChangeProbeTests: XCTestCase {
    func testSeesEveryCommitOfAnotherConnectionAndNothingElse() throws {
        let dir = TemporaryDatabaseDirectory()
        let reader = try Database(path: dir.path(), owner: nil)
        let writer = try Database(path: dir.path(), owner: nil)
        try writer.execute("CREATE TABLE t(x INTEGER)")
        _ = try reader.dataVersion  // the reader holds the WAL index open
        let probe = WALChangeProbe(databasePath: dir.path())
        XCTAssertTrue(probe.isActive)
        XCTAssertFalse(probe.unchangedSinceLastLook(), "the first look has nothing to compare with")
        XCTAssertTrue(probe.unchangedSinceLastLook())
        _ = try reader.query("SELECT * FROM t")
        XCTAssertTrue(probe.unchangedSinceLastLook(), "reads do not move the header")
        for i in 0..<3 {
            _ = try writer.run("INSERT INTO t VALUES (?)", [.int(Int64(i))])
            XCTAssertFalse(probe.unchangedSinceLastLook(), "commit \(i) is seen")
            XCTAssertTrue(probe.unchangedSinceLastLook())
        }
    }

    func testWithoutAWALIndexEveryLookSaysChanged() {
        let probe = WALChangeProbe(databasePath: "/nonexistent/ibrat.db")
        XCTAssertFalse(probe.isActive)
        XCTAssertFalse(probe.unchangedSinceLastLook())
        XCTAssertFalse(probe.unchangedSinceLastLook())
    }
}
