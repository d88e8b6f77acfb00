/// RFC 4180 CSV out (CRLF line ends, a cell quoted when it holds `"`, `,`, CR or LF, quotes
/// doubled), with the spreadsheet-formula guard of OWASP's "CSV injection": a cell starting with
/// `=`, `+`, `-`, `@`, tab or CR gets a leading apostrophe, so a spreadsheet shows it as text
/// instead of running it. One exception keeps exports re-importable: an E.164 number (`+` then
/// 1…15 digits) cannot call a function and is written as it is. The console's `core/csv.js`
/// follows the same rules for the files it builds itself.
struct CSVWriter {
    /// E.164 allows at most 15 digits after the `+`.
    static let maxPhoneDigits = 15

    private(set) var bytes: [UInt8] = []

    mutating func row(_ cells: [String]) {
        for (index, cell) in cells.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            append(cell)
        }
        bytes.append(UInt8(ascii: "\r"))
        bytes.append(UInt8(ascii: "\n"))
    }

    /// One cell, guarded and quoted as the rules above say.
    static func cell(_ text: String) -> String {
        var writer = CSVWriter()
        writer.append(text)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    private mutating func append(_ text: String) {
        let utf8 = text.utf8
        let guarded = Self.startsLikeFormula(utf8) && !Self.isE164(utf8)
        let quoted = utf8.contains { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: ",") || $0 == 0x0D || $0 == 0x0A }
        if quoted { bytes.append(UInt8(ascii: "\"")) }
        if guarded { bytes.append(UInt8(ascii: "'")) }
        for byte in utf8 {
            bytes.append(byte)
            if byte == UInt8(ascii: "\"") { bytes.append(byte) }
        }
        if quoted { bytes.append(UInt8(ascii: "\"")) }
    }

    private static func startsLikeFormula(_ utf8: String.UTF8View) -> Bool {
        guard let first = utf8.first else { return false }
        return first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
            || first == UInt8(ascii: "@") || first == 0x09 || first == 0x0D
    }

    private static func isE164(_ utf8: String.UTF8View) -> Bool {
        guard utf8.first == UInt8(ascii: "+") else { return false }
        let digits = utf8.dropFirst()
        return (1...maxPhoneDigits).contains(digits.count) && digits.allSatisfy { (0x30...0x39).contains($0) }
    }
}
