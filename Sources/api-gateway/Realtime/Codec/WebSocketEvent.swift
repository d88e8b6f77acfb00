/// What `WebSocketFrameDecoder` hands to the session layer: a complete message, a control frame, or
/// the reason the stream must be failed (the session then sends a close frame with `code` and drops
/// the connection, RFC 6455 §7.1.7).
enum WebSocketEvent: Equatable, Sendable {
    /// A complete text message, already validated as UTF-8.
    case text(String)
    /// A complete binary message.
    case binary([UInt8])
    /// A ping; answer with a pong carrying the same payload.
    case ping([UInt8])
    /// A pong (unsolicited ones are allowed and may be ignored).
    case pong([UInt8])
    /// The peer's close frame; `code` is nil when the frame had no payload (answer with 1000 then).
    case close(code: UInt16?, reason: String)
    /// The peer broke the protocol; close with `code` (1002, 1007 or 1009).
    case protocolError(code: UInt16, reason: String)
}
