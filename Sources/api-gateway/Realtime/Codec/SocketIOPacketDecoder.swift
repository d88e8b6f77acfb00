/// Decoding of Socket.IO v5 packets as clients send them, strict about shape: a known type digit;
/// for BINARY_EVENT/BINARY_ACK the `<n>-` header (n ≤ `maxAttachments`; the attachments follow
/// as binary messages, see `SocketIOBinaryAssembler`) and placeholders within range; a namespace after
/// `/` up to `,` (or the end, as the JS parser allows); an ack id (≤ 2^53 − 1, only on EVENT and
/// ACK, required on ACK); then JSON whose shape fits the type (CONNECT: object or nothing;
/// DISCONNECT: nothing; EVENT and BINARY_EVENT: array starting with the event name; ACK and
/// BINARY_ACK: array; CONNECT_ERROR: object or string).
import Shared

extension SocketIOPacket {
    static func decode(_ text: String) throws -> SocketIOPacket {
        var s = text
        return try s.withUTF8 { try decode(UnsafeRawBufferPointer($0)) }
    }

    static func decode(_ bytes: [UInt8]) throws -> SocketIOPacket {
        try bytes.withUnsafeBytes { try decode($0) }
    }

    static func decode(_ bytes: UnsafeRawBufferPointer) throws -> SocketIOPacket {
        guard let first = bytes.first else { throw SocketIODecodeError.emptyPacket }
        let zero = UInt8(ascii: "0")
        guard first >= zero, let type = SocketIOPacketType(rawValue: first - zero) else {
            throw SocketIODecodeError.unknownPacketType(first)
        }
        var i = 1
        var packet = SocketIOPacket(type)
        if type.isBinary {
            packet.attachmentCount = try readAttachments(bytes, &i)
            guard packet.attachmentCount <= SocketIOLimits.maxAttachments else {
                throw SocketIODecodeError.tooManyAttachments(packet.attachmentCount)
            }
        }
        if i < bytes.count && bytes[i] == UInt8(ascii: "/") {
            packet.namespace = try readNamespace(bytes, &i)
        }
        packet.ackId = try readAckId(bytes, &i)
        if i < bytes.count {
            do {
                packet.data = try JSON.parse(UnsafeRawBufferPointer(rebasing: bytes[i...]))
            } catch let error as JSONParseError {
                throw SocketIODecodeError.invalidJSON(error.description)
            }
        }
        try validateShape(packet)
        return packet
    }

    /// Reads `<digits>-`, leaving `i` after the dash.
    private static func readAttachments(_ bytes: UnsafeRawBufferPointer, _ i: inout Int) throws -> Int {
        var count = 0, digits = 0
        while i < bytes.count, let d = digit(bytes[i]) {
            digits += 1
            guard digits <= SocketIOLimits.maxAttachmentDigits else { throw SocketIODecodeError.malformedAttachments }
            count = count * 10 + d
            i += 1
        }
        guard digits > 0, i < bytes.count, bytes[i] == UInt8(ascii: "-") else {
            throw SocketIODecodeError.malformedAttachments
        }
        i += 1
        return count
    }

    /// Reads `/name,` (or `/name` to the end), leaving `i` after the comma.
    private static func readNamespace(_ bytes: UnsafeRawBufferPointer, _ i: inout Int) throws -> String {
        let start = i
        while i < bytes.count && bytes[i] != UInt8(ascii: ",") { i += 1 }
        let name = UnsafeRawBufferPointer(rebasing: bytes[start..<i])
        if i < bytes.count { i += 1 }
        guard name.count <= SocketIOLimits.maxNamespaceBytes else { throw SocketIODecodeError.namespaceTooLong }
        guard UTF8Validator.isValid(name) else { throw SocketIODecodeError.invalidNamespace }
        return String(decoding: name, as: UTF8.self)
    }

    private static func readAckId(_ bytes: UnsafeRawBufferPointer, _ i: inout Int) throws -> Int64? {
        var id: Int64?
        while i < bytes.count, let d = digit(bytes[i]) {
            let value = (id ?? 0)
            guard value <= (SocketIOLimits.maxAckId - Int64(d)) / 10 else { throw SocketIODecodeError.ackIdOverflow }
            id = value * 10 + Int64(d)
            i += 1
        }
        return id
    }

    private static func validateShape(_ p: SocketIOPacket) throws {
        switch p.type {
        case .connect, .disconnect, .connectError:
            if p.ackId != nil { throw SocketIODecodeError.unexpectedAckId }
        case .ack, .binaryAck:
            if p.ackId == nil { throw SocketIODecodeError.missingAckId }
        case .event, .binaryEvent:
            break
        }
        switch p.type {
        case .connect:
            if let data = p.data, data.object == nil { throw SocketIODecodeError.invalidPayload("CONNECT payload must be an object") }
        case .disconnect:
            if p.data != nil { throw SocketIODecodeError.invalidPayload("DISCONNECT carries no payload") }
        case .event, .binaryEvent:
            guard let items = p.data?.array, items.first?.string != nil else {
                throw SocketIODecodeError.invalidPayload("EVENT payload must be an array starting with the event name")
            }
        case .ack, .binaryAck:
            guard p.data?.array != nil else { throw SocketIODecodeError.invalidPayload("ACK payload must be an array") }
        case .connectError:
            guard let data = p.data, data.object != nil || data.string != nil else {
                throw SocketIODecodeError.invalidPayload("CONNECT_ERROR payload must be an object or a string")
            }
        }
        if p.type.isBinary, let data = p.data, !placeholdersFit(data, count: p.attachmentCount) {
            throw SocketIODecodeError.invalidPlaceholder
        }
    }

    /// Every `{"_placeholder":true,"num":n}` in `data` has 0 ≤ n < `count` (as the JS parser
    /// requires before it puts the attachments back).
    private static func placeholdersFit(_ data: JSON, count: Int) -> Bool {
        if let items = data.array { return items.allSatisfy { placeholdersFit($0, count: count) } }
        guard let object = data.object else { return true }
        if object["_placeholder"]?.bool == true {
            guard let num = object["num"]?.int else { return false }
            return num >= 0 && num < Int64(count)
        }
        return object.allSatisfy { placeholdersFit($0.value, count: count) }
    }

    @inline(__always) private static func digit(_ b: UInt8) -> Int? {
        b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") ? Int(b - UInt8(ascii: "0")) : nil
    }
}
