/// One part of a `multipart/form-data` body. The body is a range into the buffer that was parsed
/// (no copy of uploaded files); slice the original buffer with it.
public struct MultipartPart: Sendable, Equatable {
    /// The `name` parameter of `Content-Disposition: form-data`.
    public let name: String
    /// The `filename` parameter (or the decoded `filename*`), when the part is a file.
    public let filename: String?
    /// The part's `Content-Type` header as sent (e.g. `text/csv; charset=utf-8`), if any.
    public let contentType: String?
    /// All part headers in order; names lower-cased, values trimmed.
    public let headers: [(name: String, value: String)]
    /// Byte range of the part body within the parsed buffer.
    public let body: Range<Int>

    public init(name: String, filename: String?, contentType: String?,
                headers: [(name: String, value: String)], body: Range<Int>) {
        self.name = name
        self.filename = filename
        self.contentType = contentType
        self.headers = headers
        self.body = body
    }

    /// `contentType` without parameters, lower-cased (`text/csv`); nil when absent.
    public var mediaType: String? {
        contentType.map { HeaderParameters(parsing: $0).value }
    }

    /// The first header called `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let key = name.lowercased()
        return headers.first { $0.name == key }?.value
    }

    /// The body bytes, sliced (not copied) out of the buffer that was parsed.
    public func body(in buffer: [UInt8]) -> ArraySlice<UInt8> {
        buffer[body.clamped(to: buffer.indices)]
    }

    public static func == (a: MultipartPart, b: MultipartPart) -> Bool {
        a.name == b.name && a.filename == b.filename && a.contentType == b.contentType && a.body == b.body
            && a.headers.elementsEqual(b.headers, by: { $0 == $1 })
    }
}
