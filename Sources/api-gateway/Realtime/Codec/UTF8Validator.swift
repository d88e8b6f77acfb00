/// Incremental UTF-8 validator (RFC 3629, Unicode Table 3-7), fed chunk by chunk so a fragmented
/// WebSocket text message fails at the first invalid byte rather than at the end (Autobahn 6.4.x).
/// Rejects overlong forms, UTF-16 surrogates (U+D800–DFFF), code points above U+10FFFF, stray
/// continuation bytes and the bytes C0, C1, F5–FF. ASCII runs are checked 8 bytes at a time.
struct UTF8Validator: Sendable {
    /// Continuation bytes still expected for the current sequence.
    private var remaining: UInt8 = 0
    /// Allowed range for the next continuation byte (narrowed after E0, ED, F0, F4).
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF

    init() {}

    /// True when the bytes so far end on a complete character (the message may end here).
    var isAtBoundary: Bool { remaining == 0 }

    /// Forgets any partial sequence (start of a new message).
    mutating func reset() {
        remaining = 0
        lower = 0x80
        upper = 0xBF
    }

    /// Checks `bytes` as the continuation of what was fed before. Returns false at the first
    /// invalid byte; the validator must then be reset before reuse.
    mutating func validate(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let count = bytes.count
        var i = 0
        while i < count {
            if remaining == 0 {
                // Fast path: skip 8 ASCII bytes at a time.
                while i + 8 <= count,
                      bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                }
                if i >= count { break }
                let b = bytes[i]
                i += 1
                if b < 0x80 { continue }
                guard start(b) else { return false }
            } else {
                let b = bytes[i]
                i += 1
                guard b >= lower && b <= upper else { return false }
                remaining -= 1
                lower = 0x80
                upper = 0xBF
            }
        }
        return true
    }

    mutating func validate(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { validate($0) }
    }

    /// One-shot check of a complete byte string.
    static func isValid(_ bytes: [UInt8]) -> Bool {
        var v = UTF8Validator()
        return v.validate(bytes) && v.isAtBoundary
    }

    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var v = UTF8Validator()
        return v.validate(bytes) && v.isAtBoundary
    }

    /// Sets up the expectations after a lead byte; false if `b` cannot start a sequence.
    private mutating func start(_ b: UInt8) -> Bool {
        switch b {
        case 0xC2...0xDF: remaining = 1
        case 0xE0: remaining = 2; lower = 0xA0          // no overlong 3-byte forms
        case 0xE1...0xEC, 0xEE...0xEF: remaining = 2
        case 0xED: remaining = 2; upper = 0x9F          // no surrogates
        case 0xF0: remaining = 3; lower = 0x90          // no overlong 4-byte forms
        case 0xF1...0xF3: remaining = 3
        case 0xF4: remaining = 3; upper = 0x8F          // nothing above U+10FFFF
        default: return false                           // 80–BF stray, C0/C1 overlong, F5–FF
        }
        return true
    }
}
