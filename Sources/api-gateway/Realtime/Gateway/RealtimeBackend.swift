import Shared

/// What the realtime layer needs from the rest of the gateway, as a protocol so the Socket.IO
/// logic is tested without a database or daemons. `GatewayRealtimeBackend` is the real one
/// (tokens, users, the availability code path of the REST route, the dialer-daemon, the bus).
protocol RealtimeBackend: AnyObject {
    /// Verifies a token and loads its user (must be active).
    func authenticate(token: String) -> Result<RealtimeIdentity, RealtimeAuthFailure>
    /// The identity as it stands now (role/name from the current user row), or nil when the
    /// token expired or was revoked, or the user is gone or inactive.
    func revalidate(_ identity: RealtimeIdentity) -> RealtimeIdentity?
    /// Sets the user's availability through the REST route's code path (which publishes
    /// `user_availability_changed` on the bus). Returns the stored value.
    func setAvailability(_ identity: RealtimeIdentity, isAvailable: Bool) -> Result<Bool, RealtimeActionError>
    /// Forwards `dialer.update_call {actorId, actorRole, callId, notes}`; the reply's `call`.
    func updateCallNotes(_ identity: RealtimeIdentity, callId: String, notes: String,
                         completion: @escaping (Result<JSONObject, RealtimeActionError>) -> Void)
    /// Records a disposition (`disposition`, `callbackAt` of the event payload) through
    /// `queue.set_disposition` (issue 12); the reply's `call`.
    func setDisposition(_ identity: RealtimeIdentity, callId: String, payload: JSONObject,
                        completion: @escaping (Result<JSONObject, RealtimeActionError>) -> Void)
    /// Every gateway event (daemon IPC events and the gateway's own), on the loop thread.
    func subscribe(_ handler: @escaping (GatewayEvent) -> Void)
    /// Now, in milliseconds since the epoch (event timestamps).
    func nowMillis() -> Int64
    /// Where the realtime layer logs (nil: nowhere).
    var logger: Logger? { get }
}

extension RealtimeBackend {
    /// Backends without dispositions (test fakes) refuse them.
    func setDisposition(_ identity: RealtimeIdentity, callId: String, payload: JSONObject,
                        completion: @escaping (Result<JSONObject, RealtimeActionError>) -> Void) {
        completion(.failure(RealtimeActionError("Dispositions are not available")))
    }
}
