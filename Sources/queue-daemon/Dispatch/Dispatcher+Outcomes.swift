/// Call outcomes reported by the dialer (`event.call_status_changed`) applied to leads:
/// answered → `callAnswered`, then for an automatic call the reserved operator gets the lead at
/// once (`transferred`, `event.lead_assigned {lead, operatorId, callId}`), while a manual call's
/// lead rests in `answered` (the operator called it themselves); completed → `callCompleted`
/// (`manualCallCompleted` for a manual call); failed after the answer (the dialer died during the
/// call) → `callCut` (attempt counted, retried); busy, no-answer, failed → `callUnsuccessful`
/// (RetryPolicy: attempt, backoff or `failed`); canceled → `callCanceled`. Any terminal status
/// frees the call's line and operator and re-plans.
/// Idempotent: each (callId, status) is applied once (`ProcessedOutcomes`), a report about a call
/// that is not the lead's current one is ignored, and the state machine refuses stale transitions.

import Shared

extension Dispatcher {

    /// Entry point of the dialer subscription.
    func dialerEvent(_ message: IPCMessage) {
        let report: CallReport
        do {
            if let updated = try CallEventBody.decode(message) {
                if updated.event == .callUpdated { callUpdated(updated) }
                return
            }
            guard let event = try CallStatusChangedBody.decode(message) else { return }
            guard let parsed = CallReport(event) else { throw IPCError.validationFailed("call without id, lead or status") }
            report = parsed
        } catch {
            return logger.warning("malformed \(message.type) from the dialer-daemon; ignored: \(error)")
        }
        daemon.writeGate.perform { [weak self] in self?.handle(report) }
    }

    func handle(_ report: CallReport) {
        guard !isStopped else { return }
        let fields = report.logFields
        let now = clock.nowMillis()
        if !report.status.isTerminal {
            if let known = liveCalls.call(id: report.callId) {
                if known.state != .confirmed { liveCalls.setState(.confirmed, callId: report.callId) }
            } else {
                adopt(callId: report.callId, leadId: report.leadId, operatorId: report.operatorId,
                      startTime: report.startTime ?? now, mode: report.mode, at: now)
            }
            if report.status != .answered { return }
        }
        guard processed.insert(callId: report.callId, status: report.status) else {
            return logger.debug("duplicate call report ignored", fields)
        }
        let operatorId = liveCalls.call(id: report.callId)?.operatorId ?? report.operatorId
        if report.status.isTerminal {
            endCall(report.callId, at: now, status: report.status)
            requestPlan()
        }
        do {
            guard try isCurrentCall(report) else {
                return logger.info("report about a call that is no longer the lead's current call; ignored", fields)
            }
            switch report.status {
            case .answered:
                if try pacedAnswered(report, fields: fields) { break }
                try answered(report, operatorId: operatorId, fields: fields)
            case .completed:
                let event: LeadEvent = report.mode == .manual ? .manualCallCompleted(callId: report.callId)
                    : .callCompleted(callId: report.callId)
                try applyLeadEvent(event, leadId: report.leadId, refusal: .debug, fields: fields)
            case .failed where report.previousStatus == .answered:
                try applyLeadEvent(.callCut(callId: report.callId), leadId: report.leadId, fields: fields)
            case .busy, .noAnswer, .failed, .machine, .abandoned:
                let outcome = UnsuccessfulOutcome(callStatus: report.status) ?? .failed
                try applyLeadEvent(.callUnsuccessful(callId: report.callId, outcome: outcome), leadId: report.leadId,
                                   fields: fields)
            case .canceled:
                try applyLeadEvent(.callCanceled(callId: report.callId), leadId: report.leadId, fields: fields)
            case .initiated, .ringing:
                break
            }
        } catch {
            logger.error("could not apply the call outcome: \(error); recovery will settle the lead", fields)
            holdAfterStoreFailure(error, fields)
        }
    }

    /// True when `report` is about the lead's current call: the one live here for the lead, else
    /// the lead's newest row in `calls`.
    private func isCurrentCall(_ report: CallReport) throws -> Bool {
        if let live = liveCalls.call(forLead: report.leadId) { return live.callId == report.callId }
        guard let latest = try reader.latestCall(leadId: report.leadId) else { return true }
        return latest.callId == report.callId
    }

    /// `calling → answered → transferred` in one transaction, then `event.lead_assigned`.
    private func answered(_ report: CallReport, operatorId: OperatorID?, fields: [String: String]) throws {
        guard let record = try daemon.store.record(id: report.leadId) else {
            return logger.warning("answered call for an unknown lead", fields)
        }
        let lead = record.snapshot
        let holder = operatorId ?? lead.assignedTo ?? "-"
        let now = clock.nowMillis()
        let written = try daemon.db.transaction { () -> [(LeadTransition, LeadSnapshot)]? in
            guard case .success(let answered) = try write(.callAnswered(callId: report.callId), to: lead, now: now) else {
                return nil
            }
            if report.mode == .manual { return [(answered, lead)] }
            let talking = lead.applying(answered)
            let transfer = try write(.callCompleted(callId: report.callId), to: talking,
                                     reword: { _ in "call \(report.callId) answered, transferred to operator \(holder)" },
                                     now: now)
            guard case .success(let transferred) = transfer else { return [(answered, lead)] }
            return [(answered, lead), (transferred, talking)]
        }
        guard let written else {
            return logger.info("answered report not applied: lead is \(lead.status.rawValue)", fields)
        }
        for (transition, before) in written { committed(transition, on: before, actorId: nil, callId: report.callId) }
        guard written.count == 2 else {
            if report.mode == .manual { logger.info("lead answered the operator's own call", fields) }
            return
        }
        let json = (try? daemon.store.json(id: report.leadId)) ?? .null
        daemon.events.publish(LeadAssignedBody(lead: json, operatorId: holder, callId: report.callId))
        logger.notice("lead answered and transferred to operator", fields)
    }
}
