/// What a lead is, as opposed to where it stands in the queue (`LeadSnapshot`): its number and the
/// fields people read and edit. Written once for a lead about to be inserted (`NewLead`) and a
/// stored one (`LeadRecord`), which read these fields through it (`lead.phone`).

struct LeadContact: Equatable {
    /// E.164: `+` and 8 to 15 digits.
    var phone: String
    var name: String = ""
    /// Lower-cased, or "".
    var email: String = ""
    var notes: String = ""
    var tags: [String] = []
}
