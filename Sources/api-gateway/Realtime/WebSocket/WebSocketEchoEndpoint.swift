import Shared

/// Test-only endpoint `/ws-echo` (enabled by `IBRAT_WS_ECHO=1`): a WebSocket that sends every
/// text and binary message back unchanged. It exists so the RFC 6455 implementation can be run
/// against the Autobahn case files (kosoku); its codec limits are raised to 16 MiB because
/// Autobahn 9.x sends messages that large. Any origin is allowed (no credentials are involved).
final class WebSocketEchoEndpoint {
    static let path = "/ws-echo"

    private let loop: EventLoop
    private let options: WebSocketConnectionOptions
    private let readBuffer = WebSocketReadBuffer()
    /// Open connections (they retain themselves until their fd closes; this is for counting).
    private(set) var openCount = 0

    init(loop: EventLoop, options: WebSocketConnectionOptions = .echo) {
        self.loop = loop
        self.options = options
    }

    /// Adds `GET /ws-echo` to the router.
    func register(on router: Router) {
        router.get(Self.path) { [self] request, responder in handle(request, responder) }
    }

    func handle(_ request: HTTPRequest, _ responder: HTTPResponder) {
        guard let hijacked = WebSocketUpgrade.accept(request, responder, origins: .allowAll) else { return }
        let connection = WebSocketConnection(loop: loop, hijacked: hijacked, options: options, readBuffer: readBuffer)
        openCount += 1
        // unowned: the closure is stored on `connection` itself, which therefore outlives it.
        connection.onMessage = { [unowned connection] message in
            switch message {
            case .text(let text): connection.send(text: text)
            case .binary(let bytes): connection.send(binary: bytes)
            }
        }
        connection.onClose = { [weak self] _ in self?.openCount -= 1 }
        connection.start()
    }
}
