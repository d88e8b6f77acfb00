/// Reads an uploaded do-not-call CSV (issue 12): a header row with a phone column (the lead CSV's
/// names: phone, telephone, tel, mobile, phone_number) and an optional reason column (reason,
/// note, notes, comment). Each data row yields one number (normalised to E.164 with the default
/// country code), an error naming its line, or a duplicate of an earlier line. Blank rows are
/// skipped. Pure: no IO.
public enum DoNotCallCSVReader {
    /// `FieldRules.doNotCallReason`, reported in the upload's row wording.
    public static var maxReasonLength: Int { FieldRules.doNotCallReason.limit.upperBound }
    static let reasonHeaders: Set<String> = ["reason", "note", "notes", "comment", "comments"]

    public struct Entry: Equatable, Sendable {
        public var line: Int
        public var phone: String
        public var reason: String
    }

    /// A row per valid number, with the lead reader's errors, duplicates and file error.
    public typealias Result = CSVReadResult<Entry>

    public static func read(_ csv: UnsafeRawBufferPointer, defaultCountryCode: String) -> Result {
        var result = Result()
        var phoneColumns: [Int]?
        var reasonColumns: [Int] = []
        var seen = Set<String>()
        do {
            try CSVParser.parse(csv) { fields, line in
                if fields.allSatisfy({ ParsingText.trim($0).isEmpty }) { return }
                guard let columns = phoneColumns else {
                    let mapped = LeadCSVReader.mapHeader(fields)
                    guard !mapped[LeadCSVReader.Field.phone.rawValue].isEmpty else { throw LeadCSVFileError.missingPhoneColumn }
                    phoneColumns = mapped[LeadCSVReader.Field.phone.rawValue]
                    for (index, raw) in fields.enumerated()
                    where reasonHeaders.contains(ParsingText.asciiLowercased(ParsingText.trim(raw))) {
                        reasonColumns.append(index)
                    }
                    return
                }
                result.totalDataRows += 1
                let rawPhone = first(columns, fields)
                guard !rawPhone.isEmpty else {
                    return result.errors.append(LeadRowError(line: line, message: "Phone number is required"))
                }
                guard let phone = PhoneNumber.normalize(rawPhone, defaultCountryCode: defaultCountryCode) else {
                    return result.errors.append(LeadRowError(line: line, message: "Invalid phone number: \(rawPhone)"))
                }
                let reason = first(reasonColumns, fields)
                guard FieldRules.doNotCallReason.fits(reason) else {
                    return result.errors.append(LeadRowError(line: line, message: "Reason must be at most \(maxReasonLength) characters"))
                }
                guard seen.insert(phone).inserted else { return result.duplicateLines.append(line) }
                result.rows.append(Entry(line: line, phone: phone, reason: reason))
            }
        } catch let error as CSVError {
            result.fileError = .malformed(error)
        } catch {
            result.fileError = error as? LeadCSVFileError ?? .missingPhoneColumn
        }
        if result.fileError == nil, phoneColumns == nil { result.fileError = .emptyFile }
        return result
    }

    private static func first(_ columns: [Int], _ fields: [String]) -> String {
        for index in columns where index < fields.count {
            let value = ParsingText.trim(fields[index])
            if !value.isEmpty { return value }
        }
        return ""
    }
}
