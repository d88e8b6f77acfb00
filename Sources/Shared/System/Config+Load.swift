import Foundation

/// `Config.load`: merging the `IBRAT_CONFIG` file with the environment and validating every
/// variable (see `Config` for the list and defaults).
extension Config {
    /// Tolerance of the check that the four `IBRAT_SIM_P_*` probabilities add up to 1.
    public static let probabilitySumTolerance = 0.001
    /// `IBRAT_SLOW_REQUEST_MS` default: requests slower than this are logged at info.
    public static let defaultSlowRequestMillis = 500
    /// 0 (every request is slow) to one hour.
    public static let slowRequestMillisRange: ClosedRange<Int> = 0...3_600_000
    /// Longest Unix socket path (sun_path is 108 bytes including the NUL).
    static let maxSocketPathBytes = 107

    /// Loads and validates the configuration from `environment` (and the file it names).
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Config {
        var merged: [String: String] = [:]
        if let path = ConfigValues(environment).string("IBRAT_CONFIG") {
            let text = try ConfigFile.read(path: path, variable: "IBRAT_CONFIG", limit: ConfigFile.maxConfigBytes)
            merged = try ConfigFile.parse(text, path: path)
        }
        for (key, value) in environment where !ConfigFile.trim(Substring(value)).isEmpty {
            merged[key] = value
        }
        return try Config(values: ConfigValues(merged))
    }

    private init(values v: ConfigValues) throws {
        stateDir = v.firstPath("STATE_DIRECTORY") ?? "./.ibrat"
        runtimeDir = v.string("IBRAT_RUNTIME_DIR") ?? v.firstPath("RUNTIME_DIRECTORY") ?? stateDir + "/run"
        dbPath = v.string("IBRAT_DB") ?? stateDir + "/ibrat.db"
        credentialsDir = v.string("CREDENTIALS_DIRECTORY")
        queueSocketPath = runtimeDir + "/queue.sock"
        dialerSocketPath = runtimeDir + "/dialer.sock"
        if queueSocketPath.utf8.count > Self.maxSocketPathBytes || dialerSocketPath.utf8.count > Self.maxSocketPathBytes {
            throw ConfigError(variable: "IBRAT_RUNTIME_DIR", message: "\(runtimeDir) is too long for Unix socket "
                              + "paths (at most \(Self.maxSocketPathBytes) bytes including /dialer.sock)")
        }

        httpHost = v.string("IBRAT_HTTP_HOST") ?? "127.0.0.1"
        if httpHost.contains(where: { $0 == " " || $0 == "/" }) {
            throw ConfigError.invalid("IBRAT_HTTP_HOST", "must be an IP address or host name", got: httpHost)
        }
        httpPort = UInt16(try v.int("IBRAT_HTTP_PORT", default: 5000, range: 0...65535))
        rateLimit = try Self.parseRateLimit(v, variable: "IBRAT_RATE_LIMIT", default: (100, 900))
        userRateLimit = try Self.parseRateLimit(v, variable: "IBRAT_USER_RATE_LIMIT", default: (1000, 900))
        trustedProxies = try Self.parseBlocks(v, variable: "IBRAT_TRUSTED_PROXIES")
        corsOrigins = try Self.parseOrigins(v)
        wsEchoEnabled = try v.bool("IBRAT_WS_ECHO", default: false)
        metricsAllow = try Self.parseBlocks(v, variable: "IBRAT_METRICS_ALLOW")
        engineIO = try EngineIOSettings.parse(v)
        slowRequestMillis = try v.int("IBRAT_SLOW_REQUEST_MS", default: Self.defaultSlowRequestMillis,
                                      range: Self.slowRequestMillisRange)
        webDir = v.string("IBRAT_WEB_DIR")

        jwtSecret = v.string("IBRAT_JWT_SECRET")
        if let secret = jwtSecret, secret.count < 32 {
            throw ConfigError(variable: "IBRAT_JWT_SECRET", message: "must be at least 32 characters (got \(secret.count))")
        }
        jwtSecretFile = v.string("IBRAT_JWT_SECRET_FILE")
        if jwtSecret != nil, jwtSecretFile != nil {
            throw ConfigError(variable: "IBRAT_JWT_SECRET_FILE", message: "set either IBRAT_JWT_SECRET or IBRAT_JWT_SECRET_FILE, not both")
        }
        if jwtSecret == nil, jwtSecretFile == nil, let dir = credentialsDir, ConfigFile.isFile(dir + "/jwt-secret") {
            jwtSecretFile = dir + "/jwt-secret"
        }
        jwtTTLSeconds = try v.int("IBRAT_JWT_TTL", default: 86_400, range: 1...31_536_000)
        refreshGraceSeconds = try v.int("IBRAT_REFRESH_GRACE", default: 60, range: 0...3600)
        (adminEmail, adminPassword, adminPasswordFile) = try Self.parseAdmin(v, credentialsDir: credentialsDir)

        maxConcurrentCalls = try v.int("IBRAT_MAX_CONCURRENT_CALLS", default: 5, range: FieldRules.maxConcurrentCalls.limit)
        maxAttempts = try v.int("IBRAT_MAX_ATTEMPTS", default: 3, range: 1...100)
        callingHours = .default
        if let text = v.string("IBRAT_CALLING_HOURS") {
            do {
                callingHours = try CallingHours(text: text)
            } catch let error as CallingHoursError {
                throw ConfigError(variable: "IBRAT_CALLING_HOURS", message: error.message)
            }
        }
        maxCallsPerNumberPerDay = try v.int("IBRAT_MAX_CALLS_PER_NUMBER_PER_DAY", default: 3, range: 1...1000)
        dispositions = Dispositions.defaults
        if let text = v.string("IBRAT_DISPOSITIONS") {
            guard let list = Dispositions.parse(text) else {
                throw ConfigError(variable: "IBRAT_DISPOSITIONS",
                                  message: "must be comma-separated names of lower-case letters and _ (got \"\(text.prefix(80))\")")
            }
            dispositions = list
        }
        dispositionEditHours = try v.int("IBRAT_DISPOSITION_EDIT_HOURS", default: 24, range: 1...(24 * 30))
        callbackGraceSeconds = try v.int("IBRAT_CALLBACK_GRACE", default: 900, range: 0...86_400)
        let day = 86_400
        backoffBusySeconds = try v.int("IBRAT_BACKOFF_BUSY", default: 900, range: 0...(30 * day))
        backoffNoAnswerSeconds = try v.int("IBRAT_BACKOFF_NO_ANSWER", default: 1800, range: 0...(30 * day))
        backoffFailedSeconds = try v.int("IBRAT_BACKOFF_FAILED", default: 300, range: 0...(30 * day))
        claimTimeoutSeconds = try v.int("IBRAT_CLAIM_TIMEOUT", default: 1800, range: 1...(7 * day))
        stuckSweepSeconds = try v.int("IBRAT_STUCK_SWEEP", default: 60, range: 1...day)
        defaultCountryCode = try Self.parseCountryCode(v)

        simSeed = try v.uint64("IBRAT_SIM_SEED")
        simTimeScale = try v.double("IBRAT_SIM_TIME_SCALE", default: 1.0, range: 0...1000, excludingLowerBound: true)
        simPAnswer = try v.double("IBRAT_SIM_P_ANSWER", default: 0.6, range: 0...1)
        simPBusy = try v.double("IBRAT_SIM_P_BUSY", default: 0.15, range: 0...1)
        simPNoAnswer = try v.double("IBRAT_SIM_P_NO_ANSWER", default: 0.15, range: 0...1)
        simPFailed = try v.double("IBRAT_SIM_P_FAILED", default: 0.1, range: 0...1)
        pacing = try PacingConfig.parse(v)
        let sum = simPAnswer + simPBusy + simPNoAnswer + simPFailed + pacing.simPMachine
        if abs(sum - 1) > Self.probabilitySumTolerance {
            throw ConfigError(variable: "IBRAT_SIM_P_*", message: "IBRAT_SIM_P_ANSWER, _BUSY, _NO_ANSWER, _FAILED and _MACHINE "
                              + "must add up to 1 (they add up to \(ConfigValues.format((sum * 1e6).rounded() / 1e6)))")
        }
        simRingSeconds = try v.secondsRange("IBRAT_SIM_RING_SECONDS", default: 2...20, bounds: 0...86_400)
        simTalkSeconds = try v.secondsRange("IBRAT_SIM_TALK_SECONDS", default: 30...300, bounds: 0...86_400)

        ipcTimeoutMillis = try v.int("IBRAT_IPC_TIMEOUT_MS", default: 1500, range: 10...600_000)
        dialerCommitMillis = try v.int("IBRAT_DIALER_COMMIT_MS", default: Self.defaultDialerCommitMillis, range: 0...100)
        let levelText = v.string("IBRAT_LOG_LEVEL") ?? "info"
        guard let level = LogLevel(configName: levelText) else {
            throw ConfigError.invalid("IBRAT_LOG_LEVEL", "must be one of " + LogLevel.configurableNames.joined(separator: ", "),
                                      got: levelText)
        }
        logLevel = level
        environmentName = v.string("IBRAT_ENV") ?? "production"
        openAPIFile = v.string("IBRAT_OPENAPI_FILE")
        twilio = try TwilioSettings.parse(v, credentialsDir: credentialsDir)
    }

    private static func parseRateLimit(_ v: ConfigValues, variable: String,
                                       default fallback: (Int, Int)) throws -> (limit: Int, windowSeconds: Int)? {
        guard let text = v.string(variable) else { return fallback }
        if text == "0" { return nil }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let limit = Int(ConfigFile.trim(parts[0])), let window = Int(ConfigFile.trim(parts[1])),
              (1...10_000_000).contains(limit), (1...31_536_000).contains(window) else {
            throw ConfigError.invalid(variable,
                                      "must be \"<requests>/<seconds>\" like \"100/900\", or \"0\" to turn it off", got: text)
        }
        return (limit, window)
    }

    /// A comma list of addresses or CIDR blocks (`IBRAT_TRUSTED_PROXIES`, `IBRAT_METRICS_ALLOW`).
    private static func parseBlocks(_ v: ConfigValues, variable: String) throws -> [CIDRBlock] {
        let list = CIDRBlock.parseList(v.string(variable) ?? "")
        if let bad = list.invalid.first {
            throw ConfigError.invalid(variable, "must be IP addresses or CIDR blocks like 10.0.0.0/8, separated by commas",
                                      got: bad)
        }
        return list.blocks
    }

    private static func parseOrigins(_ v: ConfigValues) throws -> [String] {
        guard let text = v.string("IBRAT_CORS_ORIGINS") else { return ["*"] }
        let origins = text.split(separator: ",").map { ConfigFile.trim($0) }.filter { !$0.isEmpty }
        for origin in origins where origin != "*" && !(origin.hasPrefix("http://") || origin.hasPrefix("https://")) {
            throw ConfigError.invalid("IBRAT_CORS_ORIGINS",
                                      "must be \"*\" or a comma list of origins like https://panel.example.com", got: origin)
        }
        guard !origins.isEmpty else {
            throw ConfigError.invalid("IBRAT_CORS_ORIGINS", "must list at least one origin, or \"*\"", got: text)
        }
        return origins
    }

    private static func parseCountryCode(_ v: ConfigValues) throws -> String {
        guard let text = v.string("IBRAT_DEFAULT_COUNTRY_CODE") else { return "998" }
        let digits = text.hasPrefix("+") ? String(text.dropFirst()) : text
        guard (1...3).contains(digits.utf8.count), digits.utf8.allSatisfy({ (48...57).contains($0) }),
              digits.utf8.first != UInt8(ascii: "0") else {
            throw ConfigError.invalid("IBRAT_DEFAULT_COUNTRY_CODE",
                                      "must be 1 to 3 digits not starting with 0, optionally after \"+\"", got: text)
        }
        return digits
    }

    private static func parseAdmin(_ v: ConfigValues, credentialsDir: String?) throws
        -> (email: String?, password: String?, passwordFile: String?) {
        var email = v.string("IBRAT_ADMIN_EMAIL")
        if let raw = email {  // the one email rule (`EmailAddress`), as registration applies it
            guard let normalized = EmailAddress.normalize(raw) else {
                throw ConfigError.invalid("IBRAT_ADMIN_EMAIL", "must be an email address", got: raw.lowercased())
            }
            email = normalized
        }
        var password = v.values["IBRAT_ADMIN_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        var variable = "IBRAT_ADMIN_PASSWORD"
        var file = v.string("IBRAT_ADMIN_PASSWORD_FILE")
        if password != nil, file != nil {
            throw ConfigError(variable: "IBRAT_ADMIN_PASSWORD_FILE",
                              message: "set either IBRAT_ADMIN_PASSWORD or IBRAT_ADMIN_PASSWORD_FILE, not both")
        }
        var fromCredential = false
        if password == nil, file == nil, let dir = credentialsDir, ConfigFile.isFile(dir + "/admin-password") {
            file = dir + "/admin-password"
            fromCredential = true
        }
        if let path = file {
            variable = fromCredential ? "credential admin-password (\(path))" : "IBRAT_ADMIN_PASSWORD_FILE"
            var text = try ConfigFile.read(path: path, variable: variable, limit: ConfigFile.maxSecretBytes)
            while text.hasSuffix("\n") || text.hasSuffix("\r") || text.hasSuffix("\r\n") { text.removeLast() }
            password = text
        }
        if let password, !FieldRules.userPassword.fits(password) {  // the rule registration applies
            let rule = FieldRules.userPassword.limit
            throw ConfigError(variable: variable, message: "the admin password must be \(rule.lowerBound) to \(rule.upperBound) "
                              + "characters (got \(password.utf16.count))")
        }
        if email != nil, password == nil {
            throw ConfigError(variable: "IBRAT_ADMIN_PASSWORD", message: "must be set (or IBRAT_ADMIN_PASSWORD_FILE) when IBRAT_ADMIN_EMAIL is")
        }
        if email == nil, password != nil {
            throw ConfigError(variable: "IBRAT_ADMIN_EMAIL", message: "must be set when an admin password is given")
        }
        return (email, password, file)
    }
}
