/// SHA-1 (FIPS 180-4) in pure Swift over bytes. Not for new security designs: it exists because the
/// WebSocket handshake (`Sec-WebSocket-Accept`) and Twilio's request signatures (HMAC-SHA1) need it.
public typealias SHA1 = MerkleDamgardHash<SHA1Compression>

/// SHA-1's chaining state and compression function (FIPS 180-4 §6.1.2).
public enum SHA1Compression: BlockCompression {
    public static let digestSize = 20

    public struct State {
        var a: UInt32 = 0x6745_2301, b: UInt32 = 0xefcd_ab89, c: UInt32 = 0x98ba_dcfe
        var d: UInt32 = 0x1032_5476, e: UInt32 = 0xc3d2_e1f0
    }

    public static var initialState: State { State() }

    public static func digestWords(_ st: State) -> [UInt32] { [st.a, st.b, st.c, st.d, st.e] }

    @inline(__always)
    private static func rotl(_ x: UInt32, _ n: UInt32) -> UInt32 { (x << n) | (x >> (32 &- n)) }

    /// Processes `blocks` consecutive 64-byte blocks starting at `p`.
    public static func compress(_ st: inout State, _ p: UnsafePointer<UInt8>, _ blocks: Int) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 80) { wb in
            let w = wb.baseAddress!
            var block = p
            for _ in 0..<blocks {
                for i in 0..<16 { w[i] = loadBigEndian32(block + 4 * i) }
                for i in 16..<80 { w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1) }
                var a = st.a, b = st.b, c = st.c, d = st.d, e = st.e
                for i in 0..<80 {
                    let f: UInt32, k: UInt32
                    switch i {
                    case 0..<20: f = (b & c) | (~b & d); k = 0x5a82_7999
                    case 20..<40: f = b ^ c ^ d; k = 0x6ed9_eba1
                    case 40..<60: f = (b & c) | (b & d) | (c & d); k = 0x8f1b_bcdc
                    default: f = b ^ c ^ d; k = 0xca62_c1d6
                    }
                    let t = rotl(a, 5) &+ f &+ e &+ k &+ w[i]
                    e = d; d = c; c = rotl(b, 30); b = a; a = t
                }
                st.a &+= a; st.b &+= b; st.c &+= c; st.d &+= d; st.e &+= e
                block += 64
            }
        }
    }
}
