import Shared

/// Password hashing and verification for the routes, always off the loop thread (yescrypt takes
/// tens of milliseconds by design). Verification of an unknown account runs against a dummy
/// hash of the same cost, so the response time does not reveal which emails exist.
public enum PasswordCheck {
    /// A yescrypt hash of a random password, made once on first use (on a worker thread).
    static let dummyHash: String = (try? PasswordHasher.hash(SecureRandom.hex(16)))
        ?? "$y$j9T$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

    /// Verifies `password` against `hash`, or against the dummy hash when `hash` is nil (the
    /// account does not exist); the result is then always false. Call on a worker.
    public static func verify(_ password: String, hash: String?) -> Bool {
        guard let hash else {
            _ = PasswordHasher.verify(password, hash: dummyHash)
            return false
        }
        return PasswordHasher.verify(password, hash: hash)
    }

    /// A fresh hash; call on a worker.
    public static func hash(_ password: String) throws -> String {
        do {
            return try PasswordHasher.hash(password)
        } catch PasswordHasherError.passwordTooLong {
            throw HTTPError.validation("\"password\" must be at most \(PasswordHasher.maxPasswordBytes) bytes long")
        } catch PasswordHasherError.passwordContainsNUL {
            throw HTTPError.validation("\"password\" must not contain NUL characters")
        }
    }
}
