import Shared

/// `dialer.set_disposition` (issue 12): the dialer records what a call achieved on the call it
/// owns. The queue-daemon has checked the rules (the list, answered or ended, the edit window,
/// a call-back time inside the lead's window) before it asks; the dialer checks again that an
/// operator sets it only on their own call, stores it, and keeps the live copy in step so a later
/// status change does not write the old value back.
extension CallManager {
    func setDisposition(callId: String, actorId: String, actorRole: UserRole, disposition: String,
                        callbackAt: Int64?) -> Result<CallRecord, IPCError> {
        let call: CallRecord
        switch lookup(callId) {
        case .failure(let error): return .failure(error)
        case .success(let found): call = found
        }
        if actorRole != .admin && call.operatorId != actorId {
            return .failure(DialerErrors.accessDenied(callId: call.id))
        }
        var next = call
        let now = clock.nowMillis()
        next.disposition = disposition
        next.dispositionAt = now
        next.callbackAt = callbackAt
        next.updatedAt = now
        guard persist(next) else { return .failure(DialerErrors.storage(callId: call.id)) }
        if active[call.id] != nil { active[call.id] = next }
        logger.info("disposition \(disposition) recorded", call.logFields.merging(["ACTOR_ID": actorId]) { $1 })
        outcomeSubmitted(next)  // a disposition is an outcome: it ends the operator's wrap-up (issue 14)
        return .success(next)
    }
}

extension DialerCommands {
    /// `dialer.set_disposition {actorId, actorRole, callId, disposition, callbackAt?}` (callbackAt
    /// in epoch ms) → `{call}`. 403 `access_denied` for another operator's call, 404 `call_not_found`.
    func setDisposition(_ command: SetDispositionBody, _ reply: IPCReply) {
        let fields = command.fields
        guard Dispositions.parse(fields.disposition) == [fields.disposition] else {
            return reply(.failure(DialerErrors.validation("disposition must be a name of lower-case letters and _")))
        }
        reply(Self.callBody(manager.setDisposition(callId: fields.callId, actorId: fields.actorId,
                                                   actorRole: fields.actorRole, disposition: fields.disposition,
                                                   callbackAt: fields.callbackAt)))
    }
}
