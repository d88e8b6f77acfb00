/// One log record and its two renderings: the `<N>message KEY=value` stderr line and the
/// journald `KEY=value` entries. Field keys are sanitised for journald: upper-cased, anything
/// outside [A-Z0-9_] becomes `_`, no leading `_` (reserved for trusted fields) or digit, at most
/// `maxKeyLength` characters, and keys that would clash with the record's own fields get a
/// `FIELD_` prefix. Fields are kept sorted by key so output is deterministic.
public struct LogRecord: Sendable {
    /// Longest journald field name.
    public static let maxKeyLength = 64
    /// Fields every record sets itself; caller fields with these names are renamed.
    static let reservedKeys: Set<String> = ["MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER"]

    public let identifier: String
    public let level: LogLevel
    public let message: String
    /// Sanitised keys with their values, sorted by key.
    public let fields: [(key: String, value: String)]

    public init(identifier: String, level: LogLevel, message: String, fields: [String: String]) {
        self.identifier = identifier
        self.level = level
        self.message = message
        var sanitised: [String: String] = [:]
        for (key, value) in fields { sanitised[Self.sanitiseKey(key)] = value }
        self.fields = sanitised.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
    }

    /// The value of a (sanitised) field key.
    public func field(_ key: String) -> String? { fields.first { $0.key == key }?.value }

    /// Maps a caller's key onto a valid journald field name.
    public static func sanitiseKey(_ key: String) -> String {
        var bytes: [UInt8] = []
        for scalar in key.unicodeScalars {
            let byte = scalar.isASCII ? UInt8(scalar.value) : 0
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"): bytes.append(byte - 32)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
                bytes.append(byte)
            default: bytes.append(UInt8(ascii: "_"))
            }
        }
        while bytes.first == UInt8(ascii: "_") { bytes.removeFirst() }
        var name = String(decoding: bytes, as: UTF8.self)
        if name.isEmpty || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[0]) || reservedKeys.contains(name) {
            name = "FIELD_" + name
        }
        return String(name.prefix(maxKeyLength))
    }

    /// `<N>message KEY=value KEY2="quoted value"` plus a newline; control characters in the
    /// message and values are escaped so one record is always exactly one line.
    public var stderrLine: String {
        var line = "<\(level.rawValue)>"
        Self.appendEscaped(message, to: &line)
        for (key, value) in fields {
            line += " " + key + "="
            if Self.needsQuotes(value) {
                line += "\""
                Self.appendEscaped(value, to: &line, escapeQuotes: true)
                line += "\""
            } else {
                line += value
            }
        }
        return line + "\n"
    }

    /// The journald entries: MESSAGE, PRIORITY, SYSLOG_IDENTIFIER, then the fields.
    public var journalEntries: [String] {
        ["MESSAGE=" + message, "PRIORITY=\(level.rawValue)", "SYSLOG_IDENTIFIER=" + identifier]
            + fields.map { $0.key + "=" + $0.value }
    }

    private static func needsQuotes(_ value: String) -> Bool {
        value.isEmpty || value.unicodeScalars.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0 == "\\" || $0.value < 0x20 || $0.value == 0x7f }
    }

    private static func appendEscaped(_ text: String, to line: inout String, escapeQuotes: Bool = false) {
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": line += "\\n"
            case "\r": line += "\\r"
            case "\t": line += "\\t"
            case "\"" where escapeQuotes: line += "\\\""
            case "\\" where escapeQuotes: line += "\\\\"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    line += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    line.unicodeScalars.append(scalar)
                }
            }
        }
    }
}
