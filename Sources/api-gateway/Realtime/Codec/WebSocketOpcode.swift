/// WebSocket frame opcodes (RFC 6455 §5.2). Values 3–7 and 0xB–0xF are reserved; the decoder
/// rejects them with 1002 because we negotiate no extension that would define them.
enum WebSocketOpcode: UInt8, Sendable {
    case continuation = 0x0
    case text = 0x1
    case binary = 0x2
    case close = 0x8
    case ping = 0x9
    case pong = 0xA

    /// Control frames (§5.5) have the high opcode bit set: close, ping, pong.
    var isControl: Bool { rawValue & 0x8 != 0 }
}

/// Close status codes (RFC 6455 §7.4) that the server sends, and the rule for codes it receives.
enum WebSocketCloseCode {
    static let normal: UInt16 = 1000
    static let goingAway: UInt16 = 1001
    static let protocolError: UInt16 = 1002
    static let unsupportedData: UInt16 = 1003
    static let invalidPayload: UInt16 = 1007
    static let policyViolation: UInt16 = 1008
    static let messageTooBig: UInt16 = 1009
    static let internalError: UInt16 = 1011

    /// Lowest code of the range registered for libraries/frameworks/applications (§7.4.2).
    static let firstApplicationCode: UInt16 = 3000
    /// Highest code a peer may send (private use ends at 4999).
    static let lastApplicationCode: UInt16 = 4999

    /// Whether a peer may put `code` in a close frame. Valid: 1000–1003, 1007–1014 (1012–1014 are
    /// IANA-registered: service restart, try again later, bad gateway), 3000–4999. Invalid: 0–999,
    /// 1004 (reserved), 1005/1006/1015 (must never be sent), 1016–2999 (unassigned); this matches
    /// Autobahn 7.7.x (valid) and 7.9.x (invalid) expectations.
    static func isValidReceived(_ code: UInt16) -> Bool {
        switch code {
        case 1000...1003, 1007...1014: return true
        case firstApplicationCode...lastApplicationCode: return true
        default: return false
        }
    }
}
