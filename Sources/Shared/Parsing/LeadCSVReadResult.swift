/// What a CSV reader (`LeadCSVReader`, `DoNotCallCSVReader`) makes of an uploaded file: the rows to
/// import, the rows rejected (with their physical line numbers), the lines skipped as in-file
/// duplicates, or one whole-file error.
/// Invariant: `rows.count + errors.count + duplicateLines.count == totalDataRows`.
public struct CSVReadResult<Row: Sendable & Equatable>: Sendable, Equatable {
    public var rows: [Row] = []
    public var errors: [LeadRowError] = []
    /// Lines whose (normalised) phone was already accepted earlier in the same file.
    public var duplicateLines: [Int] = []
    /// Every non-blank data row (the header and blank lines excluded).
    public var totalDataRows = 0
    /// Set when the file as a whole cannot be imported; then the lists above are empty.
    public var fileError: LeadCSVFileError?

    public init() {}
}

/// `LeadCSVReader`'s result: a row per valid lead.
public typealias LeadCSVReadResult = CSVReadResult<LeadImportRow>

/// One valid lead from the file, normalised and ready to insert.
public struct LeadImportRow: Sendable, Equatable {
    /// 1-based physical line where the record starts.
    public var line: Int
    /// E.164 (`+998901234567`).
    public var phone: String
    public var name: String
    public var email: String
    public var priority: LeadPriority
    public var notes: String
    public var tags: [String]
    /// An explicit IANA zone (`timezone`/`tz` column, validated), "" to derive it from the phone.
    public var timezone: String

    public init(line: Int, phone: String, name: String = "", email: String = "", priority: LeadPriority = .medium,
                notes: String = "", tags: [String] = [], timezone: String = "") {
        self.timezone = timezone
        self.line = line
        self.phone = phone
        self.name = name
        self.email = email
        self.priority = priority
        self.notes = notes
        self.tags = tags
    }
}

/// A rejected data row: its line and a message for the uploader (e.g. `Invalid phone number: 12ab`).
public struct LeadRowError: Error, Sendable, Equatable {
    public var line: Int
    public var message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }
}

/// Reasons the whole file is refused.
public enum LeadCSVFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No header row (the file is empty or only blank lines).
    case emptyFile
    /// The header row has no phone column under any accepted name.
    case missingPhoneColumn
    /// The CSV itself is broken (unterminated quote, a field or row over the limits).
    case malformed(CSVError)

    public var description: String {
        switch self {
        case .emptyFile: return "CSV file is empty"
        case .missingPhoneColumn:
            return "CSV file has no phone column (accepted headers: phone, telephone, tel, mobile, phone_number)"
        case .malformed(let error): return "Malformed CSV: \(error.description)"
        }
    }
}
