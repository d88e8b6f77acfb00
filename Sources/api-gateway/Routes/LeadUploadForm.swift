import Shared

/// Finds the uploaded CSV file in a `POST /api/leads/upload-csv` body (route #6, original-
/// behaviour §7 with bugs 34/35 fixed): the body must be `multipart/form-data` (else 415), the
/// file must come in the `csvFile` field (missing → 400 `No file uploaded`; a file under another
/// name → 400 naming `csvFile`), be at most 10 MiB (413) and be declared as CSV: one of the media
/// types browsers and curl send for CSV files, or a `.csv` file name (else 400 `Invalid file
/// type. Only CSV files are allowed.`). Returns the byte range of the file inside the body, so the
/// file is never copied here. Pure.
enum LeadUploadForm {
    /// The form field that carries the file.
    static let fieldName = "csvFile"
    /// Largest accepted file (the route's body limit adds room for the multipart framing).
    static let maxFileBytes = 10 * 1024 * 1024
    /// Declared types accepted as CSV: the real one, what Windows browsers send for `.csv`
    /// (`vnd.ms-excel`), curl's default (`octet-stream`), and plain text (also RFC 7578's default
    /// when a part has no Content-Type).
    static let acceptedMediaTypes: Set<String> = [
        "text/csv", "application/vnd.ms-excel", "application/octet-stream", "text/plain",
    ]

    /// Why the upload is refused, with the HTTP answer it gets.
    struct Rejection: Error, Equatable {
        let status: Int
        let error: String
        let message: String

        static let noFile = Rejection(status: 400, error: "No file uploaded",
                                      message: "Send the CSV file in the multipart field \"\(fieldName)\"")
        static let invalidType = Rejection(status: 400, error: "Invalid file type. Only CSV files are allowed.",
                                           message: "Accepted: a .csv file name or Content-Type text/csv, "
                                               + "application/vnd.ms-excel, application/octet-stream or text/plain")
        static let notMultipart = Rejection(status: 415, error: "Unsupported Media Type",
                                            message: "Content-Type must be multipart/form-data")
        static let tooLarge = Rejection(status: 413, error: "Content Too Large",
                                        message: "File size too large. Maximum size is \(maxFileBytes / (1024 * 1024))MB.")

        static func unexpectedField(_ name: String) -> Rejection {
            Rejection(status: 400, error: "Unexpected field",
                      message: "The CSV file must be sent in the \"\(fieldName)\" field, not \"\(name)\"")
        }

        static func malformed(_ detail: String) -> Rejection {
            Rejection(status: 400, error: "Malformed multipart body", message: detail)
        }
    }

    /// The request's body and the CSV file's range in it, the body taken off the request; nil
    /// when refused (the refusal is sent).
    static func takeFile(_ request: HTTPRequest, _ responder: HTTPResponder) -> (body: [UInt8], range: Range<Int>)? {
        switch locateFile(contentType: request.header("Content-Type"), body: request.body) {
        case .failure(let rejection):
            request.body = []
            responder.send(.error(rejection.status, error: rejection.error, message: rejection.message))
            return nil
        case .success(let range):
            let body = request.body
            request.body = []
            return (body, range)
        }
    }

    /// The byte range of the CSV file within `body`, or why the upload is refused.
    static func locateFile(contentType: String?, body: [UInt8]) -> Result<Range<Int>, Rejection> {
        guard let contentType, HeaderParameters(parsing: contentType).value == "multipart/form-data" else {
            return .failure(.notMultipart)
        }
        guard let boundary = MultipartParser.boundary(fromContentType: contentType) else {
            return .failure(.malformed("multipart/form-data needs a valid boundary parameter"))
        }
        let parts: [MultipartPart]
        do {
            parts = try MultipartParser.parse(body, boundary: boundary)
        } catch let error as MultipartError {
            return .failure(.malformed(error.description))
        } catch {
            return .failure(.malformed("The multipart body could not be read"))
        }
        guard let part = parts.first(where: { $0.name == fieldName }) else {
            if let other = parts.first(where: { $0.filename != nil }) { return .failure(.unexpectedField(other.name)) }
            return .failure(.noFile)
        }
        guard part.body.count <= maxFileBytes else { return .failure(.tooLarge) }
        guard isCSV(part) else { return .failure(.invalidType) }
        return .success(part.body)
    }

    /// A `.csv` file name (any case), or an accepted declared type (none declared = text/plain).
    static func isCSV(_ part: MultipartPart) -> Bool {
        if let filename = part.filename, filename.lowercased().hasSuffix(".csv") { return true }
        return acceptedMediaTypes.contains(part.mediaType ?? "text/plain")
    }
}
