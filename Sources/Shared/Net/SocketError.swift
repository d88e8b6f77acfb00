import Glibc

/// The error thrown by `Socket` and `SocketActivation`: which operation failed, on which
/// address or path, and the errno text, so a start-up failure names what went wrong.
public struct SocketError: Error, CustomStringConvertible, Equatable {
    /// The failing step, e.g. "bind", "connect", "listen".
    public let operation: String
    /// The address ("127.0.0.1:5000", "[::1]:80") or Unix socket path concerned.
    public let address: String
    /// The errno value, or 0 when the error is not an errno (e.g. a wrong socket type).
    public let code: Int32
    /// Extra explanation shown before the errno text.
    public let detail: String?

    public init(operation: String, address: String, code: Int32, detail: String? = nil) {
        self.operation = operation
        self.address = address
        self.code = code
        self.detail = detail
    }

    /// True when a connect failed because nobody listens there (ENOENT or ECONNREFUSED).
    public var isNotListening: Bool { code == ENOENT || code == ECONNREFUSED }

    public var description: String {
        var text = "\(operation) \(address): "
        if let detail { text += detail }
        if code != 0 {
            if detail != nil { text += " (" }
            text += String(cString: strerror(code))
            if detail != nil { text += ")" }
        }
        return text
    }

    static func errno(_ operation: String, _ address: String, detail: String? = nil) -> SocketError {
        SocketError(operation: operation, address: address, code: Glibc.errno, detail: detail)
    }
}
