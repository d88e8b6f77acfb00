/// The dispatcher's roster: the live calls it tracks and the operators in the pool. Adopting a
/// call the dialer has live reserves its operator; ending a call frees them (`lastBusyAt` = now,
/// so the least-recently-busy pick rotates); `users` changes reach the pool through
/// `queue.operator_changed` and, as a safety net, the periodic sweep's full re-read.

import Shared

extension Dispatcher {
    // MARK: Live calls and operators

    /// Tracks a call the dialer has live (start-up, recovery, an event for an unknown call) and
    /// reserves its operator when that operator is in the pool and free.
    func adopt(callId: CallID, leadId: LeadID, operatorId: OperatorID?, startTime: Int64, mode: CallMode, at now: Int64) {
        guard liveCalls.call(id: callId) == nil else { return }
        let call = LiveCall(callId: callId, leadId: leadId, operatorId: operatorId, startTime: startTime,
                            mode: mode, state: .confirmed)
        guard liveCalls.add(call) else {
            logger.warning("dialer reports a second live call for a lead", ["LEAD_ID": leadId, "CALL_ID": callId])
            return
        }
        if let operatorId, operators.state(of: operatorId) != nil {
            operators.reserve(operatorId, callId: callId, at: max(startTime, operators.state(of: operatorId)?.lastBusyAt ?? startTime))
        }
    }

    /// The call ended or was never placed: forget it and free its operator (idempotent).
    /// With the call's final `status`, its operator goes into wrap-up after a conversation.
    func endCall(_ callId: CallID, at now: Int64, status: CallStatus? = nil) {
        liveCalls.remove(callId: callId)
        endPacedCall(callId, status: status, at: now)
    }

    /// Re-reads one user after `queue.operator_changed`: operators join or update the pool,
    /// anyone else (deleted, admin) leaves it.
    func refreshOperator(userId: String) {
        do {
            if let row = try reader.user(id: userId), row.isOperator {
                operators.update(id: row.id, isActive: row.isActive, isAvailable: row.isAvailable)
                poolIds.insert(row.id)
            } else {
                operators.remove(id: userId)
                poolIds.remove(userId)
            }
        } catch {
            logger.error("cannot read operator: \(error)", ["USER_ID": userId])
        }
        requestPlan()
    }

    /// Re-reads every operator (periodic sweep): the pool follows `users` even if a change
    /// notification from the gateway was lost.
    func refreshOperators() {
        do {
            let rows = try reader.operators()
            let ids = Set(rows.map(\.id))
            for row in rows { operators.update(id: row.id, isActive: row.isActive, isAvailable: row.isAvailable) }
            for id in poolIds.subtracting(ids) { operators.remove(id: id) }
            poolIds = ids
        } catch {
            logger.error("cannot read operators: \(error)")
        }
        requestPlan()
    }
}
