import Shared

/// A SQLite database in a fresh temporary directory for one test: `db` is open as `owner` with
/// that owner's migrations applied (none for a nil owner). Closed and removed with the value.
/// Replaces the per-test setUp copies (temp directory, `Database`, `Schema.migrate`).
public final class TemporaryDatabase {
    public let directory: TemporaryDirectory
    /// The database file (`<directory>/ibrat.db`).
    public let path: String
    public let db: Database

    public init(owner: TableOwner?, migratedAt now: Int64 = 0, prefix: String = "ibrat-db") throws {
        directory = try TemporaryDirectory(prefix: prefix)
        path = directory.file("ibrat.db")
        db = try Database(path: path, owner: owner)
        if let owner { try Schema.migrate(db, owner: owner, now: now) }
    }

    deinit { db.close() }

    /// Another connection to the same file (another daemon, or the test as administrator).
    public func connect(owner: TableOwner?) throws -> Database {
        try Database(path: path, owner: owner)
    }
}

/// A temporary directory for database files; `path()` is the default file name.
public final class TemporaryDatabaseDirectory {
    private let directory: TemporaryDirectory

    public init() { directory = try! TemporaryDirectory(prefix: "ibrat-db") }

    public func path(_ name: String = "test.sqlite") -> String { directory.file(name) }
}
