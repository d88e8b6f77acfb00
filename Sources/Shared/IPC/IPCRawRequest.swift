/// A request frame kept as bytes, for the few command types whose bodies are large and read on a
/// hot path (`queue.import_chunk`: 2,000 rows a frame), so the handler reads the body with a
/// `JSONScanner` instead of a `JSON` tree. Only frames in the exact envelope `IPCMessage.encoded`
/// and `IPCMessage.encodedRequest` write are taken this way:
/// `{"v":1,"type":"<type>","id":<digits>,"re":null,"body":<body>}`; any other frame goes through
/// `IPCMessage(frameBody:)` as usual. The body is not checked here: the handler that reads it
/// falls back to `IPCMessage(frameBody: frame)` (every rule of the envelope) whenever it does not
/// find the shape it expects.
public struct IPCRawRequest: Equatable, Sendable {
    /// The whole frame body (the JSON envelope).
    public let frame: [UInt8]
    /// Where the body object lies in `frame`.
    public let body: Range<Int>

    private static let head = Array(#"{"v":1,"type":""#.utf8)
    private static let idKey = Array(#"","id":"#.utf8)
    private static let bodyKey = Array(#","re":null,"body":"#.utf8)
    /// Digits of an id at most (Int64 has 19; ids are counters far below that).
    static let maxIDDigits = 18

    /// The message of `frame` when it is a canonical request of one of `types`, else nil.
    public static func message(frame: [UInt8], types: Set<String>) -> IPCMessage? {
        guard !types.isEmpty else { return nil }
        return frame.withUnsafeBufferPointer { p -> IPCMessage? in
            guard p.count > head.count + idKey.count + bodyKey.count + 3, p.starts(with: head),
                  p[p.count - 1] == UInt8(ascii: "}") else { return nil }
            var i = head.count
            let typeStart = i
            while i < p.count, p[i] != UInt8(ascii: "\"") {
                guard p[i] >= 0x20, p[i] != UInt8(ascii: "\\") else { return nil }
                i += 1
            }
            let type = String(decoding: UnsafeBufferPointer(rebasing: p[typeStart..<i]), as: UTF8.self)
            guard types.contains(type), matches(p, at: &i, idKey) else { return nil }
            var id: Int64 = 0
            let idStart = i
            while i < p.count, p[i] >= UInt8(ascii: "0"), p[i] <= UInt8(ascii: "9"), i - idStart < maxIDDigits {
                id = id * 10 + Int64(p[i] - UInt8(ascii: "0"))
                i += 1
            }
            guard i > idStart, p[idStart] != UInt8(ascii: "0") || i == idStart + 1,
                  matches(p, at: &i, bodyKey), i < p.count - 1, p[i] == UInt8(ascii: "{") else { return nil }
            var message = IPCMessage(type: type, id: id)
            message.raw = IPCRawRequest(frame: frame, body: i..<(p.count - 1))
            return message
        }
    }

    private static func matches(_ p: UnsafeBufferPointer<UInt8>, at i: inout Int, _ literal: [UInt8]) -> Bool {
        guard p.count - i >= literal.count else { return false }
        for (offset, byte) in literal.enumerated() where p[i + offset] != byte { return false }
        i += literal.count
        return true
    }

    /// The request read the ordinary way (all envelope rules; throws on a malformed frame).
    public func parsed() throws -> IPCMessage { try IPCMessage(frameBody: frame) }
}
