/// The three writers of the shared database and the tables each one owns (RULES.md, DESIGN §3).
/// Every other process may read these tables but never write them.
public enum TableOwner: String, CaseIterable, Sendable {
    case gateway
    case queue
    case dialer

    /// Tables this owner creates and writes, including its `<owner>_migrations` table.
    public var ownedTables: [String] {
        switch self {
        case .gateway: return ["users", "revoked_tokens", "audit_log", "idempotency_keys", migrationsTable]
        case .queue: return ["leads", "lead_events", "queue_settings", "dnc", "operator_states", migrationsTable]
                + LeadCounts.all.map(\.table)
        case .dialer: return ["calls", migrationsTable] + [CallCounts.table]
        }
    }

    /// `<owner>_migrations(version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)`.
    public var migrationsTable: String { "\(rawValue)_migrations" }

    /// Whether `table` (case-insensitive, as SQL identifiers are) belongs to this owner.
    public func owns(_ table: String) -> Bool {
        let name = table.lowercased()
        return ownedTables.contains(name)
    }

    /// The owner of `table`, nil for tables nobody owns.
    public static func owner(of table: String) -> TableOwner? {
        allCases.first { $0.owns(table) }
    }
}
