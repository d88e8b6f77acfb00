/// Named limits of the Socket.IO v5 packet codec, and its decode errors. A packet that fails to
/// decode is a protocol violation by the client; the session layer closes that session only.
enum SocketIOLimits {
    /// Largest ack id accepted: JavaScript's `Number.MAX_SAFE_INTEGER` (2^53 − 1), beyond which
    /// the JS client could not have produced the id exactly.
    static let maxAckId: Int64 = 9_007_199_254_740_991
    /// Longest namespace accepted, in UTF-8 bytes (ours are `/` and short names like `/admin`).
    static let maxNamespaceBytes = 128
    /// Most digits read for a binary packet's attachment count before the `-`.
    static let maxAttachmentDigits = 6
    /// Most binary attachments one BINARY_EVENT / BINARY_ACK may announce (each arrives as its
    /// own Engine.IO message; their bytes together are bounded by `maxPayload`).
    static let maxAttachments = 32
    /// The namespace a packet belongs to when it names none.
    static let defaultNamespace = "/"
}

enum SocketIODecodeError: Error, Equatable, Sendable {
    case emptyPacket
    case unknownPacketType(UInt8)
    /// A binary packet announcing more than `SocketIOLimits.maxAttachments` attachments.
    case tooManyAttachments(Int)
    /// A binary packet whose `<#attachments>-` header is missing or not a number.
    case malformedAttachments
    /// A `{"_placeholder":true,"num":n}` whose `num` is not the index of an attachment.
    case invalidPlaceholder
    case namespaceTooLong
    case invalidNamespace
    case ackIdOverflow
    /// An ack id on a packet type that cannot carry one (CONNECT, DISCONNECT, CONNECT_ERROR).
    case unexpectedAckId
    /// An ACK without its id.
    case missingAckId
    case invalidJSON(String)
    /// Well-formed JSON of the wrong shape for the packet type (e.g. an EVENT that is not an array
    /// starting with the event name).
    case invalidPayload(String)
}
