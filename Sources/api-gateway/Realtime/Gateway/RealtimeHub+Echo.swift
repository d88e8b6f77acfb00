import Shared

/// The test-only Socket.IO `echo` event (`IBRAT_WS_ECHO=1`, like the `/ws-echo` WebSocket
/// endpoint), which lets protocol tests with real clients drive binary packets both ways:
/// 1. the client emits `echo` with arguments (binary ones become attachments of a BINARY_EVENT)
///    and asks for an ack: the server acks with the same arguments (a BINARY_ACK when binary);
/// 2. the server then emits `echo` back with them, asking for an ack (BINARY_EVENT);
/// 3. the client's ack (a BINARY_ACK when it carries binary) is reported as `echo_acked`
///    with the acked arguments (BINARY_EVENT again).
/// It needs no authentication and touches no state.
extension RealtimeHub {
    static let echoEvent = "echo"
    static let echoAckedEvent = "echo_acked"

    func echo(_ socket: SocketIOSocket, _ arguments: [JSON], _ ackId: Int64?, _ attachments: [[UInt8]]) {
        if let ackId { socket.acknowledge(ackId, arguments, attachments: attachments) }
        socket.emit(Self.echoEvent, arguments, attachments: attachments) { [weak socket] acked, ackedAttachments in
            socket?.emit(Self.echoAckedEvent, acked, attachments: ackedAttachments, ack: nil)
        }
    }
}
