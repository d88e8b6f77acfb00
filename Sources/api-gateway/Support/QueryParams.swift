import Shared

/// Validating readers for query parameters. Absent or empty values are nil; a present value of
/// the wrong form throws a 400 naming the parameter (`"isActive" must be true or false`).
public enum QueryParams {
    /// Longest query value accepted for free-text parameters such as `search`.
    public static let maxTextLength = 200

    /// The raw value, nil when absent or empty.
    public static func string(_ request: HTTPRequest, _ name: String, maxLength: Int = maxTextLength) throws -> String? {
        guard let value = request.query(name), !value.isEmpty else { return nil }
        guard value.count <= maxLength else {
            throw HTTPError.validation("\"\(name)\" must be at most \(maxLength) characters long")
        }
        return value
    }

    /// A whole number within `range`.
    /// `clampingAbove`: a whole number above the range is its upper bound instead of a 400.
    public static func int(_ request: HTTPRequest, _ name: String, range: ClosedRange<Int>,
                           clampingAbove: Bool = false) throws -> Int? {
        guard let value = request.query(name), !value.isEmpty else { return nil }
        let digits = value.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 })
        if clampingAbove, digits, value.utf8.count > 12 || (Int(value) ?? 0) > range.upperBound { return range.upperBound }
        guard value.utf8.count <= 12, digits, let n = Int(value), range.contains(n) else {
            throw HTTPError.validation("\"\(name)\" must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return n
    }

    /// Exactly `true` or `false` (fix of the earlier "anything but true means false").
    public static func bool(_ request: HTTPRequest, _ name: String) throws -> Bool? {
        guard let value = request.query(name), !value.isEmpty else { return nil }
        switch value {
        case "true": return true
        case "false": return false
        default: throw HTTPError.validation("\"\(name)\" must be true or false")
        }
    }

    /// One of a vocabulary; `allowed` names the spellings for the message.
    public static func oneOf<T>(_ request: HTTPRequest, _ name: String, allowed: [String],
                                parse: (String) -> T?) throws -> T? {
        guard let value = request.query(name), !value.isEmpty else { return nil }
        guard let parsed = parse(value) else {
            throw HTTPError.validation("\"\(name)\" must be one of [\(allowed.joined(separator: ", "))]")
        }
        return parsed
    }

    /// An ISO 8601 date or date-time (`startDate`); an `endDate` given as a bare date covers
    /// that whole day (`Timestamp.parseDateRangeEnd`).
    public static func date(_ request: HTTPRequest, _ name: String, rangeEnd: Bool = false) throws -> Int64? {
        guard let value = request.query(name), !value.isEmpty else { return nil }
        let parsed = rangeEnd ? Timestamp.parseDateRangeEnd(value) : Timestamp.parseISO8601(value)
        guard let millis = parsed else { throw HTTPError.validation("\"\(name)\" must be a valid ISO 8601 date") }
        return millis
    }

    /// A 24-hex id in the query.
    public static func id(_ request: HTTPRequest, _ name: String) throws -> String? {
        guard let value = request.query(name), !value.isEmpty else { return nil }
        guard ObjectID.isValid(value) else { throw HTTPError.invalidID(name) }
        return value
    }
}
