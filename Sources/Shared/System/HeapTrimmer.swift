import Glibc

/// Gives the memory of a large CSV import back to the system once it is done: in the gateway after
/// the upload is answered, in the queue-daemon after the import commits (issue 10: it kept
/// ~210 MB after importing 600k rows). The request body, the parsed rows and the chunk JSON are
/// all freed by then, but glibc keeps freed heap pages in its arenas (a worker thread's arena
/// especially), so a daemon that imported a 10 MiB file would otherwise stay ~100 MiB larger. `malloc_trim(0)` returns those pages; it is
/// looked up with `dlsym` (the Glibc module does not export `malloc.h`) and runs on a worker
/// thread because it walks every arena.
///
/// `malloc_trim` cannot shrink the top of a worker thread's own arena, and the rows are built on
/// workers, so those arenas kept tens of MiB after an import. Each daemon that imports therefore
/// limits the process to `arenaLimit` malloc arena(s) at start (`fixArenas()`, `mallopt`,
/// before any worker thread allocates): everything then lives in the main arena, which the trim
/// returns in full (thread caches keep small allocations from contending on its lock).
public enum HeapTrimmer {
    /// Uploads at least this large are followed by a trim.
    public static let trimThresholdBytes = 1 << 20
    /// `M_ARENA_MAX` for the gateway: one arena, the main one.
    public static let arenaLimit: Int32 = 1

    private typealias MallocTrim = @convention(c) (Int) -> Int32
    private typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
    /// glibc's `malloc.h` parameter number of `M_ARENA_MAX`.
    private static let mArenaMax: Int32 = -8

    private static let mallocTrim: MallocTrim? = {
        guard let symbol = dlsym(nil, "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: MallocTrim.self)
    }()

    /// Whether this C library offers `malloc_trim` (glibc does).
    public static var isAvailable: Bool { mallocTrim != nil }

    /// Sets the arena limit, once per process; false when this C library has no `mallopt` or
    /// refused the value.
    public static let arenasLimited: Bool = {
        guard let symbol = dlsym(nil, "mallopt") else { return false }
        let mallopt = unsafeBitCast(symbol, to: MallOpt.self)
        return mallopt(mArenaMax, arenaLimit) == 1
    }()

    /// Limits the malloc arenas (idempotent); returns whether the limit is in place.
    @discardableResult
    public static func fixArenas() -> Bool { arenasLimited }

    /// Trims the heap on a worker thread after an upload of `uploadBytes`; `done` runs on the loop.
    public static func release(afterUploadOf uploadBytes: Int, on loop: EventLoop, done: @escaping (Bool) -> Void = { _ in }) {
        guard uploadBytes >= trimThresholdBytes else { return done(false) }
        trim(on: loop, done: done)
    }

    /// Trims the heap on a worker thread; `done` gets whether memory was returned, on the loop.
    public static func trim(on loop: EventLoop, done: @escaping (Bool) -> Void = { _ in }) {
        guard let trim = mallocTrim else { return done(false) }
        loop.runOnWorker({ trim(0) != 0 }, completion: done)
    }
}
