/// Incremental decoder for IPC frames: a 4-byte unsigned big-endian body length, then the body
/// (DESIGN §3 "IPC frame"). Pure: bytes in, complete frame bodies out, no IO. A declared length of
/// 0 or above the limit throws as soon as the fourth header byte arrives, before any body storage is
/// allocated. Handles frames split at any byte and any number of frames per chunk. After it has
/// thrown, the decoder stays failed (the connection is to be closed).
public struct IPCFrameDecoder {
    public static let headerBytes = 4

    public let maxFrameBytes: Int
    private var header: UInt32 = 0
    private var headerCount = 0
    /// Declared length of the body being assembled; 0 while reading a header.
    private var bodyLength = 0
    private var body: [UInt8] = []
    private var failure: IPCProtocolError?

    public init(maxFrameBytes: Int = IPCLimits.maxFrameBytes) {
        self.maxFrameBytes = maxFrameBytes
    }

    /// Bytes reserved for a partial body (0 when between frames). Lets tests prove that a rejected
    /// header never allocated its body.
    public var bufferedBodyCapacity: Int { body.capacity }

    /// True when no partial frame is buffered.
    public var isAtFrameBoundary: Bool { headerCount == 0 && bodyLength == 0 }

    /// Consumes `bytes` and returns every frame body completed by them, in order.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) throws -> [[UInt8]] {
        if let failure { throw failure }
        var frames: [[UInt8]] = []
        let count = bytes.count
        var i = 0
        while i < count {
            if bodyLength == 0 {
                if headerCount == 0 && count - i >= 4 {
                    header = UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16
                        | UInt32(bytes[i + 2]) << 8 | UInt32(bytes[i + 3])
                    i += 4
                } else {
                    while headerCount < 4 && i < count {
                        header = header << 8 | UInt32(bytes[i])
                        headerCount += 1
                        i += 1
                    }
                    if headerCount < 4 { break }
                }
                let length = Int(header)
                header = 0
                headerCount = 0
                try check(length)
                if count - i >= length {
                    frames.append(Array(UnsafeRawBufferPointer(rebasing: bytes[i ..< i + length])))
                    i += length
                } else {
                    bodyLength = length
                    body.reserveCapacity(length)
                    body.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[i ..< count]))
                    i = count
                }
            } else {
                let take = min(bodyLength - body.count, count - i)
                body.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[i ..< i + take]))
                i += take
                if body.count == bodyLength {
                    frames.append(body)
                    body = []
                    bodyLength = 0
                }
            }
        }
        return frames
    }

    /// Convenience for tests and small inputs.
    public mutating func feed(_ bytes: [UInt8]) throws -> [[UInt8]] {
        try bytes.withUnsafeBytes { try feed($0) }
    }

    private mutating func check(_ length: Int) throws {
        if length == 0 {
            failure = .emptyFrame
        } else if length > maxFrameBytes {
            failure = .frameTooLarge(declared: length, limit: maxFrameBytes)
        }
        if let failure { throw failure }
    }
}
