import Shared

/// `RealtimeBackend` on the gateway's services: `TokenService` (signature, expiry, revocation),
/// `UserStore` (cached user rows), `UserMutations.setAvailability` (the REST availability
/// route's code path: database, queue-daemon notification, audit, `user_availability_changed`
/// on the bus), the dialer-daemon's `dialer.update_call`, and the `GatewayEventBus`.
final class GatewayRealtimeBackend: RealtimeBackend {
    static let availabilityFailed = "Failed to update availability"

    let ctx: GatewayContext
    private let mutations: UserMutations
    private var subscriptions: [GatewayEventBus.Subscription] = []

    init(ctx: GatewayContext) {
        self.ctx = ctx
        mutations = UserMutations(ctx: ctx)
    }

    deinit { for subscription in subscriptions { subscription.cancel() } }

    func authenticate(token: String) -> Result<RealtimeIdentity, RealtimeAuthFailure> {
        guard case .success(let claims) = ctx.tokens.verify(token) else { return .failure(.tokenRejected) }
        guard let user = activeUser(claims.userID) else { return .failure(.userInvalid) }
        return .success(RealtimeIdentity(user: user.authUser, tokenId: claims.jti, tokenExpiresAt: claims.expiresAt))
    }

    func revalidate(_ identity: RealtimeIdentity) -> RealtimeIdentity? {
        guard identity.tokenExpiresAt > ctx.nowMillis / 1000, !ctx.tokens.isRevoked(identity.tokenId),
              let user = activeUser(identity.userId) else { return nil }
        var current = identity
        current.user = user.authUser
        return current
    }

    private func activeUser(_ id: String) -> UserRecord? {
        guard let user = try? ctx.users.user(id: id), user.isActive else { return nil }
        return user
    }

    func setAvailability(_ identity: RealtimeIdentity, isAvailable: Bool) -> Result<Bool, RealtimeActionError> {
        do {
            let user = try mutations.setAvailability(userID: identity.userId, isAvailable: isAvailable,
                                                     actorID: identity.userId)
            return .success(user.isAvailable)
        } catch let error as HTTPError {
            let body = try? JSON.parse(error.response.body)
            return .failure(RealtimeActionError(body?["message"]?.string ?? body?["error"]?.string ?? Self.availabilityFailed))
        } catch {
            ctx.logger.error("update_availability failed: \(error)", ["USER_ID": identity.userId])
            return .failure(RealtimeActionError(Self.availabilityFailed))
        }
    }

    func updateCallNotes(_ identity: RealtimeIdentity, callId: String, notes: String,
                         completion: @escaping (Result<JSONObject, RealtimeActionError>) -> Void) {
        let body = UpdateCallBody(actorId: identity.userId, actorRole: identity.role, callId: callId,
                                  changes: UpdateCallBody.Changes(notes: notes))
        ctx.dialer.request(body) { completion(Self.callResult($0)) }
    }

    func setDisposition(_ identity: RealtimeIdentity, callId: String, payload: JSONObject,
                        completion: @escaping (Result<JSONObject, RealtimeActionError>) -> Void) {
        let body: QueueSetDispositionBody
        do {
            guard let choice = try DispositionInput.fields(payload, allowed: ctx.config.dispositions) else {
                // What the queue-daemon answers a body without one, without the round trip.
                return completion(Self.callResult(.failure(.validationFailed("\"disposition\" is required"))))
            }
            body = QueueSetDispositionBody(DispositionFields(actorId: identity.userId, actorRole: identity.role, callId: callId,
                                                             disposition: choice.disposition, callbackAt: choice.callbackAt))
        } catch let error as HTTPError {
            let message = (try? JSON.parse(error.response.body))?["message"]?.string
            return completion(.failure(RealtimeActionError(message ?? error.errorText ?? "Invalid disposition")))
        } catch {
            return completion(.failure(RealtimeActionError("Invalid disposition")))
        }
        ctx.queue.request(body) { completion(Self.callResult($0)) }
    }

    /// A daemon's `{call}` reply as the realtime layer reports it: validation and outages explain
    /// themselves in `message`, refusals in `error`.
    static func callResult(_ result: Result<JSONObject, IPCError>) -> Result<JSONObject, RealtimeActionError> {
        switch result {
        case .success(let reply):
            return .success(reply["call"]?.object ?? JSONObject())
        case .failure(let error):
            return .failure(RealtimeActionError(error.status == 400 || error.status >= 500 ? error.message : error.error))
        }
    }

    func subscribe(_ handler: @escaping (GatewayEvent) -> Void) {
        subscriptions.append(ctx.events.subscribe(handler))
    }

    func nowMillis() -> Int64 { ctx.nowMillis }

    var logger: Logger? { ctx.logger }
}
