/// Puts a BINARY_EVENT / BINARY_ACK back together (Socket.IO v5): the packet's text arrives
/// first (`51-["ev",{"_placeholder":true,"num":0}]`), then each attachment as its own binary
/// Engine.IO message, in order. Pure: it returns what to do. A binary message when no packet is
/// waiting, a text message while attachments are still due, or attachments whose bytes together
/// exceed `maxBytes` are protocol errors (the session closes, as in the JS server's decoder).
struct SocketIOBinaryAssembler {
    enum Outcome: Equatable {
        /// The packet is whole (its `attachments` filled in).
        case complete(SocketIOPacket)
        /// More attachments are due.
        case waiting
        case protocolError(String)
    }

    /// Largest total of one packet's attachments, in bytes.
    let maxBytes: Int
    private var pending: SocketIOPacket?
    private var received: [[UInt8]] = []
    private var receivedBytes = 0

    init(maxBytes: Int) {
        self.maxBytes = maxBytes
    }

    /// Whether attachments are still due (a text message now is a protocol error).
    var isAssembling: Bool { pending != nil }

    /// A decoded binary packet whose attachments are to follow.
    mutating func start(_ packet: SocketIOPacket) -> Outcome {
        guard pending == nil else { return .protocolError("a binary packet began before the last one was complete") }
        guard packet.attachmentCount > 0 else { return .complete(packet) }
        pending = packet
        received = []
        receivedBytes = 0
        return .waiting
    }

    /// One binary Engine.IO message.
    mutating func add(_ bytes: [UInt8]) -> Outcome {
        guard var packet = pending else { return .protocolError("binary data without a binary packet") }
        receivedBytes += bytes.count
        guard receivedBytes <= maxBytes else {
            reset()
            return .protocolError("attachments larger than \(maxBytes) bytes")
        }
        received.append(bytes)
        guard received.count == packet.attachmentCount else { return .waiting }
        packet.attachments = received
        reset()
        return .complete(packet)
    }

    private mutating func reset() {
        pending = nil
        received = []
        receivedBytes = 0
    }
}
