/// One Engine.IO v4 packet: a type digit followed by data (`4hello`, `2probe`, `6`). On a
/// WebSocket a packet is one frame; binary messages travel as binary frames without any prefix.
/// In a polling body a binary message is written `b<base64>`. Decoding rejects an empty packet, an
/// unknown type, invalid UTF-8 and bad base64; whether a type makes sense in a given state (a
/// client sending `0`, say) is for the session layer to judge.
import Shared

enum EngineIOPacketType: UInt8, CaseIterable, Sendable {
    case open = 0, close, ping, pong, message, upgrade, noop

    /// The ASCII digit that starts the packet on the wire.
    var digit: UInt8 { UInt8(ascii: "0") + rawValue }
}

enum EngineIOPacketData: Equatable, Sendable {
    case text(String)
    case binary([UInt8])
}

struct EngineIOPacket: Equatable, Sendable {
    var type: EngineIOPacketType
    var data: EngineIOPacketData

    init(_ type: EngineIOPacketType, _ text: String = "") {
        self.type = type
        data = .text(text)
    }

    init(binaryMessage bytes: [UInt8]) {
        type = .message
        data = .binary(bytes)
    }

    static func message(_ text: String) -> EngineIOPacket { EngineIOPacket(.message, text) }
    static let ping = EngineIOPacket(.ping)
    static let pong = EngineIOPacket(.pong)
    static let noop = EngineIOPacket(.noop)
    static let close = EngineIOPacket(.close)
    static let upgrade = EngineIOPacket(.upgrade)
    static let probePing = EngineIOPacket(.ping, EngineIOLimits.probe)
    static let probePong = EngineIOPacket(.pong, EngineIOLimits.probe)

    /// The text data, nil for a binary message.
    var text: String? {
        if case .text(let t) = data { return t }
        return nil
    }

    // MARK: WebSocket

    /// Decodes a WebSocket text frame.
    static func decode(webSocketText text: String) throws -> EngineIOPacket {
        var s = text
        return try s.withUTF8 { try decode(UnsafeRawBufferPointer($0), allowBase64: false, validated: true) }
    }

    /// A WebSocket binary frame is a binary message, raw.
    static func decode(webSocketBinary bytes: [UInt8]) -> EngineIOPacket {
        EngineIOPacket(binaryMessage: bytes)
    }

    /// What to send on a WebSocket: a text frame (`4hello`) or, for binary messages, the raw bytes.
    var webSocketFrame: WebSocketMessage {
        switch data {
        case .binary(let bytes): return .binary(bytes)
        case .text(let t): return .text(String(decoding: [type.digit], as: UTF8.self) + t)
        }
    }

    enum WebSocketMessage: Equatable {
        case text(String)
        case binary([UInt8])
    }

    // MARK: Polling

    /// Decodes one record of a polling body (`4hello`, `b<base64>`).
    static func decode(pollingRecord bytes: UnsafeRawBufferPointer) throws -> EngineIOPacket {
        try decode(bytes, allowBase64: true, validated: false)
    }

    /// Appends the polling form of this packet (`4hello`, `b<base64>`) to `out`.
    func encodePolling(into out: inout [UInt8]) {
        switch data {
        case .binary(let bytes):
            out.append(EngineIOLimits.base64Prefix)
            out.append(contentsOf: Base64.encode(bytes).utf8)
        case .text(let t):
            out.append(type.digit)
            out.append(contentsOf: t.utf8)
        }
    }

    private static func decode(_ bytes: UnsafeRawBufferPointer, allowBase64: Bool,
                               validated: Bool) throws -> EngineIOPacket {
        guard let first = bytes.first else { throw EngineIODecodeError.emptyPacket }
        let rest = UnsafeRawBufferPointer(rebasing: bytes[1...])
        if allowBase64 && first == EngineIOLimits.base64Prefix {
            guard let decoded = Base64.decode(bytes: Array(rest)) else { throw EngineIODecodeError.invalidBase64 }
            return EngineIOPacket(binaryMessage: decoded)
        }
        let zero = UInt8(ascii: "0")
        guard first >= zero, let type = EngineIOPacketType(rawValue: first - zero) else {
            throw EngineIODecodeError.unknownPacketType(first)
        }
        guard validated || UTF8Validator.isValid(rest) else { throw EngineIODecodeError.invalidUTF8 }
        return EngineIOPacket(type, String(decoding: rest, as: UTF8.self))
    }
}
