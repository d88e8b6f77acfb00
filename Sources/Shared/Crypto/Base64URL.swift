/// Base64url (RFC 4648 §5), the JWT encoding: `-` and `_` instead of `+` and `/`. Encoding never
/// pads; decoding accepts a missing padding (and a correct one), and rejects any other character.
public enum Base64URL {
    public static func encode(_ bytes: [UInt8]) -> String {
        String(decoding: encodeBytes(bytes), as: UTF8.self)
    }

    /// Encoded ASCII bytes, for callers that assemble byte buffers (JWT signing input).
    public static func encodeBytes(_ bytes: [UInt8]) -> [UInt8] {
        Base64.encodeBytes(bytes, alphabet: Base64.urlAlphabet, pad: false)
    }

    public static func decode(_ text: String) -> [UInt8]? {
        decode(bytes: Array(text.utf8))
    }

    public static func decode(bytes: [UInt8]) -> [UInt8]? {
        Base64.decodeBytes(bytes, table: Base64.urlDecodeTable, paddingRequired: false)
    }

    public static func decode(bytes: ArraySlice<UInt8>) -> [UInt8]? {
        decode(bytes: Array(bytes))
    }
}
