import CSQLite
import Glibc

/// One SQLite connection, used from one thread at a time. Opens in WAL mode with
/// `synchronous=NORMAL`, `foreign_keys=ON` and a busy timeout, and installs the table-ownership
/// authorizer when an owner is given. The file and its `-wal`/`-shm` are 0600 (0640 in a
/// group-shared directory) whatever the umask (`DatabaseFileMode`). Statements are prepared once and cached by SQL text.
public final class Database {
    /// Most prepared statements a connection keeps cached (least recently used are evicted).
    public static let defaultStatementCacheCapacity = 128

    public let path: String
    public let owner: TableOwner?
    private var handle: OpaquePointer?
    private let cache: StatementCache
    private var transactionDepth = 0
    /// Retained here; the authorizer callback gets an unretained pointer to it.
    var ownership: TableOwnership?
    /// The lock waits' optional observer (`DatabaseLockWait.swift`).
    let lockWait: LockWait

    /// How long a statement waits for another connection's write lock (`BusyBackoff`).
    public private(set) var busyTimeoutMillis: Int32

    /// Changes the busy timeout (`PRAGMA busy_timeout` would put back SQLite's own sleeps).
    public func setBusyTimeout(millis: Int32) {
        guard handle != nil else { return }
        busyTimeoutMillis = millis
        installBusyHandler()  // keeps a lock-wait observer (DatabaseLockWait.swift)
    }

    public init(path: String, owner: TableOwner?, readOnly: Bool = false, busyTimeoutMillis: Int32 = 5000,
                statementCacheCapacity: Int = Database.defaultStatementCacheCapacity) throws {
        _ = Self.memoryStatisticsOff
        self.path = path
        self.owner = owner
        cache = StatementCache(capacity: statementCacheCapacity)
        lockWait = LockWait()
        if !readOnly { DatabaseFileMode.prepare(path) }
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open database"
            if let db { sqlite3_close_v2(db) }
            throw DatabaseError(code: rc, message: message, sql: nil)
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        self.busyTimeoutMillis = busyTimeoutMillis
        BusyBackoff.install(on: db, timeoutMillis: busyTimeoutMillis)
        UnicodeFold.register(on: db)
        do {
            if !readOnly {
                // Takes effect only while the file is still empty (a new database); later a no-op.
                try execute("PRAGMA page_size = \(Self.pageSizeBytes)")
                try enableWAL(busyTimeoutMillis: busyTimeoutMillis)
                let pageSize = try queryOne("PRAGMA page_size")?.int(at: 0) ?? 4_096
                try execute("PRAGMA wal_autocheckpoint = \(Self.walAutocheckpointBytes / Int(max(pageSize, 512)))")
            }
            try execute("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON")
            if let owner { TableOwnership.install(on: self, owner: owner) }
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    /// SQLite's memory statistics take a global mutex around every allocation, which no daemon
    /// reads; turned off once, before the first connection initialises the library (false when
    /// something else initialised it first: harmless).
    static let memoryStatisticsOff: Bool = csqlite_disable_memstatus() == SQLITE_OK

    /// Page size of a database this code creates. 16 KiB instead of SQLite's 4 KiB: a lead row
    /// touches seven b-trees (leads, its four indexes, lead_events and its index), and with four
    /// times fewer, fuller pages a 165,000-row CSV import's inserts and COMMIT ran in 0.42 s
    /// instead of 0.68 s (SQLite alone, median of 7; `docs/BENCHMARKS.md`). The cost is that a
    /// small transaction writes 16 KiB WAL frames. An existing database keeps its page size
    /// (`docs/OPERATIONS.md` shows how to convert one).
    public static let pageSizeBytes = 16_384

    /// WAL bytes after which a commit checkpoints (in the committing thread): SQLite's default of
    /// 1,000 pages meant 4 MiB with 4 KiB pages, and 16 MiB with 16 KiB pages made each
    /// checkpoint four times longer (dispatch latency p99 5 → 12 ms, `docs/BENCHMARKS.md`), so
    /// the threshold is kept in bytes.
    public static let walAutocheckpointBytes = 4 << 20

    /// `PRAGMA journal_mode=WAL` returns SQLITE_BUSY at once, without the busy handler, when
    /// another process is opening the same new file (SQLite skips waiting where it could
    /// deadlock). Daemons start in parallel (systemd does), so retry until the busy timeout.
    private func enableWAL(busyTimeoutMillis: Int32) throws {
        let deadline = MonotonicClock.seconds() + Double(max(busyTimeoutMillis, 100)) / 1000
        while true {
            do {
                try execute("PRAGMA journal_mode=WAL")
                return
            } catch let error as DatabaseError where error.isBusy && MonotonicClock.seconds() < deadline {
                usleep(10_000)
            }
        }
    }

    public var isOpen: Bool { handle != nil }

    /// The raw connection, for `TableOwnership` and other C-level helpers.
    var rawHandle: OpaquePointer? { handle }

    /// Closes the connection; statements still held elsewhere are finalized when released.
    public func close() {
        cache.removeAll()
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
        ownership = nil
    }

    func makeError(_ code: Int32, sql: String?) -> DatabaseError {
        guard let handle else { return DatabaseError(code: DatabaseError.misuse, message: "database is closed", sql: sql) }
        let extended = sqlite3_extended_errcode(handle)
        let effective = (extended & 0xFF) == (code & 0xFF) ? extended : code
        var message = String(cString: sqlite3_errmsg(handle))
        if effective & 0xFF == DatabaseError.auth, let denial = ownership?.takeLastDenial() {
            message = denial
        }
        return DatabaseError(code: effective, message: message, sql: sql)
    }

    private func openHandle(_ sql: String) throws -> OpaquePointer {
        guard let handle else { throw DatabaseError(code: DatabaseError.misuse, message: "database is closed", sql: sql) }
        return handle
    }

    /// Runs one or more `;`-separated statements without parameters (schema, pragmas).
    public func execute(_ sql: String) throws {
        let db = try openHandle(sql)
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(db, sql, nil, nil, &errorMessage)
        if let errorMessage { sqlite3_free(errorMessage) }
        if rc != SQLITE_OK { throw makeError(rc, sql: sql) }
    }

    /// A prepared statement for `sql`, from the cache when possible (reset, ready to bind). When the
    /// cached one is mid-iteration (same SQL nested), a fresh uncached statement is returned.
    public func prepare(_ sql: String) throws -> Statement {
        if let cached = cache.lookup(sql) {
            if !cached.isBusy {
                cached.reset()
                return cached
            }
            return try prepareUncached(sql)
        }
        let statement = try prepareUncached(sql)
        cache.insert(statement)
        return statement
    }

    private func prepareUncached(_ sql: String) throws -> Statement {
        let db = try openHandle(sql)
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else {
            if let stmt { sqlite3_finalize(stmt) }
            throw makeError(rc == SQLITE_OK ? DatabaseError.misuse : rc, sql: sql)
        }
        return Statement(database: self, handle: stmt, sql: sql)
    }

    /// Number of statements currently cached.
    public var cachedStatementCount: Int { cache.count }

    public func query(_ sql: String, _ params: [SQLValue] = []) throws -> [Row] {
        try prepare(sql).all(params)
    }

    /// The first row, or nil; the statement is reset right after.
    public func queryOne(_ sql: String, _ params: [SQLValue] = []) throws -> Row? {
        let statement = try prepare(sql)
        try statement.bind(params)
        defer { statement.reset() }
        return try statement.step() ? statement.row() : nil
    }

    /// Streams the rows of `sql` to `body` without building an array.
    public func forEachRow(_ sql: String, _ params: [SQLValue] = [], _ body: (Row) throws -> Void) throws {
        try prepare(sql).forEachRow(params, body)
    }

    /// Runs a statement to completion and returns the number of rows it changed.
    @discardableResult
    public func run(_ sql: String, _ params: [SQLValue] = []) throws -> Int {
        let statement = try prepare(sql)
        try statement.bind(params)
        defer { statement.reset() }
        while try statement.step() {}
        return Int(sqlite3_changes64(try openHandle(sql)))
    }

    public var lastInsertRowID: Int64 { handle.map { sqlite3_last_insert_rowid($0) } ?? 0 }

    /// Rows changed by the most recent INSERT/UPDATE/DELETE.
    public var changes: Int { handle.map { Int(sqlite3_changes64($0)) } ?? 0 }

    /// Rows changed by this connection since it opened (`sqlite3_total_changes64`): with
    /// `dataVersion`, which ignores this connection's own commits, a reader's cache can tell
    /// that anything at all was written.
    public var totalChanges: Int64 { handle.map { sqlite3_total_changes64($0) } ?? 0 }

    /// `PRAGMA data_version`: changes when another connection commits to the file; a cheap way for a
    /// reader to notice that its caches are stale. Unchanged by this connection's own commits.
    public var dataVersion: Int64 {
        get throws {
            try queryOne("PRAGMA data_version")?.int(at: 0) ?? 0
        }
    }

    public var isInTransaction: Bool { transactionDepth > 0 }

    /// Runs `body` in a write transaction (`BEGIN IMMEDIATE` … `COMMIT`), rolled back if anything
    /// throws. Nested calls become savepoints that roll back on their own.
    @discardableResult
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        let depth = transactionDepth
        let savepoint = "sp\(depth)"
        if depth == 0 {
            try run("BEGIN IMMEDIATE")
        } else {
            try execute("SAVEPOINT \(savepoint)")
        }
        transactionDepth += 1
        let result: T
        do {
            result = try body()
        } catch {
            transactionDepth = depth
            rollback(depth: depth, savepoint: savepoint)
            throw error
        }
        do {
            if depth == 0 {
                try run("COMMIT")
            } else {
                try execute("RELEASE \(savepoint)")
            }
        } catch {
            transactionDepth = depth
            rollback(depth: depth, savepoint: savepoint)
            throw error
        }
        transactionDepth = depth
        return result
    }

    private func rollback(depth: Int, savepoint: String) {
        guard let handle else { return }
        if depth == 0 {
            if sqlite3_get_autocommit(handle) == 0 { _ = try? execute("ROLLBACK") }
        } else {
            _ = try? execute("ROLLBACK TO \(savepoint); RELEASE \(savepoint)")
        }
    }
}
