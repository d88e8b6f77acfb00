import Shared

/// The filters, visibility scope, sort and page of `GET /api/leads` (route #8), and the SQL
/// `WHERE` / `ORDER BY` text they turn into. Values are bound as parameters, never spliced into
/// the SQL; `search` is a literal, case-insensitive substring match over phone, name and email
/// (`LIKE` with `%`, `_` and `\` escaped), never a pattern. Pure: parsing the query string into a
/// filter happens in the route, running it in `LeadListQuery`.
struct LeadListFilter: Equatable {
    /// Longest accepted `search` text, in characters.
    static let maxSearchLength = QueryParams.maxTextLength

    var status: LeadStatus?
    var priority: LeadPriority?
    var search: String?
    var assignedTo: String?
    /// `doNotCall=true|false` (issue 12): only leads whose number is (not) on the do-not-call list.
    var doNotCall: Bool?
    /// Soft-deleted leads too (admins only; the route refuses it for operators).
    var includeDeleted = false
    /// Operator scope: only leads that are unassigned or assigned to this user. Nil for admins.
    var visibleTo: String?
    var sort: LeadSortField = .createdAt
    var descending = true
    var page = 1
    var limit = 20

    /// `WHERE …` (always present: at least `1`) and its parameters, for table alias `l`.
    func whereClause() -> (sql: String, params: [SQLValue]) {
        var conditions: [String] = []
        var params: [SQLValue] = []
        if !includeDeleted { conditions.append("l.is_active = 1") }
        if let visibleTo {
            conditions.append("(l.assigned_to IS NULL OR l.assigned_to = ?)")
            params.append(.text(visibleTo))
        }
        if let doNotCall {
            conditions.append("l.do_not_call = ?")
            params.append(.int(doNotCall ? 1 : 0))
        }
        if let status {
            conditions.append("l.status = ?")
            params.append(.text(status.rawValue))
        }
        if let priority {
            conditions.append("l.priority_rank = ?")
            params.append(.int(Int64(priority.rank)))
        }
        if let assignedTo {
            conditions.append("l.assigned_to = ?")
            params.append(.text(assignedTo))
        }
        if let search, !search.isEmpty {
            conditions.append(LeadSearchPattern.condition(alias: "l"))
            params += LeadSearchPattern.params(search)
        }
        return ("WHERE " + (conditions.isEmpty ? "1" : conditions.joined(separator: " AND ")), params)
    }

    /// `ORDER BY …` with the row id as the final tie-break, so pages never overlap or skip rows.
    var orderClause: String {
        let direction = descending ? "DESC" : "ASC"
        return "ORDER BY \(sort.column) \(direction), l.rowid \(direction)"
    }

    /// Rows to skip for `page`.
    var offset: Int { (page - 1) * limit }

    /// A key that identifies the rows counted by this filter (page and sort excluded).
    var countKey: String {
        var key = includeDeleted ? "d" : "a"
        key += "|" + (visibleTo ?? "")
        key += "|" + (status?.rawValue ?? "")
        key += "|" + (priority?.rawValue ?? "")
        key += "|" + (assignedTo ?? "")
        key += "|" + (search ?? "")
        key += "|" + (doNotCall.map { $0 ? "1" : "0" } ?? "")
        return key
    }

    /// A key that identifies the whole answer (the rows, their order and the page).
    var pageKey: String {
        "\(page)|\(limit)|\(sort.rawValue)|\(descending ? 1 : 0)|\(search?.utf8.count ?? -1)|" + countKey
    }
}

/// The `sortBy` values of `GET /api/leads` and the column each one sorts on.
enum LeadSortField: String, CaseIterable {
    case createdAt, updatedAt, priority, status, name, callAttempts

    /// Priority sorts by rank (urgent first when ascending), never as a string.
    var column: String {
        switch self {
        case .createdAt: return "l.created_at"
        case .updatedAt: return "l.updated_at"
        case .priority: return "l.priority_rank"
        case .status: return "l.status"
        case .name: return "l.name"
        case .callAttempts: return "l.call_attempts"
        }
    }

    static var allowedList: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// Literal substring search over phone, name and email with gwcore's `LikePattern` (`%`, `_`
/// and `\` match themselves; no patterns, no regular expressions: fix of bug 24).
enum LeadSearchPattern {
    /// `(phone LIKE ? ESCAPE '\' OR name LIKE ? … OR email LIKE ? …)`, three parameters.
    static func condition(alias: String) -> String {
        "(" + ["phone", "name", "email"].map { LikePattern.clause("\(alias).\($0)") }.joined(separator: " OR ") + ")"
    }

    /// The three parameters of `condition` for `text`.
    static func params(_ text: String) -> [SQLValue] {
        let pattern = LikePattern.contains(text)
        return [.text(pattern), .text(pattern), .text(pattern)]
    }
}
