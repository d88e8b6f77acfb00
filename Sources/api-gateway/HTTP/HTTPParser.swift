/// What `HTTPParser` reports.
public enum HTTPParserEvent {
    /// A complete request: head and (de-chunked) body.
    case request(HTTPRequestHead, [UInt8])
    /// The head asked for `100 Continue` and passed the body limit; the body follows.
    case expectContinue(HTTPRequestHead)
    /// The input is not acceptable; answer `status` and close. The parser stays failed.
    case failure(HTTPParseError)
}

/// An incremental HTTP/1.1 request parser: a pure state machine over bytes. It may be fed any
/// split of the input (byte by byte included) and yields the same events; pipelined requests come
/// out one after another. Limits are those of `HTTPLimits`; the body limit depends on the route
/// and is asked from `bodyLimit` as soon as the head is parsed, so 413 precedes reading the body.
public struct HTTPParser {
    enum State { case start, head, fixedBody(Int), chunkLine, chunkData(Int), chunkDataEnd, trailers, failed }

    static let CR: UInt8 = 13, LF: UInt8 = 10

    public var bodyLimit: (HTTPRequestHead) -> Int
    private var state = State.start
    private var lastByte: UInt8 = 0
    // Head scanning.
    private var headBuffer: [UInt8] = []
    private var lineStart = 0
    private var fieldsStart = -1 // index after the request line's LF, -1 until then
    private var headerCount = 0
    private var leadingEmptyLines = 0
    // Body.
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var limit = 0
    private var lineBytes: [UInt8] = [] // chunk-size line
    private var lineLength = 0 // trailer line
    private var trailerBytes = 0

    public init(bodyLimit: @escaping (HTTPRequestHead) -> Int = { _ in HTTPLimits.defaultBodyBytes }) {
        self.bodyLimit = bodyLimit
    }

    /// Between requests with nothing buffered (only leading empty lines, if any, seen).
    public var isIdle: Bool { if case .start = state { return leadingEmptyLines == 0 && lastByte != Self.CR }; return false }
    /// Inside a request head (an empty line before it counts).
    public var isReadingHead: Bool {
        switch state {
        case .head: return true
        case .start: return !isIdle
        default: return false
        }
    }
    /// Inside a request body (head already reported or pending with the body).
    public var isReadingBody: Bool {
        switch state {
        case .fixedBody, .chunkLine, .chunkData, .chunkDataEnd, .trailers: return true
        default: return false
        }
    }
    public var hasFailed: Bool { if case .failed = state { return true }; return false }

    /// Parses everything in `bytes` and returns the events in order.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) -> [HTTPParserEvent] {
        var events: [HTTPParserEvent] = []
        var offset = 0
        while offset < bytes.count {
            let (used, event) = next(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
            offset += used
            if let event { events.append(event) }
            if hasFailed { break }
        }
        return events
    }

    public mutating func feed(_ bytes: [UInt8]) -> [HTTPParserEvent] {
        bytes.withUnsafeBytes { feed($0) }
    }

    /// Consumes bytes up to and including the end of the next event (or all of them when none
    /// completes) and returns how many were consumed with the event, if any.
    public mutating func next(_ raw: UnsafeRawBufferPointer) -> (consumed: Int, event: HTTPParserEvent?) {
        let bytes = raw.bindMemory(to: UInt8.self)
        var i = 0
        let n = bytes.count
        while i < n {
            switch state {
            case .failed:
                return (n, nil)
            case .start:
                let b = bytes[i]
                if b == Self.CR || b == Self.LF {
                    if b == Self.LF {
                        if lastByte != Self.CR { return fail(i, .bad("Bare LF in request head")) }
                        leadingEmptyLines += 1
                        if leadingEmptyLines > HTTPLimits.maxLeadingEmptyLines { return fail(i, .bad("Too many empty lines")) }
                    } else if lastByte == Self.CR {
                        return fail(i, .bad("Bare CR in request head"))
                    }
                    lastByte = b
                    i += 1
                } else {
                    if lastByte == Self.CR { return fail(i, .bad("Bare CR in request head")) }
                    state = .head
                }
            case .head:
                let (end, error, complete) = scanHead(bytes, from: i)
                if let error { return fail(end, error) }
                i = end
                if complete {
                    if let event = headComplete() { return (i, event) }
                }
            case .fixedBody(let remaining):
                let take = min(remaining, n - i)
                body.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<(i + take)]))
                i += take
                if take == remaining { return (i, finishRequest()) }
                state = .fixedBody(remaining - take)
            case .chunkLine:
                let b = bytes[i]
                i += 1
                if let error = checkLineByte(b) { return fail(i, error) }
                if b == Self.LF {
                    switch HTTPChunkLine.parse(lineBytes) {
                    case .failure(let error): return fail(i, error)
                    case .success(let size):
                        lineBytes.removeAll(keepingCapacity: true)
                        if size == 0 {
                            state = .trailers
                            lineLength = 0
                            trailerBytes = 0
                        } else if size > limit - body.count {
                            return fail(i, HTTPParseError(413, "Request body too large"))
                        } else {
                            state = .chunkData(size)
                        }
                    }
                } else if b != Self.CR {
                    lineBytes.append(b)
                    if lineBytes.count > HTTPLimits.maxChunkLineBytes { return fail(i, .bad("Chunk size line too long")) }
                }
            case .chunkData(let remaining):
                let take = min(remaining, n - i)
                body.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<(i + take)]))
                i += take
                state = take == remaining ? .chunkDataEnd : .chunkData(remaining - take)
                lastByte = 0
            case .chunkDataEnd:
                let b = bytes[i]
                i += 1
                if b == Self.CR && lastByte != Self.CR {
                    lastByte = b
                } else if b == Self.LF && lastByte == Self.CR {
                    lastByte = b
                    state = .chunkLine
                } else {
                    return fail(i, .bad("Chunk data not followed by CRLF"))
                }
            case .trailers:
                let b = bytes[i]
                i += 1
                if let error = checkLineByte(b) { return fail(i, error) }
                trailerBytes += 1
                if trailerBytes > HTTPLimits.maxTrailerSectionBytes { return fail(i, HTTPParseError(431, "Trailer section too large")) }
                if b == Self.LF {
                    if lineLength == 0 { return (i, finishRequest()) }
                    lineLength = 0
                } else if b != Self.CR {
                    lineLength += 1
                }
            }
        }
        return (n, nil)
    }

    /// CR only directly before LF, LF only directly after CR.
    private mutating func checkLineByte(_ b: UInt8) -> HTTPParseError? {
        defer { lastByte = b }
        if b == Self.LF { return lastByte == Self.CR ? nil : .bad("Bare LF") }
        if lastByte == Self.CR { return .bad("Bare CR") }
        return nil
    }

    /// Scans head bytes from `from`, enforcing the line-ending rules and the head limits, and
    /// buffers them. Returns where it stopped and whether the empty line ending the head was seen.
    private mutating func scanHead(_ bytes: UnsafeBufferPointer<UInt8>, from: Int) -> (Int, HTTPParseError?, Bool) {
        let base = headBuffer.count - from
        var i = from
        var complete = false
        var error: HTTPParseError?
        // The scan state lives in locals while the loop runs (one pass per byte of every request
        // head), and is written back after it.
        var last = lastByte, fields = fieldsStart, line = lineStart, count = headerCount
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            let pos = base + i
            if b == Self.LF {
                if last != Self.CR { error = .bad("Bare LF in request head"); break }
                if fields < 0 {
                    fields = pos + 1
                } else if pos - line == 1 {
                    complete = true
                } else {
                    count += 1
                    if count > HTTPLimits.maxHeaderCount { error = HTTPParseError(431, "Too many header fields"); break }
                }
                line = pos + 1
            } else {
                if last == Self.CR { error = .bad("Bare CR in request head"); break }
                if fields < 0 && b != Self.CR && pos + 1 > HTTPLimits.maxRequestLineBytes {
                    error = HTTPParseError(414, "Request line too long"); break
                }
            }
            if fields >= 0 && pos + 1 - fields > HTTPLimits.maxHeaderSectionBytes {
                error = HTTPParseError(431, "Request header section too large"); break
            }
            last = b
            i += 1
            if complete { break }
        }
        lastByte = last
        fieldsStart = fields
        lineStart = line
        headerCount = count
        if error == nil { headBuffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[from..<i])) }
        return (error == nil ? i : i + 1, error, complete)
    }

    private mutating func headComplete() -> HTTPParserEvent? {
        let parsed = headBuffer.withUnsafeBufferPointer { HTTPHeadParser.parse($0) }
        headBuffer.removeAll(keepingCapacity: headBuffer.capacity <= 4096)
        lineStart = 0
        fieldsStart = -1
        headerCount = 0
        leadingEmptyLines = 0
        let h: HTTPRequestHead
        switch parsed {
        case .failure(let error): state = .failed; return .failure(error)
        case .success(let value): h = value
        }
        head = h
        body = []
        switch h.framing {
        case .none, .length(0):
            // No body: the route's limit is not needed (spares a route lookup per GET).
            return finishRequest()
        case .length(let n):
            limit = bodyLimit(h)
            if n > limit { state = .failed; return .failure(HTTPParseError(413, "Request body too large")) }
            // Room for the whole announced body (already within the route's limit) at once: a
            // 10 MiB upload grown from 256 KiB was copied six times on the loop (~15 ms). Memory
            // is only committed as bytes arrive.
            body.reserveCapacity(n)
            state = .fixedBody(n)
        case .chunked:
            limit = bodyLimit(h)
            state = .chunkLine
            lastByte = 0
        }
        return h.expectsContinue && h.version == .http11 ? .expectContinue(h) : nil
    }

    private mutating func finishRequest() -> HTTPParserEvent {
        let event = HTTPParserEvent.request(head ?? HTTPRequestHead(method: "", target: "", version: .http11, headers: [:]), body)
        head = nil
        body = []
        state = .start
        lastByte = 0
        return event
    }

    private mutating func fail(_ consumed: Int, _ error: HTTPParseError) -> (consumed: Int, event: HTTPParserEvent?) {
        state = .failed
        headBuffer = []
        body = []
        return (consumed, .failure(error))
    }
}
