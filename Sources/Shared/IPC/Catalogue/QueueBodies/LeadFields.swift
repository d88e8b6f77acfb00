/// The lead fields `queue.create_lead` and `queue.update_lead` carry (and an import row written as
/// an object): `{phone?, name?, email?, priority?, notes?, tags?, timezone?}`, each absent (or
/// null) or of its JSON type. Decoding checks presence and types only (`"tags" must be an array
/// of strings`); the field rules (lengths, shapes) stay with the owner, `LeadFieldValidator`.
public struct LeadFields: Equatable, Sendable {
    public var phone: String?
    public var name: String?
    public var email: String?
    public var priority: String?
    public var notes: String?
    public var tags: [String]?
    /// An IANA zone name; "" = back to the zone of the phone (`queue.update_lead`).
    public var timezone: String?

    public init(phone: String? = nil, name: String? = nil, email: String? = nil, priority: String? = nil,
                notes: String? = nil, tags: [String]? = nil, timezone: String? = nil) {
        self.phone = phone
        self.name = name
        self.email = email
        self.priority = priority
        self.notes = notes
        self.tags = tags
        self.timezone = timezone
    }

    /// Reads the fields in the order the queue reports them (`phone` first).
    public init(body: CommandBody) throws {
        self.init(phone: try body.optionalString("phone"), name: try body.optionalString("name"),
                  email: try body.optionalString("email"), priority: try body.optionalString("priority"),
                  notes: try body.optionalString("notes"), tags: try body.optionalStringArray("tags"),
                  timezone: try body.optionalString("timezone"))
    }

    public var isEmpty: Bool { self == LeadFields() }

    /// Adds the present fields to `body` (absent ones are left out, never sent as null).
    public func encode(into body: inout JSONObject) {
        body["phone"] = phone.map(JSON.string)
        body["name"] = name.map(JSON.string)
        body["email"] = email.map(JSON.string)
        body["priority"] = priority.map(JSON.string)
        body["notes"] = notes.map(JSON.string)
        body["tags"] = tags.map { .array($0.map(JSON.string)) }
        body["timezone"] = timezone.map(JSON.string)
    }
}
