import Shared

/// Which calls a list, summary or report covers: an operator (always the caller for operators,
/// fix of bug 25), a lead, a status and a `created_at` range. Turns itself into a SQL `WHERE`
/// clause with bound parameters over the `calls` table aliased `c`, shaped so the indexes
/// `(operator_id, created_at)`, `(lead_id, created_at)`, `(status, created_at)` and
/// `(created_at)` serve it.
public struct CallFilter: Equatable, Sendable {
    public var operatorId: String?
    public var leadId: String?
    public var status: CallStatus?
    public var range: CallDateRange

    public init(operatorId: String? = nil, leadId: String? = nil, status: CallStatus? = nil,
                range: CallDateRange = CallDateRange()) {
        self.operatorId = operatorId
        self.leadId = leadId
        self.status = status
        self.range = range
    }

    /// The call statuses in lifecycle order, as listed in 400 messages.
    public static let statusNames = CallStatus.allCases.map(\.rawValue)

    /// 403 for an operator asking for another operator's calls.
    public static let ownCallsOnly = HTTPError.forbidden("Access denied. Operators can only see their own calls.")

    /// Reads the filters a route accepts from the query: `status` (400 listing the statuses),
    /// `startDate`/`endDate`, `leadId` and `salespersonId` (ids, 400 when malformed). Operators
    /// are scoped to themselves; naming someone else is a 403.
    public static func parse(_ request: HTTPRequest, caller: AuthUser, status acceptsStatus: Bool = true,
                             lead acceptsLead: Bool = true, salesperson acceptsSalesperson: Bool = true) throws -> CallFilter {
        var filter = CallFilter()
        if acceptsStatus {
            filter.status = try QueryParams.oneOf(request, "status", allowed: statusNames, parse: CallStatus.init(rawValue:))
        }
        filter.range = try CallDateRange.parse(request)
        if acceptsLead { filter.leadId = try QueryParams.id(request, "leadId") }
        let requested = acceptsSalesperson ? try QueryParams.id(request, "salespersonId") : nil
        filter.operatorId = try scopedOperator(requested: requested, caller: caller)
        return filter
    }

    /// The operator a caller may look at: admins whoever they name (or everyone), operators only
    /// themselves.
    public static func scopedOperator(requested: String?, caller: AuthUser) throws -> String? {
        guard !caller.isAdmin else { return requested }
        if let requested, requested != caller.id { throw ownCallsOnly }
        return caller.id
    }

    /// ` WHERE …` (empty when nothing is filtered) and its parameters, columns prefixed `c.`.
    public func whereClause() -> (sql: String, params: [SQLValue]) {
        var conditions: [String] = []
        var params: [SQLValue] = []
        if let operatorId {
            conditions.append("c.operator_id = ?")
            params.append(.text(operatorId))
        }
        if let leadId {
            conditions.append("c.lead_id = ?")
            params.append(.text(leadId))
        }
        if let status {
            conditions.append("c.status = ?")
            params.append(.text(status.rawValue))
        }
        range.appendConditions(column: "c.created_at", to: &conditions, params: &params)
        guard !conditions.isEmpty else { return ("", []) }
        return (" WHERE " + conditions.joined(separator: " AND "), params)
    }
}
