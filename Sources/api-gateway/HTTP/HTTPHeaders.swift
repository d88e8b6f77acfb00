/// An ordered list of HTTP header fields with ASCII case-insensitive lookup. Used for requests
/// (as received, duplicates kept) and responses (as they will be written).
public struct HTTPHeaders: Sequence, ExpressibleByDictionaryLiteral, Sendable {
    public private(set) var fields: [(name: String, value: String)]

    public init() { fields = [] }
    public init(_ fields: [(String, String)]) { self.fields = fields.map { (name: $0.0, value: $0.1) } }
    public init(dictionaryLiteral elements: (String, String)...) { self.init(elements) }

    public var count: Int { fields.count }
    public var isEmpty: Bool { fields.isEmpty }
    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }

    /// The first value of `name`, or nil.
    public subscript(name: String) -> String? {
        for field in fields where HTTPHeaders.namesEqual(field.name, name) { return field.value }
        return nil
    }

    /// Every value of `name`, in order.
    public func values(_ name: String) -> [String] {
        fields.filter { HTTPHeaders.namesEqual($0.name, name) }.map(\.value)
    }

    public func contains(_ name: String) -> Bool { self[name] != nil }

    /// How many fields `name` has (no array built).
    public func count(of name: String) -> Int {
        var n = 0
        for field in fields where HTTPHeaders.namesEqual(field.name, name) { n += 1 }
        return n
    }

    public mutating func reserveCapacity(_ n: Int) { fields.reserveCapacity(n) }

    /// Adds a field, keeping any existing ones of the same name.
    public mutating func add(_ name: String, _ value: String) { fields.append((name: name, value: value)) }

    /// Replaces every field of `name` with one field (in the place of the first).
    public mutating func set(_ name: String, _ value: String) {
        if let i = fields.firstIndex(where: { HTTPHeaders.namesEqual($0.name, name) }) {
            fields[i].value = value
            var j = fields.count - 1
            while j > i {
                if HTTPHeaders.namesEqual(fields[j].name, name) { fields.remove(at: j) }
                j -= 1
            }
        } else {
            fields.append((name: name, value: value))
        }
    }

    /// Adds the field only when no field of that name exists yet.
    public mutating func setIfAbsent(_ name: String, _ value: String) {
        if !contains(name) { fields.append((name: name, value: value)) }
    }

    public mutating func remove(_ name: String) {
        fields.removeAll { HTTPHeaders.namesEqual($0.name, name) }
    }

    /// Whether the comma-separated list header `name` contains `token` (case-insensitive),
    /// e.g. `Connection: keep-alive, Upgrade` contains `upgrade`.
    public func containsToken(_ name: String, _ token: String) -> Bool {
        for field in fields where HTTPHeaders.namesEqual(field.name, name) {
            for part in field.value.split(separator: ",") {
                if HTTPHeaders.namesEqual(trimOWS(part), token) { return true }
            }
        }
        return false
    }

    /// ASCII case-insensitive comparison without allocating.
    public static func namesEqual<A: StringProtocol, B: StringProtocol>(_ a: A, _ b: B) -> Bool {
        let x = a.utf8, y = b.utf8
        guard x.count == y.count else { return false }
        var i = x.startIndex, j = y.startIndex
        while i != x.endIndex {
            if asciiLower(x[i]) != asciiLower(y[j]) { return false }
            i = x.index(after: i)
            j = y.index(after: j)
        }
        return true
    }

    @inline(__always) static func asciiLower(_ b: UInt8) -> UInt8 {
        (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b
    }
}

/// Drops leading and trailing spaces and tabs (HTTP optional whitespace).
func trimOWS<S: StringProtocol>(_ s: S) -> Substring {
    var sub = Substring(s)
    while let f = sub.first, f == " " || f == "\t" { sub.removeFirst() }
    while let l = sub.last, l == " " || l == "\t" { sub.removeLast() }
    return sub
}
