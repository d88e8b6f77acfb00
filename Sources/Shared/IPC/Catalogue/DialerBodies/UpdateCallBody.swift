/// `dialer.update_call {actorId, actorRole, callId, status?, notes?, duration?}`: an operator's
/// report on a call (the gateway's `PUT /api/operator/calls/:id/update`, `PUT
/// /api/calls/:id/status` and the Socket.IO `update_call_notes`), decoded by the dialer-daemon
/// (docs/ipc/dialer.md). At least one of `status`, `notes`, `duration` (null = absent); `status`
/// one a person may report (`CallStatus.operatorSettable`). Range checks (notes length, duration)
/// are the dialer's call state machine's.
public struct UpdateCallBody: IPCBody, Equatable {
    public static var command: DialerCommand { .updateCall }
    public static let statusList = CallStatus.operatorSettable.map(\.rawValue).joined(separator: ", ")

    /// What the report changes (the gateway validates these before it builds the body).
    public struct Changes: Equatable, Sendable {
        public var status: CallStatus?
        public var notes: String?
        public var duration: Int?

        public init(status: CallStatus? = nil, notes: String? = nil, duration: Int? = nil) {
            self.status = status
            self.notes = notes
            self.duration = duration
        }

        public var isEmpty: Bool { status == nil && notes == nil && duration == nil }
    }

    public var actorId: String
    public var actorRole: UserRole
    public var callId: String
    public var changes: Changes

    public var status: CallStatus? { changes.status }
    public var notes: String? { changes.notes }
    public var duration: Int? { changes.duration }

    public init(actorId: String, actorRole: UserRole, callId: String, changes: Changes) {
        self.actorId = actorId
        self.actorRole = actorRole
        self.callId = callId
        self.changes = changes
    }

    public init(actorId: String, actorRole: UserRole, callId: String, status: CallStatus?, notes: String?, duration: Int?) {
        self.init(actorId: actorId, actorRole: actorRole, callId: callId,
                  changes: Changes(status: status, notes: notes, duration: duration))
    }

    public init(body: JSONObject) throws {
        let roleText = try RequestFields.string(body, "actorRole")
        guard let role = UserRole(input: roleText) else {
            throw IPCError.validationFailed("actorRole must be one of: admin, operator")
        }
        var status: CallStatus?
        if let text = try RequestFields.optionalString(body, "status") {
            guard let parsed = CallStatus(rawValue: text), CallStatus.operatorSettable.contains(parsed) else {
                throw IPCError.validationFailed("status must be one of: \(Self.statusList)")
            }
            status = parsed
        }
        self.init(actorId: try RequestFields.objectID(body, "actorId"), actorRole: role,
                  callId: try RequestFields.objectID(body, "callId"), status: status,
                  notes: try RequestFields.optionalString(body, "notes"),
                  duration: try RequestFields.optionalInt(body, "duration"))
        guard !changes.isEmpty else {
            throw IPCError.validationFailed("Nothing to update: give status, notes or duration")
        }
    }

    public var body: JSONObject {
        var body = JSONObject([("actorId", .string(actorId)), ("actorRole", .string(actorRole.rawValue)),
                               ("callId", .string(callId))])
        body["status"] = status.map { .string($0.rawValue) }
        body["notes"] = notes.map(JSON.string)
        body["duration"] = duration.map { .int(Int64($0)) }
        return body
    }
}
