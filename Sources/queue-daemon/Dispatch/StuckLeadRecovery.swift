/// Stuck-lead recovery (DESIGN §5, issue 3): settles every lead in `calling`/`answered` whose call
/// is not live. Runs at start-up before READY, every `IBRAT_STUCK_SWEEP` seconds, on
/// `reset_stuck_leads`, whenever the dialer (re)connects, and after a `start_call` without answer.
/// It first asks the dialer which calls are live (`dialer.status`), then reads `calls` — in that
/// order, so a call that ended before the answer is already terminal in the table. Per lead, by
/// its newest call: terminal → the call's outcome (`stuckReset(finalCallStatus:)`); non-terminal
/// and not live in the dialer → reset by its last status (ringing → `pending`); live → adopted;
/// no call at all (the queue died between its write and the dialer's insert) → `pending`. While
/// the dialer cannot be asked, leads with a non-terminal call are left alone. Afterwards the
/// live-call table is reconciled with the dialer's list and dispatch resumes. Calls placed after
/// the list was requested are left out of both steps (the list cannot show them yet), and a
/// listed call is adopted only if its row is still live (it may have ended since). Runs are
/// serialised; requests during a run are answered by one more run.

import Shared

final class StuckLeadRecovery {
    /// How far back a sweep looks for answered calls the dialer cut when it died (its restart
    /// ends them without a report, after the queue had handed the lead over).
    static let cutCallLookbackMillis: Int64 = 86_400_000

    typealias Completion = (Result<Int, Error>) -> Void

    // unowned: the dispatcher owns this helper (`dispatcher.recovery`); its timers and callbacks hold the helper weakly.
    private unowned let dispatcher: Dispatcher
    private(set) var isRunning = false
    private var waiting: [Completion] = []
    private var rerun: String?
    /// Runs completed (tests wait on it).
    private(set) var runCount = 0

    init(dispatcher: Dispatcher) {
        self.dispatcher = dispatcher
    }

    /// Starts a run (or one more after the current); `completion` gets the number of leads reset.
    func run(reason: String, completion: Completion? = nil) {
        if let completion { waiting.append(completion) }
        guard !isRunning else {
            rerun = rerun ?? reason
            return
        }
        isRunning = true
        let completions = waiting
        waiting.removeAll()
        let horizon = dispatcher.liveCalls.lastSequence
        askDialer { [weak self] live in
            guard let self else { return }
            self.dispatcher.daemon.writeGate.perform { [weak self] in
                self?.finish(reason: reason, live: live, horizon: horizon, completions: completions)
            }
        }
    }

    /// The dialer's live calls, or nil when it is not connected or does not answer.
    private func askDialer(_ done: @escaping ([DialerLiveCall]?) -> Void) {
        let dialer = dispatcher.dialer
        guard dialer.isConnected else { return dispatcher.loop.post { done(nil) } }
        dialer.request(DialerStatusBody()) { [weak self] result in
            switch result {
            case .success(let body):
                let live = DialerLiveCall.list(fromStatusReply: body)
                if live == nil { self?.dispatcher.logger.warning("dialer.status reply without activeCalls; ignored") }
                done(live)
            case .failure(let error):
                self?.dispatcher.logger.warning("dialer.status failed: \(error)")
                done(nil)
            }
        }
    }

    private func finish(reason: String, live: [DialerLiveCall]?, horizon: UInt64, completions: [Completion]) {
        let result: Result<Int, Error>
        if dispatcher.isStopped {
            result = .success(0)
        } else {
            result = Result { try sweep(reason: reason, live: live, horizon: horizon) }
        }
        isRunning = false
        runCount += 1
        if case .failure(let error) = result {
            dispatcher.logger.error("stuck-lead recovery (\(reason)) failed: \(error)")
        }
        completions.forEach { $0(result) }
        if let again = rerun ?? (waiting.isEmpty ? nil : "requested during a run") {
            rerun = nil
            run(reason: again)
        }
    }

    /// One pass over the leads in a call; returns how many were moved on.
    private func sweep(reason: String, live: [DialerLiveCall]?, horizon: UInt64) throws -> Int {
        let d = dispatcher
        let now = d.clock.nowMillis()
        let liveIds = live.map { Set($0.map(\.callId)) }
        var resets = 0
        for lead in try d.reader.leadsInCall() {
            if let known = d.liveCalls.call(forLead: lead.id), known.state == .starting || known.sequence > horizon {
                continue
            }
            var fields = ["LEAD_ID": lead.id]
            let call = try d.reader.latestCall(leadId: lead.id)
            let final: CallStatus?
            if let call {
                fields["CALL_ID"] = call.callId
                if call.status.isTerminal {
                    final = call.status
                } else if let liveIds, !liveIds.contains(call.callId) {
                    final = call.status
                } else {
                    d.adopt(callId: call.callId, leadId: lead.id, operatorId: call.operatorId, startTime: call.startTime,
                            mode: call.mode, at: now)
                    continue
                }
            } else {
                final = nil
            }
            if let callId = call?.callId {
                d.processed.insert(callId: callId, status: final ?? .failed)
                d.endCall(callId, at: now)
            }
            if let known = d.liveCalls.call(forLead: lead.id) { d.endCall(known.callId, at: now) }
            let why = call.map { "its call \($0.callId) is \($0.status.rawValue)" + ($0.status.isTerminal ? "" : " but not live") }
                ?? "no call was placed"
            let event: LeadEvent
            switch (call, final) {
            case (let call?, .completed?) where call.mode == .manual:
                event = .manualCallCompleted(callId: call.callId)
            case (let call?, .failed?) where call.wasAnswered:
                event = .callCut(callId: call.callId)
            default:
                event = .stuckReset(finalCallStatus: final)
            }
            let written = try d.applyLeadEvent(event, leadId: lead.id,
                                               reword: { "\(reason): \(why); " + $0 }, refusal: .warning, fields: fields)
            if written != nil { resets += 1 }
        }
        for cut in try d.reader.transferredLeadsWithCutCalls(since: now - Self.cutCallLookbackMillis) {
            guard d.processed.insert(callId: cut.callId, status: .failed) else { continue }
            let written = try d.applyLeadEvent(.callCut(callId: cut.callId), leadId: cut.leadId,
                                               reword: { "\(reason): " + $0 }, refusal: .warning,
                                               fields: ["LEAD_ID": cut.leadId, "CALL_ID": cut.callId])
            if written != nil { resets += 1 }
        }
        if let live { try reconcile(live, horizon: horizon, now: now) }
        if resets > 0 {
            d.logger.notice("stuck-lead recovery (\(reason)) moved \(resets) leads on")
            d.daemon.events.publish(StuckLeadsResetBody(count: Int64(resets), reason: reason))
        }
        d.requestPlan()
        return resets
    }

    /// Makes the live-call table match the dialer: calls it no longer has free their operator,
    /// calls it has that the queue did not know are adopted. Dispatch may then resume.
    private func reconcile(_ live: [DialerLiveCall], horizon: UInt64, now: Int64) throws {
        let d = dispatcher
        let liveIds = Set(live.map(\.callId))
        for call in d.liveCalls.all where call.state != .starting && call.sequence <= horizon
            && !liveIds.contains(call.callId) {
            d.logger.info("call is no longer live in the dialer; line and operator freed",
                          ["LEAD_ID": call.leadId, "CALL_ID": call.callId, "USER_ID": call.operatorId ?? "-"])
            d.endCall(call.callId, at: now)
        }
        for call in live {
            if d.liveCalls.call(id: call.callId) == nil {
                guard let row = try d.reader.call(id: call.callId), !row.status.isTerminal else { continue }
                d.adopt(callId: call.callId, leadId: call.leadId, operatorId: call.operatorId,
                        startTime: call.startTime ?? now, mode: row.mode, at: now)
            }
            d.liveCalls.setState(.confirmed, callId: call.callId)
        }
        d.dialerSynced = true
    }
}
