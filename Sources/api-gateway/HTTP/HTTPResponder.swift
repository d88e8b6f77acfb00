import Shared

/// Where a responder delivers its answer: the connection that read the request (or a closure
/// target in tests). `sequence` orders the answers of pipelined requests.
public protocol HTTPResponseTarget: AnyObject {
    func respond(sequence: Int, request: HTTPRequest, response: HTTPResponse)
    func hijack(sequence: Int, request: HTTPRequest, response: HTTPResponse) -> HijackedConnection?
    var isOpen: Bool { get }
}

/// The handle a handler answers through: `send(_:)` exactly once, now or later (after an IPC
/// reply or a worker job). Later calls are ignored, and so is a send after the peer went away.
/// `hijack(response:)` sends a `101 Switching Protocols` and hands the socket over (WebSocket).
public final class HTTPResponder {
    public let request: HTTPRequest
    public private(set) var isSent = false
    private weak var target: HTTPResponseTarget?
    private let retainedTarget: HTTPResponseTarget?
    private let sequence: Int

    init(request: HTTPRequest, target: HTTPResponseTarget, sequence: Int) {
        self.request = request
        self.target = target
        self.retainedTarget = nil
        self.sequence = sequence
    }

    /// A responder that hands the response to `sink` (tests, in-process callers). It cannot hijack.
    public init(request: HTTPRequest, sink: @escaping (HTTPResponse) -> Void) {
        let target = ClosureTarget(sink: sink)
        self.request = request
        self.target = target
        self.retainedTarget = target
        self.sequence = 0
    }

    /// Whether the client is still connected (a long-poll may stop waiting when it is not).
    public var isConnectionOpen: Bool { !isSent && (target?.isOpen ?? false) }

    /// Called with the response when it is sent, even when the client has gone (idempotency keys
    /// keep the answer a client never received).
    public var onSend: ((HTTPResponse) -> Void)?

    public func send(_ response: HTTPResponse) {
        guard !isSent else { return }
        isSent = true
        if let onSend {
            self.onSend = nil
            onSend(response)
        }
        target?.respond(sequence: sequence, request: request, response: withResponseHeaders(response))
    }

    /// Sends `response` (status 101) and detaches the connection from the HTTP server. Nil when
    /// the connection is gone, this responder already answered, or responses to earlier
    /// pipelined requests are still outstanding (then `send` an error instead).
    public func hijack(response: HTTPResponse) -> HijackedConnection? {
        guard !isSent, let target else { return nil }
        guard let connection = target.hijack(sequence: sequence, request: request,
                                             response: withResponseHeaders(response)) else { return nil }
        isSent = true
        return connection
    }

    private func withResponseHeaders(_ response: HTTPResponse) -> HTTPResponse {
        guard !request.responseHeaders.isEmpty else { return response }
        var merged = response
        merged.headers.reserveCapacity(response.headers.count + request.responseHeaders.count)  // one allocation
        for field in request.responseHeaders.fields where !response.headers.contains(field.name) {
            merged.headers.add(field.name, field.value)
        }
        return merged
    }

    private final class ClosureTarget: HTTPResponseTarget {
        let sink: (HTTPResponse) -> Void
        init(sink: @escaping (HTTPResponse) -> Void) { self.sink = sink }
        func respond(sequence: Int, request: HTTPRequest, response: HTTPResponse) { sink(response) }
        func hijack(sequence: Int, request: HTTPRequest, response: HTTPResponse) -> HijackedConnection? { nil }
        var isOpen: Bool { true }
    }
}

/// A connection taken over from the HTTP server after a `101` response. The new owner must
/// first flush `pendingOutput` (what the socket did not take yet of the 101; usually empty),
/// treat `bufferedInput` as the first bytes read, and close `fd` when done.
public struct HijackedConnection {
    public let fd: Int32
    public let remoteAddress: String
    public let bufferedInput: [UInt8]
    public var pendingOutput: OutboundBuffer
}
