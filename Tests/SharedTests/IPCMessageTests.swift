import XCTest
@testable import Shared

final class IPCMessageTests: XCTestCase {
    private func parse(_ text: String) throws -> IPCMessage {
        try IPCMessage(frameBody: Array(text.utf8))
    }

    private func assertRejected(_ text: String, _ expected: IPCProtocolError? = nil, line: UInt = #line) {
        XCTAssertThrowsError(try parse(text), line: line) { error in
            guard let protocolError = error as? IPCProtocolError else {
                return XCTFail("unexpected error \(error)", line: line)
            }
            if let expected { XCTAssertEqual(protocolError, expected, line: line) }
        }
    }

    func testParsesCommandAndIgnoresUnknownKeys() throws {
        let m = try parse(#"{"v":1,"type":"queue.claim_lead","id":17,"re":null,"body":{"leadId":"x"},"extra":[1]}"#)
        XCTAssertEqual(m.type, "queue.claim_lead")
        XCTAssertEqual(m.id, 17)
        XCTAssertNil(m.re)
        XCTAssertEqual(m.body["leadId"], "x")
        XCTAssertFalse(m.isEvent)
    }

    func testARawBodyRequestIsTheSameFrameAsTheJSONOne() throws {
        let body: JSONObject = ["importId": "imp", "rows": [[2, "+998901234567", "Ann \"A\"", "", "high", "", ["x"]]]]
        let raw = IPCMessage.encodedRequest(type: "queue.import_chunk", id: 42, rawBody: JSON.object(body).serialized())
        let viaJSON = IPCMessage(type: "queue.import_chunk", id: 42, body: body).encoded()
        XCTAssertEqual(raw, viaJSON)
        let decoded = try IPCMessage(frameBody: Array(raw.dropFirst(IPCFrameDecoder.headerBytes)))
        XCTAssertEqual(decoded, IPCMessage(type: "queue.import_chunk", id: 42, body: body))
    }

    func testReAbsentOrIntegerAccepted() throws {
        XCTAssertNil(try parse(#"{"v":1,"type":"event.queue_paused","id":3,"body":{}}"#).re)
        XCTAssertTrue(try parse(#"{"v":1,"type":"event.queue_paused","id":3,"body":{}}"#).isEvent)
        XCTAssertEqual(try parse(#"{"v":1,"type":"reply","id":4,"re":17,"body":{}}"#).re, 17)
    }

    func testMissingOrWrongTypedRequiredKeysRejected() {
        assertRejected(#"[1,2]"#)
        assertRejected(#"{"type":"x","id":1,"body":{}}"#)
        assertRejected(#"{"v":"1","type":"x","id":1,"body":{}}"#)
        assertRejected(#"{"v":1,"id":1,"body":{}}"#)
        assertRejected(#"{"v":1,"type":"","id":1,"body":{}}"#)
        assertRejected(#"{"v":1,"type":7,"id":1,"body":{}}"#)
        assertRejected(#"{"v":1,"type":"x","body":{}}"#)
        assertRejected(#"{"v":1,"type":"x","id":"1","body":{}}"#)
        assertRejected(#"{"v":1,"type":"x","id":1.5,"body":{}}"#)
        assertRejected(#"{"v":1,"type":"x","id":1,"re":"2","body":{}}"#)
        assertRejected(#"{"v":1,"type":"x","id":1}"#)
        assertRejected(#"{"v":1,"type":"x","id":1,"body":[]}"#)
        assertRejected(#"{"v":1,"type":"x","id":1,"body":null}"#)
    }

    func testVersionMustBeOne() {
        assertRejected(#"{"v":2,"type":"hello","id":1,"body":{}}"#, .unsupportedVersion(2))
        assertRejected(#"{"v":0,"type":"hello","id":1,"body":{}}"#, .unsupportedVersion(0))
    }

    func testBadJSONRejected() {
        assertRejected("{\"v\":1,", nil)
        assertRejected("\u{FF}garbage", nil)
        XCTAssertThrowsError(try IPCMessage(frameBody: [0xFF, 0x00])) { error in
            guard case .invalidJSON? = error as? IPCProtocolError else { return XCTFail("\(error)") }
        }
    }

    func testEncodedRoundTripsThroughTheDecoder() throws {
        let message = IPCMessage(type: "dialer.start_call", id: 9_000_000_000, re: nil,
                                 body: ["leadId": "abc", "n": 3, "nested": ["ok": true]])
        var decoder = IPCFrameDecoder()
        let frames = try decoder.feed(message.encoded())
        XCTAssertEqual(frames.count, 1)
        XCTAssertEqual(try IPCMessage(frameBody: frames[0]), message)
        let text = String(decoding: frames[0], as: UTF8.self)
        XCTAssertEqual(text, #"{"v":1,"type":"dialer.start_call","id":9000000000,"re":null,"body":{"leadId":"abc","n":3,"nested":{"ok":true}}}"#)
    }

    func testReplyAndErrorBuilders() throws {
        let reply = IPCMessage.reply(to: 17, id: 2, body: ["ok": true])
        XCTAssertEqual(reply.type, "reply")
        XCTAssertEqual(reply.re, 17)
        let error = IPCMessage.error(to: 17, id: 3, .conflict(code: .leadNotAvailable,
            error: "Lead is not available for claiming", message: "Lead is already claimed"))
        XCTAssertEqual(error.type, "error")
        XCTAssertEqual(error.body["status"], 409)
        XCTAssertEqual(IPCError(body: error.body),
                       IPCError(code: .leadNotAvailable, status: 409,
                                error: "Lead is not available for claiming", message: "Lead is already claimed"))
    }

    func testCommonErrors() {
        XCTAssertEqual(IPCError.notFound(error: "Lead not found", message: "No lead x").status, 404)
        XCTAssertEqual(IPCError.conflict(message: "m").status, 409)
        XCTAssertEqual(IPCError.invalid(message: "m").status, 400)
        XCTAssertEqual(IPCError.forbidden(message: "m").status, 403)
        XCTAssertEqual(IPCError.internal(message: "m").status, 500)
        let down = IPCError.unreachable("queue-daemon")
        XCTAssertEqual(down.status, 503)
        XCTAssertEqual(down.httpBody, ["error": "Service Unavailable", "message": "queue-daemon is not reachable"])
        XCTAssertEqual(IPCError.unknownCommand("queue.nope").code, "unknown_command")
        XCTAssertEqual(IPCError.unknownCommand("queue.nope").status, 400)
    }

    func testTolerantErrorBody() {
        let e = IPCError(body: ["code": "x", "status": "weird"])
        XCTAssertEqual(e.code, "x")
        XCTAssertEqual(e.status, 500)
        XCTAssertEqual(IPCError(body: ["status": 700]).status, 500)
        XCTAssertEqual(IPCError(body: [:]).error, "Internal Server Error")
    }
}
