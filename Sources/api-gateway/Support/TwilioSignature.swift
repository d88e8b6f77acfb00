import Shared

/// Twilio's request signature (`X-Twilio-Signature`, twilio.com/docs/usage/security):
/// base64(HMAC-SHA1(auth token, full URL + every POST parameter as name followed by value, sorted
/// by name)). The full URL is the one Twilio was given: `IBRAT_PUBLIC_URL` + the request path and
/// query, so a TLS-terminating proxy in front of the gateway does not break it. Parameters with
/// the same name are appended in value order, as Twilio's own libraries do. Names and values
/// sort by their UTF-8 bytes (code point order). Comparison is constant-time.
public enum TwilioSignature {
    public static let headerName = "X-Twilio-Signature"
    /// A signature longer than this is not even decoded (a SHA-1 HMAC is 28 base64 characters).
    public static let maxHeaderLength = 128

    /// The signature Twilio would send for `url` and `params`.
    public static func compute(authToken: String, url: String, params: [(String, String)]) -> String {
        Base64.encode(HMAC.sha1(key: Array(authToken.utf8), message: signedBytes(url: url, params: params)))
    }

    /// True when `signature` is the one Twilio would send (missing, oversized or wrong: false).
    public static func isValid(_ signature: String?, authToken: String, url: String, params: [(String, String)]) -> Bool {
        guard let signature, !signature.isEmpty, signature.utf8.count <= maxHeaderLength else { return false }
        let expected = compute(authToken: authToken, url: url, params: params)
        return ConstantTime.equals(Array(signature.utf8), Array(expected.utf8))
    }

    /// The signed message: the URL, then name + value of each parameter, sorted.
    static func signedBytes(url: String, params: [(String, String)]) -> [UInt8] {
        let sorted = params.map { (Array($0.0.utf8), Array($0.1.utf8)) }.sorted { a, b in
            a.0 != b.0 ? a.0.lexicographicallyPrecedes(b.0) : a.1.lexicographicallyPrecedes(b.1)
        }
        var message = Array(url.utf8)
        message.reserveCapacity(message.count + sorted.reduce(0) { $0 + $1.0.count + $1.1.count })
        for (name, value) in sorted {
            message += name
            message += value
        }
        return message
    }

    /// The URL Twilio signed for `request`: `publicURL` + the path and query exactly as sent.
    public static func fullURL(publicURL: String, request: HTTPRequest) -> String {
        publicURL + request.rawTarget
    }
}
