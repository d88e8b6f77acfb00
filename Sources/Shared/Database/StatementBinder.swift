import CSQLite

/// Binds a statement's parameters one by one, for bulk inserts that bind hundreds of values per
/// step (a CSV import binds 400): no `[SQLValue]` array is built, and texts are copied into the
/// statement's arena and bound with SQLITE_STATIC like `Statement.bind` does. Made by
/// `Statement.bind(textBytes:_:)`, which sizes the arena once from the caller's bound on the
/// texts' bytes; a text past that bound is an error, never a reallocation (earlier texts are
/// already bound to the arena's address).
public struct StatementBinder {
    let handle: OpaquePointer
    let arena: UnsafeMutableRawPointer
    let capacity: Int
    let sql: String
    private(set) var offset = 0
    private(set) var index: Int32 = 0

    init(handle: OpaquePointer, arena: UnsafeMutableRawPointer, capacity: Int, sql: String) {
        self.handle = handle
        self.arena = arena
        self.capacity = capacity
        self.sql = sql
    }

    /// The bytes `text` takes in the arena (its UTF-8 and a terminating zero).
    @inline(__always)
    public static func arenaBytes(_ text: String) -> Int { text.utf8.count + 1 }

    /// Binds the next parameter to `text`.
    public mutating func text(_ text: String) throws {
        index += 1
        var text = text
        let start = arena + offset
        let room = capacity - offset
        let length = text.withUTF8 { utf8 -> Int in
            guard utf8.count < room else { return -1 }
            if let base = utf8.baseAddress { start.copyMemory(from: base, byteCount: utf8.count) }
            return utf8.count
        }
        guard length >= 0 else {
            throw DatabaseError(code: DatabaseError.range, message: "texts exceed the \(capacity) bytes announced", sql: sql)
        }
        offset += length + 1
        try check(sqlite3_bind_text64(handle, index, start.assumingMemoryBound(to: CChar.self), UInt64(length), nil,
                                      UInt8(SQLITE_UTF8)))
    }

    /// Binds the next parameter to `value`.
    public mutating func int(_ value: Int64) throws {
        index += 1
        try check(sqlite3_bind_int64(handle, index, value))
    }

    /// Binds the next parameter to NULL.
    public mutating func null() throws {
        index += 1
        try check(sqlite3_bind_null(handle, index))
    }

    private func check(_ rc: Int32) throws {
        guard rc == SQLITE_OK else {
            throw DatabaseError(code: rc, message: String(cString: sqlite3_errstr(rc)), sql: sql)
        }
    }
}
