/// The validated fields of a lead about to be inserted, from `queue.create_lead` or a staged CSV
/// import row. Validation happens in `LeadFieldValidator`; this type only carries the result.

import Shared

@dynamicMemberLookup
struct NewLead: Equatable {
    var contact: LeadContact
    var priority: LeadPriority = .medium
    /// An explicit IANA zone (validated), nil to derive the zone from the phone.
    var timezone: String?

    /// The contact fields, read and set through the lead (`lead.phone`).
    subscript<Value>(dynamicMember keyPath: WritableKeyPath<LeadContact, Value>) -> Value {
        get { contact[keyPath: keyPath] }
        set { contact[keyPath: keyPath] = newValue }
    }
}

/// Where a lead came from (`leads.source`).
enum LeadSource: String {
    case manual
    case csvUpload = "csv_upload"
}
