/// What SHA-1 and SHA-256 share, written once: a 64-byte-block Merkle–Damgård hash over 32-bit
/// big-endian words. `BlockBuffer` cuts the input into blocks and applies the length padding; the
/// hash only supplies its chaining state, the compression function and the digest words
/// (`BlockCompression`). `SHA1` and `SHA256` are this type over their compressions.
public struct MerkleDamgardHash<Compression: BlockCompression>: HashFunction {
    public static var blockSize: Int { 64 }
    public static var digestSize: Int { Compression.digestSize }

    private var state = Compression.initialState
    private var buffer = BlockBuffer()

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var st = state
        buffer.absorb(bytes) { p, n in Compression.compress(&st, p, n) }
        state = st
    }

    public mutating func finalize() -> [UInt8] {
        var st = state
        buffer.pad { p, n in Compression.compress(&st, p, n) }
        state = st
        var out = [UInt8]()
        out.reserveCapacity(Compression.digestSize)
        for v in Compression.digestWords(st) { appendBigEndian32(v, to: &out) }
        return out
    }
}

/// The part of a `MerkleDamgardHash` that differs between SHA-1 and SHA-256.
public protocol BlockCompression {
    associatedtype State
    /// Digest length in bytes (4 × the number of `digestWords`).
    static var digestSize: Int { get }
    /// The initial hash value (FIPS 180-4 §5.3).
    static var initialState: State { get }
    /// Processes `blocks` consecutive 64-byte blocks starting at `p`.
    static func compress(_ st: inout State, _ p: UnsafePointer<UInt8>, _ blocks: Int)
    /// The state's words in digest order.
    static func digestWords(_ st: State) -> [UInt32]
}
