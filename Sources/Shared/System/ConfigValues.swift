/// The merged configuration variables (config file first, environment on top) with typed,
/// validating getters. Values are trimmed; an empty value counts as unset. Every getter throws
/// a `ConfigError` naming the variable and quoting the bad value.
struct ConfigValues {
    let values: [String: String]

    init(_ values: [String: String]) { self.values = values }

    /// The trimmed value, or nil when unset or empty.
    func string(_ key: String) -> String? {
        guard let raw = values[key] else { return nil }
        let value = ConfigFile.trim(Substring(raw))
        return value.isEmpty ? nil : value
    }

    /// The first entry of a colon-separated path list (systemd's `STATE_DIRECTORY` etc.).
    func firstPath(_ key: String) -> String? {
        guard let list = string(key) else { return nil }
        return list.split(separator: ":").first.map(String.init)
    }

    func int(_ key: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = string(key) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw ConfigError.invalid(key, "must be an integer from \(range.lowerBound) to \(range.upperBound)", got: text)
        }
        return value
    }

    func double(_ key: String, default fallback: Double, range: ClosedRange<Double>,
                excludingLowerBound: Bool = false) throws -> Double {
        guard let text = string(key) else { return fallback }
        let lowerWords = excludingLowerBound ? "greater than \(Self.format(range.lowerBound)) and at most"
                                             : "from \(Self.format(range.lowerBound)) to"
        guard let value = Double(text), value.isFinite, range.contains(value),
              !(excludingLowerBound && value == range.lowerBound) else {
            throw ConfigError.invalid(key, "must be a number \(lowerWords) \(Self.format(range.upperBound))", got: text)
        }
        return value
    }

    func bool(_ key: String, default fallback: Bool) throws -> Bool {
        guard let text = string(key) else { return fallback }
        switch text.lowercased() {
        case "1", "true", "yes": return true
        case "0", "false", "no": return false
        default: throw ConfigError.invalid(key, "must be one of 1, 0, true, false, yes, no", got: text)
        }
    }

    func uint64(_ key: String) throws -> UInt64? {
        guard let text = string(key) else { return nil }
        guard let value = UInt64(text) else {
            throw ConfigError.invalid(key, "must be an integer from 0 to \(UInt64.max)", got: text)
        }
        return value
    }

    /// A "min-max" range of seconds (a single number means min = max), both within `bounds`.
    func secondsRange(_ key: String, default fallback: ClosedRange<Double>,
                      bounds: ClosedRange<Double>) throws -> ClosedRange<Double> {
        guard let text = string(key) else { return fallback }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { ConfigFile.trim($0) }
        let numbers = parts.compactMap { Double($0) }.filter { $0.isFinite && bounds.contains($0) }
        guard (1...2).contains(parts.count), numbers.count == parts.count,
              let low = numbers.first, let high = numbers.last, low <= high else {
            throw ConfigError.invalid(key, "must be a range of seconds \"min-max\" with 0 <= min <= max <= \(Self.format(bounds.upperBound))", got: text)
        }
        return low...high
    }

    /// Whole numbers without a decimal point ("1000", not "1000.0") in messages.
    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
