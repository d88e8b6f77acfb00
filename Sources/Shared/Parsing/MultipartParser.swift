/// `multipart/form-data` (RFC 7578 over RFC 2046) body parser. Works on the received buffer and
/// returns byte ranges for part bodies, so a 10 MiB CSV upload is never copied here.
///
/// Rules: the first delimiter is `--boundary` at the very start or after CRLF (anything before it
/// is preamble, ignored); every delimiter is `CRLF--boundary`, followed by optional spaces/tabs and
/// CRLF, or by `--` for the close delimiter (anything after it is epilogue, ignored). Part headers
/// end with an empty line; lines end with CRLF. A body that ends without the close delimiter is
/// `MultipartError.missingFinalBoundary`.

public enum MultipartError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The boundary is empty, longer than 70 bytes or has characters RFC 2046 does not allow.
    case invalidBoundary
    /// No `--boundary` line anywhere in the body.
    case missingOpeningBoundary
    /// The body ended inside a part or right after a delimiter, without `--boundary--`.
    case missingFinalBoundary
    /// A delimiter line is followed by something other than CRLF or `--`.
    case malformedDelimiter
    /// A part's header block is larger than `MultipartParser.maxPartHeaderBytes` or never ends.
    case headersTooLarge
    /// A header line without a colon, or a part without `Content-Disposition: form-data; name=...`.
    case malformedPartHeaders
    /// More than `MultipartParser.maxParts` parts.
    case tooManyParts

    public var description: String {
        switch self {
        case .invalidBoundary: return "Invalid multipart boundary"
        case .missingOpeningBoundary: return "Multipart body does not start with its boundary"
        case .missingFinalBoundary: return "Multipart body is incomplete (missing final boundary)"
        case .malformedDelimiter: return "Malformed multipart boundary line"
        case .headersTooLarge: return "Multipart part headers exceed \(MultipartParser.maxPartHeaderBytes) bytes"
        case .malformedPartHeaders: return "Malformed multipart part headers"
        case .tooManyParts: return "Too many multipart parts (max \(MultipartParser.maxParts))"
        }
    }
}

public enum MultipartParser {
    /// Most parts accepted in one body.
    public static let maxParts = 16
    /// Largest header block of one part, in bytes (up to and including the blank line).
    public static let maxPartHeaderBytes = 8 * 1024
    /// RFC 2046 §5.1.1: a boundary is 1 to 70 characters.
    public static let maxBoundaryLength = 70

    /// The `boundary` parameter of a `multipart/form-data` Content-Type (quoted or not); nil when the
    /// media type is different or the boundary is missing or invalid.
    public static func boundary(fromContentType contentType: String) -> String? {
        let header = HeaderParameters(parsing: contentType)
        guard header.value == "multipart/form-data", let boundary = header["boundary"],
              isValidBoundary(boundary) else { return nil }
        return boundary
    }

    public static func parse(_ body: [UInt8], boundary: String) throws -> [MultipartPart] {
        try body.withUnsafeBufferPointer { try parse($0, boundary: boundary) }
    }

    /// Parts with body ranges relative to the start of `buffer`.
    public static func parse(_ buffer: UnsafeBufferPointer<UInt8>, boundary: String) throws -> [MultipartPart] {
        guard isValidBoundary(boundary) else { throw MultipartError.invalidBoundary }
        let dashBoundary = Array("--".utf8) + Array(boundary.utf8)
        let delimiter = [cr, lf] + dashBoundary
        let n = buffer.count

        var pos: Int
        if ByteSearch.hasPrefix(dashBoundary, in: buffer, at: 0) {
            pos = dashBoundary.count
        } else if let at = ByteSearch.find(delimiter, in: buffer, from: 0) {
            pos = at + delimiter.count
        } else {
            throw MultipartError.missingOpeningBoundary
        }

        var parts: [MultipartPart] = []
        while true {
            // Just after a delimiter: `--` closes, otherwise optional padding then CRLF.
            if ByteSearch.hasPrefix([dash, dash], in: buffer, at: pos) { return parts }
            while pos < n && (buffer[pos] == 0x20 || buffer[pos] == 0x09) { pos += 1 }
            guard pos + 2 <= n else { throw MultipartError.missingFinalBoundary }
            guard buffer[pos] == cr && buffer[pos + 1] == lf else { throw MultipartError.malformedDelimiter }
            pos += 2
            guard parts.count < maxParts else { throw MultipartError.tooManyParts }

            let headerLimit = min(n, pos + maxPartHeaderBytes)
            let headerBlockEnd: Int   // index of the CRLF that ends the last header line (or pos)
            let bodyStart: Int
            if ByteSearch.hasPrefix([cr, lf], in: buffer, at: pos) {
                headerBlockEnd = pos
                bodyStart = pos + 2
            } else if let end = ByteSearch.find([cr, lf, cr, lf], in: buffer, from: pos, end: headerLimit) {
                headerBlockEnd = end
                bodyStart = end + 4
            } else if headerLimit < n {
                throw MultipartError.headersTooLarge
            } else {
                throw MultipartError.missingFinalBoundary
            }
            let headers = try parseHeaders(UnsafeBufferPointer(rebasing: buffer[pos..<headerBlockEnd]))
            guard let bodyEnd = ByteSearch.find(delimiter, in: buffer, from: bodyStart) else {
                throw MultipartError.missingFinalBoundary
            }
            parts.append(try makePart(headers: headers, body: bodyStart..<bodyEnd))
            pos = bodyEnd + delimiter.count
        }
    }

    static func isValidBoundary(_ boundary: String) -> Bool {
        let u = Array(boundary.utf8)
        guard (1...maxBoundaryLength).contains(u.count), u.last != 0x20 else { return false }
        return u.allSatisfy { c in
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "A")...UInt8(ascii: "Z"): return true
            default: return Array("'()+_,-./:=? ".utf8).contains(c)
            }
        }
    }

    /// Header lines `Name: value` separated by CRLF; a line starting with space or tab continues the
    /// previous one (obsolete folding, still sent by a few clients).
    private static func parseHeaders(_ block: UnsafeBufferPointer<UInt8>) throws -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        var i = 0
        while i < block.count {
            var end = i
            while end < block.count && !(block[end] == cr && end + 1 < block.count && block[end + 1] == lf) { end += 1 }
            let line = UnsafeBufferPointer(rebasing: block[i..<end])
            i = end + 2
            if let first = line.first, first == 0x20 || first == 0x09 {
                guard let last = headers.popLast() else { throw MultipartError.malformedPartHeaders }
                let more = ParsingText.trim(String(decoding: line, as: UTF8.self))
                headers.append((last.name, last.value + " " + more))
                continue
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0 else {
                throw MultipartError.malformedPartHeaders
            }
            let name = ParsingText.asciiLowercased(String(decoding: UnsafeBufferPointer(rebasing: line[0..<colon]), as: UTF8.self))
            guard !name.utf8.contains(where: { ParsingText.isWhitespace($0) }) else { throw MultipartError.malformedPartHeaders }
            let value = ParsingText.trim(String(decoding: UnsafeBufferPointer(rebasing: line[(colon + 1)...]), as: UTF8.self))
            headers.append((name, value))
        }
        return headers
    }

    private static func makePart(headers: [(name: String, value: String)], body: Range<Int>) throws -> MultipartPart {
        guard let disposition = headers.first(where: { $0.name == "content-disposition" }) else {
            throw MultipartError.malformedPartHeaders
        }
        let params = HeaderParameters(parsing: disposition.value)
        guard params.value == "form-data", let name = params["name"] else { throw MultipartError.malformedPartHeaders }
        var filename = params["filename"]
        if let extended = params["filename*"], let decoded = decodeExtendedValue(extended) { filename = decoded }
        let contentType = headers.first(where: { $0.name == "content-type" })?.value
        return MultipartPart(name: name, filename: filename, contentType: contentType, headers: headers, body: body)
    }

    /// RFC 8187 `UTF-8''percent%20encoded` (the language tag is ignored); nil for other charsets.
    static func decodeExtendedValue(_ value: String) -> String? {
        let pieces = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard pieces.count == 3, pieces[0].lowercased() == "utf-8" else { return nil }
        let u = Array(pieces[2].utf8)
        var out: [UInt8] = []
        var i = 0
        while i < u.count {
            if u[i] == UInt8(ascii: "%") {
                guard i + 2 < u.count, let byte = Hex.decode(String(decoding: u[(i + 1)...(i + 2)], as: UTF8.self)) else {
                    return nil
                }
                out.append(contentsOf: byte)
                i += 3
            } else {
                out.append(u[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let cr: UInt8 = 0x0D
    private static let lf: UInt8 = 0x0A
    private static let dash = UInt8(ascii: "-")
}
