import Foundation
import Shared

/// The gateway's connection for heavy reads (dashboards, reports, call summaries), used from
/// worker threads so a scan over millions of calls never blocks the event loop (DESIGN §4).
/// One read-only connection, opened on first use, used by one job at a time (a lock), plus the
/// cached `DashboardSnapshot`:
/// - the snapshot is reused while `PRAGMA data_version` of this connection is unchanged (no
///   connection — gateway, queue-daemon or dialer-daemon — committed anything since);
/// - a request that arrived while the snapshot was being computed takes that result even if
///   something was committed meanwhile (single flight: a burst of dashboard requests costs one
///   computation, and no answer is older than its request).
/// `computations` counts snapshot computations (tests check the cache with it). The figures
/// inside come from the owners' counters (issue 16), so a recomputation costs a few dozen rows.
/// `@unchecked Sendable`: every mutable property (the connection included) is used under `lock` only.
public final class DashboardReader: @unchecked Sendable {
    public let path: String
    private let lock = NSLock()
    private var db: Database?
    private var snapshot: DashboardSnapshot?
    private var snapshotVersion: Int64 = 0
    private var computed = 0

    public init(path: String) {
        self.path = path
    }

    deinit { db?.close() }

    /// Snapshot computations so far.
    public var computations: Int {
        lock.lock()
        defer { lock.unlock() }
        return computed
    }

    /// Runs `body` on the reader connection (blocking until the connection is free).
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(try connection())
    }

    /// Runs `body` with the connection and a snapshot valid for a request that arrived at
    /// `arrivedAt` (monotonic µs, `MonotonicClock.micros()` when the handler started).
    public func withSnapshot<T>(arrivedAt: UInt64, _ body: (Database, DashboardSnapshot) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        let db = try connection()
        let version = try db.dataVersion
        if let snapshot, snapshot.takenAtMicros >= arrivedAt || version == snapshotVersion {
            return try body(db, snapshot)
        }
        let fresh = try DashboardSnapshot.compute(db)
        snapshot = fresh
        snapshotVersion = version
        computed += 1
        return try body(db, fresh)
    }

    /// Drops the cached snapshot (tests; never needed for correctness).
    public func invalidate() {
        lock.lock()
        snapshot = nil
        lock.unlock()
    }

    private func connection() throws -> Database {
        if let db, db.isOpen { return db }
        let opened = try Database(path: path, owner: nil, readOnly: true)
        db = opened
        return opened
    }
}
