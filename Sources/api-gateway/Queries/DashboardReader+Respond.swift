import Shared

/// Answers a request from a reader connection on a worker thread, so counting or aggregating
/// millions of calls never stalls the event loop: `respond` hands `build` the connection and a
/// snapshot valid for this request (see `DashboardReader`), `respondRead` only the connection.
/// The JSON is sent as 200 from the loop; errors are mapped like any handler's (a busy database
/// is a 503, anything unexpected a 500 without details).
extension DashboardReader {
    public func respond(_ ctx: GatewayContext, _ responder: HTTPResponder,
                        _ build: @escaping @Sendable (Database, DashboardSnapshot) throws -> JSON) {
        let arrived = responder.request.receivedAtMicros
        ctx.onWorker(responder, { [self] in
            try withSnapshot(arrivedAt: arrived, build)
        }, then: { json in
            .json(200, json)
        })
    }

    public func respondRead(_ ctx: GatewayContext, _ responder: HTTPResponder,
                            _ build: @escaping @Sendable (Database) throws -> JSON) {
        ctx.onWorker(responder, { [self] in
            try read(build)
        }, then: { json in
            .json(200, json)
        })
    }
}
