import XCTest
@testable import api_gateway
@testable import Shared

/// Client events: `update_availability`, `update_call_notes`, `typing_*`, unauthenticated use.
final class RealtimeClientEventsTests: XCTestCase {
    static let op1 = "111111111111111111111111"
    static let admin = "aaaaaaaaaaaaaaaaaaaaaaaa"
    static let callId = "cccccccccccccccccccccccc"
    var h: RealtimeHubHarness!

    override func setUpWithError() throws {
        h = try RealtimeHubHarness()
        h.backend.addUser(Self.admin, role: .admin, name: "Ada", token: "admin-token")
        h.backend.addUser(Self.op1, role: .operator_, name: "Olim", token: "op1-token")
    }

    override func tearDown() { h = nil }

    func testActionsRequireAuthentication() {
        let c = h.client()
        c.connect()
        c.emit("update_availability", ["isAvailable": true])
        c.emit("update_call_notes", ["callId": .string(Self.callId), "notes": "x"], ack: 3)
        XCTAssertEqual(c.last("error")?["message"], "Not authenticated")
        XCTAssertEqual(c.acks.last?.arguments.first?["message"], "Not authenticated")
        XCTAssertTrue(h.backend.availability.isEmpty)
        XCTAssertTrue(h.backend.noteRequests.isEmpty)
    }

    func testUpdateAvailabilityTakesOnlyABoolean() {
        let c = h.authenticatedClient("op1-token")
        c.emit("update_availability", ["isAvailable": "false"])
        XCTAssertEqual(c.last("error")?["message"], "isAvailable must be a boolean value")
        c.emit("update_availability", ["isAvailable": 0])
        XCTAssertTrue(h.backend.availability.isEmpty)
        c.emit("update_availability", ["isAvailable": false], ack: 4)
        XCTAssertEqual(h.backend.availability.map(\.0), [Self.op1])
        XCTAssertEqual(h.backend.availability.map(\.1), [false])
        XCTAssertEqual(c.acks.last?.arguments.first, ["isAvailable": false, "ok": true])
    }

    func testUpdateAvailabilityFailureIsReported() {
        h.backend.availabilityError = RealtimeActionError("Failed to update availability")
        let c = h.authenticatedClient("op1-token")
        c.emit("update_availability", ["isAvailable": true])
        XCTAssertEqual(c.last("error")?["message"], "Failed to update availability")
    }

    func testCallNotesAreValidatedThenForwardedToTheDialer() {
        let admin = h.authenticatedClient("admin-token")
        let c = h.authenticatedClient("op1-token")
        c.emit("update_call_notes", ["callId": "nope", "notes": "x"])
        XCTAssertEqual(c.last("error")?["message"], "callId must be a valid call id")
        // `FieldRules.callNotes`, as the REST routes: 1000 UTF-16 units; 1001 `é` or 501 emoji are too long.
        c.emit("update_call_notes", ["callId": .string(Self.callId), "notes": .string(String(repeating: "é", count: 1001))])
        XCTAssertEqual(c.last("error")?["message"], "\"notes\" must be 0 to 1000 characters long")
        let errorsBefore = c.packets.count
        c.emit("update_call_notes", ["callId": .string(Self.callId), "notes": .string(String(repeating: "😀", count: 501))])
        XCTAssertEqual(c.packets.count, errorsBefore + 1)
        XCTAssertEqual(c.last("error")?["message"], "\"notes\" must be 0 to 1000 characters long")
        c.emit("update_call_notes", ["callId": .string(Self.callId), "notes": 5])
        XCTAssertEqual(c.last("error")?["message"], "notes must be a string")
        XCTAssertTrue(h.backend.noteRequests.isEmpty)

        let notes = String(repeating: "n", count: 1000)
        c.emit("update_call_notes", ["callId": .string(Self.callId), "notes": .string(notes)], ack: 9)
        guard let request = h.backend.noteRequests.first else { return XCTFail("not forwarded") }
        XCTAssertEqual(request.0.userId, Self.op1)
        XCTAssertEqual(request.1, Self.callId)
        request.3(.success(["id": .string(Self.callId), "salesperson": .string(Self.op1)]))
        XCTAssertEqual(c.acks.last?.arguments.first?["ok"], true)
        XCTAssertEqual(c.acks.last?.ackId, 9)
        XCTAssertEqual(admin.last("call_notes_updated")?["updatedBy"]?.string, Self.op1)
        XCTAssertEqual(c.last("call_notes_updated")?["notes"]?.string, notes)
    }

    func testDialerRefusalIsSentBack() {
        let c = h.authenticatedClient("op1-token")
        c.emit("update_call_notes", ["callId": .string(Self.callId), "notes": "mine?"])
        h.backend.noteRequests.first?.3(.failure(RealtimeActionError("Access denied. This call does not belong to you.")))
        XCTAssertEqual(c.last("error")?["message"], "Access denied. This call does not belong to you.")
    }

    func testTypingGoesToAdminsExceptTheSender() {
        let admin = h.authenticatedClient("admin-token")
        let c = h.authenticatedClient("op1-token")
        c.emit("typing_start", [:])
        c.emit("typing_stop", [:])
        XCTAssertEqual(admin.events.filter { $0.name == "user_typing" }.map { $0.payload?["isTyping"] }, [true, false])
        XCTAssertFalse(c.eventNames().contains("user_typing"))
        admin.emit("typing_start", [:])
        XCTAssertEqual(admin.events.filter { $0.name == "user_typing" }.count, 2, "the sender is excluded")
    }

    func testOnlineUsersForAdminsOnly() {
        let admin = h.authenticatedClient("admin-token")
        let c = h.authenticatedClient("op1-token")
        admin.emit("get_online_users", [:], ack: 5)
        XCTAssertEqual(admin.acks.last?.arguments.first, ["userIds": [.string(Self.op1), .string(Self.admin)], "ok": true])
        c.emit("get_online_users", [:], ack: 6)
        XCTAssertEqual(c.acks.last?.arguments.first?["message"], "Access denied. Admin role required.")
        let anonymous = h.client()
        anonymous.connect()
        anonymous.emit("get_online_users", [:], ack: 7)
        XCTAssertEqual(anonymous.acks.last?.arguments.first?["message"], "Not authenticated")
    }

    func testUnknownEventsAreIgnored() {
        let c = h.authenticatedClient("op1-token")
        let before = c.packets.count
        c.emit("initiate_call", ["leadId": "x"])
        XCTAssertEqual(c.packets.count, before)
        XCTAssertFalse(c.isClosed)
    }

    func testNamedLimits() {
        XCTAssertEqual(RealtimeHub.defaultRevalidateInterval, 30)
        XCTAssertEqual(RealtimeRooms.maxRoomNameBytes, 64)
    }
}
