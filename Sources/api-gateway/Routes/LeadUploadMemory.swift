import Glibc
import Shared

/// Gives the memory of a large CSV upload back to the system once it is answered. The request
/// body, the parsed rows and the chunk JSON are all freed by then, but glibc keeps freed heap
/// pages in its arenas (the worker thread's arena especially), so a gateway that imported a
/// 10 MiB file would otherwise stay ~100 MiB larger. `malloc_trim(0)` returns those pages; it is
/// looked up with `dlsym` (the Glibc module does not export `malloc.h`) and runs on a worker
/// thread because it walks every arena.
///
/// `malloc_trim` cannot shrink the top of a worker thread's own arena, and the rows are built on
/// workers, so those arenas kept tens of MiB after an import. The route therefore limits the
/// process to `arenaLimit` malloc arena(s) when it is registered (`fixArenas()`, `mallopt`,
/// before any worker thread allocates): everything then lives in the main arena, which the trim
/// returns in full (thread caches keep small allocations from contending on its lock).
enum LeadUploadMemory {
    /// Uploads at least this large are followed by a trim.
    static let trimThresholdBytes = 1 << 20
    /// `M_ARENA_MAX` for the gateway: one arena, the main one.
    static let arenaLimit: Int32 = 1

    private typealias MallocTrim = @convention(c) (Int) -> Int32
    private typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
    /// glibc's `malloc.h` parameter number of `M_ARENA_MAX`.
    private static let mArenaMax: Int32 = -8

    private static let mallocTrim: MallocTrim? = {
        guard let symbol = dlsym(nil, "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: MallocTrim.self)
    }()

    /// Whether this C library offers `malloc_trim` (glibc does).
    static var isAvailable: Bool { mallocTrim != nil }

    /// Sets the arena limit, once per process; false when this C library has no `mallopt` or
    /// refused the value.
    static let arenasLimited: Bool = {
        guard let symbol = dlsym(nil, "mallopt") else { return false }
        let mallopt = unsafeBitCast(symbol, to: MallOpt.self)
        return mallopt(mArenaMax, arenaLimit) == 1
    }()

    /// Limits the malloc arenas (idempotent); returns whether the limit is in place.
    @discardableResult
    static func fixArenas() -> Bool { arenasLimited }

    /// Trims the heap on a worker thread after an upload of `uploadBytes`; `done` runs on the loop.
    static func release(afterUploadOf uploadBytes: Int, on loop: EventLoop, done: @escaping (Bool) -> Void = { _ in }) {
        guard uploadBytes >= trimThresholdBytes, let trim = mallocTrim else { return done(false) }
        loop.runOnWorker({ trim(0) != 0 }, completion: done)
    }
}
