import CSQLite

/// Enforces table ownership on a connection with `sqlite3_set_authorizer`: INSERT, UPDATE,
/// DELETE, CREATE/DROP TABLE, CREATE/DROP INDEX, triggers and ALTER on a table the owner does not
/// own are denied at prepare time. Reads, pragmas, transactions, `sqlite_*` internals and temp
/// objects are allowed. A denial surfaces as a `DatabaseError` with `isAuthDenied` whose message
/// names the table (the callback records it here; `Database` picks it up).
public final class TableOwnership {
    public let owner: TableOwner
    private var lastDenial: String?

    init(owner: TableOwner) { self.owner = owner }

    /// Installs the authorizer on `db`; the database retains this object for the callback.
    public static func install(on db: Database, owner: TableOwner) {
        let ownership = TableOwnership(owner: owner)
        db.ownership = ownership
        guard let handle = db.rawHandle else { return }
        let context = Unmanaged.passUnretained(ownership).toOpaque()
        sqlite3_set_authorizer(handle, { context, action, arg1, arg2, database, _ in
            guard let context else { return SQLITE_OK }
            let ownership = Unmanaged<TableOwnership>.fromOpaque(context).takeUnretainedValue()
            return ownership.authorize(action: action, arg1: arg1, arg2: arg2, database: database)
        }, context)
    }

    /// The message for the most recent denial, cleared once read.
    func takeLastDenial() -> String? {
        defer { lastDenial = nil }
        return lastDenial
    }

    private func authorize(action: Int32, arg1: UnsafePointer<CChar>?, arg2: UnsafePointer<CChar>?,
                           database: UnsafePointer<CChar>?) -> Int32 {
        let table: UnsafePointer<CChar>?
        let verb: String
        switch action {
        case SQLITE_INSERT: table = arg1; verb = "INSERT into"
        case SQLITE_UPDATE: table = arg1; verb = "UPDATE"
        case SQLITE_DELETE: table = arg1; verb = "DELETE from"
        case SQLITE_CREATE_TABLE: table = arg1; verb = "CREATE TABLE"
        case SQLITE_DROP_TABLE: table = arg1; verb = "DROP TABLE"
        case SQLITE_CREATE_INDEX: table = arg2; verb = "CREATE INDEX on"
        case SQLITE_DROP_INDEX: table = arg2; verb = "DROP INDEX on"
        case SQLITE_CREATE_TRIGGER: table = arg2; verb = "CREATE TRIGGER on"
        case SQLITE_DROP_TRIGGER: table = arg2; verb = "DROP TRIGGER on"
        case SQLITE_ALTER_TABLE: table = arg2; verb = "ALTER TABLE"
        case SQLITE_CREATE_VTABLE: table = arg1; verb = "CREATE VIRTUAL TABLE"
        case SQLITE_DROP_VTABLE: table = arg1; verb = "DROP VIRTUAL TABLE"
        default: return SQLITE_OK // reads, temp objects, pragmas, transactions, functions
        }
        if let database, strcmpASCII(database, "temp") { return SQLITE_OK }
        guard let table else { return SQLITE_OK }
        let name = String(cString: table)
        if name.lowercased().hasPrefix("sqlite_") || owner.owns(name) { return SQLITE_OK }
        let holder = TableOwner.owner(of: name).map { "owned by \($0.rawValue)" } ?? "not owned by any process"
        lastDenial = "\(owner.rawValue) may not \(verb) table '\(name)' (\(holder))"
        return SQLITE_DENY
    }

    private func strcmpASCII(_ c: UnsafePointer<CChar>, _ literal: StaticString) -> Bool {
        let bytes = literal.utf8Start
        for i in 0..<literal.utf8CodeUnitCount where UInt8(bitPattern: c[i]) != bytes[i] { return false }
        return c[literal.utf8CodeUnitCount] == 0
    }
}
