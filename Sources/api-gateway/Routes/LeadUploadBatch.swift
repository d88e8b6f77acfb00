import Shared

/// The worker-thread half of a CSV upload (route #6): reads the file with `LeadCSVReader` and
/// hands each chunk of valid rows over as soon as it is read (`prepare(csv:…, onChunk:)`), so
/// the rows travel to the queue-daemon while the rest of the file is still being read. What
/// remains is the summary the loop needs and nothing more: the counts, the `"Line N: …"` error
/// strings (at most `maxErrorsListed`, then one `"… and K more"` entry) and the whole-file error.
/// Rows go out as compact `queue.import_chunk` rows (`writeRow`, serialised on the worker) in chunks that stay well under
/// the IPC frame limit (at most `maxRowsPerChunk` rows and about `maxChunkBytes` of JSON each).
/// The reader checks every field with `FieldRules` (the rules `POST /api/leads` and the
/// queue-daemon use), so a row the daemon would refuse is a line error instead of failing the
/// whole import. The file bytes are not kept. Pure; runs off the loop (`EventLoop.runOnWorker`).
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
    /// `queue.import_chunk` `rows` arrays (serialised JSON), in file order (only
    /// `prepare(csv:defaultCountryCode:)` collects them; the streaming `prepare` hands them to its
    /// caller instead).
    var chunks: [[UInt8]] = []
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
        var chunks: [[UInt8]] = []
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
                        onChunk: ([UInt8]) -> Bool) -> LeadUploadBatch {
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
                              onChunk: ([UInt8]) -> Bool) -> Bool {
        let rows = read.rows
        read.rows = []
        let errors = read.errors
        totalProcessed += read.totalDataRows
        errorCount += errors.count
        inFileDuplicateCount += read.duplicateLines.count
        rowCount += rows.count
        listed.add(errors)
        for chunk in Self.chunk(rows) {
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

    /// The response's `errors` strings for `errors`, capped at `maxErrorsListed` plus a summary.
    static func listedErrors(_ errors: [LeadRowError]) -> [String] {
        var list = ErrorList()
        list.add(errors)
        return list.strings
    }

    /// Cuts `rows` into chunks of at most `maxRowsPerChunk` rows and `maxChunkBytes` bytes, each
    /// already serialised as the JSON array `queue.import_chunk` carries in `rows` (written
    /// straight to bytes here on the worker: no `JSON` tree is built and the loop only copies it).
    static func chunk(_ rows: [LeadImportRow]) -> [[UInt8]] {
        var chunks: [[UInt8]] = []
        var current: [UInt8] = []
        var count = 0
        var row: [UInt8] = []
        row.reserveCapacity(512)
        for lead in rows {
            row.removeAll(keepingCapacity: true)
            writeRow(lead, into: &row)
            // `[` + rows + `,` separators + `]`
            if count > 0 && (count >= maxRowsPerChunk || current.count + 1 + row.count + 1 > maxChunkBytes) {
                current.append(UInt8(ascii: "]"))
                chunks.append(current)
                count = 0
            }
            if count == 0 {
                current = [UInt8(ascii: "[")]
                current.reserveCapacity(min(maxChunkBytes, (row.count + 1) * min(rows.count, maxRowsPerChunk) + 2))
            } else {
                current.append(UInt8(ascii: ","))
            }
            current.append(contentsOf: row)
            count += 1
        }
        if count > 0 {
            current.append(UInt8(ascii: "]"))
            chunks.append(current)
        }
        return chunks
    }

    /// One row as `queue.import_chunk` expects it: the compact array
    /// `[line, phone, name, email, priority, notes, tags]` (empty strings for absent fields), with an
    /// eighth element, the explicit time zone, only when the row has one.
    static func writeRow(_ row: LeadImportRow, into out: inout [UInt8]) {
        func field(_ value: String) {
            out.append(UInt8(ascii: ","))
            JSONSerializer.writeString(value, into: &out)
        }
        out.append(UInt8(ascii: "["))
        JSONSerializer.writeInt(Int64(row.line), into: &out)
        field(row.phone)
        field(row.name)
        field(row.email)
        field(row.priority.rawValue)
        field(row.notes)
        out.append(UInt8(ascii: ","))
        out.append(UInt8(ascii: "["))
        for (index, tag) in row.tags.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONSerializer.writeString(tag, into: &out)
        }
        out.append(UInt8(ascii: "]"))
        if !row.timezone.isEmpty { field(row.timezone) }
        out.append(UInt8(ascii: "]"))
    }
}
