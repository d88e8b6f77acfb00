import Shared

/// Answers a request from the heavy-read connection: `build` runs on a worker thread with the
/// reader connection and a snapshot valid for this request (see `DashboardReader`), and its
/// JSON is sent as 200 from the loop; errors are mapped like any handler's (a busy database is
/// a 503, anything unexpected a 500 without details).
extension DashboardReader {
    public func respond(_ ctx: GatewayContext, _ responder: HTTPResponder,
                        _ build: @escaping (Database, DashboardSnapshot) throws -> JSON) {
        let arrived = responder.request.receivedAtMicros
        ctx.onWorker(responder, { [self] in
            try withSnapshot(arrivedAt: arrived, build)
        }, then: { json in
            .json(200, json)
        })
    }
}
