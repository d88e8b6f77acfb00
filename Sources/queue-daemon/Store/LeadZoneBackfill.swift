/// Start-up step (issue 12): leads stored before time zones existed (or by an older import path)
/// have `timezone_source` NULL; each gets its zones resolved from its phone and written, in one
/// transaction, before dispatch loads the queue. A lead whose number maps to nothing is stored as
/// `unknown`, so this runs once per lead.

import Shared

enum LeadZoneBackfill {
    /// Rows read and updated per round (bounded memory on a large table).
    static let batchSize = 5_000

    /// Resolves and writes every unresolved lead; returns how many were written.
    @discardableResult
    static func run(db: Database, resolver: TimeZoneResolver) throws -> Int {
        var total = 0
        while true {
            var rows: [(String, String)] = []
            try db.forEachRow("SELECT id, phone FROM leads WHERE timezone_source IS NULL LIMIT \(batchSize)") {
                rows.append(($0.string(at: 0), $0.string(at: 1)))
            }
            if rows.isEmpty { return total }
            try db.transaction {
                for (id, phone) in rows {
                    let zone = resolver.resolve(phone: phone)
                    try db.run("UPDATE leads SET timezone = ?, timezone_source = ? WHERE id = ?",
                               [SQLValue(zone.column), .text(zone.source.rawValue), .text(id)])
                }
            }
            total += rows.count
        }
    }
}
