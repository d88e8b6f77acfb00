import Foundation
import Shared

/// How a call's `lead` and `salesperson` references are expanded ("populated", as the earlier
/// version's panels expect) when calls are listed: which lead and user fields replace the ids.
/// `selectList` joins `leads` and `users` once per row (primary-key lookups), and `render` turns
/// such a row into `CallJSON` with the references expanded. A reference whose row is missing
/// renders as null (a lead is never deleted, so that only happens for a dangling id).
public struct CallPopulation: Equatable, Sendable {
    /// Lead fields besides `_id`/`id`, from `phone, name, email, priority`.
    public var leadFields: [String]
    /// User fields besides `_id`/`id`, from `name, email, phone`; nil keeps the operator id.
    public var userFields: [String]?

    public init(leadFields: [String], userFields: [String]?) {
        self.leadFields = leadFields
        self.userFields = userFields
    }

    /// `GET /api/calls`: lead `{_id,id,phone,name}`, salesperson `{_id,id,name,email}`.
    public static let list = CallPopulation(leadFields: ["phone", "name"], userFields: ["name", "email"])
    /// `GET /api/calls/:id`: lead with email and priority, salesperson with phone.
    public static let detail = CallPopulation(leadFields: ["phone", "name", "email", "priority"],
                                              userFields: ["name", "email", "phone"])
    /// Operator history and recent calls: lead `{_id,id,phone,name,priority}`, salesperson id.
    public static let history = CallPopulation(leadFields: ["phone", "name", "priority"], userFields: nil)
    /// Dashboards' recent activity: lead `{_id,id,phone,name}`, salesperson `{_id,id,name}`.
    public static let activity = CallPopulation(leadFields: ["phone", "name"], userFields: ["name"])

    /// `SELECT` list and `FROM` clause over `calls c` with the lead and operator joined.
    public static let selectFrom = """
        SELECT c.*, l.id AS lead_ref, l.phone AS lead_phone, l.name AS lead_name, l.email AS lead_email,
               l.priority AS lead_priority, u.id AS user_ref, u.name AS user_name, u.email AS user_email,
               u.phone AS user_phone
        FROM calls c LEFT JOIN leads l ON l.id = c.lead_id LEFT JOIN users u ON u.id = c.operator_id
        """

    /// The call of a `selectFrom` row with its references expanded.
    public func render(_ row: Row) -> JSONObject {
        var call = CallJSON.render(row: row)
        call["lead"] = Self.reference(row, idColumn: "lead_ref", prefix: "lead_", fields: leadFields)
        if let userFields {
            call["salesperson"] = Self.reference(row, idColumn: "user_ref", prefix: "user_", fields: userFields)
        }
        return call
    }

    /// Renders every row of `sql` (a `selectFrom` query).
    public func renderAll(_ db: Database, _ sql: String, _ params: [SQLValue]) throws -> [JSON] {
        var calls: [JSON] = []
        try db.forEachRow(sql, params) { calls.append(.object(render($0))) }
        return calls
    }

    static func reference(_ row: Row, idColumn: String, prefix: String, fields: [String]) -> JSON {
        guard let id = row.optionalString(idColumn) else { return .null }
        var object = JSONObject([("_id", .string(id)), ("id", .string(id))])
        for field in fields { object[field] = JSON.from(row.optionalString(prefix + field)) }
        return .object(object)
    }
}

/// The fallback for reads of tables another daemon creates: until queue-daemon or dialer-daemon
/// has run its migrations, `leads` / `calls` do not exist, and the figures are zeros and the
/// lists empty rather than a 500 or 503. Only those daemons' tables count: any other missing
/// table (or table-valued function) stays an error.
public enum CallTables {
    public static func orEmpty<T>(_ fallback: @autoclosure () -> T, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError where isDaemonTableMissing(error) {
            return fallback()
        }
    }

    /// `no such table: [main.]<table>` for a table owned by queue-daemon or dialer-daemon.
    static func isDaemonTableMissing(_ error: DatabaseError) -> Bool {
        guard error.isNoSuchTable, let name = error.message.split(separator: ":").last else { return false }
        let table = name.split(separator: ".").last.map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
        let owner = TableOwner.owner(of: table)
        return owner == .queue || owner == .dialer
    }
}
