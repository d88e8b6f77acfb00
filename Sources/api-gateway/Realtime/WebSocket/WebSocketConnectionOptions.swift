/// Limits and timeouts of one `WebSocketConnection` on top of the frame codec's size caps. The
/// defaults are the production values (Engine.IO's 1,000,000-byte `maxPayload` as the message
/// cap); the test-only echo endpoint raises the codec limits to 16 MiB for Autobahn 9.x.
struct WebSocketConnectionOptions: Sendable {
    /// Bytes that may wait in one connection's outbox. A client that reads slower than we write
    /// reaches it and is disconnected, so memory per connection stays bounded: 1 MiB.
    static let defaultMaxOutboxBytes = 1 << 20
    /// After we send a close frame, how long the peer has to answer with its own (RFC 6455 §7.1.1)
    /// before the TCP connection is dropped anyway.
    static let defaultCloseTimeout = 5.0
    /// After the close exchange we send FIN and discard input for at most this long, so the
    /// peer reads our close frame instead of a connection reset.
    static let defaultLingerTimeout = 2.0
    /// Reads per readiness wake-up, so one busy client cannot starve the others.
    static let maxReadsPerWake = 16
    /// Frame and message caps for Engine.IO traffic (its `maxPayload`).
    static let engineIOLimits = WebSocketLimits(maxFramePayload: EngineIOLimits.defaultMaxPayloadBytes,
                                                maxMessage: EngineIOLimits.defaultMaxPayloadBytes)
    /// Frame and message caps of the conformance echo endpoint (Autobahn 9.x sends 16 MiB).
    static let echoLimits = WebSocketLimits(maxFramePayload: 16 << 20, maxMessage: 16 << 20)

    var limits = WebSocketConnectionOptions.engineIOLimits
    var maxOutboxBytes = WebSocketConnectionOptions.defaultMaxOutboxBytes
    var closeTimeout = WebSocketConnectionOptions.defaultCloseTimeout
    var lingerTimeout = WebSocketConnectionOptions.defaultLingerTimeout

    /// The echo endpoint's options: 16 MiB messages, and an outbox that can hold one of them
    /// echoed back plus headroom.
    static let echo = WebSocketConnectionOptions(limits: echoLimits, maxOutboxBytes: 40 << 20)
}
