import Shared

/// Named constants of the Engine.IO v4 protocol as this server speaks it: the defaults it
/// announces in the open packet (the values python-socketio and the Node server use) and the
/// polling-body record separator.
enum EngineIOLimits {
    /// `EIO=4` in the query string.
    static let protocolVersion = "4"
    /// The server sends a ping `2` this often (ms)…
    static let defaultPingIntervalMillis = EngineIOSettings.defaultPingIntervalMillis
    /// …and closes the session when no pong `3` came back within this (ms).
    static let defaultPingTimeoutMillis = EngineIOSettings.defaultPingTimeoutMillis
    /// Largest polling body / WebSocket message accepted, in bytes (announced as `maxPayload`).
    static let defaultMaxPayloadBytes = EngineIOSettings.defaultMaxPayloadBytes
    /// Separates packets in a polling body (ASCII RS).
    static let recordSeparator: UInt8 = 0x1E
    /// Polling prefix marking a base64-encoded binary message.
    static let base64Prefix = UInt8(ascii: "b")
    /// Payload of the ping/pong exchanged when upgrading polling to WebSocket.
    static let probe = "probe"
}

/// Why an Engine.IO packet or polling body could not be decoded. The session layer closes that
/// session only.
enum EngineIODecodeError: Error, Equatable, Sendable {
    case emptyPacket
    case unknownPacketType(UInt8)
    case invalidUTF8
    case invalidBase64
    case payloadTooLarge(Int)
}
