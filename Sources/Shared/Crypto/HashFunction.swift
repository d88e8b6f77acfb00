/// The shape shared by the block hash functions in this folder (SHA-256, SHA-1), so that HMAC can be
/// written once. Incremental: `update` any number of times, then `finalize` once.
public protocol HashFunction {
    /// Input block size in bytes (64 for SHA-1 and SHA-256).
    static var blockSize: Int { get }
    /// Digest length in bytes.
    static var digestSize: Int { get }
    init()
    mutating func update(_ bytes: UnsafeRawBufferPointer)
    /// Pads, processes the last block(s) and returns the digest. The value must not be reused afterwards.
    mutating func finalize() -> [UInt8]
}

extension HashFunction {
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    public mutating func update(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { update($0) }
    }

    public mutating func update(_ string: String) {
        var s = string
        s.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    /// One-shot digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var h = Self()
        h.update(bytes)
        return h.finalize()
    }

    /// One-shot digest of the UTF-8 bytes of `string`.
    public static func hash(_ string: String) -> [UInt8] {
        var h = Self()
        h.update(string)
        return h.finalize()
    }
}

/// Buffers partial blocks for a 64-byte-block Merkle–Damgård hash and applies the standard
/// big-endian length padding. `compress` receives a pointer to whole blocks and their count.
struct BlockBuffer {
    private(set) var pending = [UInt8](repeating: 0, count: 64)
    private(set) var pendingCount = 0
    private(set) var totalBytes: UInt64 = 0

    /// Feeds `bytes`, calling `compress` for every complete 64-byte block (full blocks straight from
    /// the input, without copying).
    @inline(__always)
    mutating func absorb(_ bytes: UnsafeRawBufferPointer,
                         _ compress: (UnsafePointer<UInt8>, Int) -> Void) {
        guard var src = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0 else { return }
        var remaining = bytes.count
        totalBytes &+= UInt64(remaining)
        if pendingCount > 0 {
            let take = min(64 - pendingCount, remaining)
            pending.withUnsafeMutableBufferPointer { p in
                (p.baseAddress! + pendingCount).update(from: src, count: take)
            }
            pendingCount += take
            src += take
            remaining -= take
            if pendingCount < 64 { return }
            pending.withUnsafeBufferPointer { compress($0.baseAddress!, 1) }
            pendingCount = 0
        }
        let blocks = remaining / 64
        if blocks > 0 {
            compress(src, blocks)
            src += blocks * 64
            remaining -= blocks * 64
        }
        if remaining > 0 {
            pending.withUnsafeMutableBufferPointer { p in
                p.baseAddress!.update(from: src, count: remaining)
            }
            pendingCount = remaining
        }
    }

    /// Appends 0x80, zeros and the 64-bit big-endian bit length; compresses the final block(s).
    mutating func pad(_ compress: (UnsafePointer<UInt8>, Int) -> Void) {
        let bitLength = totalBytes &* 8
        var tail = [UInt8](repeating: 0, count: 128)
        for i in 0..<pendingCount { tail[i] = pending[i] }
        tail[pendingCount] = 0x80
        let blocks = pendingCount < 56 ? 1 : 2
        let end = blocks * 64
        for i in 0..<8 { tail[end - 1 - i] = UInt8(truncatingIfNeeded: bitLength >> (8 * UInt64(i))) }
        tail.withUnsafeBufferPointer { compress($0.baseAddress!, blocks) }
        pendingCount = 0
    }
}

@inline(__always)
func loadBigEndian32(_ p: UnsafePointer<UInt8>) -> UInt32 {
    UInt32(p[0]) << 24 | UInt32(p[1]) << 16 | UInt32(p[2]) << 8 | UInt32(p[3])
}

@inline(__always)
func appendBigEndian32(_ v: UInt32, to out: inout [UInt8]) {
    out.append(UInt8(truncatingIfNeeded: v >> 24))
    out.append(UInt8(truncatingIfNeeded: v >> 16))
    out.append(UInt8(truncatingIfNeeded: v >> 8))
    out.append(UInt8(truncatingIfNeeded: v))
}
