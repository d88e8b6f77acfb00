import Shared

/// The bodies of the dialer's IPC commands, parsed and validated (docs/ipc/dialer.md). Unknown
/// keys are ignored; a missing or malformed field is a 400 `validation_failed` naming the field.
/// Range checks that belong to the call data (notes length, duration) are left to the state
/// machine so there is one source of truth for them.
struct UpdateCallCommand: Equatable {
    var actorId: String
    var actorRole: UserRole
    var callId: String
    var status: CallStatus?
    var notes: String?
    var duration: Int?

    static func parse(_ body: JSONObject) -> Result<UpdateCallCommand, IPCError> {
        do {
            let roleText = try RequestFields.string(body, "actorRole")
            guard let role = UserRole(input: roleText) else {
                throw DialerErrors.validation("actorRole must be one of: admin, operator")
            }
            var status: CallStatus?
            if let text = try RequestFields.optionalString(body, "status") {
                guard let parsed = CallStatus(rawValue: text), CallStatus.operatorSettable.contains(parsed) else {
                    throw DialerErrors.validation("status must be one of: \(DialerErrors.statusList)")
                }
                status = parsed
            }
            let command = UpdateCallCommand(
                actorId: try RequestFields.objectID(body, "actorId"), actorRole: role,
                callId: try RequestFields.objectID(body, "callId"), status: status,
                notes: try RequestFields.optionalString(body, "notes"),
                duration: try RequestFields.optionalInt(body, "duration"))
            guard command.status != nil || command.notes != nil || command.duration != nil else {
                throw DialerErrors.validation("Nothing to update: give status, notes or duration")
            }
            return .success(command)
        } catch let error as IPCError {
            return .failure(error)
        } catch {
            return .failure(DialerErrors.validation("\(error)"))
        }
    }
}
