import Shared

/// `page` / `limit` query parameters (DESIGN §6): page ≥ 1 (default 1), limit 1…100 (default
/// 20). A `limit` above 100 is clamped to 100 (the API document: "maximum 100"), and the answer's
/// `pagination.limit` says so; anything that is not a whole number in range is a 400 naming the
/// parameter, never a silent default, a 500 or an unbounded query (fix of bug 31).
public struct Pagination: Equatable, Sendable {
    public static let defaultLimit = 20
    public static let maxLimit = 100
    /// Pages beyond this are refused (an offset this large is a mistake or an attack).
    public static let maxPage = 1_000_000

    public let page: Int
    public let limit: Int

    public init(page: Int = 1, limit: Int = Pagination.defaultLimit) {
        self.page = page
        self.limit = limit
    }

    /// Rows to skip.
    public var offset: Int { (page - 1) * limit }

    /// Reads `page` and `limit` from the query.
    public static func parse(_ request: HTTPRequest) throws -> Pagination {
        let page = try QueryParams.int(request, "page", range: 1...maxPage) ?? 1
        let limit = try QueryParams.int(request, "limit", range: 1...maxLimit, clampingAbove: true) ?? defaultLimit
        return Pagination(page: page, limit: limit)
    }

    /// `{"page","limit","total","pages"}` with pages = ceil(total / limit).
    public func json(total: Int) -> JSON {
        let pages = total == 0 ? 0 : (total + limit - 1) / limit
        return .object(["page": .int(Int64(page)), "limit": .int(Int64(limit)),
                        "total": .int(Int64(total)), "pages": .int(Int64(pages))])
    }

    /// `LIMIT ? OFFSET ?` parameters in that order.
    public var sqlParams: [SQLValue] { [.int(Int64(limit)), .int(Int64(offset))] }
}
