/// Builds IPC frames: the 4-byte big-endian length followed by the body.
public enum IPCFrameEncoder {
    public static func encode(_ body: [UInt8]) -> [UInt8] {
        var frame: [UInt8] = []
        frame.reserveCapacity(body.count + IPCFrameDecoder.headerBytes)
        appendHeader(length: body.count, to: &frame)
        frame.append(contentsOf: body)
        return frame
    }

    /// Appends a big-endian length header; the caller appends the body.
    public static func appendHeader(length: Int, to frame: inout [UInt8]) {
        let n = UInt32(truncatingIfNeeded: length)
        frame.append(UInt8(truncatingIfNeeded: n >> 24))
        frame.append(UInt8(truncatingIfNeeded: n >> 16))
        frame.append(UInt8(truncatingIfNeeded: n >> 8))
        frame.append(UInt8(truncatingIfNeeded: n))
    }

    /// Rewrites the 4 header bytes at the start of `frame` to the length of what follows them
    /// (for serialising a body straight after a placeholder header, without copying).
    public static func patchHeader(of frame: inout [UInt8]) {
        let n = UInt32(truncatingIfNeeded: frame.count - IPCFrameDecoder.headerBytes)
        frame[0] = UInt8(truncatingIfNeeded: n >> 24)
        frame[1] = UInt8(truncatingIfNeeded: n >> 16)
        frame[2] = UInt8(truncatingIfNeeded: n >> 8)
        frame[3] = UInt8(truncatingIfNeeded: n)
    }
}
