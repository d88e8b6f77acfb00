/// A JSON value. Used for IPC bodies and HTTP bodies alike; objects keep insertion order so
/// responses read naturally (`_id` first). Parsing lives in `JSONParser`, output in `JSONSerializer`.
public enum JSON: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSON])
    case object(JSONObject)

    public var string: String? { if case .string(let s) = self { return s }; return nil }
    public var bool: Bool? { if case .bool(let b) = self { return b }; return nil }
    public var array: [JSON]? { if case .array(let a) = self { return a }; return nil }
    public var object: JSONObject? { if case .object(let o) = self { return o }; return nil }
    public var isNull: Bool { if case .null = self { return true }; return false }

    /// An integer, also from an integral double within range (`3.0` → 3). Never from strings.
    public var int: Int64? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d.rounded() == d && abs(d) < 9.0e15: return Int64(d)
        default: return nil
        }
    }

    public var double: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// Member of an object; nil when absent or when this is not an object.
    public subscript(key: String) -> JSON? {
        get { object?[key] }
        set {
            guard case .object(var o) = self else { return }
            o[key] = newValue
            self = .object(o)
        }
    }

    /// `nil` becomes `.null`; handy when building responses from optionals.
    public static func from(_ value: String?) -> JSON { value.map(JSON.string) ?? .null }
    public static func from(_ value: Int64?) -> JSON { value.map(JSON.int) ?? .null }
}

/// An ordered JSON object. Setting an existing key replaces its value in place; setting nil removes it.
/// Small objects are searched linearly; past `JSONObject.linearSearchLimit` keys a dictionary index
/// keeps lookups O(1), so a hostile body with 100,000 keys parses in linear time.
public struct JSONObject: Equatable, Sendable, Sequence, ExpressibleByDictionaryLiteral {
    public static let linearSearchLimit = 16
    public private(set) var pairs: [(key: String, value: JSON)]
    private var index: [String: Int] = [:]

    public init() { pairs = [] }
    public init(_ pairs: [(String, JSON)]) {
        self.pairs = []
        self.pairs.reserveCapacity(pairs.count)
        for (k, v) in pairs { self[k] = v }
    }
    public init(dictionaryLiteral elements: (String, JSON)...) { self.init(elements) }

    private func position(of key: String) -> Int? {
        if pairs.count > JSONObject.linearSearchLimit { return index[key] }
        return pairs.firstIndex(where: { $0.key == key })
    }

    public subscript(key: String) -> JSON? {
        get { position(of: key).map { pairs[$0].value } }
        set {
            if let i = position(of: key) {
                if let newValue {
                    pairs[i].value = newValue
                } else {
                    pairs.remove(at: i)
                    rebuildIndex()
                }
            } else if let newValue {
                pairs.append((key, newValue))
                if pairs.count == JSONObject.linearSearchLimit + 1 {
                    rebuildIndex()
                } else if pairs.count > JSONObject.linearSearchLimit {
                    index[key] = pairs.count - 1
                }
            }
        }
    }

    private mutating func rebuildIndex() {
        index.removeAll(keepingCapacity: true)
        guard pairs.count > JSONObject.linearSearchLimit else { return }
        for (i, p) in pairs.enumerated() { index[p.key] = i }
    }

    public var keys: [String] { pairs.map(\.key) }
    public var count: Int { pairs.count }
    public var isEmpty: Bool { pairs.isEmpty }
    public func makeIterator() -> IndexingIterator<[(key: String, value: JSON)]> { pairs.makeIterator() }

    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        guard a.pairs.count == b.pairs.count else { return false }
        for p in a.pairs where b[p.key] != p.value { return false }
        return true
    }
}

extension JSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(arrayLiteral elements: JSON...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSON)...) { self = .object(JSONObject(elements)) }
    public init(nilLiteral: ()) { self = .null }
}
