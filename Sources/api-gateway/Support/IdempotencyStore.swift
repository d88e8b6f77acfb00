import Shared

/// Idempotent retries of creating requests (issue 10): a client that lost the answer to
/// `POST /api/leads` or a CSV upload sends the request again with the same `Idempotency-Key`
/// header and gets the first answer back (`Idempotent-Replayed: true`) instead of a second
/// import that reports every row as a duplicate. Keys are per user, kept 24 hours in
/// `idempotency_keys` (gateway-owned), and bound to the request: the same key on another route or
/// with another JSON body is a 409, as is a retry while the first request is still being answered.
/// Answers of 5xx and 429 are not kept (the retry runs again). Loop thread only.
public final class IdempotencyStore {
    public static let headerName = "Idempotency-Key"
    public static let replayedHeader = "Idempotent-Replayed"
    public static let retentionMillis: Int64 = 24 * 3_600_000
    public static let maxKeyLength = 255
    /// A request still marked in flight after this long is taken as lost (its answer never came).
    static let inFlightTimeoutMillis: Int64 = 600_000
    static let pruneIntervalMillis: Int64 = 3_600_000

    /// What to do with a request that carries a key.
    public enum Decision {
        /// Run the request; hand its response to `record` when it is sent.
        case proceed(record: (HTTPResponse) -> Void)
        /// Send this stored answer instead.
        case replay(HTTPResponse)
    }

    private let db: Database
    private let clock: WallClock
    private let logger: Logger
    /// "user|key" → when the request started.
    private var inFlight: [String: Int64] = [:]
    private var lastPrune: Int64 = 0

    public init(db: Database, clock: WallClock, logger: Logger) {
        self.db = db
        self.clock = clock
        self.logger = logger
    }

    /// Nil when the request has no key; otherwise proceed or replay, or throws 400 (a malformed
    /// key) / 409 (key in flight, or used for another request).
    public func begin(_ request: HTTPRequest, userID: String, route: String) throws -> Decision? {
        guard let key = request.header(Self.headerName) else { return nil }
        guard (1...Self.maxKeyLength).contains(key.utf8.count), key.utf8.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E }) else {
            throw HTTPError.validation("\"\(Self.headerName)\" must be 1 to \(Self.maxKeyLength) printable ASCII characters")
        }
        let now = clock.nowMillis()
        let slot = userID + "|" + key
        if let started = inFlight[slot], now - started < Self.inFlightTimeoutMillis {
            throw HTTPError.conflict("A request with this Idempotency-Key is still in progress",
                                     message: "Wait for the first request's answer, then retry")
        }
        let fingerprint = Self.fingerprint(request, route: route)
        if let row = try db.queryOne("""
            SELECT route, status, body FROM idempotency_keys WHERE user_id = ? AND key = ? AND created_at > ?
            """, [.text(userID), .text(key), .int(now - Self.retentionMillis)]) {
            guard row.string("route") == fingerprint else {
                throw HTTPError.conflict("Idempotency-Key already used for another request",
                                         message: "Use a new Idempotency-Key for a different request")
            }
            var body: [UInt8] = []
            if case .blob(let bytes) = row["body"] { body = bytes }
            var response = HTTPResponse(status: Int(row.int("status")), body: body)
            response.headers.set("Content-Type", "application/json; charset=utf-8")
            response.headers.set(Self.replayedHeader, "true")
            return .replay(response)
        }
        inFlight[slot] = now
        return .proceed(record: { [weak self] response in
            self?.finish(slot: slot, userID: userID, key: key, fingerprint: fingerprint, response: response)
        })
    }

    /// The route and, for a JSON body, the body's SHA-256. A multipart body is not hashed: a
    /// browser resending the same file picks a new random boundary, so the bytes differ.
    static func fingerprint(_ request: HTTPRequest, route: String) -> String {
        let type = request.header("Content-Type") ?? ""
        if type.utf8.count >= 10, type.prefix(10).lowercased() == "multipart/" { return route }
        return route + " " + Hex.encode(SHA256.hash(request.body))
    }

    private func finish(slot: String, userID: String, key: String, fingerprint: String, response: HTTPResponse) {
        inFlight[slot] = nil
        guard response.status < 500, response.status != 429 else { return }
        let now = clock.nowMillis()
        do {
            if now - lastPrune >= Self.pruneIntervalMillis {
                lastPrune = now
                _ = try db.run("DELETE FROM idempotency_keys WHERE created_at <= ?", [.int(now - Self.retentionMillis)])
            }
            _ = try db.run("""
                INSERT OR REPLACE INTO idempotency_keys(user_id, key, route, status, body, created_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """, [.text(userID), .text(key), .text(fingerprint), .int(Int64(response.status)), .blob(response.body),
                      .int(now)])
        } catch {
            logger.error("could not store the answer for an Idempotency-Key: \(error)", ["USER_ID": userID])
        }
    }
}
