/// Ways a peer can break the IPC protocol (docs/IPC.md). Any of them closes that one connection
/// with a log line; the daemon keeps running. Distinct from `IPCError`, which is a well-formed
/// error *reply* travelling inside the protocol.
public enum IPCProtocolError: Error, Equatable, CustomStringConvertible {
    /// A frame header declared a body length of 0.
    case emptyFrame
    /// A frame header declared a body longer than the limit.
    case frameTooLarge(declared: Int, limit: Int)
    /// The frame body is not a JSON document.
    case invalidJSON(String)
    /// The JSON is not a valid envelope: a required key is missing or has the wrong type.
    case invalidEnvelope(String)
    /// The envelope's `v` is not the supported protocol version.
    case unsupportedVersion(Int64)

    public var description: String {
        switch self {
        case .emptyFrame: return "frame with declared length 0"
        case .frameTooLarge(let declared, let limit): return "frame of \(declared) bytes exceeds the \(limit)-byte limit"
        case .invalidJSON(let detail): return "frame body is not JSON: \(detail)"
        case .invalidEnvelope(let detail): return "invalid envelope: \(detail)"
        case .unsupportedVersion(let v): return "unsupported protocol version \(v)"
        }
    }
}

extension IPCProtocolError {
    /// The `error` frame sent to a peer before it is disconnected for this violation.
    public var ipcError: IPCError {
        switch self {
        case .emptyFrame:
            return .invalid(code: .invalidFrame, message: description)
        case .frameTooLarge:
            return IPCError(code: .frameTooLarge, status: 413, error: "Payload Too Large", message: description)
        case .invalidJSON:
            return .invalid(code: .invalidJson, message: description)
        case .invalidEnvelope:
            return .invalid(code: .invalidEnvelope, message: description)
        case .unsupportedVersion:
            return .invalid(code: .unsupportedVersion, message: description)
        }
    }
}
