/// Trimming of Unicode whitespace (`Character.isWhitespace`: spaces, tabs, line breaks, NBSP,
/// NEL, …) at both ends: the rule the queue-daemon applies to lead fields, and the gateway to the
/// tags it checks before forwarding them, so a tag the gateway keeps is never one the queue
/// refuses as empty. Returns `text` itself when neither end can be whitespace (no copy).
public enum UnicodeTrim {
    public static func whitespace(_ text: String) -> String {
        guard let first = text.utf8.first, let last = text.utf8.last,
              mayBeSpace(first) || mayBeSpace(last) else { return text }
        return String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    /// ASCII space and controls 9–13, or any non-ASCII byte (which may start or end a Unicode space).
    private static func mayBeSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) || byte >= 0x80 }
}
