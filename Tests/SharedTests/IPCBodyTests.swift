import XCTest
@testable import Shared

/// Every typed body of the IPC catalogue, from one table: what the sender encodes the receiver
/// decodes to the same value; a missing required field and a field of the wrong type are the 400
/// `validation_failed` (or the command's own 400) the receiver answers, naming the field.
final class IPCBodyTests: XCTestCase {
    private static let a = "65c000000000000000000001"
    private static let b = "65c000000000000000000002"
    private static let c = "65c000000000000000000003"

    /// One body: its sample, the keys whose absence is refused (with the message), and the
    /// wrong-typed values refused (key, value, message).
    private struct Row {
        let name: String
        let check: (IPCBodyTests) -> Void
    }

    private static func row<Body: IPCBody & Equatable>(_ sample: Body, missing: [(String, String)] = [],
                                                       wrong: [(String, JSON, String)] = [], line: UInt = #line) -> Row {
        Row(name: Body.commandType) { test in test.check(sample, missing: missing, wrong: wrong, line: line) }
    }

    private static func event<Body: IPCEventBody & Equatable>(_ sample: Body, missing: [(String, String)] = [],
                                                              wrong: [(String, JSON, String)] = [], line: UInt = #line) -> Row {
        Row(name: sample.event.rawValue) { test in test.checkEvent(sample, missing: missing, wrong: wrong, line: line) }
    }

    private static let lead: JSON = ["id": .string(a), "status": "pending"]
    private static let call: JSONObject = ["id": .string(a), "lead": .string(b), "status": "ringing"]

    private static var rows: [Row] { [
        // queue-daemon commands (queue wording: the key in quotes)
        row(CreateLeadBody(actorId: a, fields: LeadFields(phone: "+998901112233", name: "Ali", priority: "high",
                                                          tags: ["vip"], timezone: "Asia/Tashkent")),
            missing: [("actorId", "\"actorId\" is required"), ("phone", "\"phone\" is required")],
            wrong: [("name", 3, "\"name\" must be a string"), ("tags", "vip", "\"tags\" must be an array"),
                    ("tags", [1], "\"tags\" must be an array of strings"),
                    ("actorId", "x", "\"actorId\" must be a 24-character hex id, got \"x\"")]),
        row(UpdateLeadBody(actorId: a, actorRole: .operator_, leadId: b, fields: LeadFields(email: "a@b.uz", notes: "n"),
                           status: "failed"),
            missing: [("actorRole", "\"actorRole\" is required"), ("leadId", "\"leadId\" is required")],
            wrong: [("status", true, "\"status\" must be a string"),
                    ("actorRole", "boss", "\"actorRole\" must be admin or operator, got \"boss\"")]),
        row(DeleteLeadBody(actorId: a, leadId: b), missing: [("leadId", "\"leadId\" is required")],
            wrong: [("leadId", 7, "\"leadId\" must be a string")]),
        row(ClaimLeadBody(actorId: a, actorRole: .operator_, leadId: b), missing: [("actorId", "\"actorId\" is required")]),
        row(ClaimLeadBody(actorId: a, leadId: b), missing: [("leadId", "\"leadId\" is required")]),
        row(ReleaseLeadBody(actorId: a, actorRole: .admin, leadId: b), missing: [("leadId", "\"leadId\" is required")],
            wrong: [("actorRole", 1, "\"actorRole\" must be a string")]),
        row(BulkActionBody(actorId: a, change: .addTags(["vip"]), leadIds: [b, c]),
            wrong: [("data", ["tags": "vip"], "\"tags\" must be an array"),
                    ("data", ["tags": [1]], "\"data.tags\" must be an array of strings")]),
        row(BulkActionBody(actorId: a, change: .updatePriority("low"), leadIds: [b, c]),
            missing: [("action", "\"action\" (a string) and \"leadIds\" (an array of lead ids) are required")],
            wrong: [("leadIds", [1], "\"leadIds\" must be 24-character hex ids; invalid: a non-string value"),
                    ("action", "explode", "Unknown action \"explode\"; allowed: " + BulkActionBody.Action.names)]),
        row(ImportBeginBody(actorId: a), missing: [("actorId", "\"actorId\" is required")]),
        row(ImportChunkBody(importId: a, rows: [[1, "+998901112233", "", "", "", "", []]]),
            missing: [("rows", "\"rows\" is required")], wrong: [("rows", "x", "\"rows\" must be an array")]),
        row(ImportCommitBody(importId: a), missing: [("importId", "\"importId\" is required")],
            wrong: [("importId", 5, "\"importId\" must be a string")]),
        row(ImportAbortBody(importId: a), missing: [("importId", "\"importId\" is required")]),
        row(ControlBody(actorId: a, action: .setMaxConcurrentCalls, arguments: ["value": 5]),
            missing: [("action", "\"action\" must be one of " + ControlBody.Action.names)],
            wrong: [("action", "stop", "Unknown action \"stop\"; allowed: " + ControlBody.Action.names),
                    ("actorId", 1, "\"actorId\" must be a string")]),
        row(ControlBody(action: .getQueueStatus)),
        row(OperatorChangedBody(userId: a), missing: [("userId", "\"userId\" is required")],
            wrong: [("userId", "u", "\"userId\" must be a 24-character hex id, got \"u\"")]),
        row(DncAddBody(actorId: a, phone: "+998901112233", reason: "asked", source: "manual"),
            missing: [("phone", "\"phone\" is required")],
            wrong: [("source", "robot", "\"source\" must be manual, import or disposition"),
                    ("reason", 1, "\"reason\" must be a string")]),
        row(DncRemoveBody(actorId: a, phone: "+998901112233"), missing: [("phone", "\"phone\" is required")]),
        row(DncImportBody(actorId: a, rows: [.init(line: 2, phone: "+998901112233", reason: "")]),
            missing: [("rows", "\"rows\" is required")],
            wrong: [("rows", [["2", "+998901112233", ""]], "rows[0] must be [line, phone, reason]")]),
        row(StartManualCallBody(actorId: a, actorRole: .admin, leadId: b, operatorId: c),
            missing: [("leadId", "\"leadId\" is required")],
            wrong: [("operatorId", "o", "\"operatorId\" must be a 24-character hex id, got \"o\"")]),
        row(QueueSetDispositionBody(DispositionFields(actorId: a, actorRole: .operator_, callId: b, disposition: "callback",
                                                      callbackAt: 1_800_000_000_000)),
            missing: [("disposition", "\"disposition\" is required")],
            wrong: [("callbackAt", "soon", "\"callbackAt\" must be an integer")]),
        row(QueueMetricsBody()),
        row(ExplainBody()),
        row(ExplainLeadsBody(leadIds: [a, b]), missing: [("leadIds", "\"leadIds\" must be an array of lead ids")],
            wrong: [("leadIds", [1], "\"leadIds\" must hold strings")]),
        // dialer-daemon commands (dialer wording: the key bare)
        row(StartCallBody(callId: a, leadId: b, operatorId: c, to: "+998901112233", mode: .manual, operatorPhone: "+998907654321"),
            missing: [("callId", "callId is required"), ("to", "to is required")],
            wrong: [("mode", "fast", "mode must be one of: automatic, manual"),
                    ("callId", 1, "callId must be a string")]),
        row(UpdateCallBody(actorId: a, actorRole: .admin, callId: b, status: .completed, notes: "ok", duration: 30),
            missing: [("callId", "callId is required"), ("actorRole", "actorRole is required")],
            wrong: [("status", "abandoned", "status must be one of: " + UpdateCallBody.statusList),
                    ("duration", "long", "duration must be an integer"),
                    ("actorRole", "boss", "actorRole must be one of: admin, operator")]),
        row(SetDispositionBody(DispositionFields(actorId: a, actorRole: .operator_, callId: b, disposition: "sale")),
            missing: [("disposition", "disposition is required")],
            wrong: [("callbackAt", "x", "callbackAt must be an integer")]),
        row(HangupBody(callId: a), missing: [("callId", "callId is required")],
            wrong: [("callId", "x", "callId must be a 24-character lowercase hex id")]),
        row(ProviderEventBody(callSid: "CA0123", callStatus: "completed", callDuration: "42", errorCode: "21211",
                              webhook: .answer),
            missing: [("callSid", "callSid is required"), ("callStatus", "callStatus is required")],
            wrong: [("webhook", "other", "webhook must be one of: status, answer"),
                    ("callDuration", true, "callDuration must be an integer")]),
        row(ConnectCallBody(callId: a, operatorId: b, operatorPhone: "+998907654321"),
            missing: [("operatorId", "callId and operatorId must be ids")]),
        row(DialerStatusBody()),
        row(DialerMetricsBody()),
        // events
        event(CallStatusChangedBody(call: call, previousStatus: "initiated"), missing: [("call", "call must be an object")],
              wrong: [("previousStatus", 1, "previousStatus must be a string")]),
        event(CallEventBody(.callUpdated, call: call), missing: [("call", "call must be an object")]),
        event(CallEventBody(.callConnected, call: call)),
        event(LeadCreatedBody(lead: lead, actorId: a), missing: [("lead", "\"lead\" is required")],
              wrong: [("lead", "x", "\"lead\" must be an object")]),
        event(LeadUpdatedBody(lead: lead, actorId: a, fields: ["name"]), wrong: [("fields", "name", "\"fields\" must be an array")]),
        event(LeadStatusChangedBody(lead: lead, from: "claimed", to: "pending", reason: "released", actorId: nil),
              missing: [("to", "\"to\" is required")]),
        event(LeadClaimedBody(lead: lead, operatorId: a), missing: [("operatorId", "\"operatorId\" is required")]),
        event(LeadDeletedBody(leadId: b, lead: lead, actorId: a), missing: [("leadId", "\"leadId\" is required")]),
        event(LeadsBulkUpdatedBody(action: "delete", leadIds: [b], actorId: a), missing: [("action", "\"action\" is required")]),
        event(LeadsImportedBody(count: 3, duplicateCount: 1, importId: c, actorId: a),
              wrong: [("count", "3", "\"count\" must be an integer")]),
        event(LeadAssignedBody(lead: lead, operatorId: a, callId: b), missing: [("callId", "\"callId\" is required")]),
        event(LeadAssignedBody(.callbackDue, lead: lead, operatorId: a, callId: b)),
        event(QueueRunStateBody(paused: true, actorId: a), missing: [("paused", "\"paused\" is required")],
              wrong: [("paused", "yes", "\"paused\" must be true or false")]),
        event(QueueRunStateBody(paused: false, actorId: nil)),
        event(QueueSettingsChangedBody(paused: false, maxConcurrentCalls: 7, callingHours: ["start": "09:00"], actorId: a),
              missing: [("maxConcurrentCalls", "\"maxConcurrentCalls\" is required")]),
        event(StuckLeadsResetBody(count: 2, reason: "start-up"), missing: [("reason", "\"reason\" is required")]),
        event(OperatorStateChangedBody(operatorId: a, state: "wrap_up", previousState: "on_call", callId: b,
                                       wrapUpUntil: "2026-01-15T10:30:00.000Z"), missing: [("state", "\"state\" is required")]),
        event(DncChangedBody(action: .added, phone: "+998901112233", source: "manual", actorId: a),
              wrong: [("action", "lost", "\"action\" must be added, removed or imported")]),
        event(DncChangedBody(action: .imported, count: 4, actorId: a)),
        event(QueueExplainedBody(explanation: ["dialing": false, "reason": "paused"], previousReason: "dialing"),
              missing: [("reason", "\"reason\" is required")]),
    ] }

    func testEveryBodyRoundTripsAndRefusesMissingAndMistypedFields() {
        for row in Self.rows { row.check(self) }
    }

    /// Every catalogue message has a body type that names it, and every such type has a row above.
    func testEveryCatalogueMessageHasItsBodyType() {
        for command in QueueCommand.allCases { XCTAssertEqual(command.bodyType.commandType, command.rawValue) }
        for command in DialerCommand.allCases { XCTAssertEqual(command.bodyType.commandType, command.rawValue) }
        for event in QueueEvent.allCases { XCTAssertTrue(event.bodyType.eventTypes.contains(event.rawValue), event.rawValue) }
        for event in DialerEvent.allCases { XCTAssertTrue(event.bodyType.eventTypes.contains(event.rawValue), event.rawValue) }
        let tested = Set(Self.rows.map(\.name))
        XCTAssertEqual(Set(IPCCatalogue.commandTypes + IPCCatalogue.eventTypes).subtracting(tested).sorted(), [],
                       "messages without a row in the body table")
    }

    /// Null counts as absent for an optional field, and absent optional fields are not sent.
    func testOptionalFieldsAreLeftOutAndNullIsAbsent() throws {
        let body = StartManualCallBody(actorId: Self.a, actorRole: .operator_, leadId: Self.b)
        XCTAssertNil(body.body["operatorId"])
        var withNull = body.body
        withNull["operatorId"] = .null
        XCTAssertEqual(try StartManualCallBody(body: withNull), body)
        XCTAssertEqual(CreateLeadBody(actorId: Self.a, fields: LeadFields(phone: "+998901112233")).body.keys, ["phone", "actorId"])
        XCTAssertEqual(LeadStatusChangedBody(lead: Self.lead, from: "a", to: "b", reason: "r", actorId: nil).body["actorId"], .null,
                       "an event's actorId is null, not absent, when the daemon acted")
    }

    private func check<Body: IPCBody & Equatable>(_ sample: Body, missing: [(String, String)], wrong: [(String, JSON, String)],
                                                 line: UInt) {
        XCTAssertEqual(try Body(body: sample.body), sample, "\(Body.commandType) round trip", line: line)
        checkRefusals(Body.commandType, sample.body, missing: missing, wrong: wrong, line: line) { _ = try Body(body: $0) }
    }

    private func checkEvent<Body: IPCEventBody & Equatable>(_ sample: Body, missing: [(String, String)],
                                                           wrong: [(String, JSON, String)], line: UInt) {
        let name = sample.event.rawValue
        XCTAssertEqual(try Body.decode(IPCMessage(type: name, id: 1, body: sample.body)), sample, "\(name) round trip", line: line)
        XCTAssertNil(try Body.decode(IPCMessage(type: "event.other", id: 1, body: sample.body)), line: line)
        checkRefusals(name, sample.body, missing: missing, wrong: wrong, line: line) { _ = try Body(body: $0) }
    }

    /// `decode` refuses `sample` without each `missing` key and with each `wrong` value.
    private func checkRefusals(_ name: String, _ sample: JSONObject, missing: [(String, String)], wrong: [(String, JSON, String)],
                               line: UInt, decode: (JSONObject) throws -> Void) {
        for (key, message) in missing {
            var body = sample
            XCTAssertNotNil(body[key], "\(name): the sample has no \(key)", line: line)
            body[key] = nil
            assertRefused(message, "\(name) without \(key)", line: line) { try decode(body) }
        }
        for (key, value, message) in wrong {
            var body = sample
            body[key] = value
            assertRefused(message, "\(name) with \(key) = \(value)", line: line) { try decode(body) }
        }
    }

    private func assertRefused(_ message: String, _ what: String, line: UInt, _ decode: () throws -> Void) {
        do {
            try decode()
            XCTFail("\(what): accepted", line: line)
        } catch let error as IPCError {
            XCTAssertEqual(error.status, 400, what, line: line)
            XCTAssertEqual(error.message, message, what, line: line)
        } catch {
            XCTFail("\(what): \(error)", line: line)
        }
    }
}
