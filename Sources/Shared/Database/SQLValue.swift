/// A value bound to or read from SQLite: the five storage classes. Booleans are stored as
/// INTEGER 0/1 and timestamps as INTEGER milliseconds (see RULES.md), so there are no extra cases.
public enum SQLValue: Equatable, Sendable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
    case blob([UInt8])

    /// `.text(s)`, or `.null` when `s` is nil.
    public init(_ s: String?) { self = s.map(SQLValue.text) ?? .null }
    /// `.int(i)`, or `.null` when `i` is nil.
    public init(_ i: Int64?) { self = i.map(SQLValue.int) ?? .null }
    public init(_ i: Int) { self = .int(Int64(i)) }
    /// `.double(d)`, or `.null` when `d` is nil.
    public init(_ d: Double?) { self = d.map(SQLValue.double) ?? .null }
    /// 1 or 0.
    public init(_ b: Bool) { self = .int(b ? 1 : 0) }

    public var isNull: Bool { if case .null = self { return true }; return false }

    /// Integer view: INTEGER as is, REAL truncated when finite, TEXT parsed; nil otherwise.
    public var int64Value: Int64? {
        switch self {
        case .int(let i): return i
        case .double(let d): return d.isFinite && d.magnitude < 9.2e18 ? Int64(d) : nil
        case .text(let s): return Int64(s)
        case .null, .blob: return nil
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .text(let s): return Double(s)
        case .null, .blob: return nil
        }
    }

    /// Text view: TEXT as is, numbers in decimal, BLOB decoded as UTF-8; nil for NULL.
    public var stringValue: String? {
        switch self {
        case .text(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .blob(let b): return String(decoding: b, as: UTF8.self)
        case .null: return nil
        }
    }
}

extension SQLValue: ExpressibleByNilLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByStringLiteral, ExpressibleByBooleanLiteral {
    public init(nilLiteral: ()) { self = .null }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .text(value) }
    public init(booleanLiteral value: Bool) { self = .int(value ? 1 : 0) }
}
