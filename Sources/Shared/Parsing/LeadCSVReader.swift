/// Turns an uploaded leads CSV into validated import rows (DESIGN §6, original-behaviour §7 with its
/// bugs fixed). Header names are matched case-insensitively, trimmed, and with spaces, `_` and `-`
/// ignored (`Phone Number`, `phone_number`, `E-mail`); the first non-blank record is the header.
/// For each field the first matching column with a non-empty value is used. Each data row yields
/// exactly one of: an import row, an error (the first problem found), or a duplicate (its phone was
/// accepted earlier in the file). Blank rows are skipped and not counted. Pure: no IO, no database;
/// duplicates against the database are the importer's business.
public enum LeadCSVReader {
    /// The field rules (`FieldRules`): the same limits and unit as `POST /api/leads` and the
    /// queue-daemon; a broken rule is reported in the upload's row wording.
    static let nameRule = FieldRules.leadName, notesRule = FieldRules.leadNotes, emailRule = FieldRules.leadEmail
    static let tagRule = FieldRules.leadTag, tagsRule = FieldRules.leadTags
    static var maxNameLength: Int { nameRule.limit.upperBound }
    static var maxNotesLength: Int { notesRule.limit.upperBound }
    static var maxTags: Int { tagsRule.limit.upperBound }
    static var maxTagLength: Int { tagRule.limit.upperBound }

    /// Normalised header name → field. Normalisation: trimmed, ASCII lower-cased, without ` `, `_`, `-`.
    static let headerAliases: [String: Field] = [
        "phone": .phone, "telephone": .phone, "tel": .phone, "mobile": .phone, "phonenumber": .phone,
        "name": .name, "fullname": .name,
        "email": .email,
        "priority": .priority,
        "notes": .notes, "comment": .notes, "comments": .notes,
        "tags": .tags,
        "timezone": .timezone, "tz": .timezone, "timezonename": .timezone,
    ]

    public enum Field: Int, CaseIterable, Sendable { case phone, name, email, priority, notes, tags, timezone }

    public static func read(_ csv: [UInt8], defaultCountryCode: String) -> LeadCSVReadResult {
        csv.withUnsafeBytes { read($0, defaultCountryCode: defaultCountryCode) }
    }

    /// Reads the CSV in `csv` (e.g. a range of a request body, without copying it out) in one go.
    public static func read(_ csv: UnsafeRawBufferPointer, defaultCountryCode: String) -> LeadCSVReadResult {
        var result = LeadCSVReadResult()
        if let error = stream(csv, defaultCountryCode: defaultCountryCode, batchRows: .max, emit: { batch in
            result = batch
            return true
        }) {
            return failed(error)
        }
        return result
    }

    /// Reads the CSV in `csv` and hands over what it read so far each time `batchRows` rows were
    /// accepted, and once more at the end (when anything is left), so a caller can forward rows
    /// while the rest of the file is still being read. Each batch holds that stretch's rows,
    /// errors and duplicate lines, and its `totalDataRows` counts the stretch's data rows (the
    /// batches add up to the file). `emit` returning false stops the reading. Returns the
    /// whole-file error, if any: the file is then refused as a whole, so whatever was emitted
    /// before must be discarded (a broken quote, say, is only found at the end of the file).
    public static func stream(_ csv: UnsafeRawBufferPointer, defaultCountryCode: String, batchRows: Int,
                              emit: (LeadCSVReadResult) -> Bool) -> LeadCSVFileError? {
        var pending = LeadCSVReadResult()
        var columns: [[Int]]? = nil  // per Field, the column indices in header order
        var seenPhones = PhoneSet()
        var stopped = false
        do {
            try CSVParser.parse(csv) { fields, line in
                if fields.allSatisfy({ ParsingText.trim($0).isEmpty }) { return }
                guard let columns else {
                    let mapped = mapHeader(fields)
                    // No phone column: the whole file is refused, so stop reading it.
                    guard !mapped[Field.phone.rawValue].isEmpty else { throw LeadCSVFileError.missingPhoneColumn }
                    columns = mapped
                    return
                }
                pending.totalDataRows += 1
                switch readRow(fields, line: line, columns: columns, defaultCountryCode: defaultCountryCode) {
                case .failure(let error):
                    pending.errors.append(error)
                case .success(let row):
                    if seenPhones.insert(row.phone) {
                        pending.rows.append(row)
                    } else {
                        pending.duplicateLines.append(line)
                    }
                }
                if pending.rows.count >= batchRows {
                    let batch = pending
                    pending = LeadCSVReadResult()
                    guard emit(batch) else {
                        stopped = true
                        throw StreamStopped()
                    }
                }
            }
        } catch let error as CSVError {
            return .malformed(error)
        } catch is StreamStopped {
            return nil
        } catch {
            return error as? LeadCSVFileError ?? .missingPhoneColumn
        }
        guard columns != nil else { return .emptyFile }
        if !stopped && (pending.totalDataRows > 0 || batchRows == .max) { _ = emit(pending) }
        return nil
    }

    /// Thrown out of the parser's row callback when the consumer stopped the reading.
    private struct StreamStopped: Error {}

    /// The phones accepted so far. An E.164 number (`+` and at most 15 digits) is kept as one
    /// integer, its digits' value and count, which hashes far cheaper than the string (this set
    /// sees every row of a 165,000-row file); anything else, as its string.
    struct PhoneSet {
        private var numbers = Set<UInt64>()
        private var others = Set<String>()

        /// Adds `phone`; false when it was already there.
        mutating func insert(_ phone: String) -> Bool {
            guard let key = Self.key(phone) else { return others.insert(phone).inserted }
            return numbers.insert(key).inserted
        }

        /// `+d…d` (1–15 digits) as value × 16 + digit count (leading zeros stay distinct); else nil.
        static func key(_ phone: String) -> UInt64? { PhoneNumber.digitsKey(phone) }
    }

    private static func failed(_ error: LeadCSVFileError) -> LeadCSVReadResult {
        var result = LeadCSVReadResult()
        result.fileError = error
        return result
    }

    public static func mapHeader(_ header: [String]) -> [[Int]] {
        var columns = [[Int]](repeating: [], count: Field.allCases.count)
        for (index, raw) in header.enumerated() {
            let key = String(decoding: ParsingText.asciiLowercased(ParsingText.trim(raw)).utf8.filter {
                $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "_") && $0 != UInt8(ascii: "-")
            }, as: UTF8.self)
            if let field = headerAliases[key] { columns[field.rawValue].append(index) }
        }
        return columns
    }

    private static func value(_ field: Field, _ fields: [String], _ columns: [[Int]]) -> String {
        for index in columns[field.rawValue] where index < fields.count {
            let v = ParsingText.trim(fields[index])
            if !v.isEmpty { return v }
        }
        return ""
    }

    private static func readRow(_ fields: [String], line: Int, columns: [[Int]],
                                defaultCountryCode: String) -> Result<LeadImportRow, LeadRowError> {
        func fail(_ message: String) -> Result<LeadImportRow, LeadRowError> {
            .failure(LeadRowError(line: line, message: message))
        }
        let rawPhone = value(.phone, fields, columns)
        guard !rawPhone.isEmpty else { return fail("Phone number is required") }
        guard let phone = PhoneNumber.normalize(rawPhone, defaultCountryCode: defaultCountryCode) else {
            return fail("Invalid phone number: \(rawPhone)")
        }

        let rawPriority = value(.priority, fields, columns)
        let priority: LeadPriority
        if rawPriority.isEmpty {
            priority = .medium
        } else if let p = LeadPriority(rawValue: ParsingText.asciiLowercased(rawPriority)) {
            priority = p
        } else {
            return fail("Invalid priority \"\(rawPriority)\" (allowed: urgent, high, medium, low)")
        }

        let name = value(.name, fields, columns)
        guard nameRule.fits(name) else { return fail("Name must be at most \(maxNameLength) characters") }
        if let bad = TextHygiene.forbiddenControl(in: name, multiline: false) {
            return fail(TextHygiene.message(field: "name", bad))
        }

        var email = value(.email, fields, columns)
        if !email.isEmpty {
            guard let normalized = emailRule.normalizedEmail(email) else { return fail("Invalid email \"\(email)\"") }
            email = normalized
        }

        let notes = value(.notes, fields, columns)
        guard notesRule.fits(notes) else { return fail("Notes must be at most \(maxNotesLength) characters") }
        if let bad = TextHygiene.forbiddenControl(in: notes, multiline: true) {
            return fail(TextHygiene.message(field: "notes", bad))
        }

        var tags: [String] = []
        let rawTags = value(.tags, fields, columns)
        if !rawTags.isEmpty && !rawTags.utf8.contains(UInt8(ascii: ",")) {
            // One tag (already trimmed by `value`): no splitting.
            guard tagRule.fits(rawTags) else { return fail("Tag \"\(rawTags)\" exceeds \(maxTagLength) characters") }
            tags.append(rawTags)
        } else {
            for piece in rawTags.split(separator: ",") {
                let tag = ParsingText.trim(String(piece))
                if tag.isEmpty || tags.contains(tag) { continue }
                guard tagRule.fits(tag) else { return fail("Tag \"\(tag)\" exceeds \(maxTagLength) characters") }
                tags.append(tag)
            }
        }
        guard tags.count <= maxTags else { return fail("Too many tags (max \(maxTags))") }
        for tag in tags {
            if let bad = TextHygiene.forbiddenControl(in: tag, multiline: false) { return fail(TextHygiene.message(field: "tags", bad)) }
        }

        var timezone = value(.timezone, fields, columns)
        if !timezone.isEmpty {
            guard let valid = TimeZoneName.validated(timezone) else { return fail("Invalid time zone \"\(timezone)\"") }
            timezone = valid
        }

        return .success(LeadImportRow(line: line, phone: phone, name: name, email: email, priority: priority,
                                      notes: notes, tags: tags, timezone: timezone))
    }
}
