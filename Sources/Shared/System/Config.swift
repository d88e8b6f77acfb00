import Foundation

/// The settings of all three daemons (DESIGN §8), read once at start-up by `Config.load`.
/// Sources, lowest precedence first: built-in defaults, the optional `KEY=value` file named by
/// `IBRAT_CONFIG`, then the process environment. Under systemd the directory defaults come from
/// `STATE_DIRECTORY`, `RUNTIME_DIRECTORY` and `CREDENTIALS_DIRECTORY`. Any bad value throws a
/// `ConfigError` whose description starts with the variable name, so the daemon stops at once
/// with a message naming what to fix. Parsing lives in `Config+Load.swift`.
public struct Config: Sendable {
    // MARK: Paths
    /// `STATE_DIRECTORY` (first entry) or `./.ibrat`.
    public var stateDir: String
    /// `IBRAT_RUNTIME_DIR`, else `RUNTIME_DIRECTORY`, else `<stateDir>/run`.
    public var runtimeDir: String
    /// `IBRAT_DB`, default `<stateDir>/ibrat.db`.
    public var dbPath: String
    /// `CREDENTIALS_DIRECTORY` (systemd `LoadCredential=`), if any.
    public var credentialsDir: String?
    /// `<runtimeDir>/queue.sock`, where queue-daemon listens.
    public var queueSocketPath: String
    /// `<runtimeDir>/dialer.sock`, where dialer-daemon listens.
    public var dialerSocketPath: String

    // MARK: HTTP
    /// `IBRAT_HTTP_HOST`, default 127.0.0.1.
    public var httpHost: String
    /// `IBRAT_HTTP_PORT`, default 5000; 0 picks an ephemeral port (tests).
    public var httpPort: UInt16
    /// `IBRAT_RATE_LIMIT` "requests/seconds", default 100/900; nil when "0" (off). Applies per client
    /// address to requests without a valid token (login, register, anything anonymous).
    public var rateLimit: (limit: Int, windowSeconds: Int)?
    /// `IBRAT_USER_RATE_LIMIT` "requests/seconds", default 1000/900; nil when "0" (off). Applies per
    /// user to requests with a valid token, so an office behind one address is not one client.
    public var userRateLimit: (limit: Int, windowSeconds: Int)?
    /// `IBRAT_TRUSTED_PROXIES`: addresses or CIDR blocks (comma-separated) whose
    /// `X-Forwarded-For` / `Forwarded` headers name the real client. Default none.
    public var trustedProxies: [CIDRBlock]
    /// `IBRAT_CORS_ORIGINS` comma list, default ["*"].
    public var corsOrigins: [String]
    /// `IBRAT_WS_ECHO`, default false.
    public var wsEchoEnabled: Bool
    /// `IBRAT_METRICS_ALLOW` comma list of CIDRs that may read `GET /metrics` without a token
    /// (loopback always may), default none.
    public var metricsAllow: [CIDRBlock]
    /// `IBRAT_EIO_*`: Engine.IO ping interval and timeout, connect timeout, max payload.
    public var engineIO: EngineIOSettings
    /// `IBRAT_SLOW_REQUEST_MS`, default 500: a request answered later than this is logged at info.
    public var slowRequestMillis: Int
    /// `IBRAT_WEB_DIR`: the web console's folder; nil = the checkout's `web/` or the installed one
    /// (resolved by the gateway's `StaticWebRoot`).
    public var webDir: String?

    // MARK: Auth
    /// `IBRAT_JWT_SECRET` (at least 32 characters), if set.
    public var jwtSecret: String?
    /// `IBRAT_JWT_SECRET_FILE`, else `<credentialsDir>/jwt-secret` when that file exists
    /// (only consulted when `jwtSecret` is nil).
    public var jwtSecretFile: String?
    /// `IBRAT_JWT_TTL` seconds, default 86400.
    public var jwtTTLSeconds: Int
    /// `IBRAT_REFRESH_GRACE` seconds a token replaced by `/api/auth/refresh` stays valid, default 60
    /// (0...3600), so a panel open in two tabs is not logged out by the other tab's refresh.
    public var refreshGraceSeconds: Int
    /// `IBRAT_ADMIN_EMAIL`: the first admin, created at start-up if missing.
    public var adminEmail: String?
    /// `IBRAT_ADMIN_PASSWORD`, or the contents of `IBRAT_ADMIN_PASSWORD_FILE` /
    /// `<credentialsDir>/admin-password` (at least 8 characters).
    public var adminPassword: String?
    /// The file `adminPassword` was read from, if it came from a file.
    public var adminPasswordFile: String?

    // MARK: Queue
    /// `IBRAT_MAX_CONCURRENT_CALLS`, default 5 (1...10000); changeable at runtime.
    public var maxConcurrentCalls: Int
    /// `IBRAT_CALLING_HOURS`, default `09:00-20:00` every day: the calling window written at the
    /// first start (later changed at runtime with `set_calling_hours`, persisted).
    public var callingHours: CallingHours
    /// `IBRAT_MAX_CALLS_PER_NUMBER_PER_DAY`, default 3: calls to one number in any rolling 24 hours.
    public var maxCallsPerNumberPerDay: Int
    /// `IBRAT_DISPOSITIONS`: the dispositions operators may record (comma-separated names of
    /// lower-case letters and `_`); default `Dispositions.defaults`.
    public var dispositions: [String]
    /// `IBRAT_DISPOSITION_EDIT_HOURS`, default 24: how long after a call its disposition may change.
    public var dispositionEditHours: Int
    /// `IBRAT_CALLBACK_GRACE` seconds, default 900: how long a booked call-back waits for its
    /// operator before anyone may take it.
    public var callbackGraceSeconds: Int
    /// `IBRAT_MAX_ATTEMPTS`, default 3.
    public var maxAttempts: Int
    /// `IBRAT_BACKOFF_BUSY` seconds, default 900.
    public var backoffBusySeconds: Int
    /// `IBRAT_BACKOFF_NO_ANSWER` seconds, default 1800.
    public var backoffNoAnswerSeconds: Int
    /// `IBRAT_BACKOFF_FAILED` seconds, default 300.
    public var backoffFailedSeconds: Int
    /// `IBRAT_CLAIM_TIMEOUT` seconds, default 1800.
    public var claimTimeoutSeconds: Int
    /// `IBRAT_STUCK_SWEEP` seconds between stuck-lead sweeps, default 60.
    public var stuckSweepSeconds: Int
    /// `IBRAT_DEFAULT_COUNTRY_CODE` digits without "+", default "998".
    public var defaultCountryCode: String

    // MARK: Dialer simulation
    /// `IBRAT_SIM_SEED`; nil means a random seed.
    public var simSeed: UInt64?
    /// `IBRAT_SIM_TIME_SCALE`, default 1.0 (0 < scale <= 1000); 0.01 makes calls 100x faster.
    public var simTimeScale: Double
    /// `IBRAT_SIM_P_ANSWER`, default 0.6. The four probabilities add up to 1.
    public var simPAnswer: Double
    /// `IBRAT_SIM_P_BUSY`, default 0.15.
    public var simPBusy: Double
    /// `IBRAT_SIM_P_NO_ANSWER`, default 0.15.
    public var simPNoAnswer: Double
    /// `IBRAT_SIM_P_FAILED`, default 0.1.
    public var simPFailed: Double
    /// `IBRAT_SIM_RING_SECONDS` "min-max", default 2-20.
    public var simRingSeconds: ClosedRange<Double>
    /// `IBRAT_SIM_TALK_SECONDS` "min-max", default 30-300.
    public var simTalkSeconds: ClosedRange<Double>

    /// Pacing, wrap-up and answering machines (issue 14, `PacingConfig`).
    public var pacing: PacingConfig

    // MARK: Operations
    /// `IBRAT_IPC_TIMEOUT_MS`, default 1500.
    public var ipcTimeoutMillis: Int
    /// `IBRAT_DIALER_COMMIT_MS`, default 2 (issue 16): the dialer stores the calls changed within
    /// this many milliseconds in one commit (group commit); 0 commits every change on its own.
    public var dialerCommitMillis: Int
    public static let defaultDialerCommitMillis = 2
    /// `IBRAT_LOG_LEVEL`, default info.
    public var logLevel: LogLevel
    /// `IBRAT_ENV`, default "production".
    public var environmentName: String
    /// `IBRAT_OPENAPI_FILE`: the OpenAPI document the gateway serves; nil = found next to the
    /// installed binaries or in the checkout (`OpenAPIDocument`).
    public var openAPIFile: String?

    // MARK: Twilio
    /// The Twilio settings (`IBRAT_TWILIO_*`, `IBRAT_PUBLIC_URL`, see `TwilioSettings`); nil when
    /// Twilio is not configured and calls are simulated.
    public var twilio: TwilioSettings?

    /// Creates the state directory (0750) and the runtime directory (0755) when missing,
    /// with missing parents. Errors name the variable that sets the directory and its path.
    public func ensureDirectories() throws {
        try Self.makeDirectory(stateDir, mode: 0o750, variable: "STATE_DIRECTORY")
        try Self.makeDirectory(runtimeDir, mode: 0o755, variable: "IBRAT_RUNTIME_DIR")
    }

    private static func makeDirectory(_ path: String, mode: mode_t, variable: String) throws {
        var info = stat()
        if stat(path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else {
                throw ConfigError(variable: variable, message: "\(path) exists and is not a directory")
            }
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != path, parent != ".", parent != "/" {
            try makeDirectory(parent, mode: 0o755, variable: variable)
        }
        if mkdir(path, mode) != 0, errno != EEXIST {
            throw ConfigError(variable: variable,
                              message: "cannot create directory \(path): \(String(cString: strerror(errno)))")
        }
        _ = chmod(path, mode)  // exact mode regardless of the umask
    }
}
