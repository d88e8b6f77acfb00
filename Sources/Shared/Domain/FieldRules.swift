/// Every request field rule, written once (issue 11, "one rule per field"). Each is checked by the
/// gateway for its 400 and by the owning daemon as its last check, with the same limit, the same
/// unit (UTF-16 code units, see `FieldRule`) and the same message:
///
/// | rule | gateway | owner's last check |
/// |---|---|---|
/// | `leadName`, `leadNotes`, `leadEmail`, `leadTag`, `leadTags`, `leadPhone` | `LeadInput` (POST/PUT `/api/leads`), `LeadCSVReader` (upload rows) | queue-daemon `LeadFieldValidator` (create, update, bulk, import rows) |
/// | `callNotes`, `callDuration` | `CallCommands.updateChanges` (PUT call status/update); notes also Socket.IO `update_call_notes` | dialer-daemon `CallStateMachine` (`operatorUpdate`) |
/// | `bulkLeadIds` | `AdminLeadRoutes` (`POST /api/admin/leads/bulk-action`) | queue-daemon `BulkActionCommand` |
/// | `doNotCallReason` | `AdminDoNotCallRoutes`, `DoNotCallCSVReader` (upload rows) | queue-daemon `DoNotCallCommand` |
/// | `userName`, `userPassword` | `AuthRoutes` (register), `UserRoutes` (update) | the gateway owns users; `IBRAT_ADMIN_PASSWORD` at start-up (`Config`, `AdminBootstrap`) |
/// | `maxConcurrentCalls` | `AdminRoutes` (`set_max_concurrent_calls`) | queue-daemon `ControlCommand`, `QueueSettingsStore`; `IBRAT_MAX_CONCURRENT_CALLS` at start-up |
///
/// The CSV upload reports a broken rule in its own row wording (`Line 3: Notes must be at most 500
/// characters`), part of the upload response since the first version; the limit is the rule's.
public enum FieldRules {
    /// A lead's name: at most 100 (the earlier version's `createLead` schema).
    public static let leadName = FieldRule("name", .utf16Length, 0...100, phrase: "must be 0 to 100 characters long")
    /// A lead's notes: at most 500 (the earlier version's Lead model).
    public static let leadNotes = FieldRule("notes", .utf16Length, 0...500, phrase: "must be 0 to 500 characters long")
    /// A lead's email ("" clears it): `EmailAddress`'s shape, at most 254 bytes (RFC 5321 path).
    public static let leadEmail = FieldRule("email", .emailAddress, 1...EmailAddress.maxLength,
                                            phrase: "must be a valid email address")
    /// One tag of a lead: at most 50.
    public static let leadTag = FieldRule("tags", .utf16Length, 0...50, phrase: "must be at most 50 characters long")
    /// Tags per lead: at most 20.
    public static let leadTags = FieldRule("tags", .itemCount, 0...20, phrase: "must contain at most 20 items")
    /// A lead's phone once normalised: E.164, `+` and 8 to 15 digits (country code included).
    public static let leadPhone = FieldRule("phone", .e164Digits, 8...15, phrase: "must be a valid phone number")
    /// A call's notes: at most 1000 (the earlier version's CallLog `maxlength: 1000`), on the REST
    /// routes and the Socket.IO `update_call_notes` event alike.
    public static let callNotes = FieldRule("notes", .utf16Length, 0...1000, phrase: "must be 0 to 1000 characters long")
    /// A duration an operator reports for a call, seconds: at most one day.
    public static let callDuration = FieldRule("duration", .integer, 0...86_400, phrase: "must be between 0 and 86400")
    /// Leads named by one bulk action (emptiness is refused on its own: `must contain at least 1 item`).
    public static let bulkLeadIds = FieldRule("leadIds", .itemCount, 0...1_000, phrase: "must contain at most 1000 items")
    /// Why a number is on the do-not-call list: at most 200.
    public static let doNotCallReason = FieldRule("reason", .utf16Length, 0...200, phrase: "must be 0 to 200 characters long")
    /// A user's name: 2 to 100 (the earlier version's `registerUser` schema), after trimming.
    public static let userName = FieldRule("name", .utf16Length, 2...100, phrase: "must be 2 to 100 characters long")
    /// A user's password: 8 to 256, not trimmed (the hasher also caps it at 256 UTF-8 bytes).
    public static let userPassword = FieldRule("password", .utf16Length, 8...256, phrase: "must be 8 to 256 characters long")
    /// `max_concurrent_calls`: the admin route's `value`, the queue setting and
    /// `IBRAT_MAX_CONCURRENT_CALLS`.
    public static let maxConcurrentCalls = FieldRule("value", .integer, 1...10_000, phrase: "must be between 1 and 10000")
}
