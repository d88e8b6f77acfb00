/// One result row: values by index or by column name. The column-name table is shared by every
/// row of a statement, so a row costs one array of values. Typed getters convert leniently
/// (NULL → 0, "" or false); the `optional…` variants return nil for NULL.
public struct Row {
    public let columns: RowColumns
    public let values: [SQLValue]

    public init(columns: RowColumns, values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    public var count: Int { values.count }

    /// The value at `index`, `.null` when out of range.
    public subscript(index: Int) -> SQLValue {
        index >= 0 && index < values.count ? values[index] : .null
    }

    /// The value of column `name`, `.null` when there is no such column.
    public subscript(name: String) -> SQLValue {
        guard let i = columns.index(of: name), i < values.count else { return .null }
        return values[i]
    }

    public func string(_ name: String) -> String { self[name].stringValue ?? "" }
    public func int(_ name: String) -> Int64 { self[name].int64Value ?? 0 }
    public func double(_ name: String) -> Double { self[name].doubleValue ?? 0 }
    public func bool(_ name: String) -> Bool { (self[name].int64Value ?? 0) != 0 }

    public func optionalString(_ name: String) -> String? { self[name].stringValue }
    public func optionalInt(_ name: String) -> Int64? { self[name].int64Value }
    public func optionalDouble(_ name: String) -> Double? { self[name].doubleValue }
    public func optionalBool(_ name: String) -> Bool? { self[name].int64Value.map { $0 != 0 } }

    public func string(at index: Int) -> String { self[index].stringValue ?? "" }
    public func int(at index: Int) -> Int64 { self[index].int64Value ?? 0 }
    public func optionalString(at index: Int) -> String? { self[index].stringValue }
    public func optionalInt(at index: Int) -> Int64? { self[index].int64Value }
}

/// Column names of a statement's result and a name → index map (first occurrence wins).
public final class RowColumns {
    public let names: [String]
    private let indexByName: [String: Int]

    public init(names: [String]) {
        self.names = names
        var map: [String: Int] = [:]
        map.reserveCapacity(names.count)
        for (i, name) in names.enumerated() where map[name] == nil { map[name] = i }
        indexByName = map
    }

    public func index(of name: String) -> Int? { indexByName[name] }
}
