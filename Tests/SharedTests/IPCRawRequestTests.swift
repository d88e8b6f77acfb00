import XCTest
@testable import Shared

/// `IPCRawRequest`: only canonical request frames of registered types are kept as bytes; every
/// other frame is read the ordinary way.
final class IPCRawRequestTests: XCTestCase {
    private let types: Set<String> = ["queue.import_chunk"]

    private func frameBody(_ frame: [UInt8]) -> [UInt8] { Array(frame.dropFirst(IPCFrameDecoder.headerBytes)) }

    func testCanonicalFramesOfRegisteredTypesAreKeptAsBytes() throws {
        let body: JSONObject = ["importId": "imp", "rows": [[2, "+998901234567", "", "", "", "", []]]]
        for frame in [IPCMessage(type: "queue.import_chunk", id: 42, body: body).encoded(),
                      IPCMessage.encodedRequest(type: "queue.import_chunk", id: 42, rawBody: JSON.object(body).serialized())] {
            let bytes = frameBody(frame)
            let message = try XCTUnwrap(IPCRawRequest.message(frame: bytes, types: types))
            XCTAssertEqual(message.type, "queue.import_chunk")
            XCTAssertEqual(message.id, 42)
            XCTAssertEqual(message.body, [:])
            let raw = try XCTUnwrap(message.raw)
            XCTAssertEqual(try JSON.parse(Array(bytes[raw.body])), .object(body))
            XCTAssertEqual(try raw.parsed(), IPCMessage(type: "queue.import_chunk", id: 42, body: body))
        }
    }

    func testAnythingElseIsReadTheOrdinaryWay() {
        let canonical = #"{"v":1,"type":"queue.import_chunk","id":7,"re":null,"body":{}}"#
        XCTAssertNotNil(IPCRawRequest.message(frame: Array(canonical.utf8), types: types))
        let others = [
            #"{"v":1,"type":"queue.claim_lead","id":7,"re":null,"body":{}}"#,          // not registered
            #"{"type":"queue.import_chunk","v":1,"id":7,"re":null,"body":{}}"#,         // other key order
            #"{"v":1,"type":"queue.import\u005fchunk","id":7,"re":null,"body":{}}"#,    // escaped type
            #"{"v":1,"type":"queue.import_chunk","id":07,"re":null,"body":{}}"#,        // leading zero
            #"{"v":1,"type":"queue.import_chunk","id":-7,"re":null,"body":{}}"#,
            #"{"v":1,"type":"queue.import_chunk","id":7,"re":3,"body":{}}"#,
            #"{"v":1,"type":"queue.import_chunk","id":7,"re":null,"body":[]}"#,         // body not an object
            #"{"v":1,"type":"queue.import_chunk","id":1234567890123456789,"re":null,"body":{}}"#,
            #"{"v":2,"type":"queue.import_chunk","id":7,"re":null,"body":{}}"#,
            #"{"v":1,"type":"queue.import_chunk","id":7,"re":null,"body":{} "#,
        ]
        for frame in others { XCTAssertNil(IPCRawRequest.message(frame: Array(frame.utf8), types: types), frame) }
        XCTAssertNil(IPCRawRequest.message(frame: Array(canonical.utf8), types: []))
    }

    func testTheServerHandsRegisteredTypesOverAsBytesAndOthersAsBodies() throws {
        let h = try IPCTestHarness()
        let server = try h.makeServer()
        server.rawRequestTypes = ["queue.echo_raw"]
        var seen: [IPCRequest] = []
        server.onCommand("queue.echo_raw") { request, reply in seen.append(request); reply(.success([:])) }
        server.onCommand("queue.echo") { request, reply in seen.append(request); reply(.success([:])) }
        let client = h.connectedClient()
        var answers = 0
        client.request(type: "queue.echo_raw", body: ["n": 1]) { _ in answers += 1 }
        client.request(type: "queue.echo", body: ["n": 2]) { _ in answers += 1 }
        XCTAssertTrue(h.wait { answers == 2 })
        XCTAssertEqual(seen.count, 2)
        XCTAssertEqual(seen[0].body, [:])
        XCTAssertEqual(try seen[0].raw?.parsed().body, ["n": 1])
        XCTAssertNil(seen[1].raw)
        XCTAssertEqual(seen[1].body, ["n": 2])
    }
}
