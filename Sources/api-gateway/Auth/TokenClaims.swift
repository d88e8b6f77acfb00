import Shared

/// The claims of a gateway token (DESIGN §6): `userId`, `role`, `jti` (16 random bytes as hex),
/// `iat` and `exp` in seconds since the epoch.
public struct TokenClaims: Equatable {
    public let userID: String
    public let role: String
    public let jti: String
    public let issuedAt: Int64
    public let expiresAt: Int64

    public var json: JSONObject {
        JSONObject([("userId", .string(userID)), ("role", .string(role)), ("jti", .string(jti)),
                    ("iat", .int(issuedAt)), ("exp", .int(expiresAt))])
    }
}

/// Kept out of the struct's body so the memberwise initializer is still synthesized.
extension TokenClaims {
    /// From verified JWT claims; nil when a required claim is missing or of the wrong form.
    public init?(json: JSONObject) {
        guard let userID = json["userId"]?.string, ObjectID.isValid(userID),
              let jti = json["jti"]?.string, !jti.isEmpty, jti.utf8.count <= 64,
              let exp = json["exp"]?.int else { return nil }
        self.init(userID: userID, role: json["role"]?.string ?? "", jti: jti,
                  issuedAt: json["iat"]?.int ?? 0, expiresAt: exp)
    }
}

/// Why a token was refused, before the user row is looked at.
public enum TokenFailure: Error, Equatable {
    case invalid
    case expired
    case revoked
}
