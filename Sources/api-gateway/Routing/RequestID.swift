import Shared

/// Request ids for logs and the `X-Request-ID` response header: a sane incoming id (1–64 of
/// `[A-Za-z0-9-_]`) is kept so a proxy's id follows the request; anything else is replaced by
/// 16 random hex digits.
public struct RequestID {
    public static let headerName = "X-Request-ID"
    public static let maxIncomingLength = 64
    public static let generatedHexDigits = 16

    private var random: SeededRandom

    /// `seed` makes the ids reproducible in tests; by default it comes from the system generator.
    public init(seed: UInt64 = UInt64.random(in: 0...UInt64.max)) {
        random = SeededRandom(seed: seed)
    }

    /// Whether an incoming id may be reused as is.
    public static func isAcceptable(_ id: String) -> Bool {
        let utf8 = id.utf8
        guard !utf8.isEmpty, utf8.count <= maxIncomingLength else { return false }
        for b in utf8 {
            switch b {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, UInt8(ascii: "-"), UInt8(ascii: "_"): continue
            default: return false
            }
        }
        return true
    }

    /// A fresh id of 16 lowercase hex digits.
    public mutating func next() -> String {
        let value = random.next()
        // 16 ASCII bytes: a small string, built without any array.
        return String(unsafeUninitializedCapacity: Self.generatedHexDigits) { out in
            for i in 0..<Self.generatedHexDigits {
                let nibble = UInt8(truncatingIfNeeded: (value >> UInt64(60 - 4 * i)) & 0xF)
                out[i] = nibble < 10 ? 0x30 + nibble : 0x57 + nibble
            }
            return Self.generatedHexDigits
        }
    }

    /// The incoming id when acceptable, else a fresh one.
    public mutating func resolve(_ incoming: String?) -> String {
        if let incoming, Self.isAcceptable(incoming) { return incoming }
        return next()
    }

    /// Sets `request.requestID` and echoes it in the response's `X-Request-ID`.
    public mutating func assign(to request: HTTPRequest) {
        let id = resolve(request.header(Self.headerName))
        request.requestID = id
        if request.responseHeaders.isEmpty {
            request.responseHeaders.reserveCapacity(8)
            request.responseHeaders.add(Self.headerName, id)
        } else {
            request.responseHeaders.set(Self.headerName, id)
        }
    }
}
