/// One read buffer shared by every WebSocket connection of an owner (the Engine.IO server, the
/// echo endpoint). The event loop is single-threaded and a connection hands the bytes to its
/// decoder before returning, so sharing is safe and a thousand idle clients cost no buffer each.
final class WebSocketReadBuffer {
    /// Bytes per read(2): 64 KiB.
    static let defaultBytes = 64 * 1024

    let storage: UnsafeMutableRawBufferPointer

    init(bytes: Int = WebSocketReadBuffer.defaultBytes) {
        storage = .allocate(byteCount: max(bytes, 1024), alignment: 16)
    }

    deinit { storage.deallocate() }
}
