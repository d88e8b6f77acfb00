/// HMAC (RFC 2104) over any `HashFunction`; `HMAC.sha256` signs JWTs, `HMAC.sha1` checks Twilio
/// request signatures. Keys longer than the block size are hashed first, as the RFC requires.
public enum HMAC {
    public static func sha256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        authenticate(SHA256.self, key: key, message: message)
    }

    public static func sha1(key: [UInt8], message: [UInt8]) -> [UInt8] {
        authenticate(SHA1.self, key: key, message: message)
    }

    /// HMAC with the hash function `H`: H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ message)).
    public static func authenticate<H: HashFunction>(_: H.Type, key: [UInt8], message: [UInt8]) -> [UInt8] {
        var block = key.count > H.blockSize ? H.hash(key) : key
        if block.count < H.blockSize {
            block.append(contentsOf: repeatElement(0, count: H.blockSize - block.count))
        }
        var inner = H()
        inner.update(block.map { $0 ^ 0x36 })
        inner.update(message)
        let innerDigest = inner.finalize()
        var outer = H()
        outer.update(block.map { $0 ^ 0x5c })
        outer.update(innerDigest)
        return outer.finalize()
    }
}
