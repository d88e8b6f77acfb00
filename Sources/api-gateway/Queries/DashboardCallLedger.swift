import Shared

/// Per-operator call figures kept up to date without rescanning millions of calls on every
/// commit. It rests on three facts of the `calls` table (dialer-daemon's CallStore and call
/// state machine): rows are never deleted; a new row gets a higher rowid than every row before
/// it; and once a call has a final status, its operator, status, duration and answer time never
/// change again (only notes do). So the figures of the ended calls up to a rowid `boundary`
/// are summed once (`closed`), and each refresh adds, by SQL aggregates:
/// - the rows after `boundary` (a rowid range on the table b-tree: only the newest calls), and
/// - the rows up to `boundary` that were still live when they were summed (`pending` rowids).
/// When more than `foldThreshold` rows lie past the boundary, they are folded into `closed`.
/// A full rebuild happens on first use, every `rebuildInterval` (repairing a hand edit of the
/// table) and whenever the table shrank. Refreshes must run inside one read transaction.
public struct DashboardCallLedger {
    static let finalStatuses = "(" + CallStatus.allCases.filter(\.isTerminal).map { "'\($0.rawValue)'" }
        .joined(separator: ", ") + ")"
    static let liveStatuses = "(" + CallStatus.allCases.filter { !$0.isTerminal }.map { "'\($0.rawValue)'" }
        .joined(separator: ", ") + ")"
    public static let defaultFoldThreshold: Int64 = 20_000
    public static let defaultRebuildInterval: UInt64 = 6 * 3_600 * 1_000_000

    public let foldThreshold: Int64
    /// Microseconds between full rebuilds.
    public let rebuildInterval: UInt64
    /// Figures of the ended calls with rowid ≤ `boundary` (by operator id, "" for none).
    private(set) var closed: [String: CallFigures] = [:]
    private(set) var boundary: Int64 = 0
    /// Rowids ≤ `boundary` that were live when summed (not in `closed`).
    private(set) var pending: [Int64] = []
    private var builtAtMicros: UInt64?
    /// Full rebuilds and folds so far (tests).
    public private(set) var rebuilds = 0
    public private(set) var folds = 0

    public init(foldThreshold: Int64 = defaultFoldThreshold, rebuildInterval: UInt64 = defaultRebuildInterval) {
        self.foldThreshold = foldThreshold
        self.rebuildInterval = rebuildInterval
    }

    /// The figures of every call per operator id, as of the caller's read transaction.
    public mutating func figures(_ db: Database, nowMicros: UInt64 = MonotonicClock.micros()) throws -> [String: CallFigures] {
        let top = try db.queryOne("SELECT coalesce(max(rowid), 0) FROM calls")?.int(at: 0) ?? 0
        if builtAtMicros.map({ nowMicros &- $0 > rebuildInterval }) ?? true || top < boundary {
            try rebuild(db, top: top, nowMicros: nowMicros)
        } else if top - boundary > foldThreshold {
            try fold(db, top: top)
        }
        var result = closed
        if top > boundary {
            Self.merge(&result, try Self.grouped(db, "c.rowid > ?", [.int(boundary)]))
        }
        if !pending.isEmpty {
            Self.merge(&result, try Self.grouped(db, "c.rowid IN (SELECT value FROM json_each(?))", [pendingList]))
        }
        return result
    }

    private var pendingList: SQLValue { .text("[" + pending.map(String.init).joined(separator: ",") + "]") }

    private mutating func rebuild(_ db: Database, top: Int64, nowMicros: UInt64) throws {
        // `+` keeps the rowid bound from steering the plan: this is the one full scan, in the
        // order of the operator index.
        let sums = try Self.grouped(db, "+c.rowid <= ? AND +c.status IN \(Self.finalStatuses)", [.int(top)], scan: true)
        let live = try Self.rowids(db, "status IN \(Self.liveStatuses) AND rowid <= ?", [.int(top)])
        closed = sums
        boundary = top
        pending = live
        builtAtMicros = nowMicros
        rebuilds += 1
    }

    private mutating func fold(_ db: Database, top: Int64) throws {
        var sums = closed
        Self.merge(&sums, try Self.grouped(db, "c.rowid > ? AND c.rowid <= ? AND c.status IN \(Self.finalStatuses)",
                                           [.int(boundary), .int(top)]))
        var live: [Int64] = []
        if !pending.isEmpty {
            Self.merge(&sums, try Self.grouped(db, "c.rowid IN (SELECT value FROM json_each(?)) AND c.status IN "
                                                + Self.finalStatuses, [pendingList]))
            live = try Self.rowids(db, "rowid IN (SELECT value FROM json_each(?)) AND status IN \(Self.liveStatuses)",
                                   [pendingList])
        }
        live += try Self.rowids(db, "rowid > ? AND rowid <= ? AND status IN \(Self.liveStatuses)",
                                [.int(boundary), .int(top)])
        closed = sums
        boundary = top
        pending = live
        folds += 1
    }

    /// `CallFigures` per operator of the calls matching `condition`. `NOT INDEXED` (unless
    /// `scan`) makes SQLite use the rowid ranges and lists on the table itself.
    static func grouped(_ db: Database, _ condition: String, _ params: [SQLValue],
                        scan: Bool = false) throws -> [String: CallFigures] {
        var result: [String: CallFigures] = [:]
        try db.forEachRow("SELECT c.operator_id AS operator_id, \(CallFigures.selectList) FROM calls c"
                          + (scan ? "" : " NOT INDEXED") + " WHERE \(condition) GROUP BY c.operator_id", params) { row in
            result[row.optionalString("operator_id") ?? "", default: .zero].add(CallFigures(row: row))
        }
        return result
    }

    static func rowids(_ db: Database, _ condition: String, _ params: [SQLValue]) throws -> [Int64] {
        var ids: [Int64] = []
        try db.forEachRow("SELECT rowid FROM calls WHERE \(condition)", params) { ids.append($0.int(at: 0)) }
        return ids
    }

    static func merge(_ target: inout [String: CallFigures], _ other: [String: CallFigures]) {
        for (key, figures) in other { target[key, default: .zero].add(figures) }
    }
}
