import Shared

/// `PRAGMA data_version` of the gateway's read connection, asked only when something may have
/// been committed: a `WALChangeProbe` look says whether the WAL index moved since the last pragma
/// (no system call), else the last value is still the answer. The lead read caches key their
/// entries by it (`LeadListQuery`, `LeadAvailableQuery`). Loop thread only.
final class LeadDataVersion {
    private let db: Database
    /// Mapped after the first pragma, when this connection surely holds the WAL index open (so
    /// no other process may truncate it under the mapping). Nil before, or without WAL.
    private var probe: WALChangeProbe?
    private var triedProbe = false
    private var last: Int64?

    init(db: Database) {
        self.db = db
    }

    /// The current data version (the probe is looked at before the pragma runs, so a commit
    /// racing with the pragma shows at the next call).
    var current: Int64 {
        get throws {
            if let probe, probe.unchangedSinceLastLook(), let last { return last }
            var version = try db.dataVersion
            if !triedProbe {
                triedProbe = true
                let mapped = WALChangeProbe(databasePath: db.path)
                if mapped.isActive {
                    _ = mapped.unchangedSinceLastLook()  // the header first, then the pragma again
                    probe = mapped
                    version = try db.dataVersion
                }
            }
            last = version
            return version
        }
    }
}
