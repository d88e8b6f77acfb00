import Glibc
import Shared

/// One accepted HTTP connection on the event loop. Reads into the server's shared buffer, parses
/// with `HTTPParser`, dispatches each complete request to the handler, and writes the answers
/// strictly in request order whatever order the (possibly asynchronous) handlers answer in.
/// Reading pauses while too many requests are unanswered or too much output is queued, while an
/// upgrade request awaits its answer, and for good after a closing request or a parse error.
/// Timeouts and closing live in `HTTPConnection+Lifecycle.swift`.
final class HTTPConnection: HTTPResponseTarget {
    /// unowned: the server abandons (closes) every connection in its deinit, and a closed
    /// connection never reaches `server` again.
    unowned let server: HTTPServer
    /// Copied from the server at accept: read on every request without touching `server`
    /// (an unowned reference costs a checked retain per access).
    let options: HTTPServerOptions, date: HTTPDate, loop: EventLoop, handler: HTTPServer.Handler
    let poller: PollGroup
    let readBuffer: UnsafeMutableRawBufferPointer
    let fd: Int32
    let remoteAddress: String
    var io: PollMember?
    var timer: TimerSource?
    var parser: HTTPParser
    var outbound = OutboundBuffer()
    /// Bytes read but not parsed yet (from `inboundStart`).
    var inbound: [UInt8] = []
    var inboundStart = 0
    var nextSequence = 0
    var nextToWrite = 0
    var outOfOrder: [Int: (head: [UInt8], body: [UInt8], closes: Bool)] = [:]
    /// Answers after this sequence are dropped (an earlier answer closes the connection).
    var lastSequence: Int?
    var stopReading = false
    var closeWhenDrained = false
    var peerClosed = false
    var upgradeSequence: Int?
    var lingering = false
    private(set) var isClosed = false
    func markClosed() { isClosed = true }
    private var pumping = false
    private var needsPump = false
    var interest: IOEvents = []
    var phase = TimeoutPhase.none
    /// `nextSequence` when `phase` began: a new request restarts the same phase's clock.
    var phaseSequence = -1
    var deadline: UInt64 = 0
    var armedDeadline: UInt64?
    /// `HTTPServer.onBodyStart`'s token for the request whose body is being read.
    var bodyToken: AnyObject?
    /// Output is waiting for the end of the poll batch (`HTTPServer.deferredFlushes`); interest
    /// and timer are brought up to date then.
    var flushDeferred = false

    init(server: HTTPServer, fd: Int32, remoteAddress: String) throws {
        self.server = server
        self.fd = fd
        self.remoteAddress = remoteAddress
        (options, date, loop, handler, readBuffer) = (server.options, server.date, server.loop, server.handler, server.readBuffer)
        poller = server.poller
        // unowned: as `server` above (the parser runs only while this connection is open); `self` owns the parser.
        parser = HTTPParser(bodyLimit: { [unowned server] head in server.bodyLimit(head) })
        if server.onBodyStart != nil {
            parser.bodyLimit = { [unowned self, unowned server] head in
                self.bodyToken = server.onBodyStart?(head)
                return server.bodyLimit(head)
            }
        }
        interest = .readable
        io = try server.poller.add(fd: fd, events: .readable) { [weak self] events in self?.handle(events) }
        refreshTimer(progress: true)
    }

    var isOpen: Bool { !isClosed }

    /// Whether the next request may be parsed now.
    var canParse: Bool {
        !isClosed && !stopReading && upgradeSequence == nil
            && nextSequence - nextToWrite < options.maxPendingRequests
            && outbound.count < options.maxOutboundBytes
    }

    private func handle(_ events: IOEvents) {
        if events.contains(.writable) {
            flush()
            if !isClosed && canParse && hasInbound { process(nil) }
        }
        if isClosed { return }
        // EPOLLERR / EPOLLHUP come even when not asked for: both directions are gone.
        if !events.isDisjoint(with: [.error, .hangup]) { close(); return }
        if events.contains(.readable) { readAvailable() }
        if !isClosed && !flushDeferred { updateInterest() }
    }

    private func readAvailable() {
        if lingering { drainLingering(); return }
        guard canParse, !peerClosed else { return }
        let buffer = readBuffer
        let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
        if n > 0 {
            process(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            if !flushDeferred { refreshTimer(progress: true) }
        } else if n == 0 {
            peerEOF()
        } else if errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
            close()
        }
    }

    /// Parses `fresh` (after any held bytes) one request at a time and calls its handler before
    /// parsing the next, so a handler's answer can pause reading in time (back-pressure) and
    /// bytes past an upgrade request are kept for the hijacker. Not re-entrant: a handler that
    /// answers at once and un-pauses parsing makes the outer call loop again instead.
    func process(_ fresh: UnsafeRawBufferPointer?) {
        if let fresh, pumping || hasInbound {
            inbound.append(contentsOf: fresh)
            return process(nil)
        }
        if pumping {
            needsPump = true
            return
        }
        pumping = true
        var fresh = fresh
        repeat {
            needsPump = false
            while canParse {
                let responder: HTTPResponder?
                if let bytes = fresh {
                    fresh = nil
                    let (used, parsed) = parseOne(bytes)
                    if used < bytes.count && !stopReading { inbound.append(contentsOf: bytes[used...]) }
                    responder = parsed
                } else if hasInbound {
                    let (used, parsed) = inbound.withUnsafeBytes { parseOne(UnsafeRawBufferPointer(rebasing: $0[inboundStart...])) }
                    inboundStart += used
                    if stopReading || inboundStart == inbound.count { clearInbound() }
                    responder = parsed
                } else {
                    break
                }
                if let responder { handler(responder.request, responder) }
            }
            if let bytes = fresh, !stopReading { inbound.append(contentsOf: bytes) }
            fresh = nil
        } while needsPump && !isClosed
        pumping = false
        if !isClosed { afterChange(progress: false) }
    }

    /// Bytes read but not parsed yet.
    var hasInbound: Bool { inboundStart < inbound.count }

    func clearInbound() {
        inbound.removeAll(keepingCapacity: inbound.capacity <= 64 * 1024)
        inboundStart = 0
    }

    /// Parses up to the end of the next request; returns the bytes used and its responder.
    private func parseOne(_ bytes: UnsafeRawBufferPointer) -> (Int, HTTPResponder?) {
        var offset = 0
        while offset < bytes.count && canParse {
            let (used, event) = parser.next(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
            offset += used
            guard let event else { continue }
            switch event {
            case .expectContinue:
                if nextSequence == nextToWrite { outbound.append(HTTPResponseWriter.continueResponse) }
            case .failure(let error):
                reject(error)
            case .request(let head, let body):
                bodyToken = nil
                let request: HTTPRequest
                do {
                    request = try HTTPRequest(head: head, body: body, remoteAddress: remoteAddress)
                } catch {
                    reject(error as? HTTPParseError ?? .bad("Malformed request"))
                    return (offset, nil)
                }
                let sequence = nextSequence
                nextSequence += 1
                if !head.keepAlive { stopReading = true }
                if head.isUpgrade { upgradeSequence = sequence }
                return (offset, HTTPResponder(request: request, target: self, sequence: sequence))
            }
        }
        return (offset, nil)
    }

    /// Answers a request that could not be parsed (or timed out) and closes after it.
    func reject(_ error: HTTPParseError) {
        server.onRejected?(remoteAddress, error)
        bodyToken = nil
        stopReading = true
        if !pumping { clearInbound() }
        let sequence = nextSequence
        nextSequence += 1
        let response = HTTPResponse.error(error.status, message: error.message)
        var head: [UInt8] = []
        HTTPResponseWriter.writeHead(response, headOnly: false, keepAlive: false, requestVersion: .http11,
                                     date: date.current(), into: &head)
        enqueue(sequence, head: head, body: response.body, closes: true)
    }

    // MARK: HTTPResponseTarget

    func respond(sequence: Int, request: HTTPRequest, response: HTTPResponse) {
        guard !isClosed else { return }
        let closes = !request.keepAlive || response.closesConnection || response.status == 101
        let headOnly = request.isHead
        let sendsBody = HTTPResponseWriter.sendsBody(response, headOnly: headOnly)
        let date = date.current()
        server.onResponse?(request, response.status, MonotonicClock.micros() &- request.receivedAtMicros)
        if sequence == nextToWrite && lastSequence == nil {
            // Its turn has come: serialise straight into the output queue (no copies).
            outbound.appendInPlace { out in
                HTTPResponseWriter.writeHead(response, headOnly: headOnly, keepAlive: !closes,
                                             requestVersion: request.version, date: date, into: &out)
                if sendsBody { out.append(contentsOf: response.body) }
            }
            nextToWrite += 1
            if closes { markClosing(sequence) }
            if let held = outOfOrder.removeValue(forKey: nextToWrite) {
                enqueue(nextToWrite, head: held.head, body: held.body, closes: held.closes)
            }
        } else {
            var head: [UInt8] = []
            HTTPResponseWriter.writeHead(response, headOnly: headOnly, keepAlive: !closes, requestVersion: request.version,
                                         date: date, into: &head)
            enqueue(sequence, head: head, body: sendsBody ? response.body : [], closes: closes)
        }
        if upgradeSequence == sequence { upgradeSequence = nil }
        afterChange(progress: false)
        if canParse && hasInbound { process(nil) }
    }

    /// Queues an answer; writes it (and any answers it was holding up) when its turn has come.
    private func enqueue(_ sequence: Int, head: [UInt8], body: [UInt8], closes: Bool) {
        if sequence != nextToWrite {
            outOfOrder[sequence] = (head, body, closes)
            return
        }
        var next: (head: [UInt8], body: [UInt8], closes: Bool)? = (head, body, closes)
        while let item = next {
            let sequence = nextToWrite
            nextToWrite += 1
            if let last = lastSequence, sequence > last {
                // An earlier answer closes the connection: this one is never written.
            } else {
                outbound.append(item.head)
                if !item.body.isEmpty { outbound.append(item.body) }
                if item.closes { markClosing(sequence) }
            }
            next = outOfOrder.isEmpty ? nil : outOfOrder.removeValue(forKey: nextToWrite)
        }
    }

    /// The answer `sequence` closes the connection: later ones are dropped, reading stops.
    private func markClosing(_ sequence: Int) {
        lastSequence = sequence
        closeWhenDrained = true
        stopReading = true
    }
}
