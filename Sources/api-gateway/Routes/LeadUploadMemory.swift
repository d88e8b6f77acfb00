import Glibc
import Shared

/// Gives the memory of a large CSV upload back to the system once it is answered. The request
/// body, the parsed rows and the chunk JSON are all freed by then, but glibc keeps freed heap
/// pages in its arenas (the worker thread's arena especially), so a gateway that imported a
/// 10 MiB file would otherwise stay ~100 MiB larger. `malloc_trim(0)` returns those pages; it is
/// looked up with `dlsym` (the Glibc module does not export `malloc.h`) and runs on a worker
/// thread because it walks every arena.
enum LeadUploadMemory {
    /// Uploads at least this large are followed by a trim.
    static let trimThresholdBytes = 1 << 20

    private typealias MallocTrim = @convention(c) (Int) -> Int32

    private static let mallocTrim: MallocTrim? = {
        guard let symbol = dlsym(nil, "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: MallocTrim.self)
    }()

    /// Whether this C library offers `malloc_trim` (glibc does).
    static var isAvailable: Bool { mallocTrim != nil }

    /// Trims the heap on a worker thread after an upload of `uploadBytes`; `done` runs on the loop.
    static func release(afterUploadOf uploadBytes: Int, on loop: EventLoop, done: @escaping (Bool) -> Void = { _ in }) {
        guard uploadBytes >= trimThresholdBytes, let trim = mallocTrim else { return done(false) }
        loop.runOnWorker({ trim(0) != 0 }, completion: done)
    }
}
