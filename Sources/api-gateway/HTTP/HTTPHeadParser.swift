/// Parses a complete request head (request line, field lines, final empty line; all lines end in
/// CR LF, checked by `HTTPParser`) into an `HTTPRequestHead`, and derives the body framing from
/// `Content-Length` / `Transfer-Encoding` (RFC 9112 §6). Pure; no limits other than syntax here.
/// An absolute-form target is reduced to origin-form (`HTTPRequestTarget`); `HTTP/1.x` with
/// x > 1 is read as 1.1; other versions are 505.
enum HTTPHeadParser {
    static let CR: UInt8 = 13, LF: UInt8 = 10, SP: UInt8 = 32, HTAB: UInt8 = 9, COLON: UInt8 = 58

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<HTTPRequestHead, HTTPParseError> {
        // Request line.
        guard let firstLF = bytes.firstIndex(of: LF), firstLF >= 1 else { return .failure(.bad("Malformed request line")) }
        let lineEnd = firstLF - 1 // index of CR
        guard let sp1 = firstIndex(of: SP, in: bytes, from: 0, to: lineEnd), sp1 > 0 else {
            return .failure(.bad("Malformed request line"))
        }
        guard let sp2 = firstIndex(of: SP, in: bytes, from: sp1 + 1, to: lineEnd), sp2 > sp1 + 1 else {
            return .failure(.bad("Malformed request line"))
        }
        for i in 0..<sp1 where !isTokenChar(bytes[i]) { return .failure(.bad("Malformed request method")) }
        for i in (sp1 + 1)..<sp2 where bytes[i] < 0x21 || bytes[i] > 0x7E {
            return .failure(.bad("Malformed request target"))
        }
        let version: HTTPRequestHead.Version
        switch parseVersion(bytes, from: sp2 + 1, to: lineEnd) {
        case .ok(let v): version = v
        case .unsupported: return .failure(HTTPParseError(505, "HTTP version not supported"))
        case .malformed: return .failure(.bad("Malformed HTTP version"))
        }
        let method = string(bytes, 0, sp1)
        var target = string(bytes, sp1 + 1, sp2)
        var authority: String?
        if bytes[sp1 + 1] != UInt8(ascii: "/") {
            guard let normalised = HTTPRequestTarget.normalise(Substring(target)) else {
                return .failure(.bad("Request target must be an absolute path or an absolute http(s) URI"))
            }
            authority = normalised.authority.map(String.init)
            target = String(normalised.originForm)
        }

        // Field lines.
        var headers = HTTPHeaders()
        var start = firstLF + 1
        while start < bytes.count {
            guard let lf = firstIndex(of: LF, in: bytes, from: start, to: bytes.count) else {
                return .failure(.bad("Malformed header section"))
            }
            let end = lf - 1 // CR
            if end == start { break } // the empty line
            let first = bytes[start]
            if first == SP || first == HTAB { return .failure(.bad("Obsolete line folding is not allowed")) }
            guard let colon = firstIndex(of: COLON, in: bytes, from: start, to: end), colon > start else {
                return .failure(.bad("Malformed header field"))
            }
            for i in start..<colon where !isTokenChar(bytes[i]) { return .failure(.bad("Malformed header field name")) }
            var vs = colon + 1, ve = end
            while vs < ve, bytes[vs] == SP || bytes[vs] == HTAB { vs += 1 }
            while ve > vs, bytes[ve - 1] == SP || bytes[ve - 1] == HTAB { ve -= 1 }
            for i in vs..<ve {
                let b = bytes[i]
                if (b < 0x20 && b != HTAB) || b == 0x7F { return .failure(.bad("Invalid character in header field value")) }
            }
            headers.add(string(bytes, start, colon), string(bytes, vs, ve))
            start = lf + 1
        }

        if version == .http11 && headers.count(of: "Host") != 1 {
            return .failure(.bad("Exactly one Host header is required"))
        }
        if let authority { headers.set("Host", authority) }
        var head = HTTPRequestHead(method: method, target: target, version: version, headers: headers)
        switch framing(of: head) {
        case .success(let f): head.framing = f
        case .failure(let e): return .failure(e)
        }
        if let expect = headers["Expect"], version == .http11, !head.expectsContinue {
            return .failure(HTTPParseError(417, "Unsupported expectation: \(expect)"))
        }
        return .success(head)
    }

    /// Body framing (RFC 9112 §6.1–6.3): `chunked` is the only coding accepted, once; any other
    /// coding is not implemented (501); CL and TE together, or TE in HTTP/1.0, are refused (400).
    static func framing(of head: HTTPRequestHead) -> Result<HTTPRequestHead.Framing, HTTPParseError> {
        // Most requests (a GET) have neither field: no arrays for them.
        guard head.headers.contains("Transfer-Encoding") || head.headers.contains("Content-Length") else {
            return .success(.none)
        }
        let te = head.headers.values("Transfer-Encoding")
        let cl = head.headers.values("Content-Length")
        if !te.isEmpty {
            if !cl.isEmpty { return .failure(.bad("Content-Length and Transfer-Encoding must not be combined")) }
            if head.version == .http10 { return .failure(.bad("Transfer-Encoding is not allowed in HTTP/1.0")) }
            let codings = te.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
                .map { trimOWS($0).lowercased() }
            guard !codings.isEmpty, !codings.contains("") else { return .failure(.bad("Malformed Transfer-Encoding")) }
            if codings.contains(where: { $0 != "chunked" }) {
                return .failure(HTTPParseError(501, "Transfer coding not implemented"))
            }
            if codings.count > 1 { return .failure(.bad("chunked applied more than once")) }
            return .success(.chunked)
        }
        guard !cl.isEmpty else { return .success(.none) }
        var length: Int?
        for value in cl {
            for part in value.split(separator: ",", omittingEmptySubsequences: false) {
                guard let n = parseDecimal(trimOWS(part)) else { return .failure(.bad("Malformed Content-Length")) }
                if let length, length != n { return .failure(.bad("Conflicting Content-Length values")) }
                length = n
            }
        }
        return .success(.length(length ?? 0))
    }

    /// Digits only; values too large for the body limits saturate at `Int.max` (answered 413 later).
    static func parseDecimal(_ s: Substring) -> Int? {
        guard !s.isEmpty else { return nil }
        var n = 0
        for b in s.utf8 {
            guard b >= 0x30 && b <= 0x39 else { return nil }
            if n > (Int.max - 9) / 10 { n = Int.max } else if n != Int.max { n = n * 10 + Int(b - 0x30) }
        }
        return n
    }

    enum VersionResult { case ok(HTTPRequestHead.Version), unsupported, malformed }

    static func parseVersion(_ b: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> VersionResult {
        guard to - from == 8 else { return .malformed }
        // "HTTP/" byte by byte (no array per request).
        guard b[from] == 0x48, b[from + 1] == 0x54, b[from + 2] == 0x54, b[from + 3] == 0x50,
              b[from + 4] == 0x2F else { return .malformed }
        let major = b[from + 5], dot = b[from + 6], minor = b[from + 7]
        guard isDigit(major), dot == UInt8(ascii: "."), isDigit(minor) else { return .malformed }
        if major == UInt8(ascii: "1") && minor == UInt8(ascii: "0") { return .ok(.http10) }
        // HTTP/1.x with x > 1: a later minor version of the same major is served as 1.1, the
        // highest this server speaks (RFC 9110 §6.2).
        if major == UInt8(ascii: "1") { return .ok(.http11) }
        return .unsupported
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// RFC 9110 tchar.
    @inline(__always) static func isTokenChar(_ b: UInt8) -> Bool {
        switch b {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default: return false
        }
    }

    static func firstIndex(of byte: UInt8, in b: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        var i = from
        while i < to {
            if b[i] == byte { return i }
            i += 1
        }
        return nil
    }

    static func string(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: b[from..<to]), as: UTF8.self)
    }
}
