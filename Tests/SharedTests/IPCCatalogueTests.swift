import Foundation
import TestSupport
import XCTest
@testable import Shared

/// The IPC catalogue in code agrees with the readable contract (docs/ipc/*.md) both ways, and its
/// names follow the wire conventions (docs/IPC.md §2).
final class IPCCatalogueTests: XCTestCase {
    /// Names in the docs that look like messages and are not (socket and file names).
    private static let notMessages: Set<String> = ["queue.sock", "dialer.sock", "queue.md", "dialer.md"]

    private func documentedNames() throws -> Set<String> {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/ipc")
        let files = try FileManager.default.contentsOfDirectory(atPath: docs.path).filter { $0.hasSuffix(".md") }
        XCTAssertFalse(files.isEmpty, "no docs in \(docs.path)")
        let pattern = try NSRegularExpression(pattern: #"\b(?:queue|dialer|event)\.[a-z][a-z_]*[a-z]\b"#)
        var names: Set<String> = []
        for file in files {
            let text = try String(contentsOf: docs.appendingPathComponent(file), encoding: .utf8)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                names.insert(String(text[Range(match.range, in: text)!]))
            }
        }
        return names.subtracting(Self.notMessages)
    }

    func testEveryCatalogueMessageIsDocumentedAndEveryDocumentedOneIsInTheCatalogue() throws {
        let documented = try documentedNames()
        let catalogue = Set(IPCCatalogue.commandTypes + IPCCatalogue.eventTypes)
        XCTAssertEqual(catalogue.subtracting(documented).sorted(), [], "in the catalogue, not in docs/ipc/*.md")
        XCTAssertEqual(documented.subtracting(catalogue).sorted(), [], "in docs/ipc/*.md, not in the catalogue")
    }

    func testNamesFollowTheWireConventions() {
        for command in QueueCommand.allCases { XCTAssertTrue(command.rawValue.hasPrefix("queue."), command.rawValue) }
        for command in DialerCommand.allCases { XCTAssertTrue(command.rawValue.hasPrefix("dialer."), command.rawValue) }
        for type in IPCCatalogue.eventTypes { XCTAssertTrue(type.hasPrefix(IPCMessage.eventPrefix), type) }
        for type in DialerEvent.allCases.map(\.rawValue) { XCTAssertTrue(type.hasPrefix(DialerEvent.callPrefix), type) }
        let all = IPCCatalogue.commandTypes + IPCCatalogue.eventTypes
        XCTAssertEqual(Set(all).count, all.count, "a name is used twice")
        let codes = IPCErrorCode.allCases.map(\.rawValue)
        XCTAssertEqual(codes.filter { $0.range(of: #"^[a-z]+(_[a-z]+)*$"#, options: .regularExpression) == nil }, [])
    }

    /// The permission tables as they stand: what each role may send to each daemon.
    func testPermissionTables() {
        func allowed(_ role: IPCRole, _ receiver: IPCRole) -> [String] {
            IPCCatalogue.commandTypes.filter { IPCCatalogue.senders(of: $0, to: receiver)?.contains(role) == true }
        }
        XCTAssertEqual(allowed(.gateway, .queue), QueueCommand.allCases.map(\.rawValue))
        XCTAssertEqual(allowed(.dialer, .queue), [], "the dialer reports outcomes as events, never as queue commands")
        XCTAssertEqual(allowed(.queue, .dialer), ["dialer.start_call", "dialer.set_disposition", "dialer.hangup",
                                                  "dialer.connect_call", "dialer.status"])
        XCTAssertEqual(allowed(.gateway, .dialer), ["dialer.update_call", "dialer.hangup", "dialer.provider_event",
                                                    "dialer.status", "dialer.metrics"])
        XCTAssertNil(IPCCatalogue.senders(of: "queue.nope", to: .queue))
        XCTAssertNil(IPCCatalogue.senders(of: "dialer.status", to: .queue), "a command of another daemon")
    }

    /// A typed body: what the queue encodes is what the dialer decodes; a bad one is the 400 the
    /// dialer answers, and never reaches the handler.
    func testStartCallBodyRoundTripsAndRefusesBadFields() throws {
        let body = StartCallBody(callId: "65c000000000000000000001", leadId: "65c000000000000000000002",
                                 operatorId: nil, to: "+998901112233", mode: .automatic)
        XCTAssertEqual(try StartCallBody(body: body.body), body)
        XCTAssertEqual(body.body["operatorId"], .null, "null, not absent")
        let withPhone = StartCallBody(callId: body.callId, leadId: body.leadId, operatorId: "65c000000000000000000003",
                                      to: body.to, mode: .manual, operatorPhone: "+998907654321")
        XCTAssertEqual(try StartCallBody(body: withPhone.body), withPhone)
        var missing = body.body
        missing["callId"] = nil
        XCTAssertThrowsError(try StartCallBody(body: missing)) {
            XCTAssertEqual($0 as? IPCError, .validationFailed("callId is required"))
        }

        let connect = ConnectCallBody(callId: body.callId, operatorId: "65c000000000000000000003", operatorPhone: "+998907654321")
        XCTAssertEqual(try ConnectCallBody(body: connect.body), connect)
        XCTAssertThrowsError(try ConnectCallBody(body: ["callId": "x", "operatorId": "65c000000000000000000003"])) {
            XCTAssertEqual($0 as? IPCError, .validationFailed("callId and operatorId must be ids"))
        }

        let h = try IPCTestHarness()
        let server = try h.makeServer(role: "dialer", allowed: ["queue"])
        var received: [StartCallBody] = []
        server.onCommand(StartCallBody.self) { command, _, reply in received.append(command); reply(.success([:])) }
        let queue = h.connectedClient(role: "queue")
        XCTAssertEqual(h.call(queue, StartCallBody.command.rawValue, missing)?.failureValue, .validationFailed("callId is required"))
        XCTAssertEqual(received, [])
        var answer: Result<JSONObject, IPCError>?
        queue.request(body) { answer = $0 }
        XCTAssertTrue(h.wait { answer != nil })
        XCTAssertEqual(received, [body])
    }
}
