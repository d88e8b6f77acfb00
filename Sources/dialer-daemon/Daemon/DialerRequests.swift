import Shared

/// The bodies of the dialer's IPC commands, parsed and validated (docs/ipc/dialer.md). Unknown
/// keys are ignored; a missing or malformed field is a 400 `validation_failed` naming the field.
/// Range checks that belong to the call data (notes length, duration) are left to the state
/// machine so there is one source of truth for them.
struct StartCallCommand: Equatable {
    var callId: String
    var leadId: String
    var operatorId: String?
    var to: String
    var mode: CallMode
    var operatorPhone: String?

    init(callId: String, leadId: String, operatorId: String?, to: String, mode: CallMode,
         operatorPhone: String? = nil) {
        self.callId = callId
        self.leadId = leadId
        self.operatorId = operatorId
        self.to = to
        self.mode = mode
        self.operatorPhone = operatorPhone
    }

    static func parse(_ body: JSONObject) -> Result<StartCallCommand, IPCError> {
        do {
            let modeText = try RequestFields.string(body, "mode")
            guard let mode = CallMode(rawValue: modeText) else {
                throw DialerErrors.validation("mode must be one of: automatic, manual")
            }
            return .success(StartCallCommand(
                callId: try RequestFields.objectID(body, "callId"),
                leadId: try RequestFields.objectID(body, "leadId"),
                operatorId: try RequestFields.optionalObjectID(body, "operatorId"),
                to: try RequestFields.phone(body, "to"),
                mode: mode,
                operatorPhone: try RequestFields.optionalPhone(body, "operatorPhone")))
        } catch let error as IPCError {
            return .failure(error)
        } catch {
            return .failure(DialerErrors.validation("\(error)"))
        }
    }
}

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

/// Field readers that throw a `validation_failed` IPCError naming the field.
enum RequestFields {
    static func string(_ body: JSONObject, _ key: String) throws -> String {
        guard let value = try optionalString(body, key) else {
            throw DialerErrors.validation("\(key) is required")
        }
        return value
    }

    /// nil when the key is absent or null.
    static func optionalString(_ body: JSONObject, _ key: String) throws -> String? {
        switch body[key] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw DialerErrors.validation("\(key) must be a string")
        }
    }

    static func optionalInt(_ body: JSONObject, _ key: String) throws -> Int? {
        switch body[key] {
        case nil, .null?: return nil
        case .int(let value)?: return Int(clamping: value)
        case .double(let value)? where value.rounded() == value && value.magnitude < 1e15: return Int(value)
        default: throw DialerErrors.validation("\(key) must be an integer")
        }
    }

    static func objectID(_ body: JSONObject, _ key: String) throws -> String {
        guard let id = try optionalObjectID(body, key) else { throw DialerErrors.validation("\(key) is required") }
        return id
    }

    static func optionalObjectID(_ body: JSONObject, _ key: String) throws -> String? {
        guard let text = try optionalString(body, key) else { return nil }
        guard ObjectID.isValid(text) else {
            throw DialerErrors.validation("\(key) must be a 24-character lowercase hex id")
        }
        return text
    }

    static func phone(_ body: JSONObject, _ key: String) throws -> String {
        guard let phone = try optionalPhone(body, key) else { throw DialerErrors.validation("\(key) is required") }
        return phone
    }

    static func optionalPhone(_ body: JSONObject, _ key: String) throws -> String? {
        guard let text = try optionalString(body, key) else { return nil }
        guard isPhone(text) else {
            throw DialerErrors.validation("\(key) must be a phone number: an optional + and "
                + "\(DialerLimits.minPhoneDigits) to \(DialerLimits.maxPhoneDigits) digits")
        }
        return text
    }

    /// An optional leading "+" followed by `minPhoneDigits...maxPhoneDigits` ASCII digits.
    static func isPhone(_ text: String) -> Bool {
        var digits = text.utf8[...]
        if digits.first == UInt8(ascii: "+") { digits = digits.dropFirst() }
        return (DialerLimits.minPhoneDigits...DialerLimits.maxPhoneDigits).contains(digits.count)
            && digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
