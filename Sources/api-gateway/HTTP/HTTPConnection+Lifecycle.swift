import Glibc
import Shared

/// Which timeout currently applies to a connection (`HTTPServerOptions`).
enum TimeoutPhase: Equatable {
    /// Waiting for handlers, or reading paused by us: no timeout.
    case none
    /// Kept alive between requests.
    case idle
    /// Reading a request head, or waiting for the first one: a fixed deadline from its start
    /// (slow-loris clients are cut).
    case head
    /// Reading a body: the deadline moves with every read that makes progress.
    case body
    /// Output queued: the deadline moves with every write that makes progress.
    case write
    /// Draining input after a closing response.
    case linger
}

/// Writing, timeouts and the ways a connection ends (close, linger, hand-over).
extension HTTPConnection {
    /// Flushes output, then brings the read/write interest and the timeout up to date.
    func afterChange(progress: Bool) {
        if poller.isDispatching && !isClosed && !outbound.isEmpty && !closeWhenDrained {
            // Inside a poll batch: write when the batch ends, with the others' answers.
            if !flushDeferred {
                flushDeferred = true
                server.deferredFlushes.append(self)
            }
            return
        }
        flush()
        guard !isClosed else { return }
        updateInterest()
        refreshTimer(progress: progress)
    }

    /// The end of the poll batch in which this connection answered (`afterChange`).
    func flushDeferredOutput() {
        guard flushDeferred else { return }
        flushDeferred = false
        afterChange(progress: true)
        if !isClosed && canParse && hasInbound { process(nil) }
    }

    func flush() {
        guard !isClosed else { return }
        if !outbound.isEmpty {
            let before = outbound.count
            let result = outbound.flush(to: fd)
            if outbound.count < before { refreshTimer(progress: true) }
            switch result {
            case .failed:
                close()
                return
            case .pending:
                return
            case .drained:
                break
            }
        }
        if closeWhenDrained {
            lingerClose()
        } else if peerClosed && nextSequence == nextToWrite {
            close()
        }
    }

    func updateInterest() {
        guard let io, !isClosed else { return }
        var wanted: IOEvents = []
        if lingering || (canParse && !peerClosed) { wanted.insert(.readable) }
        if !outbound.isEmpty { wanted.insert(.writable) }
        if wanted != interest {
            io.setEvents(wanted)
            interest = wanted
        }
    }

    func currentPhase() -> TimeoutPhase {
        if lingering { return .linger }
        if !outbound.isEmpty { return .write }
        if !canParse || peerClosed { return .none }
        if parser.isReadingBody { return .body }
        // A new connection gets the header timeout for its first request, not the idle one.
        if parser.isReadingHead || nextSequence == 0 { return .head }
        if nextSequence > nextToWrite { return .none }
        return .idle
    }

    func seconds(for phase: TimeoutPhase) -> Double {
        let o = options
        switch phase {
        case .none: return 0
        case .idle: return o.idleTimeout
        case .head: return o.headerTimeout
        case .body: return o.bodyStallTimeout
        case .write: return o.writeStallTimeout
        case .linger: return o.lingerTimeout
        }
    }

    /// Moves the deadline when the phase changes or a new request begins (or on progress in a
    /// progress-based phase) and
    /// arms the timer only when the deadline comes earlier than the one already armed; a late
    /// wake-up re-arms for the rest, so busy connections cost no timer syscalls per read.
    func refreshTimer(progress: Bool) {
        guard !isClosed else { return }
        let newPhase = currentPhase()
        let now = loop.nowMicros
        if newPhase != phase || nextSequence != phaseSequence || (progress && (newPhase == .body || newPhase == .write)) {
            phase = newPhase
            phaseSequence = nextSequence
            deadline = now + UInt64(seconds(for: newPhase) * 1_000_000)
        }
        guard phase != .none else { return }
        if let armed = armedDeadline, armed <= deadline { return }
        let delay = Double(deadline > now ? deadline - now : 0) / 1_000_000
        if let timer {
            timer.arm(after: delay)
        } else {
            timer = loop.schedule(after: delay) { [weak self] in self?.timerFired() }
        }
        armedDeadline = deadline
    }

    private func timerFired() {
        armedDeadline = nil
        guard !isClosed, phase != .none else { return }
        let now = MonotonicClock.micros()
        if now < deadline {
            refreshTimer(progress: false)
            return
        }
        switch phase {
        case .head where parser.isIdle:
            close() // nothing was sent at all: nobody to answer
        case .head, .body:
            if nextSequence == nextToWrite && outbound.isEmpty {
                reject(HTTPParseError(408, "Request timed out"))
                afterChange(progress: false)
            } else {
                close()
            }
        case .idle, .write, .linger, .none:
            close()
        }
    }

    /// Sends the 101 at once and hands the socket over (`HTTPResponseTarget.hijack`).
    func hijack(sequence: Int, request: HTTPRequest, response: HTTPResponse) -> HijackedConnection? {
        guard !isClosed, sequence == nextToWrite, response.status == 101 else { return nil }
        var head: [UInt8] = []
        HTTPResponseWriter.writeHead(response, headOnly: true, keepAlive: true, requestVersion: request.version,
                                     date: date.current(), into: &head)
        outbound.append(head)
        if case .failed = outbound.flush(to: fd) {
            close()
            return nil
        }
        server.onResponse?(request, 101, MonotonicClock.micros() &- request.receivedAtMicros)
        let handed = HijackedConnection(fd: fd, remoteAddress: remoteAddress, bufferedInput: Array(inbound[inboundStart...]),
                                        pendingOutput: outbound)
        detach()
        return handed
    }

    /// The peer sent FIN. Requests already read are still answered, then the connection closes.
    func peerEOF() {
        peerClosed = true
        stopReading = true
        if !parser.isIdle || (nextSequence == nextToWrite && outbound.isEmpty) {
            close()
        } else {
            updateInterest()
            refreshTimer(progress: false)
        }
    }

    /// After a closing response: send FIN, then drain what the client still sends for a moment,
    /// so it reads the response instead of a connection reset.
    func lingerClose() {
        guard !lingering else { return }
        if peerClosed { close(); return }
        lingering = true
        closeWhenDrained = false
        clearInbound()
        shutdown(fd, Int32(SHUT_WR))
        updateInterest()
        refreshTimer(progress: false)
    }

    func drainLingering() {
        let buffer = readBuffer
        let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
        if n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) { close() }
    }

    /// Closes the socket; answers still to come are dropped (their `send` is a no-op).
    func close() {
        guard !isClosed else { return }
        detach()
        Glibc.close(fd)
    }

    /// Leaves the event loop and the server without closing the fd (hijack).
    func detach() {
        guard !isClosed else { return }
        leaveLoop()
        server.forget(self)
    }

    /// Closes without telling the server (the server itself is going away).
    func abandon() {
        guard !isClosed else { return }
        leaveLoop()
        Glibc.close(fd)
    }

    private func leaveLoop() {
        markClosed()
        bodyToken = nil
        io?.cancel()
        io = nil
        timer?.cancel()
        timer = nil
        clearInbound()
        outOfOrder = [:]
        outbound = OutboundBuffer()
    }
}
