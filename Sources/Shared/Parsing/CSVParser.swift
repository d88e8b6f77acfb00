/// A streaming CSV parser over bytes (RFC 4180, tolerant): `,` separator, `"` quoting with `""` as
/// an escaped quote, quoted fields spanning lines, LF / CRLF / CR line ends, a leading UTF-8 BOM
/// stripped, and the line end after the last record optional (no empty record for it).
///
/// Decisions on irregular input:
/// - a `"` inside an unquoted field is an ordinary character (`ab"c` → `ab"c`);
/// - text after a closing quote is appended to the field (`"ab"c` → `abc`);
/// - a blank line is a record with one empty field (`[""]`); callers decide whether to skip it;
/// - a quote still open at the end of the input is an error (`CSVError.unterminatedQuote`);
/// - invalid UTF-8 becomes U+FFFD.
/// Rows are reported with the 1-based physical line on which they start.

public enum CSVError: Error, Equatable, Sendable, CustomStringConvertible {
    case unterminatedQuote(line: Int)
    case fieldTooLarge(line: Int)
    case tooManyColumns(line: Int)

    public var description: String {
        switch self {
        case .unterminatedQuote(let line): return "Unterminated quoted field starting at line \(line)"
        case .fieldTooLarge(let line): return "Field at line \(line) exceeds \(CSVParser.maxFieldBytes) bytes"
        case .tooManyColumns(let line): return "Line \(line) has more than \(CSVParser.maxColumns) columns"
        }
    }
}

public enum CSVParser {
    /// Largest field accepted, in bytes (after unescaping).
    public static let maxFieldBytes = 64 * 1024
    /// Most fields accepted in one record.
    public static let maxColumns = 256

    public static func parse(_ bytes: [UInt8], onRow: (_ fields: [String], _ lineNumber: Int) throws -> Void) throws {
        try bytes.withUnsafeBytes { try parse($0, onRow: onRow) }
    }

    /// All records at once, as `(fields, line)` pairs.
    public static func records(_ bytes: [UInt8]) throws -> [(fields: [String], line: Int)] {
        var out: [(fields: [String], line: Int)] = []
        try parse(bytes) { out.append(($0, $1)) }
        return out
    }

    public static func parse(_ buffer: UnsafeRawBufferPointer,
                             onRow: (_ fields: [String], _ lineNumber: Int) throws -> Void) throws {
        guard let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        let p = UnsafeBufferPointer(start: base, count: buffer.count)
        let n = p.count
        var i = (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) ? 3 : 0
        var line = 1
        var fields: [String] = []
        var scratch: [UInt8] = []

        while i < n {
            let recordLine = line
            fields.removeAll(keepingCapacity: true)
            record: while true {
                if i < n && p[i] == quote {
                    i += 1
                    scratch.removeAll(keepingCapacity: true)
                    var closed = false
                    while i < n {
                        let start = i
                        while i < n, p[i] != quote, p[i] != lf, p[i] != cr { i += 1 }
                        if i > start { scratch.append(contentsOf: UnsafeBufferPointer(rebasing: p[start..<i])) }
                        if scratch.count > maxFieldBytes { throw CSVError.fieldTooLarge(line: recordLine) }
                        guard i < n else { break }
                        let c = p[i]
                        if c == quote {
                            if i + 1 < n && p[i + 1] == quote {
                                scratch.append(quote)
                                i += 2
                                continue
                            }
                            i += 1
                            closed = true
                            break
                        }
                        // A line end inside quotes is kept verbatim and counted as one physical line.
                        scratch.append(c)
                        i += 1
                        if c == cr && i < n && p[i] == lf {
                            scratch.append(lf)
                            i += 1
                        }
                        line += 1
                    }
                    guard closed else { throw CSVError.unterminatedQuote(line: recordLine) }
                    let start = i
                    while i < n, p[i] != comma, p[i] != lf, p[i] != cr { i += 1 }
                    if i > start { scratch.append(contentsOf: UnsafeBufferPointer(rebasing: p[start..<i])) }
                    if scratch.count > maxFieldBytes { throw CSVError.fieldTooLarge(line: recordLine) }
                    fields.append(String(decoding: scratch, as: UTF8.self))
                } else {
                    let start = i
                    while i < n, p[i] != comma, p[i] != lf, p[i] != cr { i += 1 }
                    if i - start > maxFieldBytes { throw CSVError.fieldTooLarge(line: recordLine) }
                    fields.append(String(decoding: UnsafeBufferPointer(rebasing: p[start..<i]), as: UTF8.self))
                }
                if fields.count > maxColumns { throw CSVError.tooManyColumns(line: recordLine) }
                guard i < n else { break record }
                if p[i] == comma {
                    i += 1
                    if i == n {
                        fields.append("")
                        if fields.count > maxColumns { throw CSVError.tooManyColumns(line: recordLine) }
                        break record
                    }
                    continue record
                }
                // Line end: LF, CR or CRLF.
                if p[i] == cr && i + 1 < n && p[i + 1] == lf { i += 2 } else { i += 1 }
                line += 1
                break record
            }
            try onRow(fields, recordLine)
        }
    }
}
