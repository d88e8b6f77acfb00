/// Password hashing with yescrypt through libxcrypt (`crypt_gensalt_rn` + `crypt_rn`), the scheme
/// Debian uses for /etc/shadow. Slow by design (tens of milliseconds): call it on a worker thread,
/// never on the event loop. Thread-safe: every call owns its `crypt_data` work area.
import CCrypt
#if canImport(Glibc)
import Glibc
#endif

public enum PasswordHasherError: Error, Equatable {
    /// Longer than `PasswordHasher.maxPasswordBytes` UTF-8 bytes.
    case passwordTooLong
    /// Contains a NUL byte, which a C string cannot carry (it would silently truncate the password).
    case passwordContainsNUL
    /// libcrypt refused (no entropy source for the salt, unsupported algorithm); carries errno.
    case hashingFailed(errno: Int32)
}

public enum PasswordHasher {
    /// Longest password accepted, in UTF-8 bytes. libxcrypt's hard limit is 511
    /// (`CRYPT_MAX_PASSPHRASE_SIZE` minus the NUL); 256 is plenty for passphrases and keeps the
    /// limit independent of the library version.
    public static let maxPasswordBytes = 256

    /// The algorithm prefix `hash` produces; hashes with any other prefix still verify (for example
    /// bcrypt `$2b$` hashes carried over from the earlier system) but `needsRehash` reports them.
    public static let preferredPrefix = "$y$"

    /// Random bytes fed to `crypt_gensalt_rn` for the salt (128 bits).
    static let saltEntropyBytes = 16

    /// A fresh yescrypt hash at libcrypt's default cost, e.g. `$y$j9T$<salt>$<hash>`.
    public static func hash(_ password: String) throws -> String {
        try checkPassword(password)
        let entropy = SecureRandom.bytes(saltEntropyBytes)
        var settingBuffer = [CChar](repeating: 0, count: Int(CRYPT_GENSALT_OUTPUT_SIZE))
        let generated: UnsafeMutablePointer<CChar>? = entropy.withUnsafeBytes { raw in
            settingBuffer.withUnsafeMutableBufferPointer { out in
                crypt_gensalt_rn(preferredPrefix, 0, raw.baseAddress?.assumingMemoryBound(to: CChar.self),
                                 Int32(raw.count), out.baseAddress, Int32(out.count))
            }
        }
        guard generated != nil else { throw PasswordHasherError.hashingFailed(errno: currentErrno()) }
        let setting = String(decoding: settingBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let result = runCrypt(password, setting: setting) else {
            throw PasswordHasherError.hashingFailed(errno: currentErrno())
        }
        return result
    }

    /// True when `password` hashes to `hash` under the setting stored in `hash`. False for
    /// malformed or locked hashes (`*`, `!`, empty), over-long passwords and NUL bytes.
    public static func verify(_ password: String, hash: String) -> Bool {
        guard hash.hasPrefix("$"), hash.utf8.count < Int(CRYPT_OUTPUT_SIZE) else { return false }
        guard (try? checkPassword(password)) != nil else { return false }
        guard let computed = runCrypt(password, setting: hash) else { return false }
        return ConstantTime.equals(Array(computed.utf8), Array(hash.utf8))
    }

    /// True when a stored hash should be replaced with a fresh `hash(_:)` after a successful login.
    public static func needsRehash(_ hash: String) -> Bool {
        !hash.hasPrefix(preferredPrefix)
    }

    private static func checkPassword(_ password: String) throws {
        let utf8 = password.utf8
        guard utf8.count <= maxPasswordBytes else { throw PasswordHasherError.passwordTooLong }
        guard !utf8.contains(0) else { throw PasswordHasherError.passwordContainsNUL }
    }

    /// `crypt_rn` with a zeroed, heap-allocated `crypt_data` (32 KiB: too large for the stack of a
    /// worker thread). The work area is wiped before it is freed; it held the passphrase.
    private static func runCrypt(_ password: String, setting: String) -> String? {
        let size = MemoryLayout<crypt_data>.size
        let area = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: MemoryLayout<crypt_data>.alignment)
        area.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        defer {
            area.initializeMemory(as: UInt8.self, repeating: 0, count: size)
            area.deallocate()
        }
        let data = area.bindMemory(to: crypt_data.self, capacity: 1)
        let output: UnsafeMutablePointer<CChar>? = password.withCString { phrase in
            setting.withCString { set in crypt_rn(phrase, set, data, Int32(size)) }
        }
        guard let output, output.pointee != 0, output.pointee != CChar(UInt8(ascii: "*")) else { return nil }
        return String(cString: output)
    }

    private static func currentErrno() -> Int32 {
        #if canImport(Glibc)
        return Glibc.errno
        #else
        return 0
        #endif
    }
}
