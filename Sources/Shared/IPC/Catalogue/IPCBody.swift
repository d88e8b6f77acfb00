/// A catalogue command's body as a type: the sender builds it and encodes it with `body`, the
/// receiver decodes it with `init(body:)` (throwing the 400 `IPCError` it answers with), so both
/// sides read and write the same fields (`StartCallBody` for `dialer.start_call`).
/// `IPCClient.request(_:)` sends one; `IPCServer.onCommand(_:_:)` hands the handler one decoded.
public protocol IPCBody: Sendable {
    associatedtype Command: IPCCommandName
    static var command: Command { get }
    init(body: JSONObject) throws
    var body: JSONObject { get }
}
