/// An SQLite failure: the extended result code, SQLite's message and the SQL that failed. The SQL
/// is for logs only; HTTP handlers must map errors to their own bodies and never echo it.
public struct DatabaseError: Error, CustomStringConvertible, Sendable {
    /// Extended result code (`sqlite3_extended_errcode`); `code & 0xFF` is the primary code.
    public let code: Int32
    public let message: String
    public let sql: String?

    public init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    // Result codes (sqlite3.h); the extended ones are macros Swift cannot import.
    public static let error: Int32 = 1
    public static let busy: Int32 = 5
    public static let full: Int32 = 13
    public static let constraint: Int32 = 19
    public static let misuse: Int32 = 21
    public static let auth: Int32 = 23
    public static let range: Int32 = 25
    public static let constraintPrimaryKey: Int32 = 19 | (6 << 8)
    public static let constraintUnique: Int32 = 19 | (8 << 8)

    public var primaryCode: Int32 { code & 0xFF }
    public var isConstraint: Bool { primaryCode == DatabaseError.constraint }
    /// A UNIQUE or PRIMARY KEY constraint failed (e.g. a duplicate email or phone).
    public var isUniqueViolation: Bool {
        code == DatabaseError.constraintUnique || code == DatabaseError.constraintPrimaryKey
    }
    public var isBusy: Bool { primaryCode == DatabaseError.busy }
    public var isDiskFull: Bool { primaryCode == DatabaseError.full }
    /// The table-ownership authorizer (or another authorizer) refused the statement.
    public var isAuthDenied: Bool { primaryCode == DatabaseError.auth }
    public var isNoSuchTable: Bool { primaryCode == DatabaseError.error && message.hasPrefix("no such table") }

    public var description: String {
        var text = "SQLite error \(code): \(message)"
        if let sql { text += " [SQL: \(sql)]" }
        return text
    }
}
