/// A `GROUP BY` kept up to date incrementally (issue 16): a small table holding, per group key,
/// sums over the rows of a source table that match a filter, maintained by SQLite triggers on the
/// source table, so every write to the source — whatever statement, whatever code path, a hand
/// edit in the sqlite3 shell included — changes the counts in the same statement, hence in the
/// same transaction. A reader then sums a handful of rows instead of scanning the source.
///
/// Expressions are written over the source row with `{r}` before each column (`{r}status`):
/// the triggers read `NEW.status` / `OLD.status`, the recount plain `status`. Keys must never be
/// NULL (they form the primary key: wrap nullable columns, `coalesce({r}operator_id, '')`);
/// measures are summed (`1` counts rows). A group whose measures fall back to 0 keeps its row.
///
/// Ownership: the aggregate table belongs to the owner of its source (`TableOwner`), and the
/// triggers run on the connection that writes the source, so the table keeps exactly one writer.
/// Caveat: `REPLACE` conflict resolution deletes rows without firing delete triggers (unless
/// `recursive_triggers` is on): writers of a counted table must not use `INSERT OR REPLACE`.
///
/// Inserts can be left to the writer (`insertTrigger: false`): a trigger program runs for every
/// row, and on a CSV import of 165,000 leads that alone cost +80 % of the insert's CPU (measured,
/// docs/BENCHMARKS.md), while the counting itself is cheap. Such a writer calls `countInserted`
/// right after its INSERT statement, in the same transaction (one grouped scan over the new rows),
/// before anything updates them.
///
/// Several aggregates may share one table (`sharesTable`, each with a constant key such as
/// `kind` and a `scope` naming its rows): every commit writes each dirty page of the WAL whole
/// (16 KiB), so counters a change moves together should sit on one page (`CallCounts`).
public struct CountedAggregate: Sendable {
    public struct Column: Sendable {
        public let name: String
        public let expression: String
        public init(_ name: String, _ expression: String) {
            self.name = name
            self.expression = expression
        }
    }

    /// The aggregate table's name.
    public let table: String
    /// The prefix of its triggers (the table's name unless the table is shared).
    public let name: String
    /// Which rows of a shared table are this aggregate's (SQL over its columns), nil = all.
    public let scope: String?
    /// Whether another declaration creates the table (`createSQL` then adds only triggers).
    public let sharesTable: Bool
    /// The counted table.
    public let source: String
    public let keys: [Column]
    public let measures: [Column]
    /// Which source rows count (an expression over `{r}`), nil = all.
    public let filter: String?
    /// Key columns' SQL type, by key name (default INTEGER).
    public let keyTypes: [String: String]
    /// Whether a trigger counts inserted rows; false: the writer calls `countInserted`.
    public let insertTrigger: Bool

    public init(table: String, source: String, keys: [Column], measures: [Column], filter: String? = nil,
                keyTypes: [String: String] = [:], insertTrigger: Bool = true, name: String? = nil,
                scope: String? = nil, sharesTable: Bool = false) {
        self.insertTrigger = insertTrigger
        self.name = name ?? table
        self.scope = scope
        self.sharesTable = sharesTable
        self.table = table
        self.source = source
        self.keys = keys
        self.measures = measures
        self.filter = filter
        self.keyTypes = keyTypes
    }

    /// The source columns the expressions read (the `UPDATE OF` list of the update trigger).
    public var watchedColumns: [String] {
        var seen: [String] = []
        for text in (keys + measures).map(\.expression) + [filter ?? ""] {
            var rest = Substring(text)
            while let range = rest.range(of: "{r}") {
                let name = rest[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                if !seen.contains(String(name)) { seen.append(String(name)) }
                rest = rest[range.upperBound...]
            }
        }
        return seen
    }

    /// `text` with `{r}` replaced by `prefix` (`"NEW."`, `"OLD."` or `""`).
    static func over(_ prefix: String, _ text: String) -> String {
        text.replacingOccurrences(of: "{r}", with: prefix)
    }

    private var keyNames: String { keys.map(\.name).joined(separator: ", ") }
    private var allNames: String { (keys + measures).map(\.name).joined(separator: ", ") }

    /// The table, its three triggers and the first recount: the body of a migration (the source
    /// table must exist). Run inside one transaction, the counts are exact from the start.
    public var createSQL: String {
        let columns = keys.map { "\($0.name) \(keyTypes[$0.name] ?? "INTEGER") NOT NULL" }
            + measures.map { "\($0.name) INTEGER NOT NULL DEFAULT 0" }
        let create = "CREATE TABLE \(table)(\(columns.joined(separator: ", ")), PRIMARY KEY(\(keyNames))) WITHOUT ROWID;\n"
        return (sharesTable ? "" : create) + """
            \(triggersSQL)
            \(recountSQL)
            """
    }

    /// The insert, delete and update triggers.
    public var triggersSQL: String {
        let changed = "(\(rowValue("OLD."))) IS NOT (\(rowValue("NEW.")))"
        let insert = """
            CREATE TRIGGER \(name)_insert AFTER INSERT ON \(source)\(when("NEW.")) BEGIN \
            \(upsert("NEW.", sign: "", guarded: false)); END;
            """
        return (insertTrigger ? insert + "\n" : "") + """
            CREATE TRIGGER \(name)_delete AFTER DELETE ON \(source)\(when("OLD.")) BEGIN \
            \(upsert("OLD.", sign: "-", guarded: false)); END;
            CREATE TRIGGER \(name)_update AFTER UPDATE OF \(watchedColumns.joined(separator: ", ")) ON \(source) \
            WHEN \(changed) BEGIN \(upsert("OLD.", sign: "-", guarded: true)); \(upsert("NEW.", sign: "", guarded: true)); END;
            """
    }

    /// Rebuilds the table from a full scan of the source.
    public var recountSQL: String {
        "DELETE FROM \(table)\(scope.map { " WHERE " + $0 } ?? ""); INSERT INTO \(table)(\(allNames)) \(recountSelect);"
    }

    /// The counts as a full scan computes them (`keys…, measures…`).
    public var recountSelect: String {
        let keyList = keys.map { Self.over("", $0.expression) }
        let columns = keys.map { "\(Self.over("", $0.expression)) AS \($0.name)" }
            + measures.map { "sum(\(Self.over("", $0.expression))) AS \($0.name)" }
        return "SELECT \(columns.joined(separator: ", ")) FROM \(source)"
            + (filter.map { " WHERE " + Self.over("", $0) } ?? "") + " GROUP BY \(keyList.joined(separator: ", "))"
    }

    /// Rows where the table and a recount disagree (groups whose measures are all 0 count as
    /// absent): each side's differing rows, `keys…, measures…`. Empty when the counts are exact.
    public var mismatchSQL: String {
        let nonZero = measures.map { "\($0.name) <> 0" }.joined(separator: " OR ")
        let stored = "SELECT \(allNames) FROM \(table) WHERE (\(nonZero))" + (scope.map { " AND " + $0 } ?? "")
        let recount = "SELECT \(allNames) FROM (\(recountSelect)) WHERE \(nonZero)"
        return "SELECT 'stored' AS side, * FROM (\(stored) EXCEPT \(recount)) "
            + "UNION ALL SELECT 'recount', * FROM (\(recount) EXCEPT \(stored))"
    }

    /// The differing rows as text (`side k… m…`), empty when the counts equal a recount.
    public func mismatches(_ db: Database) throws -> [String] {
        var rows: [String] = []
        try db.forEachRow(mismatchSQL) { row in
            rows.append((0..<(1 + keys.count + measures.count)).map { row.optionalString(at: $0) ?? "NULL" }
                .joined(separator: " "))
        }
        return rows
    }

    private func rowValue(_ prefix: String) -> String {
        ((keys + measures).map { Self.over(prefix, $0.expression) } + [filterValue(prefix)]).joined(separator: ", ")
    }

    private func filterValue(_ prefix: String) -> String {
        filter.map { "(\(Self.over(prefix, $0)))" } ?? "1"
    }

    private func when(_ prefix: String) -> String {
        filter.map { " WHEN " + Self.over(prefix, $0) } ?? ""
    }

    /// Counts source rows just inserted (those matching `condition` over plain column names,
    /// e.g. `rowid > ?` or `id = ?`) when `insertTrigger` is false: call it in the inserting
    /// transaction right after the INSERT, before any update of those rows. The scan is
    /// `NOT INDEXED` so a rowid range stays a range (an index on the keys would scan every row).
    public func countInserted(_ db: Database, where condition: String, _ params: [SQLValue]) throws {
        precondition(!insertTrigger, "\(table) already counts inserts by trigger")
        try db.run(addSQL(where: condition), params)
    }

    func addSQL(where condition: String) -> String {
        let keyList = keys.map { Self.over("", $0.expression) }
        let sums = measures.map { "sum(\(Self.over("", $0.expression)))" }
        let update = measures.map { "\($0.name) = \($0.name) + excluded.\($0.name)" }.joined(separator: ", ")
        return "INSERT INTO \(table)(\(allNames)) SELECT \((keyList + sums).joined(separator: ", ")) FROM \(source) NOT INDEXED "
            + "WHERE (\(condition))" + (filter.map { " AND (\(Self.over("", $0)))" } ?? "")
            + " GROUP BY \(keyList.joined(separator: ", ")) ON CONFLICT(\(keyNames)) DO UPDATE SET \(update)"
    }

    /// Adds (or with `sign` "-", subtracts) the row's measures to its group.
    private func upsert(_ prefix: String, sign: String, guarded: Bool) -> String {
        let values = keys.map { Self.over(prefix, $0.expression) } + measures.map { "\(sign)(\(Self.over(prefix, $0.expression)))" }
        let update = measures.map { "\($0.name) = \($0.name) + excluded.\($0.name)" }.joined(separator: ", ")
        // `WHERE` is required before an upsert's ON CONFLICT when the rows come from a SELECT.
        let rows = guarded ? "SELECT \(values.joined(separator: ", ")) WHERE \(filterValue(prefix))"
            : "VALUES(\(values.joined(separator: ", ")))"
        return "INSERT INTO \(table)(\(allNames)) \(rows) ON CONFLICT(\(keyNames)) DO UPDATE SET \(update)"
    }
}
