/// The Twilio settings (docs/TWILIO.md), part of `Config`. Twilio is active only when the account
/// SID, the auth token, the caller id and the public URL are all set; when none of the SID, token
/// and caller id is set the dialer simulates calls. Setting only some of them is a start-up error
/// naming the first missing variable. The earlier version's `TWILIO_ACCOUNT_SID`,
/// `TWILIO_AUTH_TOKEN`, `TWILIO_PHONE_NUMBER` and `BASE_URL` are read when the `IBRAT_` names are
/// unset. The auth token is a secret: it is never part of a log line or a description.
public struct TwilioSettings: Sendable, Equatable, CustomStringConvertible {
    /// `IBRAT_TWILIO_ACCOUNT_SID` (or `TWILIO_ACCOUNT_SID`): "AC" and 32 hex digits.
    public var accountSid: String
    /// `IBRAT_TWILIO_AUTH_TOKEN`, `IBRAT_TWILIO_AUTH_TOKEN_FILE`, the credential
    /// `<CREDENTIALS_DIRECTORY>/twilio-auth-token`, or `TWILIO_AUTH_TOKEN`, in that order.
    public var authToken: String
    /// `IBRAT_TWILIO_FROM` (or `TWILIO_PHONE_NUMBER`): the caller id, E.164.
    public var from: String
    /// `IBRAT_PUBLIC_URL` (or `BASE_URL`): the https URL Twilio reaches the gateway at, without
    /// a trailing slash. Webhook signatures are computed over this URL plus the path.
    public var publicURL: String
    /// `IBRAT_TWILIO_API_BASE`, default `https://api.twilio.com` (tests point it at a fake).
    public var apiBase: String
    /// `IBRAT_TWILIO_CPS`: calls created per second at most, default 1 (Twilio's default).
    public var callsPerSecond: Double
    /// `IBRAT_TWILIO_RING_TIMEOUT`: seconds a phone may ring (the lead's and the operator's).
    public var ringTimeoutSeconds: Int

    public static let defaultAPIBase = "https://api.twilio.com"
    public static let defaultCallsPerSecond = 1.0
    public static let callsPerSecondRange: ClosedRange<Double> = 0...1000
    public static let defaultRingTimeoutSeconds = 30
    /// Twilio accepts a `Timeout` of 5 to 600 seconds.
    public static let ringTimeoutRange: ClosedRange<Int> = 5...600
    /// Longest auth token accepted (Twilio's are 32 characters).
    public static let maxAuthTokenLength = 256
    /// The credential name systemd's `LoadCredential=` uses.
    public static let credentialName = "twilio-auth-token"
    /// The webhook paths, appended to `publicURL`.
    public static let answerPath = "/api/calls/webhook/answer"
    public static let statusPath = "/api/calls/webhook/status"

    public init(accountSid: String, authToken: String, from: String, publicURL: String,
                apiBase: String = defaultAPIBase, callsPerSecond: Double = defaultCallsPerSecond,
                ringTimeoutSeconds: Int = defaultRingTimeoutSeconds) {
        self.accountSid = accountSid
        self.authToken = authToken
        self.from = from
        self.publicURL = publicURL
        self.apiBase = apiBase
        self.callsPerSecond = callsPerSecond
        self.ringTimeoutSeconds = ringTimeoutSeconds
    }

    public var answerURL: String { publicURL + Self.answerPath }
    public var statusCallbackURL: String { publicURL + Self.statusPath }

    /// Everything but the token.
    public var description: String {
        "TwilioSettings(accountSid: \(accountSid), from: \(from), publicURL: \(publicURL), apiBase: \(apiBase), "
            + "callsPerSecond: \(ConfigValues.format(callsPerSecond)), ringTimeoutSeconds: \(ringTimeoutSeconds))"
    }

    /// True for "AC" followed by 32 hex digits.
    public static func isAccountSid(_ text: String) -> Bool {
        let u = Array(text.utf8)
        guard u.count == 34, u[0] == UInt8(ascii: "A"), u[1] == UInt8(ascii: "C") else { return false }
        return u.dropFirst(2).allSatisfy(isHexDigit)
    }

    static func isHexDigit(_ b: UInt8) -> Bool {
        (48...57).contains(b) || (65...70).contains(b) || (97...102).contains(b)
    }

    // MARK: Loading

    /// One setting and the variable it came from (for error messages).
    private struct Found {
        let value: String
        let variable: String
    }

    /// Reads the settings; nil when Twilio is not configured at all.
    static func parse(_ v: ConfigValues, credentialsDir: String?) throws -> TwilioSettings? {
        // Validated whether or not Twilio is active: a bad value is a mistake either way.
        let apiBase = try parseURL(v, "IBRAT_TWILIO_API_BASE", allowHTTP: true) ?? defaultAPIBase
        let cps = try v.double("IBRAT_TWILIO_CPS", default: defaultCallsPerSecond, range: callsPerSecondRange,
                               excludingLowerBound: true)
        let ring = try v.int("IBRAT_TWILIO_RING_TIMEOUT", default: defaultRingTimeoutSeconds, range: ringTimeoutRange)

        let sid = pick(v, "IBRAT_TWILIO_ACCOUNT_SID", legacy: "TWILIO_ACCOUNT_SID")
        let token = try authToken(v, credentialsDir: credentialsDir)
        let from = pick(v, "IBRAT_TWILIO_FROM", legacy: "TWILIO_PHONE_NUMBER")
        guard sid != nil || token != nil || from != nil else { return nil }

        guard let sid else { throw missing("IBRAT_TWILIO_ACCOUNT_SID", legacy: "TWILIO_ACCOUNT_SID") }
        guard isAccountSid(sid.value) else {
            throw ConfigError.invalid(sid.variable, "must be \"AC\" followed by 32 hex digits", got: sid.value)
        }
        guard let token else {
            throw missing("IBRAT_TWILIO_AUTH_TOKEN", legacy: "TWILIO_AUTH_TOKEN",
                          extra: ", IBRAT_TWILIO_AUTH_TOKEN_FILE or the credential \(credentialName)")
        }
        guard let from else { throw missing("IBRAT_TWILIO_FROM", legacy: "TWILIO_PHONE_NUMBER") }
        guard PhoneNumber.isE164(from.value) else {
            throw ConfigError.invalid(from.variable, "must be an E.164 number like +15005550006", got: from.value)
        }
        let publicURL: String
        if let url = try parseURL(v, "IBRAT_PUBLIC_URL", allowHTTP: false) {
            publicURL = url
        } else if let url = try parseURL(v, "BASE_URL", allowHTTP: false) {
            publicURL = url
        } else {
            throw missing("IBRAT_PUBLIC_URL", legacy: "BASE_URL")
        }
        return TwilioSettings(accountSid: sid.value, authToken: token.value, from: from.value, publicURL: publicURL,
                              apiBase: apiBase, callsPerSecond: cps, ringTimeoutSeconds: ring)
    }

    private static func pick(_ v: ConfigValues, _ key: String, legacy: String) -> Found? {
        if let value = v.string(key) { return Found(value: value, variable: key) }
        if let value = v.string(legacy) { return Found(value: value, variable: legacy) }
        return nil
    }

    private static func missing(_ key: String, legacy: String, extra: String = "") -> ConfigError {
        ConfigError(variable: key, message: "must be set (or \(legacy)\(extra)) when Twilio is configured: "
                    + "IBRAT_TWILIO_ACCOUNT_SID, IBRAT_TWILIO_AUTH_TOKEN, IBRAT_TWILIO_FROM and "
                    + "IBRAT_PUBLIC_URL go together")
    }

    private static func authToken(_ v: ConfigValues, credentialsDir: String?) throws -> Found? {
        let direct = v.string("IBRAT_TWILIO_AUTH_TOKEN")
        var file = v.string("IBRAT_TWILIO_AUTH_TOKEN_FILE")
        var fileVariable = "IBRAT_TWILIO_AUTH_TOKEN_FILE"
        if direct != nil, file != nil {
            throw ConfigError(variable: "IBRAT_TWILIO_AUTH_TOKEN_FILE",
                              message: "set either IBRAT_TWILIO_AUTH_TOKEN or IBRAT_TWILIO_AUTH_TOKEN_FILE, not both")
        }
        if direct == nil, file == nil, let dir = credentialsDir, ConfigFile.isFile(dir + "/" + credentialName) {
            file = dir + "/" + credentialName
            fileVariable = "CREDENTIALS_DIRECTORY"
        }
        var found: Found?
        if let direct {
            found = Found(value: direct, variable: "IBRAT_TWILIO_AUTH_TOKEN")
        } else if let path = file {
            var text = try ConfigFile.read(path: path, variable: fileVariable, limit: ConfigFile.maxSecretBytes)
            while let last = text.last, last == "\n" || last == "\r" || last == "\r\n" { text.removeLast() }
            found = Found(value: ConfigFile.trim(Substring(text)), variable: fileVariable)
        } else if let legacy = v.string("TWILIO_AUTH_TOKEN") {
            found = Found(value: legacy, variable: "TWILIO_AUTH_TOKEN")
        }
        guard let found else { return nil }
        let bytes = Array(found.value.utf8)
        guard !bytes.isEmpty, bytes.count <= maxAuthTokenLength, bytes.allSatisfy({ (33...126).contains($0) }) else {
            // The value is a secret: describe it, never quote it.
            throw ConfigError(variable: found.variable, message: "the Twilio auth token must be 1 to "
                              + "\(maxAuthTokenLength) printable ASCII characters without spaces")
        }
        return found
    }

    /// An absolute http(s) URL without query or fragment, trailing slashes removed.
    private static func parseURL(_ v: ConfigValues, _ key: String, allowHTTP: Bool) throws -> String? {
        guard var text = v.string(key) else { return nil }
        let original = text
        while text.hasSuffix("/") { text.removeLast() }
        let schemes = allowHTTP ? ["https://", "http://"] : ["https://"]
        guard let scheme = schemes.first(where: { text.lowercased().hasPrefix($0) }) else {
            throw ConfigError.invalid(key, allowHTTP ? "must be an http:// or https:// URL"
                                                     : "must be an https:// URL (Twilio calls it)", got: original)
        }
        let rest = text.dropFirst(scheme.count)
        let host = rest.prefix { $0 != "/" && $0 != ":" }
        guard !host.isEmpty, !text.utf8.contains(where: { $0 <= 32 || $0 >= 127 || $0 == UInt8(ascii: "?")
                                                          || $0 == UInt8(ascii: "#") || $0 == UInt8(ascii: "@") })
        else {
            throw ConfigError.invalid(key, "must be a URL with a host and no query, fragment, user or spaces",
                                      got: original)
        }
        return text
    }
}
