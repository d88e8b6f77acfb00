import Foundation
import Glibc
import Shared

/// Where the JWT signing secret comes from, in order: `IBRAT_JWT_SECRET`; the file named by
/// `IBRAT_JWT_SECRET_FILE` (or the systemd credential `jwt-secret`), which must be readable and
/// hold at least `minLength` characters; else `<stateDir>/jwt-secret`, generated on first start
/// (32 random bytes as hex, mode 0600) so tokens survive restarts.
public enum JWTSecretLoader {
    public static let minLength = 32
    public static let generatedBytes = 32
    public static let generatedFileName = "jwt-secret"
    /// Longest secret file read.
    public static let maxFileBytes = 4096

    /// The secret bytes; throws a configuration `GatewayStartupError` naming the source.
    public static func load(config: Config, logger: Logger) throws -> [UInt8] {
        if let secret = config.jwtSecret { return Array(secret.utf8) }
        if let file = config.jwtSecretFile {
            let name = file.hasPrefix((config.credentialsDir ?? "\u{0}") + "/")
                ? "the credential jwt-secret (\(file))" : "IBRAT_JWT_SECRET_FILE (\(file))"
            guard let text = readSecret(file) else { throw GatewayStartupError.config("\(name): cannot be read") }
            guard text.count >= minLength else {
                throw GatewayStartupError.config("\(name): must hold at least \(minLength) characters (got \(text.count))")
            }
            return Array(text.utf8)
        }
        let path = config.stateDir + "/" + generatedFileName
        if let text = readSecret(path) {
            guard text.count >= minLength else {
                throw GatewayStartupError.config("\(path): holds a JWT secret shorter than \(minLength) characters; "
                                                 + "delete it to generate a new one or set IBRAT_JWT_SECRET")
            }
            return Array(text.utf8)
        }
        let secret = SecureRandom.hex(generatedBytes)
        try write(secret + "\n", to: path)
        logger.notice("generated a new JWT secret in \(path) (set IBRAT_JWT_SECRET or IBRAT_JWT_SECRET_FILE to choose one)")
        return Array(secret.utf8)
    }

    /// The trimmed contents of a readable file, nil when missing or unreadable.
    static func readSecret(_ path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: maxFileBytes) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Creates `path` with mode 0600 (never overwriting) and writes `text`.
    static func write(_ text: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw GatewayStartupError.config("cannot create \(path) for the JWT secret: \(String(cString: strerror(errno)))")
        }
        defer { Glibc.close(fd) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else {
            unlink(path)
            throw GatewayStartupError.config("cannot write the JWT secret to \(path): \(String(cString: strerror(errno)))")
        }
    }
}
