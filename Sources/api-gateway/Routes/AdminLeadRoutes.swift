import Shared

/// `POST /api/admin/leads/bulk-action` (route #30, admin), validated here before anything is
/// forwarded (fix of bug 30: the earlier version stored any string): `action` is one of
/// `update_priority`, `update_status`, `add_tags`, `delete`; `leadIds` holds 1…`FieldRules.bulkLeadIds` valid
/// ids (duplicates dropped); `data` carries what the action needs (`priority`, `status` or
/// `tags`), checked against the vocabularies. The queue-daemon applies it in one transaction
/// (each status change through its state machine) and reports what it skipped →
/// `{"message":"Bulk action '<action>' completed successfully","modifiedCount","leadIds","skipped"}`.
struct AdminLeadRoutes: RouteModule {
    static let path = "/api/admin/leads/bulk-action"
    /// Most leads one bulk action may name.

    typealias Action = BulkActionBody.Action

    static let invalidRequest = HTTPError.badRequest("Invalid request: action and leadIds array required",
        message: "Send {\"action\": <string>, \"leadIds\": [<lead id>, …], \"data\": {…}}")
    static let invalidAction = HTTPError.badRequest("Invalid action specified",
        message: "Allowed actions: " + Action.allCases.map(\.rawValue).joined(separator: ", "))

    let ctx: GatewayContext

    func register(on router: Router) {
        ctx.route(router, "POST", Self.path, access: .admin) { request, responder in
            bulkAction(request, responder)
        }
    }

    func bulkAction(_ request: HTTPRequest, _ responder: HTTPResponder) {
        let action: Action
        let command: BulkActionBody
        do {
            let user = try ctx.caller(request)
            (action, command) = try Self.command(try ctx.bodyFields(request), actorID: user.id)
        } catch {
            return ctx.fail(responder, error)
        }
        ctx.forward(command, responder: responder) { reply in
            .json(200, .object(JSONObject([
                ("message", .string("Bulk action '\(action.rawValue)' completed successfully")),
                ("modifiedCount", .int(reply["modifiedCount"]?.int ?? 0)),
                ("leadIds", reply["leadIds"] ?? .array([])),
                ("skipped", reply["skipped"] ?? .array([])),
            ])))
        }
    }

    /// The validated action and the `queue.bulk_action` body `{actorId, action, leadIds, data}`.
    static func command(_ body: BodyFields, actorID: String) throws -> (Action, BulkActionBody) {
        guard case .string(let actionName)? = body.object["action"], case .array(let rawIDs)? = body.object["leadIds"] else {
            throw invalidRequest
        }
        guard let action = Action(rawValue: actionName) else { throw invalidAction }
        let leadIDs = try Self.leadIDs(rawIDs)
        let change = try Self.change(for: action, body.object["data"])
        return (action, BulkActionBody(actorId: actorID, change: change, leadIds: leadIDs))
    }

    /// 1…`FieldRules.bulkLeadIds` valid ids, first occurrence order, duplicates dropped.
    static func leadIDs(_ raw: [JSON]) throws -> [String] {
        guard !raw.isEmpty else { throw HTTPError.validation("\"leadIds\" must contain at least 1 item") }
        if let message = FieldRules.bulkLeadIds.violation(count: raw.count) { throw HTTPError.validation(message) }
        var seen = Set<String>()
        var ids: [String] = []
        for (index, value) in raw.enumerated() {
            guard case .string(let id) = value, ObjectID.isValid(id) else { throw HTTPError.invalidID("leadIds[\(index)]") }
            if seen.insert(id).inserted { ids.append(id) }
        }
        return ids
    }

    /// The action with the `data` it needs, validated; `delete` needs none.
    static func change(for action: Action, _ raw: JSON?) throws -> BulkChange {
        if action == .delete { return .delete }
        guard case .object(let object)? = raw else { throw HTTPError.validation("\"data\" must be an object") }
        let data = BodyFields(object)
        switch action {
        case .updatePriority:
            let priority = try data.oneOf("priority", required: true, allowed: LeadInput.priorityNames,
                                          parse: LeadPriority.init(rawValue:))
            return .updatePriority(priority?.rawValue ?? "")
        case .updateStatus:
            let status = try data.oneOf("status", required: true, allowed: LeadInput.statusNames,
                                        parse: LeadStatus.init(rawValue:))
            return .updateStatus(status?.rawValue ?? "")
        case .addTags:
            let tags = try data.stringArray(count: FieldRules.leadTags, item: FieldRules.leadTag, required: true) ?? []
            var unique: [String] = []
            for tag in tags where !tag.isEmpty && !unique.contains(tag) { unique.append(tag) }
            guard !unique.isEmpty else { throw HTTPError.validation("\"tags\" must contain at least 1 non-empty tag") }
            return .addTags(unique)
        case .delete:
            return .delete
        case .updateTimezone:
            guard let zone = try LeadInput.timezone(data) else {
                throw HTTPError.validation("\"timezone\" is required (an IANA name, or \"\" for the zone of the phone number)")
            }
            return .updateTimezone(zone)
        }
    }
}
