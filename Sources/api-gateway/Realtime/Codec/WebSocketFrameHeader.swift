/// A parsed WebSocket frame header (RFC 6455 §5.2) and the header-level rules a server enforces on
/// client frames: RSV1–3 clear (no extension negotiated), known opcode, masked, control frames
/// unfragmented and ≤ 125 bytes, 64-bit length with the most significant bit clear. Every violation
/// is a protocol error (1002), reported as soon as the two fixed bytes are in. Size caps and
/// fragmentation rules need decoder state and live in `WebSocketFrameDecoder`.
struct WebSocketFrameHeader: Equatable, Sendable {
    var fin: Bool
    var opcode: WebSocketOpcode
    var payloadLength: Int
    /// The 4-byte masking key; byte `i` of the payload is XORed with `maskKey[i & 3]`.
    var maskKey: SIMD4<UInt8>

    /// Outcome of looking at the header bytes gathered so far.
    enum Parse: Equatable {
        /// At least this many header bytes (counted from the frame start) are needed.
        case needMore(Int)
        case invalid(code: UInt16, reason: String)
        case header(WebSocketFrameHeader)
    }

    private static let finBit: UInt8 = 0x80
    private static let rsvBits: UInt8 = 0x70
    private static let opcodeBits: UInt8 = 0x0F
    private static let maskBit: UInt8 = 0x80
    private static let lengthBits: UInt8 = 0x7F
    private static let length16Marker: UInt8 = 126
    private static let length64Marker: UInt8 = 127
    private static let maskKeyBytes = 4

    /// Parses `bytes`, the start of a frame (only header bytes are ever needed).
    static func parse(_ bytes: [UInt8]) -> Parse {
        guard bytes.count >= 2 else { return .needMore(2) }
        let b0 = bytes[0], b1 = bytes[1]
        if b0 & rsvBits != 0 {
            return .invalid(code: WebSocketCloseCode.protocolError, reason: "reserved bits set")
        }
        guard let opcode = WebSocketOpcode(rawValue: b0 & opcodeBits) else {
            return .invalid(code: WebSocketCloseCode.protocolError, reason: "unknown opcode")
        }
        let fin = b0 & finBit != 0
        let length7 = b1 & lengthBits
        if opcode.isControl {
            if !fin {
                return .invalid(code: WebSocketCloseCode.protocolError, reason: "fragmented control frame")
            }
            if Int(length7) > WebSocketLimits.maxControlPayload {
                return .invalid(code: WebSocketCloseCode.protocolError, reason: "control frame too long")
            }
        }
        if b1 & maskBit == 0 {
            return .invalid(code: WebSocketCloseCode.protocolError, reason: "client frame not masked")
        }
        let extra = length7 == length16Marker ? 2 : (length7 == length64Marker ? 8 : 0)
        let total = 2 + extra + maskKeyBytes
        guard bytes.count >= total else { return .needMore(total) }

        var length: UInt64 = UInt64(length7)
        if extra > 0 {
            length = 0
            for k in 0..<extra { length = length << 8 | UInt64(bytes[2 + k]) }
            if length >> 63 != 0 {
                return .invalid(code: WebSocketCloseCode.protocolError, reason: "64-bit length with MSB set")
            }
        }
        let m = 2 + extra
        let key = SIMD4<UInt8>(bytes[m], bytes[m + 1], bytes[m + 2], bytes[m + 3])
        return .header(WebSocketFrameHeader(fin: fin, opcode: opcode, payloadLength: Int(length), maskKey: key))
    }
}
