import Dispatch
import Shared

/// The worker-thread half of a CSV upload (route #6): reads the file with `LeadCSVReader` and
/// hands each chunk of valid rows over as soon as it is read (`prepare(csv:…, onChunk:)`), so
/// the rows travel to the queue-daemon while the rest of the file is still being read. What
/// remains is the summary the loop needs and nothing more: the counts, the `"Line N: …"` error
/// strings (at most `maxErrorsListed`, then one `"… and K more"` entry) and the whole-file error.
/// Rows go out as compact `queue.import_chunk` rows (`rowFields`) in chunks that stay well under
/// the IPC frame limit (at most `maxRowsPerChunk` rows and about `maxChunkBytes` of JSON each).
/// Emails are checked once more with the gateway's `EmailAddress` rule (the one `POST /api/leads`
/// uses, stricter than the reader's plausibility check and within the queue-daemon's), so a row
/// the daemon would refuse becomes a line error instead of failing the whole import. The file
/// bytes are not kept. Pure; runs off the loop (`EventLoop.runOnWorker`).
struct LeadUploadBatch: Sendable {
    /// Rows per `queue.import_chunk` at most.
    static let maxRowsPerChunk = 2_000
    /// Serialised row bytes per chunk at most (the frame limit is `IPCLimits.maxFrameBytes`, 1 MiB).
    static let maxChunkBytes = 512 * 1024
    /// Error strings listed in the response; the rest are summarised in one final entry.
    static let maxErrorsListed = 1_000

    /// Every non-blank data row.
    var totalProcessed = 0
    /// Rows refused by validation.
    var errorCount = 0
    /// Rows whose phone already appeared earlier in the file.
    var inFileDuplicateCount = 0
    /// Rows to import (the sum of the chunk sizes).
    var rowCount = 0
    /// `Line N: <reason>` strings, capped.
    var errors: [String] = []
    /// `queue.import_chunk` `rows` arrays, in file order (only `prepare(csv:defaultCountryCode:)`
    /// collects them; the streaming `prepare` hands them to its caller instead).
    var chunks: [[JSON]] = []
    /// Set when the whole file is refused; the counts are then zero and any chunk handed over
    /// before belongs to the refused file.
    var fileError: LeadCSVFileError?
    /// True when `onChunk` stopped the reading (the import had failed): the counts are partial.
    var stopped = false

    /// Reads `csv` and prepares the whole import, chunks included.
    static func prepare(csv: [UInt8], defaultCountryCode: String) -> LeadUploadBatch {
        csv.withUnsafeBytes { prepare(csv: $0, defaultCountryCode: defaultCountryCode) }
    }

    /// Reads the CSV in `csv` and collects its chunks in `chunks`.
    static func prepare(csv: UnsafeRawBufferPointer, defaultCountryCode: String) -> LeadUploadBatch {
        var chunks: [[JSON]] = []
        var batch = prepare(csv: csv, defaultCountryCode: defaultCountryCode) { chunk in
            chunks.append(chunk)
            return true
        }
        if batch.fileError == nil { batch.chunks = chunks }
        return batch
    }

    /// Reads the CSV in `csv` (the file's range of the request body: no copy of it is made),
    /// handing each chunk of valid rows to `onChunk` in file order as soon as it is read;
    /// `onChunk` returning false stops the reading. Returns the summary (its `chunks` empty).
    static func prepare(csv: UnsafeRawBufferPointer, defaultCountryCode: String,
                        onChunk: ([JSON]) -> Bool) -> LeadUploadBatch {
        var batch = LeadUploadBatch()
        var listed = ErrorList()
        let fileError = LeadCSVReader.stream(csv, defaultCountryCode: defaultCountryCode,
                                             batchRows: maxRowsPerChunk) { read in
            var read = read
            return batch.add(&read, errors: &listed, onChunk: onChunk)
        }
        if let fileError {
            var refused = LeadUploadBatch()
            refused.fileError = fileError
            return refused
        }
        batch.errors = listed.strings
        return batch
    }

    /// Adds one stretch of the file read so far: counts it, lists its errors and hands its rows
    /// on in chunks; false when `onChunk` asked to stop.
    private mutating func add(_ read: inout LeadCSVReadResult, errors listed: inout ErrorList,
                              onChunk: ([JSON]) -> Bool) -> Bool {
        var rows = read.rows
        read.rows = []
        var errors = read.errors
        let emailErrors = Self.normaliseEmails(&rows)
        if !emailErrors.isEmpty { errors = Self.merged(errors, emailErrors) }
        totalProcessed += read.totalDataRows
        errorCount += errors.count
        inFileDuplicateCount += read.duplicateLines.count
        rowCount += rows.count
        listed.add(errors)
        for chunk in Self.chunk(rows) where !chunk.isEmpty {
            guard onChunk(chunk) else {
                stopped = true
                return false
            }
        }
        return true
    }

    /// The response's error strings, built as errors arrive: the first `maxErrorsListed` in
    /// line order, then how many more there were.
    struct ErrorList {
        private(set) var listed: [String] = []
        private(set) var unlisted = 0

        mutating func add(_ errors: [LeadRowError]) {
            for error in errors {
                if listed.count < LeadUploadBatch.maxErrorsListed {
                    listed.append("Line \(error.line): \(error.message)")
                } else {
                    unlisted += 1
                }
            }
        }

        var strings: [String] { unlisted > 0 ? listed + ["… and \(unlisted) more"] : listed }
    }

    /// Lower-cases valid emails in place and removes the rows whose email `EmailAddress` refuses,
    /// returning them as line errors (in line order).
    static func normaliseEmails(_ rows: inout [LeadImportRow]) -> [LeadRowError] {
        var errors: [LeadRowError] = []
        for index in rows.indices where !rows[index].email.isEmpty {
            if let email = normalisedEmail(rows[index].email) {
                rows[index].email = email
            } else {
                errors.append(LeadRowError(line: rows[index].line, message: "Invalid email \"\(rows[index].email)\""))
            }
        }
        guard !errors.isEmpty else { return [] }
        let refused = Set(errors.map(\.line))
        rows.removeAll { refused.contains($0.line) }
        return errors
    }

    /// `EmailAddress.normalize` for text the reader already trimmed, on bytes: ASCII lower-casing
    /// and the same local-part and domain rules, without allocating for an address that is already
    /// lower-case (the import path checks up to ~150,000 of them).
    static func normalisedEmail(_ email: String) -> String? {
        var bytes = Array(email.utf8)
        guard bytes.count <= EmailAddress.maxLength, let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { return nil }
        var changed = false
        for i in bytes.indices where bytes[i] >= UInt8(ascii: "A") && bytes[i] <= UInt8(ascii: "Z") {
            bytes[i] += 32
            changed = true
        }
        guard EmailAddress.isValidLocal(bytes[..<at]), EmailAddress.isValidDomain(bytes[(at + 1)...]) else { return nil }
        return changed ? String(decoding: bytes, as: UTF8.self) : email
    }

    /// Two line-ordered error lists as one.
    static func merged(_ a: [LeadRowError], _ b: [LeadRowError]) -> [LeadRowError] {
        var out: [LeadRowError] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && a[i].line <= b[j].line) {
                out.append(a[i]); i += 1
            } else {
                out.append(b[j]); j += 1
            }
        }
        return out
    }

    /// The response's `errors` strings for `errors`, capped at `maxErrorsListed` plus a summary.
    static func listedErrors(_ errors: [LeadRowError]) -> [String] {
        var list = ErrorList()
        list.add(errors)
        return list.strings
    }

    /// Cuts `rows` into chunks of at most `maxRowsPerChunk` rows and about `maxChunkBytes`: the
    /// boundaries are found in one cheap pass, then the chunks' JSON is built on all cores.
    static func chunk(_ rows: [LeadImportRow]) -> [[JSON]] {
        let bounds = chunkBounds(rows)
        var chunks = [[JSON]](repeating: [], count: bounds.count)
        chunks.withUnsafeMutableBufferPointer { out in
            let target = out
            DispatchQueue.concurrentPerform(iterations: bounds.count) { index in
                target[index] = rows[bounds[index]].map(rowFields)
            }
        }
        return chunks
    }

    /// The index ranges of the chunks of `rows`.
    static func chunkBounds(_ rows: [LeadImportRow]) -> [Range<Int>] {
        var bounds: [Range<Int>] = []
        var start = 0
        var bytes = 0
        for (index, row) in rows.enumerated() {
            let size = estimatedBytes(row)
            if index > start && (index - start >= maxRowsPerChunk || bytes + size > maxChunkBytes) {
                bounds.append(start..<index)
                start = index
                bytes = 0
            }
            bytes += size
        }
        if start < rows.count { bounds.append(start..<rows.count) }
        return bounds
    }

    /// One row as `queue.import_chunk` expects it: the compact array
    /// `[line, phone, name, email, priority, notes, tags]` (empty strings for absent fields).
    static func rowFields(_ row: LeadImportRow) -> JSON {
        .array([.int(Int64(row.line)), .string(row.phone), .string(row.name), .string(row.email),
                .string(row.priority.rawValue), .string(row.notes), .array(row.tags.map(JSON.string))])
    }

    /// Fixed per-row JSON overhead (brackets, quotes, commas, the line number, the priority).
    static let rowOverheadBytes = 48

    /// An upper bound of the row's serialised size (every string escaped in the worst case).
    static func estimatedBytes(_ row: LeadImportRow) -> Int {
        var total = rowOverheadBytes + escapedBound(row.phone) + escapedBound(row.name)
            + escapedBound(row.email) + escapedBound(row.notes)
        for tag in row.tags { total += escapedBound(tag) + 3 }
        return total
    }

    /// Bytes of `s` once JSON-escaped, at most: control characters become `\u00XX` (6 bytes),
    /// `"` and `\` two bytes, everything else is copied as UTF-8.
    static func escapedBound(_ s: String) -> Int {
        var n = 0
        for byte in s.utf8 {
            if byte < 0x20 { n += 6 } else if byte == 0x22 || byte == 0x5C { n += 2 } else { n += 1 }
        }
        return n
    }
}
