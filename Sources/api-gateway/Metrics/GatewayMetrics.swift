import Shared

/// The api-gateway's metrics registry and the figures it counts as things happen: HTTP requests by
/// route template, method and status with their duration, rate-limit refusals, CSV imports and
/// their rows, and the IPC clients' requests. Figures that exist elsewhere (Socket.IO sessions,
/// leads by status, process figures) are read by collectors that `MetricsRoutes` installs.
/// The per-request cost is one dictionary lookup keyed by (route, method, status) and a counter
/// and histogram update; loop thread only, no locks.
public final class GatewayMetrics {
    public static let daemonName = "api-gateway"
    /// HTTP methods counted by name; any other method is counted as `other` (bounded series).
    static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    /// Route label of requests no route matched (404s, refusals before routing, CORS preflights).
    static let unmatchedRoute = "unmatched"

    public let registry = MetricsRegistry()
    let ipc: IPCClientMetrics.Families
    private let requests: MetricFamily<Counter>
    private let durations: MetricFamily<Histogram>
    private let rateLimited: Counter
    private let imports: MetricFamily<Counter>
    private let importRows: MetricFamily<Counter>

    private struct RequestKey: Hashable {
        let route: String
        let method: String
        let status: Int
    }

    private var series: [RequestKey: (count: Counter, duration: Histogram)] = [:]
    /// The series of the previous request: a run of the same route, method and status (a busy
    /// endpoint) skips the hashing of the key (issue 16).
    private var last: (key: RequestKey, count: Counter, duration: Histogram)?
    /// Whether `MetricsRoutes` has added its collectors (a second router on the same context must not).
    var collectorsInstalled = false

    public init() {
        requests = registry.counter("ibrat_http_requests_total", "HTTP requests answered, by route template, method and status.",
                                    labels: ["route", "method", "status"])
        durations = registry.histogram("ibrat_http_request_duration_seconds",
                                       "Time from a complete HTTP request to its response being written, in seconds.",
                                       labels: ["route", "method"], buckets: Histogram.latencySeconds)
        rateLimited = registry.counter("ibrat_http_rate_limited_total", "Requests refused with 429 by the per-IP rate limit.")
            .labels()
        imports = registry.counter("ibrat_csv_imports_total",
                                   "CSV uploads by outcome (completed, rejected: a bad file, failed: the queue could not commit).",
                                   labels: ["outcome"])
        importRows = registry.counter("ibrat_csv_rows_total", "CSV rows of completed uploads, by result (imported, duplicate, invalid).",
                                      labels: ["result"])
        ipc = IPCClientMetrics.Families(registry: registry)
        for outcome in ["completed", "rejected", "failed"] { _ = imports.labels(outcome) }
        for result in ["imported", "duplicate", "invalid"] { _ = importRows.labels(result) }
        ProcessMetrics.install(on: registry, daemon: Self.daemonName)
    }

    /// The server's `onResponse` hook (through `GatewayPipeline.accessLog`).
    public func requestFinished(_ request: HTTPRequest, status: Int, micros: UInt64) {
        let route = request.routePattern ?? Self.unmatchedRoute
        if let last, last.key.status == status, last.key.route == route, last.key.method == request.method {
            last.count.inc()
            last.duration.observe(Double(micros) / 1_000_000)
            return
        }
        let method = Self.knownMethods.contains(request.method) ? request.method : "other"
        let key = RequestKey(route: route, method: method, status: status)
        let entry: (count: Counter, duration: Histogram)
        if let found = series[key] {
            entry = found
        } else {
            entry = (requests.labels(key.route, key.method, String(status)), durations.labels(key.route, key.method))
            series[key] = entry
        }
        last = (key, entry.count, entry.duration)
        entry.count.inc()
        entry.duration.observe(Double(micros) / 1_000_000)
    }

    public func requestRateLimited() { rateLimited.inc() }

    /// A CSV upload ended: `completed` with its row counts, or `rejected` / `failed` without.
    func csvImport(outcome: String, imported: Int64 = 0, duplicates: Int64 = 0, invalid: Int64 = 0) {
        imports.labels(outcome).inc()
        importRows.labels("imported").inc(Double(imported))
        importRows.labels("duplicate").inc(Double(duplicates))
        importRows.labels("invalid").inc(Double(invalid))
    }

    /// `summary` of the upload's 200 body (`successCount`, `duplicateCount`, `errorCount`).
    func csvImportCompleted(_ body: JSONObject) {
        let summary = body["summary"]?.object ?? JSONObject()
        csvImport(outcome: "completed", imported: summary["successCount"]?.int ?? 0,
                  duplicates: summary["duplicateCount"]?.int ?? 0, invalid: summary["errorCount"]?.int ?? 0)
    }
}
