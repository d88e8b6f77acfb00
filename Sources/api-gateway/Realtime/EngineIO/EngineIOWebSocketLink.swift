/// What an Engine.IO session needs from a WebSocket: send a pre-encoded frame, close, and the
/// two callbacks. `WebSocketConnection` is the real one; session tests use a recording fake.
protocol EngineIOWebSocketLink: AnyObject {
    /// False when the link is closing or dropped the peer as a slow consumer.
    @discardableResult
    func send(frame: [UInt8]) -> Bool
    func close(code: UInt16, reason: String)
    var onMessage: ((WebSocketConnection.Message) -> Void)? { get set }
    var onClose: ((UInt16) -> Void)? { get set }
}

extension WebSocketConnection: EngineIOWebSocketLink {}
