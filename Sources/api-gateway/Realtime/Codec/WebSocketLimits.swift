/// Named limits of the WebSocket codec (RFC 6455). The protocol-fixed ones are static constants;
/// the two size caps are per-instance so a conformance run (Autobahn 9.x sends 16 MiB messages) can
/// raise them while production keeps `WebSocketLimits.default` (1 MiB frames and messages, in step
/// with Engine.IO's `maxPayload`). Sizes are checked from the frame header, before any payload is
/// buffered, so a peer can never make the decoder allocate more than these caps.
struct WebSocketLimits: Equatable, Sendable {
    /// Default cap on one frame's payload: 1 MiB.
    static let defaultMaxFramePayload = 1 << 20
    /// Default cap on a whole (possibly fragmented) data message: 1 MiB.
    static let defaultMaxMessage = 1 << 20
    /// RFC 6455 §5.5: control frames carry at most 125 payload bytes.
    static let maxControlPayload = 125
    /// §5.5.1: a close reason fits after the 2-byte status code in a control payload.
    static let maxCloseReason = maxControlPayload - 2
    /// Longest frame header: 2 fixed bytes + 8-byte extended length + 4-byte masking key.
    static let maxHeaderBytes = 14
    /// Payload lengths up to this use the 7-bit length field.
    static let maxShortLength = 125
    /// Payload lengths up to this use the 16-bit extended length (marker 126); above, 64-bit (127).
    static let maxMediumLength = 0xFFFF
    /// §4.1: `Sec-WebSocket-Key` is the base64 of a 16-byte nonce (24 characters).
    static let handshakeNonceBytes = 16
    /// §4.1: the only protocol version we speak.
    static let protocolVersion = "13"

    static let `default` = WebSocketLimits(maxFramePayload: defaultMaxFramePayload,
                                          maxMessage: defaultMaxMessage)

    /// Largest payload accepted in one frame; larger → close 1009.
    var maxFramePayload: Int
    /// Largest reassembled message accepted; larger → close 1009.
    var maxMessage: Int

    init(maxFramePayload: Int, maxMessage: Int) {
        self.maxFramePayload = max(maxFramePayload, WebSocketLimits.maxControlPayload)
        self.maxMessage = max(maxMessage, 0)
    }
}
