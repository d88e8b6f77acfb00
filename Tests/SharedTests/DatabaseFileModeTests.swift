import Foundation
import Glibc
import TestSupport
import XCTest
@testable import Shared

/// The database file and its `-wal`/`-shm` are never readable by other users, whatever the
/// umask: 0600, or 0640 in a directory shared with a (non-root) group.
final class DatabaseFileModeTests: XCTestCase {
    private var temp: TemporaryDirectory!
    private var dir = ""
    private var savedUmask: mode_t = 0

    override func setUpWithError() throws {
        temp = try TemporaryDirectory(prefix: "ibrat-mode")
        dir = temp.path
        savedUmask = umask(0o022)
    }

    override func tearDown() {
        umask(savedUmask)
        temp = nil
    }

    private func modeOf(_ path: String) -> mode_t? {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o777 : nil
    }

    private func openAndWrite() throws -> Database {
        let db = try Database(path: dir + "/ibrat.db", owner: nil)
        try db.execute("CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('secret')")
        return db
    }

    func testModeTable() {
        let cases: [(mode_t, gid_t, mode_t)] = [
            (0o700, 1000, 0o600), (0o750, 1000, 0o640), (0o770, 998, 0o640), (0o2750, 998, 0o640),
            (0o750, 0, 0o600), (0o755, 0, 0o600), (0o740, 1000, 0o600), (0o710, 1000, 0o600),
        ]
        for (dirMode, gid, expected) in cases {
            XCTAssertEqual(DatabaseFileMode.mode(directoryMode: dirMode, directoryGroup: gid), expected,
                           "dir \(String(dirMode, radix: 8)) gid \(gid)")
        }
        XCTAssertEqual(DatabaseFileMode.tightened(0o644, target: 0o600), 0o600)
        XCTAssertEqual(DatabaseFileMode.tightened(0o664, target: 0o640), 0o660)
        XCTAssertEqual(DatabaseFileMode.tightened(0o400, target: 0o600), 0o400)
    }

    func testNewDatabaseAndCompanionsAre0600UnderUmask022() throws {
        let db = try openAndWrite()
        for suffix in ["", "-wal", "-shm"] {
            XCTAssertEqual(modeOf(dir + "/ibrat.db" + suffix), 0o600, "ibrat.db\(suffix)")
        }
        db.close()
    }

    func testGroupSharedDirectoryGives0640() throws {
        let gid = getuid() == 0 ? gid_t(65_534) : getgroups_nonzero()
        guard let gid else { throw XCTSkip("no non-root group to share the directory with") }
        guard chown(dir, getuid(), gid) == 0, chmod(dir, 0o750) == 0 else { throw XCTSkip("cannot chown the directory") }
        umask(0o077)
        let db = try openAndWrite()
        for suffix in ["", "-wal", "-shm"] {
            XCTAssertEqual(modeOf(dir + "/ibrat.db" + suffix), 0o640, "ibrat.db\(suffix)")
        }
        db.close()
    }

    func testAnExistingWorldReadableDatabaseIsTightened() throws {
        let first = try openAndWrite()
        first.close()
        XCTAssertEqual(chmod(dir + "/ibrat.db", 0o644), 0)   // as an earlier version left it
        let db = try Database(path: dir + "/ibrat.db", owner: nil)
        XCTAssertEqual(try db.queryOne("SELECT x FROM t")?.string(at: 0), "secret")
        for suffix in ["", "-wal", "-shm"] {
            XCTAssertEqual(modeOf(dir + "/ibrat.db" + suffix), 0o600, "ibrat.db\(suffix)")
        }
        db.close()
    }

    private func getgroups_nonzero() -> gid_t? {
        var groups = [gid_t](repeating: 0, count: 64)
        let n = getgroups(Int32(groups.count), &groups)
        return n > 0 ? groups[0..<Int(n)].first { $0 != 0 } : nil
    }
}
