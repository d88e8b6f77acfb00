import Shared

/// Client → server events (reference §4.1, with its bugs fixed): `authenticate`, `join_room` /
/// `leave_room` (only rooms the user may be in), `update_availability` (strict boolean, through
/// the REST route's code path), `update_call_notes` (`FieldRules.callNotes`, as the REST routes; forwarded to the
/// dialer-daemon, which enforces that operators only annotate their own calls; with `disposition`
/// and `callbackAt` it records the disposition through the queue-daemon first, issue 12),
/// `typing_start` / `typing_stop`, and `get_online_users` (admins: who is online now, so a panel
/// opened mid-day knows the presence that `user_online`/`user_offline` then keep current). When the
/// client asked for an ack, the outcome goes in the ack
/// (`{ok:true,…}` or `{ok:false, message}`); otherwise a failure is an `error {message}` event.
/// An argument sent as binary is a placeholder object to these handlers (so a binary `notes` is
/// "notes must be a string", not a dropped session). Unknown events are ignored; `echo` exists
/// only with the test-only `IBRAT_WS_ECHO=1` (`RealtimeHub+Echo.swift`).
extension RealtimeHub {
    static let notAuthenticated = "Not authenticated"
    static let roomNotAllowed = "Not allowed to join room"
    static let availabilityNotBoolean = "isAvailable must be a boolean value"
    static let callIdInvalid = "callId must be a valid call id"
    static let notesNotString = "notes must be a string"
    static let adminOnly = "Access denied. Admin role required."

    func clientEvent(_ socket: SocketIOSocket, _ name: String, _ arguments: [JSON], _ ackId: Int64?,
                     attachments: [[UInt8]] = []) {
        let payload = arguments.first
        switch name {
        case "authenticate": authenticateEvent(socket, payload, ackId)
        case "join_room": joinRoom(socket, payload, ackId)
        case "leave_room": leaveRoom(socket, payload, ackId)
        case "update_availability": updateAvailability(socket, payload, ackId)
        case "update_call_notes": updateCallNotes(socket, payload, ackId)
        case "get_online_users": onlineUsers(socket, ackId)
        case "typing_start": typing(socket, true)
        case "typing_stop": typing(socket, false)
        case Self.echoEvent where echoEnabled: echo(socket, arguments, ackId, attachments)
        default: break
        }
    }

    private func authenticateEvent(_ socket: SocketIOSocket, _ payload: JSON?, _ ackId: Int64?) {
        let result: Result<RealtimeIdentity, RealtimeAuthFailure>
        if let token = payload?["token"]?.string, !token.isEmpty {
            result = backend.authenticate(token: token)
        } else {
            result = .failure(.tokenRequired)
        }
        switch result {
        case .success(let identity):
            authenticated(socket, identity, ackId: ackId)
        case .failure(let failure):
            backend.logger?.debug("realtime: authenticate refused: \(failure.message)")
            socket.emit("auth_error", [.object(["message": .string(failure.message)])])
            if let ackId { socket.acknowledge(ackId, [Self.failure(failure.message)]) }
        }
    }

    private func joinRoom(_ socket: SocketIOSocket, _ payload: JSON?, _ ackId: Int64?) {
        guard let identity = socket.identity else { return reply(socket, ackId, .failure(.init(Self.notAuthenticated))) }
        guard let room = payload?.string, RealtimeRooms.mayJoin(room, identity) else {
            return reply(socket, ackId, .failure(.init(Self.roomNotAllowed)))
        }
        io.join(socket, room)
        reply(socket, ackId, .success(["room": .string(room)]))
    }

    private func leaveRoom(_ socket: SocketIOSocket, _ payload: JSON?, _ ackId: Int64?) {
        guard socket.identity != nil, let room = payload?.string else { return }
        io.leave(socket, room)
        reply(socket, ackId, .success(["room": .string(room)]))
    }

    private func updateAvailability(_ socket: SocketIOSocket, _ payload: JSON?, _ ackId: Int64?) {
        guard let identity = socket.identity else { return reply(socket, ackId, .failure(.init(Self.notAuthenticated))) }
        guard let value = payload?["isAvailable"]?.bool else {
            return reply(socket, ackId, .failure(.init(Self.availabilityNotBoolean)))
        }
        switch backend.setAvailability(identity, isAvailable: value) {
        case .success(let stored): reply(socket, ackId, .success(["isAvailable": .bool(stored)]))
        case .failure(let error): reply(socket, ackId, .failure(error))
        }
    }

    private func updateCallNotes(_ socket: SocketIOSocket, _ payload: JSON?, _ ackId: Int64?) {
        guard let identity = socket.identity else { return reply(socket, ackId, .failure(.init(Self.notAuthenticated))) }
        guard let callId = payload?["callId"]?.string, ObjectID.isValid(callId) else {
            return reply(socket, ackId, .failure(.init(Self.callIdInvalid)))
        }
        if let object = payload?.object, let disposition = object["disposition"], disposition != .null {
            // Issue 12: the disposition first (queue-daemon), then the notes when given.
            backend.setDisposition(identity, callId: callId, payload: object) { [weak self, weak socket] result in
                guard let self, let socket else { return }
                switch result {
                case .failure(let error):
                    self.reply(socket, ackId, .failure(error))
                case .success:
                    if object["notes"]?.string != nil { return self.updateCallNotes(socket, JSON.object(
                        JSONObject([("callId", .string(callId)), ("notes", object["notes"] ?? .null)])), ackId) }
                    self.reply(socket, ackId, .success(["callId": .string(callId), "disposition": disposition]))
                }
            }
            return
        }
        guard let notes = payload?["notes"]?.string else { return reply(socket, ackId, .failure(.init(Self.notesNotString))) }
        if let tooLong = FieldRules.callNotes.violation(length: notes) { return reply(socket, ackId, .failure(.init(tooLong))) }
        backend.updateCallNotes(identity, callId: callId, notes: notes) { [weak self, weak socket] result in
            guard let self else { return }
            switch result {
            case .success(let call):
                let owner = RealtimeEventTranslator.reference(call["salesperson"]) ?? identity.userId
                let update: JSON = .object(JSONObject([
                    ("callId", .string(callId)), ("notes", .string(notes)), ("updatedBy", .string(identity.userId)),
                    ("timestamp", .string(Timestamp.iso8601(millis: self.backend.nowMillis()))),
                ]))
                if let socket { self.reply(socket, ackId, .success(["callId": .string(callId), "notes": .string(notes)])) }
                self.io.broadcast("call_notes_updated", [update], to: RealtimeRooms.userAndAdmins(owner))
            case .failure(let error):
                if let socket { self.reply(socket, ackId, .failure(error)) }
            }
        }
    }

    private func onlineUsers(_ socket: SocketIOSocket, _ ackId: Int64?) {
        guard let identity = socket.identity else { return reply(socket, ackId, .failure(.init(Self.notAuthenticated))) }
        guard identity.isAdmin else { return reply(socket, ackId, .failure(.init(Self.adminOnly))) }
        reply(socket, ackId, .success(["userIds": .array(presence.userIds.map(JSON.string))]))
    }

    private func typing(_ socket: SocketIOSocket, _ isTyping: Bool) {
        guard let identity = socket.identity else { return }
        let payload: JSON = .object(JSONObject([("userId", .string(identity.userId)), ("name", .string(identity.name)),
                                                ("isTyping", .bool(isTyping))]))
        io.broadcast("user_typing", [payload], to: [RealtimeRooms.admin], except: socket)
    }

    /// The outcome of a client action: in the ack when one was asked for, else failures only,
    /// as `error {message}`.
    private func reply(_ socket: SocketIOSocket, _ ackId: Int64?, _ result: Result<JSONObject, RealtimeActionError>) {
        switch (result, ackId) {
        case (.success(var body), let id?):
            body["ok"] = .bool(true)
            socket.acknowledge(id, [.object(body)])
        case (.failure(let error), let id?):
            socket.acknowledge(id, [Self.failure(error.message)])
        case (.failure(let error), nil):
            socket.emit("error", [.object(["message": .string(error.message)])])
        case (.success, nil):
            break
        }
    }

    static func failure(_ message: String) -> JSON {
        .object(JSONObject([("ok", .bool(false)), ("message", .string(message))]))
    }
}
