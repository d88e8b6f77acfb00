import CSQLite
import Glibc

/// A prepared SQLite statement. Text and blob parameters are copied into an arena owned by the
/// statement and bound with SQLITE_STATIC (the arena outlives every step until the next `bind`),
/// which avoids SQLite's per-parameter malloc. Statements from `Database.prepare` are cached and
/// shared: bind before stepping, and finish (step to the end or `reset()`) before preparing the
/// same SQL again.
public final class Statement {
    public let sql: String
    private(set) var handle: OpaquePointer?
    private weak var database: Database?
    private var arena: UnsafeMutableRawPointer
    private var arenaCapacity: Int
    private var cachedColumns: RowColumns?
    /// True while a row is pending (stepped, not yet done or reset).
    public private(set) var isBusy = false
    /// Cache bookkeeping: the use tick of the last `prepare` that returned this statement.
    var lastUsed: UInt64 = 0

    init(database: Database, handle: OpaquePointer, sql: String) {
        self.database = database
        self.handle = handle
        self.sql = sql
        arenaCapacity = 256
        arena = UnsafeMutableRawPointer.allocate(byteCount: arenaCapacity, alignment: 8)
    }

    deinit {
        if let handle { sqlite3_finalize(handle) }
        arena.deallocate()
    }

    public var parameterCount: Int { handle.map { Int(sqlite3_bind_parameter_count($0)) } ?? 0 }

    /// Column names of the result (shared by all rows).
    public var columns: RowColumns {
        let count = handle.map { Int(sqlite3_column_count($0)) } ?? 0
        if let cachedColumns, cachedColumns.names.count == count { return cachedColumns }
        var names: [String] = []
        names.reserveCapacity(count)
        for i in 0..<count {
            names.append(sqlite3_column_name(handle, Int32(i)).map { String(cString: $0) } ?? "")
        }
        let columns = RowColumns(names: names)
        cachedColumns = columns
        return columns
    }

    private func failure(_ code: Int32) -> DatabaseError {
        if let database { return database.makeError(code, sql: sql) }
        return DatabaseError(code: code, message: "database is closed", sql: sql)
    }

    private func openHandle() throws -> OpaquePointer {
        guard let handle, database?.isOpen == true else {
            throw DatabaseError(code: DatabaseError.misuse, message: "database is closed", sql: sql)
        }
        return handle
    }

    /// Resets and binds `params` to `?` placeholders in order; the count must match exactly.
    public func bind(_ params: [SQLValue]) throws {
        let handle = try openHandle()
        reset()
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard params.count == expected else {
            throw DatabaseError(code: DatabaseError.range,
                                message: "expected \(expected) parameters, got \(params.count)", sql: sql)
        }
        var needed = 0
        for p in params {
            switch p {
            case .text(let s): needed += s.utf8.count + 1
            case .blob(let b): needed += b.count + 1
            default: break
            }
        }
        if needed > arenaCapacity {
            arena.deallocate()
            arenaCapacity = max(needed, arenaCapacity * 2)
            arena = UnsafeMutableRawPointer.allocate(byteCount: arenaCapacity, alignment: 8)
        }
        var offset = 0
        for (i, p) in params.enumerated() {
            let index = Int32(i + 1)
            let rc: Int32
            switch p {
            case .null: rc = sqlite3_bind_null(handle, index)
            case .int(let v): rc = sqlite3_bind_int64(handle, index, v)
            case .double(let v): rc = sqlite3_bind_double(handle, index, v)
            case .text(let s):
                var s = s
                let start = arena + offset
                let length = s.withUTF8 { utf8 -> Int in
                    if let base = utf8.baseAddress { start.copyMemory(from: base, byteCount: utf8.count) }
                    return utf8.count
                }
                offset += length + 1
                rc = sqlite3_bind_text64(handle, index, start.assumingMemoryBound(to: CChar.self), UInt64(length), nil,
                                        UInt8(SQLITE_UTF8))
            case .blob(let b):
                let start = arena + offset
                b.withUnsafeBytes { raw in
                    if let base = raw.baseAddress { start.copyMemory(from: base, byteCount: raw.count) }
                }
                offset += b.count + 1
                rc = sqlite3_bind_blob64(handle, index, start, UInt64(b.count), nil)
            }
            if rc != SQLITE_OK { throw failure(rc) }
        }
    }

    /// Resets, then lets `body` bind every parameter in order through a `StatementBinder`, whose
    /// texts take at most `textBytes` bytes of the arena (`StatementBinder.arenaBytes` each); the
    /// count must match exactly.
    public func bind(textBytes: Int, _ body: (inout StatementBinder) throws -> Void) throws {
        let handle = try openHandle()
        reset()
        if textBytes > arenaCapacity {
            arena.deallocate()
            arenaCapacity = max(textBytes, arenaCapacity * 2)
            arena = UnsafeMutableRawPointer.allocate(byteCount: arenaCapacity, alignment: 8)
        }
        var binder = StatementBinder(handle: handle, arena: arena, capacity: arenaCapacity, sql: sql)
        try body(&binder)
        let expected = sqlite3_bind_parameter_count(handle)
        guard binder.index == expected else {
            throw DatabaseError(code: DatabaseError.range, message: "expected \(expected) parameters, got \(binder.index)", sql: sql)
        }
    }

    /// Advances to the next row: true when a row is available, false when done.
    public func step() throws -> Bool {
        let handle = try openHandle()
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW {
            isBusy = true
            return true
        }
        isBusy = false
        if rc == SQLITE_DONE { return false }
        let error = failure(rc)
        sqlite3_reset(handle)
        throw error
    }

    /// Makes the statement ready to run again (bindings are kept).
    public func reset() {
        isBusy = false
        if let handle { sqlite3_reset(handle) }
    }

    /// The current row (valid after `step()` returned true).
    public func row() -> Row {
        row(columns: columns)
    }

    func row(columns: RowColumns) -> Row {
        guard let handle else { return Row(columns: columns, values: []) }
        let count = Int(sqlite3_column_count(handle))
        var values: [SQLValue] = []
        values.reserveCapacity(count)
        for i in 0..<Int32(count) {
            switch sqlite3_column_type(handle, i) {
            case SQLITE_INTEGER:
                values.append(.int(sqlite3_column_int64(handle, i)))
            case SQLITE_FLOAT:
                values.append(.double(sqlite3_column_double(handle, i)))
            case SQLITE_TEXT:
                let bytes = sqlite3_column_text(handle, i)
                let length = Int(sqlite3_column_bytes(handle, i))
                values.append(.text(bytes.map {
                    String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
                } ?? ""))
            case SQLITE_BLOB:
                let length = Int(sqlite3_column_bytes(handle, i))
                if let bytes = sqlite3_column_blob(handle, i), length > 0 {
                    values.append(.blob(Array(UnsafeRawBufferPointer(start: bytes, count: length))))
                } else {
                    values.append(.blob([]))
                }
            default:
                values.append(.null)
            }
        }
        return Row(columns: columns, values: values)
    }

    /// Binds `params` and calls `body` for each row without collecting them; always resets.
    public func forEachRow(_ params: [SQLValue], _ body: (Row) throws -> Void) throws {
        try bind(params)
        defer { reset() }
        let columns = self.columns
        while try step() {
            try body(row(columns: columns))
        }
    }

    /// Binds, runs to completion and returns every row.
    public func all(_ params: [SQLValue]) throws -> [Row] {
        var rows: [Row] = []
        try forEachRow(params) { rows.append($0) }
        return rows
    }
}
