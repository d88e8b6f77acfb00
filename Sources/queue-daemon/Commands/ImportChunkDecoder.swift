/// Reads a `queue.import_chunk` body exactly as the gateway writes it,
/// `{"importId":"…","rows":[[line,"phone","name","email","priority","notes",["tag",…]],…]}`,
/// straight from the frame's bytes into `ImportRowFields.Fields` (`JSONScanner`), without
/// building a `JSON` tree for its 2,000 rows (that tree was the largest cost on the
/// queue-daemon's loop during an import). Any other shape, keys in another order, a row given
/// as an object, an extra key, returns nil, and the command reads the frame the ordinary way
/// (`IPCRawRequest.parsed()`), with the same rules and error messages. Validation is not done
/// here: the rows go through `ImportRowFields.stagedRow` like any other.

import Shared

enum ImportChunkDecoder {
    struct Chunk: Equatable {
        var importId: String
        var rows: [ImportRowFields.Fields]
    }

    /// The chunk in `raw`'s body, or nil when it is not in the compact shape.
    static func decode(_ raw: IPCRawRequest) -> Chunk? {
        raw.frame.withUnsafeBytes { frame in
            try? decode(UnsafeRawBufferPointer(rebasing: frame[raw.body]))
        }
    }

    /// The chunk in `body` (one JSON object); throws when it is not in the compact shape.
    static func decode(_ body: UnsafeRawBufferPointer) throws -> Chunk {
        var scanner = JSONScanner(body)
        try scanner.expect(#"{"importId":"#)
        let importId = try scanner.string()
        try scanner.expect(#","rows":"#)
        try scanner.expect(UInt8(ascii: "["))
        var rows: [ImportRowFields.Fields] = []
        if !scanner.consume(UInt8(ascii: "]")) {
            repeat {
                rows.append(try row(&scanner))
            } while scanner.consume(UInt8(ascii: ","))
            try scanner.expect(UInt8(ascii: "]"))
        }
        try scanner.expect(UInt8(ascii: "}"))
        guard scanner.isAtEnd() else { throw JSONParseError(offset: 0, reason: "Unexpected data after the body") }
        return Chunk(importId: importId, rows: rows)
    }

    private static func row(_ scanner: inout JSONScanner) throws -> ImportRowFields.Fields {
        try scanner.expect(UInt8(ascii: "["))
        let line = try scanner.int()
        var fields = ImportRowFields.Fields(line: line, phone: try nextString(&scanner), name: try nextString(&scanner),
                                            email: try nextString(&scanner), priority: try nextString(&scanner),
                                            notes: try nextString(&scanner), tags: [])
        try scanner.expect(UInt8(ascii: ","))
        try scanner.expect(UInt8(ascii: "["))
        if !scanner.consume(UInt8(ascii: "]")) {
            repeat {
                fields.tags.append(try scanner.string())
            } while scanner.consume(UInt8(ascii: ","))
            try scanner.expect(UInt8(ascii: "]"))
        }
        if scanner.consume(UInt8(ascii: ",")) { fields.timezone = try scanner.string() }
        try scanner.expect(UInt8(ascii: "]"))
        return fields
    }

    /// `,` then a string.
    private static func nextString(_ scanner: inout JSONScanner) throws -> String {
        try scanner.expect(UInt8(ascii: ","))
        return try scanner.string()
    }
}
