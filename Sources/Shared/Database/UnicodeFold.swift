import CSQLite

/// The SQL function `ufold(text)`: Unicode lower-casing for case-insensitive search. SQLite's own
/// `LIKE` and `lower()` fold only ASCII, so "АЛИШЕР" would not find "Алишер"; search conditions
/// are written `ufold(column) LIKE ?` with the pattern folded the same way in Swift
/// (`UnicodeFold.fold`). ASCII-only values take a byte-level fast path without building a String.
public enum UnicodeFold {
    public static let functionName = "ufold"

    /// The folding applied on both sides of a search.
    public static func fold(_ text: String) -> String { text.lowercased() }

    /// Registers `ufold` on a connection (deterministic, so SQLite may factor it out).
    static func register(on db: OpaquePointer) {
        sqlite3_create_function_v2(db, functionName, 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nil, { context, argc, argv in
            guard argc == 1, let argv, let value = argv[0] else { sqlite3_result_null(context); return }
            guard sqlite3_value_type(value) != SQLITE_NULL, let text = sqlite3_value_text(value) else {
                sqlite3_result_null(context)
                return
            }
            let count = Int(sqlite3_value_bytes(value))
            let bytes = UnsafeBufferPointer(start: text, count: count)
            if bytes.allSatisfy({ $0 < 0x80 }) {
                var folded = [UInt8](bytes)
                for i in folded.indices where folded[i] >= 0x41 && folded[i] <= 0x5A { folded[i] |= 0x20 }
                folded.withUnsafeBufferPointer { buf in
                    buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: count) {
                        sqlite3_result_text(context, $0, Int32(count), csqlite_transient())
                    }
                }
                return
            }
            let folded = UnicodeFold.fold(String(decoding: bytes, as: UTF8.self))
            var utf8 = Array(folded.utf8)
            let n = Int32(utf8.count)
            utf8.withUnsafeMutableBufferPointer { buf in
                buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                    sqlite3_result_text(context, $0, n, csqlite_transient())
                }
            }
        }, nil, nil, nil)
    }
}
