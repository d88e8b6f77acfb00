/// JSON Web Tokens, compact JWS with HS256 only (RFC 7519 / RFC 7515). The algorithm is pinned: a
/// token whose header says anything but exactly `"HS256"` (including `"none"`) is refused before its
/// signature is looked at. Verification order: shape → header → signature (constant time) →
/// payload → `exp` (required) → `nbf` (optional). No leeway: the caller's clock is the truth.

public enum JWTError: Error, Equatable, Sendable {
    /// Not three base64url segments of JSON objects, over `JWT.maxTokenBytes`, a `crit` header,
    /// or a missing / non-numeric `exp` (or non-numeric `nbf`).
    case malformed
    /// Header `alg` is not exactly `HS256`.
    case algorithmNotAllowed
    case badSignature
    /// `exp` ≤ now.
    case expired
    /// `nbf` > now.
    case notYetValid
}

public enum JWT {
    /// Longest token accepted for verification, in bytes (tokens here are ~250 bytes).
    public static let maxTokenBytes = 8192

    /// The only header this implementation writes.
    static let headerSegment: [UInt8] = Base64URL.encodeBytes(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))

    /// `base64url(header).base64url(claims).base64url(HMAC-SHA256(secret, signing input))`.
    public static func sign(claims: JSONObject, secret: [UInt8]) -> String {
        var token = headerSegment
        token.append(UInt8(ascii: "."))
        token.append(contentsOf: Base64URL.encodeBytes(JSON.object(claims).serialized()))
        let signature = HMAC.sha256(key: secret, message: token)
        token.append(UInt8(ascii: "."))
        token.append(contentsOf: Base64URL.encodeBytes(signature))
        return String(decoding: token, as: UTF8.self)
    }

    /// The claims of a valid, unexpired token signed with `secret`.
    public static func verify(_ token: String, secret: [UInt8], nowSeconds: Int64) throws -> JSONObject {
        let bytes = Array(token.utf8)
        guard bytes.count <= maxTokenBytes else { throw JWTError.malformed }
        var dots: [Int] = []
        for (i, b) in bytes.enumerated() {
            if b == UInt8(ascii: ".") { dots.append(i) }
            // Compact JWS segments are unpadded base64url; padding would allow several spellings.
            if b == UInt8(ascii: "=") { throw JWTError.malformed }
        }
        guard dots.count == 2 else { throw JWTError.malformed }
        let headerPart = bytes[0..<dots[0]]
        let payloadPart = bytes[(dots[0] + 1)..<dots[1]]
        let signaturePart = bytes[(dots[1] + 1)...]

        let header = try decodeObject(headerPart)
        guard case .string(let alg)? = header["alg"] else {
            throw header["alg"] == nil ? JWTError.malformed : JWTError.algorithmNotAllowed
        }
        guard alg == "HS256" else { throw JWTError.algorithmNotAllowed }
        guard header["crit"] == nil else { throw JWTError.malformed }

        guard let signature = Base64URL.decode(bytes: signaturePart),
              signature.count == SHA256.digestSize else { throw JWTError.badSignature }
        let expected = HMAC.sha256(key: secret, message: Array(bytes[0..<dots[1]]))
        guard ConstantTime.equals(signature, expected) else { throw JWTError.badSignature }

        let claims = try decodeObject(payloadPart)
        guard let exp = claims["exp"]?.double else { throw JWTError.malformed }
        guard exp > Double(nowSeconds) else { throw JWTError.expired }
        if let nbfValue = claims["nbf"] {
            guard let nbf = nbfValue.double else { throw JWTError.malformed }
            guard nbf <= Double(nowSeconds) else { throw JWTError.notYetValid }
        }
        return claims
    }

    /// Decodes the claims without checking anything: for logs and diagnostics only, never for
    /// authorisation.
    public static func unverifiedClaims(_ token: String) -> JSONObject? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        return try? decodeObject(ArraySlice(parts[1].utf8))
    }

    private static func decodeObject(_ segment: ArraySlice<UInt8>) throws -> JSONObject {
        guard !segment.isEmpty, let json = Base64URL.decode(bytes: segment),
              let value = try? JSON.parse(json), case .object(let object) = value else {
            throw JWTError.malformed
        }
        return object
    }
}
