/// The control-character rule for free text from users (issue 10, "input hygiene"): names, tags,
/// emails and every other single-line field refuse NUL and the other C0 control characters
/// (U+0000–U+001F) and DEL (U+007F); multi-line fields (notes) also allow tab, CR and LF. One rule,
/// used by the gateway for its 400 and by the owning daemon as its last check (CSV rows included).
public enum TextHygiene {
    /// The first refused control character of `text`, or nil when it has none.
    public static func forbiddenControl(in text: String, multiline: Bool) -> Unicode.Scalar? {
        var copy = text
        let index: Int? = copy.withUTF8 { bytes in
            for (i, byte) in bytes.enumerated() where byte < 0x20 || byte == 0x7F {
                if multiline && (byte == 0x09 || byte == 0x0A || byte == 0x0D) { continue }
                return i
            }
            return nil
        }
        guard let index else { return nil }
        return Unicode.Scalar(copy.utf8[copy.utf8.index(copy.utf8.startIndex, offsetBy: index)])
    }

    /// The message naming `field` and the character, e.g. `"name" must not contain control characters (U+0000)`.
    public static func message(field: String, _ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "\"\(field)\" must not contain control characters (U+\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex))"
    }
}
