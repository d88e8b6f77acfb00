import Glibc
import XCTest
@testable import api_gateway
@testable import Shared

/// `WebSocketConnection` on a socketpair: messages, pings, the close handshake in both
/// directions, the failure codes of the decoder, and the bounded outbox.
final class RealtimeWebSocketConnectionTests: XCTestCase {
    var loop: EventLoop!
    var peer: WebSocketTestPeer!
    var connection: WebSocketConnection!
    var messages: [WebSocketConnection.Message] = []
    var closeCodes: [UInt16] = []

    func open(options: WebSocketConnectionOptions = WebSocketConnectionOptions(), bufferedInput: [UInt8] = [],
              receiveBuffer: Int32? = nil, reading: Bool = true) throws {
        loop = try EventLoop()
        peer = try WebSocketTestPeer(loop: loop, receiveBuffer: receiveBuffer)
        connection = WebSocketConnection(loop: loop, hijacked: peer.hijacked(bufferedInput: bufferedInput),
                                         options: options, readBuffer: WebSocketReadBuffer())
        connection.onMessage = { [unowned self] in messages.append($0) }
        connection.onClose = { [unowned self] in closeCodes.append($0) }
        if reading { try peer.startReading() }
        connection.start()
    }

    override func tearDown() {
        peer?.close()
        connection = nil
        peer = nil
        loop = nil
    }

    func testDeliversTextAndBinaryMessagesAndSends() throws {
        try open()
        peer.sendText("hello")
        peer.sendBinary([1, 2, 3])
        XCTAssertTrue(peer.run(until: { self.messages.count == 2 }))
        XCTAssertEqual(messages, [.text("hello"), .binary([1, 2, 3])])
        connection.send(text: "back")
        connection.send(binary: [9])
        XCTAssertTrue(peer.run(until: { self.peer.frames.count == 2 }))
        XCTAssertEqual(peer.frames.map(\.opcode), [1, 2])
        XCTAssertEqual(peer.frames.first?.text, "back")
    }

    func testBytesReadAheadByTheHTTPServerAreDecodedFirst() throws {
        try open(bufferedInput: WebSocketTestPeer.clientFrame(opcode: 1, payload: Array("early".utf8)))
        XCTAssertEqual(messages, [.text("early")])
    }

    func testAnswersPingWithPongCarryingThePayload() throws {
        try open()
        peer.write(WebSocketTestPeer.clientFrame(opcode: 0x9, payload: [7, 8]))
        XCTAssertTrue(peer.run(until: { !self.peer.frames.isEmpty }))
        XCTAssertEqual(peer.frames.first, ServerFrame(fin: true, opcode: 0xA, payload: [7, 8]))
    }

    func testEchoesThePeersCloseCodeThenClosesTheSocket() throws {
        try open()
        peer.sendClose(code: 4001)
        XCTAssertTrue(peer.run(until: { self.peer.eof }))
        XCTAssertEqual(peer.frames.last?.closeCode, 4001)
        XCTAssertEqual(closeCodes, [4001])
        XCTAssertFalse(connection.send(text: "too late"))
    }

    func testEmptyCloseIsAnsweredWithAnEmptyClose() throws {
        try open()
        peer.sendClose(code: nil)
        XCTAssertTrue(peer.run(until: { self.peer.eof }))
        XCTAssertEqual(peer.frames.last?.opcode, 0x8)
        XCTAssertEqual(peer.frames.last?.payload, [])
        XCTAssertEqual(closeCodes, [WebSocketConnection.noStatusCode])
    }

    func testInvalidUTF8ClosesWith1007() throws {
        try open()
        peer.write(WebSocketTestPeer.clientFrame(opcode: 1, payload: [0xC0, 0xAF]))
        XCTAssertTrue(peer.run(until: { self.peer.eof }))
        XCTAssertEqual(peer.frames.last?.closeCode, WebSocketCloseCode.invalidPayload)
        XCTAssertEqual(closeCodes, [1007])
        XCTAssertTrue(messages.isEmpty)
    }

    func testOversizeFrameClosesWith1009BeforeThePayloadArrives() throws {
        try open(options: WebSocketConnectionOptions(limits: WebSocketLimits(maxFramePayload: 1000, maxMessage: 1000)))
        let frame = WebSocketTestPeer.clientFrame(opcode: 2, payload: [UInt8](repeating: 0, count: 1001))
        peer.write(Array(frame.prefix(8)))   // the header alone decides
        XCTAssertTrue(peer.run(until: { self.peer.eof }))
        XCTAssertEqual(peer.frames.last?.closeCode, WebSocketCloseCode.messageTooBig)
    }

    func testProtocolErrorClosesWith1002() throws {
        try open()
        peer.write([0x81, 0x02, 0x68, 0x69])   // unmasked client frame
        XCTAssertTrue(peer.run(until: { self.peer.eof }))
        XCTAssertEqual(peer.frames.last?.closeCode, WebSocketCloseCode.protocolError)
        XCTAssertEqual(closeCodes, [1002])
    }

    func testServerInitiatedCloseWaitsForThePeersClose() throws {
        try open()
        connection.close(code: 1000, reason: "bye")
        XCTAssertTrue(peer.run(until: { self.peer.frames.count == 1 }))
        XCTAssertEqual(peer.frames.first?.closeCode, 1000)
        XCTAssertEqual(closeCodes, [1000])
        XCTAssertFalse(peer.eof)
        peer.sendClose(code: 1000)
        XCTAssertTrue(peer.run(until: { self.peer.eof }))
    }

    func testServerInitiatedCloseDropsAPeerThatNeverAnswers() throws {
        try open(options: WebSocketConnectionOptions(closeTimeout: 0.05))
        connection.close()
        XCTAssertTrue(peer.run(until: { self.peer.eof }, timeout: 2))
    }

    func testPeerVanishingReportsAbnormalClose() throws {
        try open()
        peer.close()
        XCTAssertTrue(loop.run(until: { !self.closeCodes.isEmpty }, timeout: 2))
        XCTAssertEqual(closeCodes, [WebSocketConnection.abnormalCode])
    }

    func testSlowConsumerIsDroppedAtTheOutboxLimit() throws {
        let limit = 64 * 1024
        try open(options: WebSocketConnectionOptions(maxOutboxBytes: limit), receiveBuffer: 4096, reading: false)
        let frame = WebSocketFrameEncoder.binary([UInt8](repeating: 0xAB, count: 16 * 1024))
        var sent = 0
        while sent < 1000 && connection.send(frame: frame) { sent += 1 }
        XCTAssertLessThan(sent, 1000, "the outbox must refuse before 16 MB are queued")
        XCTAssertLessThanOrEqual(connection.queuedBytes, limit)
        XCTAssertEqual(closeCodes, [WebSocketCloseCode.policyViolation])
        XCTAssertFalse(connection.isOpen)
    }

    func testNamedLimits() {
        XCTAssertEqual(WebSocketConnectionOptions.defaultMaxOutboxBytes, 1 << 20)
        XCTAssertEqual(WebSocketConnectionOptions.engineIOLimits.maxMessage, EngineIOLimits.defaultMaxPayloadBytes)
        XCTAssertEqual(WebSocketConnectionOptions.echoLimits.maxFramePayload, 16 << 20)
        XCTAssertGreaterThan(WebSocketConnectionOptions.echo.maxOutboxBytes, WebSocketConnectionOptions.echoLimits.maxMessage)
    }
}
