/// The dispatcher as the queue-daemon's `QueueDispatchDelegate`: lead, operator and settings
/// changes made by commands feed the scheduler and pool and ask for a planner run; stuck-lead
/// resets and status come from here; stopping the daemon stops timers and the dialer client.

import Shared

extension Dispatcher: QueueDispatchDelegate {
    func leadsBecameDispatchable(_ leads: [LeadSnapshot]) {
        for lead in leads { scheduler.sync(lead) }
        requestPlan()
        statusLine.refresh()
    }

    func leadsLeftDispatch(_ ids: [LeadID]) {
        for id in ids { scheduler.remove(id: id) }
        statusLine.refresh()
    }

    func operatorChanged(userId: String) {
        refreshOperator(userId: userId)
    }

    func queueSettingsChanged(_ settings: QueueSettings) {
        logger.info("queue settings: paused=\(settings.paused), maxConcurrentCalls=\(settings.maxConcurrentCalls), "
                    + "callingHours=\(settings.callingHours.summary)")
        if settings.callingHours != gate.window.hours {
            gate.setHours(settings.callingHours)
            daemon.writeGate.perform { [weak self] in self?.reloadQueue() }
        }
        requestPlan()
        statusLine.refresh()
    }

    func resetStuckLeads(actorId: String?, reply: @escaping IPCReply) {
        recovery.run(reason: "reset requested by \(actorId ?? "system")") { result in
            switch result {
            case .success(let count):
                reply(.success(["message": "Stuck leads reset completed", "resetCount": .int(Int64(count))]))
            case .failure:
                reply(.failure(QueueErrors.storeFailure))
            }
        }
    }

    func queueStatusDetails() -> (status: JSONObject, activeCalls: [JSON]) {
        var details = statusLine.details()
        details.status["pacing"] = pacing.statusJSON(settings: daemon.settings.current, now: clock.nowMillis())
        details.status["operatorStates"] = .object(JSONObject(OperatorActivity.allCases.map {
            ($0.rawValue, JSON.int(Int64(operators.count($0))))
        }))
        let now = clock.nowMillis()
        if let explanation = try? explainer.explain(now: now) {  // issue 17
            details.status["explanation"] = DialabilityJSON.explanation(explanation, now: now)
        }
        return details
    }

    func queueDaemonStopping() {
        stop()
    }
}
