import Glibc
import Shared

/// An HTTP/1.1 server on the daemon's sd-event loop (DESIGN §4): one readiness source per
/// connection, no thread per connection. It accepts on a listening fd (from `Socket.listenTCP`
/// or systemd socket activation), parses with `HTTPParser`, and hands every request to
/// `handler` with an `HTTPResponder`. See `HTTPConnection` for the per-connection rules.
public final class HTTPServer {
    public typealias Handler = (HTTPRequest, HTTPResponder) -> Void

    public let loop: EventLoop
    public let options: HTTPServerOptions
    let handler: Handler
    private let listenFD: Int32
    private var listener: IOSource?
    /// The connections' sockets: one loop source, every ready connection served per wake-up.
    let poller: PollGroup
    private(set) var connections: [ObjectIdentifier: HTTPConnection] = [:]
    let date = HTTPDate()
    /// One read buffer shared by all connections (the loop is single-threaded).
    let readBuffer: UnsafeMutableRawBufferPointer
    /// Connections that answered during the current poll batch: their output is written when
    /// the batch ends, so the batch's answers leave back to back (`HTTPConnection.afterChange`).
    var deferredFlushes: [HTTPConnection] = []

    /// The body limit for a request, asked once its head is parsed (413 before the body is read).
    public var bodyLimit: (HTTPRequestHead) -> Int = { _ in HTTPLimits.defaultBodyBytes }
    /// Called when a request head announcing a body is parsed, before the body is read. The
    /// connection holds the returned token until that request is complete or abandoned (a
    /// parse error, a timeout, the connection closing), so a weak reference to it says "this
    /// body is still arriving" (Engine.IO refuses overlapping polling POSTs with it).
    public var onBodyStart: ((HTTPRequestHead) -> AnyObject?)?
    /// Access-log hook: called once per answered request with its status and duration.
    public var onResponse: ((HTTPRequest, Int, UInt64) -> Void)?
    /// Called when a connection is refused a request it never completed (parse error, timeout):
    /// remote address and the status answered.
    public var onRejected: ((String, HTTPParseError) -> Void)?
    /// Called when accept(2) fails for a reason other than "nothing pending" (EMFILE, ...).
    public var onAcceptError: ((Error) -> Void)?

    /// Starts accepting at once.
    public init(loop: EventLoop, listenFD: Int32, options: HTTPServerOptions = HTTPServerOptions(),
                handler: @escaping Handler) throws {
        self.loop = loop
        self.listenFD = listenFD
        self.options = options
        self.handler = handler
        poller = try PollGroup(loop: loop)
        deferredFlushes.reserveCapacity(PollGroup.defaultMaxEventsPerWake)
        readBuffer = .allocate(byteCount: max(1024, options.readBufferBytes), alignment: 16)
        try Socket.setNonBlocking(listenFD)
        listener = try loop.addIO(fd: listenFD, events: .readable) { [weak self] _ in self?.acceptPending() }
        // Weak: connections share the poller and may hold it after the server is gone.
        poller.afterDispatch = { [weak self] in self?.flushDeferred() }
    }

    /// Writes what the connections answered during the poll batch that just ended.
    private func flushDeferred() {
        guard !deferredFlushes.isEmpty else { return }
        let batch = deferredFlushes
        deferredFlushes.removeAll(keepingCapacity: true)
        for connection in batch { connection.flushDeferredOutput() }
    }

    deinit {
        listener?.cancel()
        for connection in connections.values { connection.abandon() }
        readBuffer.deallocate()
    }

    /// Open HTTP connections.
    public var connectionCount: Int { connections.count }

    /// Stops accepting new connections (the listening fd stays open; it is the caller's).
    public func stopAccepting() {
        listener?.cancel()
        listener = nil
    }

    /// Stops accepting and closes every connection.
    public func shutdown() {
        stopAccepting()
        for connection in Array(connections.values) { connection.close() }
    }

    /// Most connections taken per wakeup, so a connection storm cannot starve other sources.
    static let acceptBatch = 64

    private func acceptPending() {
        for _ in 0..<Self.acceptBatch {
            let accepted: AcceptedSocket?
            do {
                accepted = try Socket.acceptOrThrow(listenFD)
            } catch {
                onAcceptError?(error)
                return
            }
            guard let socket = accepted else { return }
            if connections.count >= options.maxConnections {
                Socket.close(socket.fd)
                continue
            }
            Socket.setNoDelay(socket.fd)
            do {
                let connection = try HTTPConnection(server: self, fd: socket.fd, remoteAddress: socket.peerAddress)
                connections[ObjectIdentifier(connection)] = connection
            } catch {
                Socket.close(socket.fd)
            }
        }
    }

    func forget(_ connection: HTTPConnection) {
        connections[ObjectIdentifier(connection)] = nil
    }
}
