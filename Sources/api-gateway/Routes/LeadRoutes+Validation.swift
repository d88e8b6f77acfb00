import Shared

/// Input checks of the `/api/leads` routes: the create and update bodies (#7, #10) and the list
/// query (#8). The first bad field is reported as a 400 naming it (`HTTPError.validation`);
/// unknown body keys are refused the way the earlier version's Joi schemas did
/// (`"foo" is not allowed`). Field rules (`FieldRules`, the ones the CSV import and the
/// queue-daemon apply): phone normalised to E.164, name, email of a valid shape (empty allowed),
/// notes, tags; priority and status from their vocabularies.
enum LeadInput {

    static let createKeys: Set<String> = ["phone", "name", "email", "priority", "notes", "tags", "timezone"]
    static let updateKeys: Set<String> = createKeys.union(["status"])

    static var priorityNames: [String] { LeadPriority.allCases.map(\.rawValue) }
    static var statusNames: [String] { LeadStatus.allCases.map(\.rawValue) }

    /// The `queue.create_lead` fields of a `POST /api/leads` body (`actorId` not included).
    static func createFields(_ body: BodyFields, countryCode: String) throws -> LeadFields {
        try body.rejectUnknown(allowed: createKeys)
        var fields = LeadFields()
        fields.phone = try body.phone("phone", required: true, countryCode: countryCode)
        try readCommonFields(body, into: &fields, countryCode: countryCode)
        if fields.priority == nil { fields.priority = LeadPriority.medium.rawValue }
        return fields
    }

    /// The changed fields of a `PUT /api/leads/:id` body (at least one).
    static func updateFields(_ body: BodyFields, countryCode: String) throws -> (fields: LeadFields, status: LeadStatus?) {
        try body.rejectUnknown(allowed: updateKeys)
        var fields = LeadFields()
        fields.phone = try body.phone("phone", countryCode: countryCode)
        try readCommonFields(body, into: &fields, countryCode: countryCode)
        let status = try body.oneOf("status", allowed: statusNames, parse: LeadStatus.init(rawValue:))
        guard !fields.isEmpty || status != nil else {
            throw HTTPError.validation("At least one of \(updateKeys.sorted().joined(separator: ", ")) is required")
        }
        return (fields, status)
    }

    private static func readCommonFields(_ body: BodyFields, into fields: inout LeadFields,
                                         countryCode: String) throws {
        fields.name = try body.string(FieldRules.leadName)
        fields.email = try optionalEmail(body)
        fields.priority = try body.oneOf("priority", allowed: priorityNames, parse: LeadPriority.init(rawValue:))?.rawValue
        fields.notes = try body.string(FieldRules.leadNotes, multiline: true)
        if let tags = try body.stringArray(count: FieldRules.leadTags, item: FieldRules.leadTag) {
            var unique: [String] = []
            for tag in tags where !tag.isEmpty && !unique.contains(tag) { unique.append(tag) }
            fields.tags = unique
        }
        fields.timezone = try timezone(body)
    }

    /// `timezone`: an IANA name (400 otherwise), "" to go back to the zone of the phone; nil when
    /// absent or null (null is an absent field, as everywhere in the gateway).
    static func timezone(_ body: BodyFields) throws -> String? {
        guard let value = body.object["timezone"], value != .null else { return nil }
        guard case .string(let raw) = value else { throw HTTPError.validation("\"timezone\" must be a string") }
        if raw.allSatisfy({ $0 == " " }) { return "" }
        guard let name = TimeZoneName.validated(raw) else { throw HTTPError.validation(TimeZoneName.invalidMessage(raw)) }
        return name
    }

    /// An email of a valid shape (lower-cased), or "" to clear it; nil when absent.
    private static func optionalEmail(_ body: BodyFields) throws -> String? {
        if case .string(let raw)? = body.object["email"], raw.allSatisfy({ $0 == " " || $0 == "\t" }) { return "" }
        return try body.email("email")
    }

    /// `GET /api/leads` query → filter. `user` decides the scope: operators see active leads that
    /// are unassigned or theirs, and may not ask for deleted ones (403).
    static func listFilter(_ request: HTTPRequest, user: AuthUser, pagination: Pagination) throws -> LeadListFilter {
        var filter = LeadListFilter()
        filter.page = pagination.page
        filter.limit = pagination.limit
        filter.status = try QueryParams.oneOf(request, "status", allowed: statusNames, parse: LeadStatus.init(rawValue:))
        filter.priority = try QueryParams.oneOf(request, "priority", allowed: priorityNames,
                                                parse: LeadPriority.init(rawValue:))
        filter.search = try QueryParams.string(request, "search", maxLength: LeadListFilter.maxSearchLength)
        filter.assignedTo = try QueryParams.id(request, "assignedTo")
        filter.doNotCall = try QueryParams.bool(request, "doNotCall")
        filter.sort = try QueryParams.oneOf(request, "sortBy", allowed: LeadSortField.allCases.map(\.rawValue),
                                            parse: LeadSortField.init(rawValue:)) ?? .createdAt
        filter.descending = try QueryParams.oneOf(request, "sortOrder", allowed: ["asc", "desc"]) {
            $0 == "asc" ? false : $0 == "desc" ? true : nil
        } ?? true
        filter.includeDeleted = try includeDeleted(request, user: user)
        if !user.isAdmin { filter.visibleTo = user.id }
        return filter
    }

    /// The `includeDeleted` query flag (default false); only admins may set it (403).
    static func includeDeleted(_ request: HTTPRequest, user: AuthUser) throws -> Bool {
        let includeDeleted = try QueryParams.bool(request, "includeDeleted") ?? false
        if includeDeleted && !user.isAdmin {
            throw HTTPError.forbidden(AuthGuard.adminRequired, message: "Only admins can see deleted leads")
        }
        return includeDeleted
    }
}
