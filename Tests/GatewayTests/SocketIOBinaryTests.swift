import XCTest
@testable import api_gateway
@testable import Shared

/// BINARY_EVENT / BINARY_ACK (Socket.IO v5) both ways: the assembler's table, binary client
/// events reaching the handlers with their attachments, the test-only `echo` event, and the
/// wire form of what the server sends (packet, then one binary message per attachment; on
/// polling `b<base64>` records).
final class SocketIOBinaryTests: XCTestCase {
    func testAssemblerTable() throws {
        let two = try SocketIOPacket.decode("52-[\"ev\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]")
        var a = SocketIOBinaryAssembler(maxBytes: 10)
        XCTAssertEqual(a.add([1]), .protocolError("binary data without a binary packet"))
        XCTAssertEqual(a.start(two), .waiting)
        XCTAssertTrue(a.isAssembling)
        XCTAssertEqual(a.start(two), .protocolError("a binary packet began before the last one was complete"))
        XCTAssertEqual(a.add([1, 2]), .waiting)
        var whole = two
        whole.attachments = [[1, 2], [3]]
        XCTAssertEqual(a.add([3]), .complete(whole))
        XCTAssertFalse(a.isAssembling)
        XCTAssertEqual(a.start(two), .waiting)
        XCTAssertEqual(a.add(Array(repeating: 0, count: 11)), .protocolError("attachments larger than 10 bytes"))
        XCTAssertFalse(a.isAssembling)
        let none = try SocketIOPacket.decode("50-[\"ev\"]")
        XCTAssertEqual(a.start(none), .complete(none))
    }

    func testEncodedBinaryMessageForPollingAndWebSocket() {
        let packet = EngineIOEncodedPacket(binaryMessage: [0, 1, 2, 255])
        XCTAssertEqual(packet.text, "bAAEC/w==")
        XCTAssertEqual(packet.webSocketFrame, [0x82, 4, 0, 1, 2, 255], "a binary frame of the raw bytes")
    }

    func testBinaryArgumentToAKnownEventGetsItsValidationAnswer() throws {
        let h = try RealtimeHubHarness()
        h.backend.addUser("u1", role: .operator_, name: "O", token: "t")
        let c = h.authenticatedClient("t")
        c.send("51-5[\"update_call_notes\",{\"callId\":\"0123456789abcdef01234567\",\"notes\":{\"_placeholder\":true,\"num\":0}}]")
        c.link.onMessage?(.binary(Array("notes".utf8)))
        XCTAssertFalse(c.isClosed)
        XCTAssertEqual(c.packets.last, "35[{\"ok\":false,\"message\":\"notes must be a string\"}]")
    }

    func testEchoIsOffUnlessEnabled() throws {
        let h = try RealtimeHubHarness()
        let c = h.client()
        c.connect()
        let before = c.packets.count
        c.send("21[\"echo\",\"x\"]")
        XCTAssertEqual(c.packets.count, before)
    }

    func testEchoAcksAndEmitsBinaryBothWays() throws {
        let h = try RealtimeHubHarness()
        h.hub.echoEnabled = true
        let c = h.client()
        c.connect()
        c.link.frames.removeAll()
        c.send("51-1[\"echo\",{\"blob\":{\"_placeholder\":true,\"num\":0},\"n\":1}]")
        c.link.onMessage?(.binary([9, 8, 7]))
        let placeholder = "{\"blob\":{\"_placeholder\":true,\"num\":0},\"n\":1}"
        XCTAssertEqual(Self.frames(c.link), [.text("461-1[\(placeholder)]"), .binary([9, 8, 7]),
                                       .text("451-0[\"echo\",\(placeholder)]"), .binary([9, 8, 7])])
        c.link.frames.removeAll()
        c.send("61-0[{\"_placeholder\":true,\"num\":0}]")   // the client acks the server's echo with binary
        c.link.onMessage?(.binary([1]))
        XCTAssertEqual(Self.frames(c.link), [.text("451-[\"echo_acked\",{\"_placeholder\":true,\"num\":0}]"), .binary([1])])
        XCTAssertFalse(c.isClosed)
    }

    func testPollingSessionSendsAttachmentsAsBase64Records() throws {
        let h = try EngineIOHarness()
        let sid = try h.handshake()
        guard let session = h.session(sid) else { return XCTFail() }
        let socket = SocketIOSocket(session: session)
        session.onMessage = nil
        socket.send(.event("file", [SocketIOPacket.placeholder(0)], attachments: [[0xDE, 0xAD]]))
        XCTAssertEqual(try h.request("GET", "EIO=4&transport=polling&sid=\(sid)").text,
                       "451-[\"file\",{\"_placeholder\":true,\"num\":0}]\u{1e}b3q0=")
    }

    enum Frame: Equatable {
        case text(String)
        case binary([UInt8])
    }

    static func frames(_ link: FakeWebSocketLink) -> [Frame] {
        WebSocketTestPeer.parse(link.frames.flatMap { $0 }).map { $0.opcode == 2 ? .binary($0.payload) : .text($0.text) }
    }
}
