/// Each field limit written once (issue 11, "one rule per field"): the gateway checks it for its
/// 400, the CSV reader for its row errors, the owning daemon as its last check — all with these
/// numbers. The wording of each side's message is part of the API and stays where it is.
public enum FieldLimits {
    /// A lead's name, characters.
    public static let leadName = 100
    /// A lead's notes, characters.
    public static let leadNotes = 500
    /// A lead's email, characters.
    public static let leadEmail = 254
    /// Tags per lead, and characters per tag.
    public static let leadTags = 20
    public static let leadTagLength = 50
    /// Digits after the `+` of a lead's E.164 phone.
    public static let leadPhoneDigits = 8...15
    /// A call's notes: UTF-16 code units, the earlier version's `maxlength: 1000`.
    public static let callNotes = 1000
    /// `max_concurrent_calls`: the queue setting, `IBRAT_MAX_CONCURRENT_CALLS` and the admin route.
    public static let maxConcurrentCalls = 1...10_000
}
