/// The shared database schema (RULES.md) as ordered migrations per owner. Each daemon runs only
/// its own at start-up: every pending migration runs in its own transaction and is recorded in
/// `<owner>_migrations`, so re-running is a no-op and two instances starting together apply each
/// version once.
public enum Schema {
    public struct Migration: Sendable {
        public let version: Int64
        public let sql: String
    }

    public static func migrations(for owner: TableOwner) -> [Migration] {
        switch owner {
        case .gateway: return gatewayMigrations
        case .queue: return queueMigrations
        case .dialer: return dialerMigrations
        }
    }

    /// How long a migration waits for the write lock (milliseconds): another daemon's migration
    /// may hold it for a while (issue 16's counters recount every lead or call once), and the
    /// daemons start together.
    public static let migrationBusyTimeoutMillis: Int64 = 600_000

    /// Applies `owner`'s pending migrations; `now` (epoch millis) is recorded as `applied_at`.
    public static func migrate(_ db: Database, owner: TableOwner, now: Int64) throws {
        let usual = db.busyTimeoutMillis
        db.setBusyTimeout(millis: Int32(migrationBusyTimeoutMillis))
        defer { db.setBusyTimeout(millis: usual) }
        let table = owner.migrationsTable
        try db.execute("""
            CREATE TABLE IF NOT EXISTS \(table)(version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)
            """)
        let applied = try appliedVersions(db, owner: owner)
        for migration in migrations(for: owner) where !applied.contains(migration.version) {
            // A migration that rebuilds counters over millions of rows may outlast systemd's start
            // timeout (90 s by default): ask for the time it may wait plus as much to run.
            SystemdNotify.extendTimeout(seconds: 2 * migrationBusyTimeoutMillis / 1000)
            try db.transaction {
                // Re-check inside the write lock: another instance may have just applied it.
                let done = try db.queryOne("SELECT 1 FROM \(table) WHERE version = ?", [.int(migration.version)])
                guard done == nil else { return }
                try db.execute(migration.sql)
                try db.run("INSERT INTO \(table)(version, applied_at) VALUES(?, ?)",
                           [.int(migration.version), .int(now)])
            }
        }
    }

    /// Versions already recorded for `owner` (empty before the first migration).
    public static func appliedVersions(_ db: Database, owner: TableOwner) throws -> Set<Int64> {
        var versions = Set<Int64>()
        do {
            try db.forEachRow("SELECT version FROM \(owner.migrationsTable)") { versions.insert($0.int(at: 0)) }
        } catch let error as DatabaseError where error.isNoSuchTable {
            return []
        }
        return versions
    }

    static let gatewayMigrations: [Migration] = [
        Migration(version: 1, sql: """
            CREATE TABLE users(
                id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL UNIQUE, phone TEXT NOT NULL,
                password_hash TEXT NOT NULL, role TEXT NOT NULL, is_active INTEGER NOT NULL DEFAULT 1,
                is_available INTEGER NOT NULL DEFAULT 1, last_login INTEGER, created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL);
            CREATE TABLE revoked_tokens(jti TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
            CREATE TABLE audit_log(
                id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, actor_id TEXT, action TEXT NOT NULL,
                target TEXT, detail TEXT);
            """),
        // Issue 10: a token replaced by a refresh is revoked from `effective_at` (a grace period, so
        // a panel open in two tabs is not logged out by the other's refresh; 0 = at once), and the
        // first answer to a request with an `Idempotency-Key` is kept for 24 h so a retry after a
        // lost answer gets it again instead of running twice.
        Migration(version: 2, sql: """
            ALTER TABLE revoked_tokens ADD COLUMN effective_at INTEGER NOT NULL DEFAULT 0;
            CREATE TABLE idempotency_keys(
                user_id TEXT NOT NULL, key TEXT NOT NULL, route TEXT NOT NULL, status INTEGER NOT NULL,
                body BLOB NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY(user_id, key));
            CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
            """),
    ]

    static let queueMigrations: [Migration] = [
        Migration(version: 1, sql: """
            CREATE TABLE leads(
                id TEXT PRIMARY KEY, phone TEXT NOT NULL UNIQUE, name TEXT NOT NULL DEFAULT '',
                email TEXT NOT NULL DEFAULT '', status TEXT NOT NULL DEFAULT 'pending',
                priority TEXT NOT NULL DEFAULT 'medium', priority_rank INTEGER NOT NULL DEFAULT 2,
                call_attempts INTEGER NOT NULL DEFAULT 0, last_call_attempt INTEGER, next_call_time INTEGER,
                assigned_to TEXT, claimed_at INTEGER, notes TEXT NOT NULL DEFAULT '',
                tags TEXT NOT NULL DEFAULT '[]', source TEXT NOT NULL DEFAULT 'manual',
                is_active INTEGER NOT NULL DEFAULT 1, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
            CREATE INDEX leads_status_active_rank_created ON leads(status, is_active, priority_rank, created_at);
            CREATE INDEX leads_assigned_status ON leads(assigned_to, status);
            CREATE INDEX leads_created ON leads(created_at);
            CREATE INDEX leads_priority ON leads(priority);
            CREATE TABLE lead_events(
                id INTEGER PRIMARY KEY AUTOINCREMENT, lead_id TEXT NOT NULL, at INTEGER NOT NULL,
                actor TEXT NOT NULL, from_status TEXT, to_status TEXT NOT NULL, reason TEXT NOT NULL);
            CREATE INDEX lead_events_lead_at ON lead_events(lead_id, at);
            CREATE TABLE queue_settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);
            """),
        // Bulk-import cost: every lead index is another b-tree per row. No query reads
        // leads(priority) (they use priority_rank through the status index), and only assigned
        // leads are ever looked up by assignee, so that index is partial: an imported (unassigned)
        // lead costs it nothing. Measured on 165,000 rows: the insert 1.17 s → 0.90 s.
        Migration(version: 2, sql: """
            DROP INDEX leads_priority;
            DROP INDEX leads_assigned_status;
            CREATE INDEX leads_assigned_status ON leads(assigned_to, status) WHERE assigned_to IS NOT NULL;
            """),
        // Issue 12: the lead's time zones (IANA names joined by ',', NULL when unknown) and where they
        // came from ('explicit', 'number', 'country', 'unknown'; NULL = not resolved yet: the
        // queue-daemon resolves those at start-up).
        Migration(version: 3, sql: """
            ALTER TABLE leads ADD COLUMN timezone TEXT;
            ALTER TABLE leads ADD COLUMN timezone_source TEXT;
            CREATE INDEX leads_unknown_timezone ON leads(status) WHERE timezone_source = 'unknown';
            """),
        // Issue 12: the do-not-call list (E.164 numbers; source 'manual', 'import' or 'disposition';
        // added_by the user id), the flag on leads whose number is on it (never dialed), and why a
        // pending lead's next_call_time was pushed by the dialing rules ('daily_cap').
        Migration(version: 4, sql: """
            CREATE TABLE dnc(
                phone TEXT PRIMARY KEY, reason TEXT NOT NULL DEFAULT '', source TEXT NOT NULL, added_by TEXT,
                created_at INTEGER NOT NULL) WITHOUT ROWID;
            CREATE INDEX dnc_created ON dnc(created_at);
            ALTER TABLE leads ADD COLUMN do_not_call INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE leads ADD COLUMN hold_reason TEXT;
            ALTER TABLE leads ADD COLUMN disposition TEXT;
            ALTER TABLE leads ADD COLUMN callback_operator TEXT;
            ALTER TABLE leads ADD COLUMN callback_at INTEGER;
            CREATE INDEX leads_callback_operator ON leads(callback_operator, callback_at) WHERE callback_operator IS NOT NULL;
            CREATE INDEX leads_do_not_call ON leads(status) WHERE do_not_call = 1;
            """),
        // Issue 14: the queue's view of each operator (available, on_call, wrap_up, unavailable),
        // written when it changes so the gateway's users list and dashboards can read it.
        // Version 14 (not the next number) keeps it apart from other branches' migrations.
        Migration(version: 14, sql: """
            CREATE TABLE operator_states(
                user_id TEXT PRIMARY KEY, state TEXT NOT NULL, call_id TEXT, since INTEGER NOT NULL,
                wrap_up_until INTEGER) WITHOUT ROWID;
            """),
        // Issue 16: active leads per status, priority and zone knowledge kept by triggers
        // (`LeadCounts`), counted once here from the existing rows, in the migration's transaction;
        // and the operator dashboard's assigned leads read in order (an operator with 10,000
        // assigned leads took 20-40 ms to sort them: now ~1 ms; partial, so imports never pay).
        Migration(version: 16, sql: """
            CREATE INDEX leads_assigned_rank ON leads(assigned_to, is_active, priority_rank, created_at)
                WHERE assigned_to IS NOT NULL;
            """ + LeadCounts.all.map(\.createSQL).joined(separator: "\n")),
    ]

    static let dialerMigrations: [Migration] = [
        Migration(version: 1, sql: """
            CREATE TABLE calls(
                id TEXT PRIMARY KEY, lead_id TEXT NOT NULL, operator_id TEXT, twilio_call_sid TEXT UNIQUE,
                direction TEXT NOT NULL DEFAULT 'outbound', mode TEXT NOT NULL, status TEXT NOT NULL,
                from_number TEXT NOT NULL, to_number TEXT NOT NULL, duration INTEGER NOT NULL DEFAULT 0,
                start_time INTEGER NOT NULL, answer_time INTEGER, end_time INTEGER, transfer_time INTEGER,
                notes TEXT, error_code TEXT, error_message TEXT, end_reason TEXT, created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL);
            CREATE INDEX calls_lead_created ON calls(lead_id, created_at);
            CREATE INDEX calls_operator_created ON calls(operator_id, created_at);
            CREATE INDEX calls_status_created ON calls(status, created_at);
            CREATE INDEX calls_created ON calls(created_at);
            """),
        // Covering indexes for the dashboards and reports: per-operator and date-range aggregates
        // read only the index (measured: report over 2M calls 1.2 s → 0.3 s, first dashboard 3.4 s → 0.6 s).
        Migration(version: 2, sql: """
            DROP INDEX calls_operator_created;
            DROP INDEX calls_created;
            CREATE INDEX calls_operator_created ON calls(operator_id, created_at, status, duration, answer_time);
            CREATE INDEX calls_created ON calls(created_at, status, duration, answer_time);
            """),
        // Issue 12: what the call achieved as the operator recorded it, when, and a booked call-back.
        // Partial index: reports count dispositions per operator and day without reading other calls.
        Migration(version: 3, sql: """
            ALTER TABLE calls ADD COLUMN disposition TEXT;
            ALTER TABLE calls ADD COLUMN disposition_at INTEGER;
            ALTER TABLE calls ADD COLUMN callback_at INTEGER;
            CREATE INDEX calls_disposition ON calls(created_at, operator_id, disposition) WHERE disposition IS NOT NULL;
            """),
        // Issue 16: call figures per operator, per day, answers per day and dispositions per day kept
        // by triggers (`CallCounts`), counted once here from the existing rows.
        Migration(version: 16, sql: CallCounts.migrationSQL),
    ]
}
