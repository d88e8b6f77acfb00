import Shared

/// An outgoing Engine.IO packet encoded once and shared by every session it goes to (a
/// broadcast to a thousand sockets serialises its JSON once). `bytes` is the packet's polling
/// record: for a text packet its text form (`42["call_initiated",{…}]`), which is also the
/// WebSocket text payload; for a binary message `b<base64>`, whose WebSocket frame is a binary
/// frame of the raw bytes. `webSocketFrame` is the complete WebSocket frame. Immutable once
/// built, so it may be shared.
final class EngineIOEncodedPacket: Sendable {
    let type: EngineIOPacketType
    /// The polling record: type digit followed by the data (UTF-8), or `b<base64>`.
    let bytes: [UInt8]
    /// The WebSocket frame carrying this packet (text, or binary for a binary message).
    let webSocketFrame: [UInt8]

    /// A binary message (a Socket.IO attachment).
    init(binaryMessage data: [UInt8]) {
        type = .message
        var record: [UInt8] = [EngineIOLimits.base64Prefix]
        record.append(contentsOf: Base64.encode(data).utf8)
        bytes = record
        var frame: [UInt8] = []
        frame.reserveCapacity(data.count + 10)
        data.withUnsafeBytes { WebSocketFrameEncoder.encode(opcode: .binary, payload: $0, into: &frame) }
        webSocketFrame = frame
    }

    init(_ type: EngineIOPacketType, data: [UInt8] = []) {
        self.type = type
        var bytes: [UInt8] = []
        bytes.reserveCapacity(data.count + 1)
        bytes.append(type.digit)
        bytes.append(contentsOf: data)
        self.bytes = bytes
        var frame: [UInt8] = []
        frame.reserveCapacity(bytes.count + 10)
        bytes.withUnsafeBytes { WebSocketFrameEncoder.encode(opcode: .text, payload: $0, into: &frame) }
        webSocketFrame = frame
    }

    convenience init(_ type: EngineIOPacketType, text: String) {
        self.init(type, data: Array(text.utf8))
    }

    /// A message packet carrying a Socket.IO packet (`4` + its wire form).
    convenience init(socketIO packet: SocketIOPacket) {
        var data: [UInt8] = []
        data.reserveCapacity(64)
        packet.encode(into: &data)
        self.init(.message, data: data)
    }

    /// The packet as text (tests, logs).
    var text: String { String(decoding: bytes, as: UTF8.self) }

    static let ping = EngineIOEncodedPacket(.ping)
    static let noop = EngineIOEncodedPacket(.noop)
    static let close = EngineIOEncodedPacket(.close)
    static let probePong = EngineIOEncodedPacket(.pong, text: EngineIOLimits.probe)
}
