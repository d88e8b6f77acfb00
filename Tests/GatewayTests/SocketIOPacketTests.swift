/// Tests of `SocketIOPacket` encoding and decoding against the wire table and the observed exchange
/// in reference/socketio-and-clients.md, plus every malformed-packet rule and named limit.
import XCTest
import Shared
@testable import api_gateway

final class SocketIOPacketTests: XCTestCase {
    private func assertError(_ text: String, _ expected: SocketIODecodeError, line: UInt = #line) {
        XCTAssertThrowsError(try SocketIOPacket.decode(text), text, line: line) {
            XCTAssertEqual($0 as? SocketIODecodeError, expected, text, line: line)
        }
    }

    func testTypeDigits() {
        XCTAssertEqual(SocketIOPacketType.allCases.map(\.rawValue), [0, 1, 2, 3, 4, 5, 6])
        XCTAssertEqual(SocketIOPacketType.connectError.digit, UInt8(ascii: "4"))
    }

    func testDecodeWireTable() throws {
        XCTAssertEqual(try SocketIOPacket.decode("0"), .connect())
        XCTAssertEqual(try SocketIOPacket.decode("0{}"), .connect(auth: [:]))
        let withToken = try SocketIOPacket.decode("0{\"token\":\"x\"}")
        XCTAssertEqual(withToken.auth?["token"], "x")
        XCTAssertEqual(try SocketIOPacket.decode("0{\"sid\":\"PmtfwIzEaVgNnXFHAAAL\"}"), .connected(sid: "PmtfwIzEaVgNnXFHAAAL"))
        XCTAssertEqual(try SocketIOPacket.decode("0/admin,"), .connect(namespace: "/admin"))
        XCTAssertEqual(try SocketIOPacket.decode("0/admin,{\"sid\":\"s\"}"), .connected(sid: "s", namespace: "/admin"))
        XCTAssertEqual(try SocketIOPacket.decode("4{\"message\":\"Not authorized\"}"), .connectError("Not authorized"))
        XCTAssertEqual(try SocketIOPacket.decode("2[\"authenticated\",{\"ok\":true}]"), .event("authenticated", [["ok": true]]))
        let auth = try SocketIOPacket.decode("20[\"authenticate\",{\"token\":\"t\"}]")
        XCTAssertEqual(auth.eventName, "authenticate")
        XCTAssertEqual(auth.ackId, 0)
        XCTAssertEqual(auth.arguments, [["token": "t"]])
        let ack = try SocketIOPacket.decode("30[{\"ok\":true}]")
        XCTAssertEqual(ack, .ack(0, [["ok": true]]))
        XCTAssertEqual(ack.arguments, [["ok": true]])
        XCTAssertEqual(try SocketIOPacket.decode("1"), .disconnect())
        XCTAssertEqual(try SocketIOPacket.decode("1/admin,"), .disconnect(namespace: "/admin"))
    }

    /// The table's entries as they appear inside Engine.IO messages (`4` + packet).
    func testEncodeWireTable() {
        XCTAssertEqual(SocketIOPacket.connect().engineIOPacket.webSocketFrame, .text("40"))
        XCTAssertEqual(SocketIOPacket.connect(auth: ["token": "x"]).engineIOPacket.webSocketFrame, .text("40{\"token\":\"x\"}"))
        XCTAssertEqual(SocketIOPacket.connected(sid: "PmtfwIzE").engineIOPacket.webSocketFrame, .text("40{\"sid\":\"PmtfwIzE\"}"))
        XCTAssertEqual(SocketIOPacket.connect(namespace: "/admin").encoded, "0/admin,")
        XCTAssertEqual(SocketIOPacket.connected(sid: "s", namespace: "/admin").encoded, "0/admin,{\"sid\":\"s\"}")
        XCTAssertEqual(SocketIOPacket.connectError("Not authorized").encoded, "4{\"message\":\"Not authorized\"}")
        XCTAssertEqual(SocketIOPacket.event("authenticated", [["ok": true]]).encoded, "2[\"authenticated\",{\"ok\":true}]")
        XCTAssertEqual(SocketIOPacket.event("authenticate", [["token": "t"]], ackId: 0).encoded, "20[\"authenticate\",{\"token\":\"t\"}]")
        XCTAssertEqual(SocketIOPacket.ack(0, [["ok": true]]).encoded, "30[{\"ok\":true}]")
        XCTAssertEqual(SocketIOPacket.ack(12, [], namespace: "/admin").encoded, "3/admin,12[]")
        XCTAssertEqual(SocketIOPacket.disconnect().encoded, "1")
        XCTAssertEqual(SocketIOPacket(.binaryEvent, data: ["ev"]).encoded, "50-[\"ev\"]")
    }

    func testRoundTrips() throws {
        let packets: [SocketIOPacket] = [
            .connect(), .connect(namespace: "/admin", auth: ["token": "a,b"]), .connected(sid: "x"),
            .connectError("no"), .disconnect(namespace: "/n"), .event("e", [1, "two", nil, [3]], ackId: 42),
            .event("ünïcode", ["κόσμε"], namespace: "/ns"), .ack(SocketIOLimits.maxAckId, ["ok"]),
        ]
        for p in packets { XCTAssertEqual(try SocketIOPacket.decode(p.encoded), p, p.encoded) }
    }

    func testNamespaceWithoutCommaRunsToTheEnd() throws {
        XCTAssertEqual(try SocketIOPacket.decode("0/admin"), .connect(namespace: "/admin"))
    }

    func testBinaryPacketsDecodeWithTheirAttachmentCount() throws {
        let event = try SocketIOPacket.decode("51-[\"ev\",{\"_placeholder\":true,\"num\":0}]")
        XCTAssertEqual(event.type, .binaryEvent)
        XCTAssertEqual(event.attachmentCount, 1)
        XCTAssertEqual(event.eventName, "ev")
        XCTAssertEqual(event.arguments, [SocketIOPacket.placeholder(0)])
        let ack = try SocketIOPacket.decode("62-/admin,3[{\"_placeholder\":true,\"num\":1},{\"a\":[{\"_placeholder\":true,\"num\":0}]}]")
        XCTAssertEqual(ack.type, .binaryAck)
        XCTAssertEqual(ack.namespace, "/admin")
        XCTAssertEqual(ack.ackId, 3)
        XCTAssertEqual(ack.attachmentCount, 2)
        assertError("51-[\"ev\",{\"_placeholder\":true,\"num\":1}]", .invalidPlaceholder)
        assertError("52-[\"ev\",{\"x\":{\"_placeholder\":true,\"num\":-1}}]", .invalidPlaceholder)
        assertError("51-[\"ev\",{\"_placeholder\":true,\"num\":\"0\"}]", .invalidPlaceholder)
        assertError("61-[{\"_placeholder\":true,\"num\":0}]", .missingAckId)
        assertError("51-{\"ev\":1}", .invalidPayload("EVENT payload must be an array starting with the event name"))
        assertError("533-[\"ev\"]", .tooManyAttachments(33))
    }

    func testBinaryPacketsEncodeTheirAttachmentCount() {
        let event = SocketIOPacket.event("ev", [SocketIOPacket.placeholder(0)], ackId: 4, attachments: [[1, 2]])
        XCTAssertEqual(event.type, .binaryEvent)
        XCTAssertEqual(event.encoded, "51-4[\"ev\",{\"_placeholder\":true,\"num\":0}]")
        let ack = SocketIOPacket.ack(7, [SocketIOPacket.placeholder(0), SocketIOPacket.placeholder(1)], attachments: [[1], [2]])
        XCTAssertEqual(ack.encoded, "62-7[{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]")
        XCTAssertEqual(SocketIOPacket.ack(7, ["x"]).type, .ack, "no attachments: a plain ACK")
    }

    func testMalformedBinaryHeaders() {
        assertError("5[\"ev\"]", .malformedAttachments)
        assertError("51[\"ev\"]", .malformedAttachments)
        assertError("5", .malformedAttachments)
        assertError("51234567-[\"ev\"]", .malformedAttachments)
    }

    func testMalformedPackets() {
        assertError("", .emptyPacket)
        assertError("7", .unknownPacketType(UInt8(ascii: "7")))
        assertError("x", .unknownPacketType(UInt8(ascii: "x")))
        assertError("2{\"a\":1}", .invalidPayload("EVENT payload must be an array starting with the event name"))
        assertError("2[1,2]", .invalidPayload("EVENT payload must be an array starting with the event name"))
        assertError("2[]", .invalidPayload("EVENT payload must be an array starting with the event name"))
        assertError("2", .invalidPayload("EVENT payload must be an array starting with the event name"))
        assertError("0[1]", .invalidPayload("CONNECT payload must be an object"))
        assertError("1{}", .invalidPayload("DISCONNECT carries no payload"))
        assertError("31{}", .invalidPayload("ACK payload must be an array"))
        assertError("3[1]", .missingAckId)
        assertError("4", .invalidPayload("CONNECT_ERROR payload must be an object or a string"))
        assertError("01{}", .unexpectedAckId)
        assertError("11", .unexpectedAckId)
        XCTAssertThrowsError(try SocketIOPacket.decode("2[\"ev\",")) {
            guard case .invalidJSON? = $0 as? SocketIODecodeError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try SocketIOPacket.decode("2[\"ev\"]x"))
        XCTAssertThrowsError(try SocketIOPacket.decode([UInt8(ascii: "2"), UInt8(ascii: "/"), 0xFF, UInt8(ascii: ",")])) {
            XCTAssertEqual($0 as? SocketIODecodeError, .invalidNamespace)
        }
    }

    func testAckIdLimit() throws {
        XCTAssertEqual(try SocketIOPacket.decode("29007199254740991[\"e\"]").ackId, 9_007_199_254_740_991)
        assertError("29007199254740992[\"e\"]", .ackIdOverflow)
        assertError("2999999999999999999999[\"e\"]", .ackIdOverflow)
    }

    func testNamespaceLimit() throws {
        let longest = "/" + String(repeating: "n", count: 127)  // 128 bytes
        XCTAssertEqual(try SocketIOPacket.decode("0\(longest),").namespace, longest)
        assertError("0\(longest)n,", .namespaceTooLong)
        XCTAssertEqual(SocketIOLimits.defaultNamespace, "/")
        XCTAssertEqual(SocketIOLimits.maxAttachmentDigits, 6)
    }

    func testObservedWebSocketExchange() throws {
        // >> 40   << 40{"sid":…}   >> 420["authenticate",{…}]   << 42["authenticated",…]   << 430[{"ok":true}]
        let connect = try EngineIOPacket.decode(webSocketText: "40")
        XCTAssertEqual(try SocketIOPacket.decode(connect.text ?? ""), .connect())
        let request = try SocketIOPacket.decode(try EngineIOPacket.decode(webSocketText: "420[\"authenticate\",{\"token\":\"test-token\"}]").text ?? "")
        XCTAssertEqual(request.eventName, "authenticate")
        let reply = SocketIOPacket.ack(try XCTUnwrap(request.ackId), [["ok": true]])
        XCTAssertEqual(reply.engineIOPacket.webSocketFrame, .text("430[{\"ok\":true}]"))
        XCTAssertNil(reply.eventName)
        XCTAssertNil(SocketIOPacket.disconnect().auth)
    }
}
