/// The validated fields of a lead about to be inserted, from `queue.create_lead` or a staged CSV
/// import row. Validation happens in `LeadFieldValidator`; this type only carries the result.

import Shared

struct NewLead: Equatable {
    /// E.164: `+` and 8 to 15 digits.
    var phone: String
    var name: String = ""
    /// Lower-cased, or "".
    var email: String = ""
    var priority: LeadPriority = .medium
    var notes: String = ""
    var tags: [String] = []
    /// An explicit IANA zone (validated), nil to derive the zone from the phone.
    var timezone: String?
}

/// Where a lead came from (`leads.source`).
enum LeadSource: String {
    case manual
    case csvUpload = "csv_upload"
}
