/// Polling bodies of Engine.IO v4: packets in their polling form joined with the record separator
/// `\x1e` (`4hello\x1e2\x1ebAQI=`). A body that is empty, over the size cap, or holds an empty or
/// malformed record is rejected as a whole. Text packets are not escaped, so a raw `\x1e` inside a
/// message would split it (as in every Engine.IO implementation); Socket.IO's JSON never contains one.
enum EngineIOPayload {
    /// Splits and decodes a POST body.
    static func decode(_ body: [UInt8],
                       maxBytes: Int = EngineIOLimits.defaultMaxPayloadBytes) throws -> [EngineIOPacket] {
        guard body.count <= maxBytes else { throw EngineIODecodeError.payloadTooLarge(body.count) }
        guard !body.isEmpty else { throw EngineIODecodeError.emptyPacket }
        return try body.withUnsafeBytes { raw in
            var packets: [EngineIOPacket] = []
            var start = 0
            for i in 0...raw.count where i == raw.count || raw[i] == EngineIOLimits.recordSeparator {
                let record = UnsafeRawBufferPointer(rebasing: raw[start..<i])
                packets.append(try EngineIOPacket.decode(pollingRecord: record))
                start = i + 1
            }
            return packets
        }
    }

    /// Joins packets into a GET response body.
    static func encode(_ packets: [EngineIOPacket]) -> [UInt8] {
        var out: [UInt8] = []
        for (i, packet) in packets.enumerated() {
            if i > 0 { out.append(EngineIOLimits.recordSeparator) }
            packet.encodePolling(into: &out)
        }
        return out
    }
}
