/// One console file as served: its bytes, `Content-Type` and strong `ETag` (a content digest),
/// with the stat identity it was read at, so a changed file on disk is read again.
public struct StaticFile: Equatable {
    public let bytes: [UInt8]
    public let contentType: String
    public let etag: String
    /// `st_mtim` in nanoseconds, `st_size` and `st_ino` when read.
    let identity: Identity

    struct Identity: Equatable {
        let mtimeNanos: Int64
        let size: Int64
        let inode: UInt64
    }
}
