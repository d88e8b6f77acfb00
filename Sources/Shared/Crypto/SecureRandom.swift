/// Cryptographically secure random bytes from the kernel (getrandom(2), blocking until the pool is
/// initialised), for salts, token ids (`jti`) and secrets. Never seeded, never reproducible: use
/// `SeededRandom` for simulations.
#if canImport(Glibc)
import Glibc
#endif

/// glibc's `getrandom` (sys/random.h) is not part of Swift's Glibc module map, so it is bound by name.
/// Its C signature, `ssize_t getrandom(void *buf, size_t buflen, unsigned int flags)`, has only
/// register-sized scalar arguments, which the Swift and C calling conventions pass identically.
@_silgen_name("getrandom")
private func sys_getrandom(_ buffer: UnsafeMutableRawPointer?, _ length: Int, _ flags: UInt32) -> Int

public enum SecureRandom {
    /// `n` random bytes (empty for `n <= 0`).
    public static func bytes(_ n: Int) -> [UInt8] {
        guard n > 0 else { return [] }
        var out = [UInt8](repeating: 0, count: n)
        out.withUnsafeMutableBytes { fill($0) }
        return out
    }

    /// `nBytes` random bytes as lowercase hex (2 × nBytes characters).
    public static func hex(_ nBytes: Int) -> String {
        Hex.encode(bytes(nBytes))
    }

    /// Fills `buffer` completely. getrandom may return fewer bytes than asked (large requests) or be
    /// interrupted by a signal; both are retried. Should the syscall be unavailable (ENOSYS on a
    /// very old kernel, or seccomp), the standard library's system generator is used instead, which
    /// traps rather than ever returning predictable bytes.
    public static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress else { return }
        var done = 0
        while done < buffer.count {
            let r = sys_getrandom(base + done, buffer.count - done, 0)
            if r > 0 {
                done += r
            } else if r < 0 && errno == EINTR {
                continue
            } else {
                var generator = SystemRandomNumberGenerator()
                for i in done..<buffer.count { buffer[i] = generator.next() }
                return
            }
        }
    }
}
