/// Serialises a response head (and body) for the wire: status line, the handler's fields (CR
/// and LF replaced so no field can split the response), `Date`, `Content-Length`, `Connection`.
/// HEAD responses keep the Content-Length of the body they leave out.
public enum HTTPResponseWriter {
    /// Appends the complete response to `out`.
    /// - headOnly: a HEAD request: no body bytes, same Content-Length.
    /// - keepAlive: whether the connection stays open; `requestVersion` decides how to say it.
    public static func write(_ response: HTTPResponse, headOnly: Bool, keepAlive: Bool,
                             requestVersion: HTTPRequestHead.Version, date: [UInt8], into out: inout [UInt8]) {
        writeHead(response, headOnly: headOnly, keepAlive: keepAlive, requestVersion: requestVersion, date: date, into: &out)
        if sendsBody(response, headOnly: headOnly) { out.append(contentsOf: response.body) }
    }

    /// Whether the body bytes follow the head on the wire.
    public static func sendsBody(_ response: HTTPResponse, headOnly: Bool) -> Bool {
        !headOnly && !response.isBodiless && !response.body.isEmpty
    }

    /// Appends the status line and header section (ending with the empty line) to `out`.
    public static func writeHead(_ response: HTTPResponse, headOnly: Bool, keepAlive: Bool,
                                 requestVersion: HTTPRequestHead.Version, date: [UInt8], into out: inout [UInt8]) {
        let status = response.status
        appendASCII("HTTP/1.1 ", &out)
        appendDecimal(status, &out)
        out.append(0x20)
        appendASCII(HTTPStatus.reason(status), &out)
        out.append(contentsOf: crlf)
        var hasDate = false
        for field in response.headers.fields {
            // Only names starting with C or D can be one the server writes itself.
            let first = field.name.utf8.first.map(HTTPHeaders.asciiLower) ?? 0
            if first == UInt8(ascii: "c") {
                if HTTPHeaders.namesEqual(field.name, "Content-Length") || HTTPHeaders.namesEqual(field.name, "Connection") {
                    continue
                }
            } else if first == UInt8(ascii: "d"), HTTPHeaders.namesEqual(field.name, "Date") {
                hasDate = true
            }
            appendFieldText(field.name, &out)
            out.append(contentsOf: colonSpace)
            appendFieldText(field.value, &out)
            out.append(contentsOf: crlf)
        }
        if !hasDate {
            appendASCII("Date: ", &out)
            out.append(contentsOf: date)
            out.append(contentsOf: crlf)
        }
        if status == 101 {
            appendASCII("Connection: Upgrade\r\n", &out)
        } else if !keepAlive {
            appendASCII("Connection: close\r\n", &out)
        } else if requestVersion == .http10 {
            appendASCII("Connection: keep-alive\r\n", &out)
        }
        if !response.isBodiless {
            var length = response.body.count
            if headOnly, response.body.isEmpty, let declared = response.headers["Content-Length"],
               let n = HTTPHeadParser.parseDecimal(Substring(declared)) {
                length = n
            }
            appendASCII("Content-Length: ", &out)
            appendDecimal(length, &out)
            out.append(contentsOf: crlf)
        }
        out.append(contentsOf: crlf)
    }

    /// The interim `100 Continue` response.
    public static let continueResponse: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    static let crlf: [UInt8] = [13, 10]
    static let colonSpace: [UInt8] = [58, 32]

    @inline(__always) static func appendASCII(_ s: String, _ out: inout [UInt8]) {
        out.append(contentsOf: s.utf8)
    }

    /// Field text with CR, LF and NUL replaced by spaces (no response splitting).
    static func appendFieldText(_ s: String, _ out: inout [UInt8]) {
        // Fast path: a native string without CR, LF or NUL is copied in one go.
        let copied = s.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            for b in bytes where b == 13 || b == 10 || b == 0 { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if copied == true { return }
        for b in s.utf8 { out.append(b == 13 || b == 10 || b == 0 ? 0x20 : b) }
    }

    static func appendDecimal(_ n: Int, _ out: inout [UInt8]) {
        if n <= 0 { out.append(UInt8(ascii: "0")); return }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var v = n
        withUnsafeMutableBytes(of: &digits) { buf in
            while v > 0 {
                buf[count] = UInt8(v % 10) + 0x30
                v /= 10
                count += 1
            }
            while count > 0 {
                count -= 1
                out.append(buf[count])
            }
        }
    }
}
