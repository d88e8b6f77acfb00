/// An in-process discrete-event simulation of one shift (issue 14's benchmark, docs/PACING.md):
/// operators, leads and simulated calls with the dialer's default distributions, paced by the
/// same `PacingModel`, `PacingStatistics` and `AbandonRateWindow` the queue-daemon uses. Virtual
/// time in ms, no timers, no IO, seeded: the same seed gives the same shift. Each lead is dialled
/// at most once (a one-hour shift with 10,000 leads never needs a retry). Used by
/// `queue-daemon --simulate-pacing` (scripts/bench/pacing.sh) for the 20-seed sweep.

import Shared

struct PacingSimulation {
    let settings: PacingSimulationSettings

    private enum Kind { case outcome(Int), talkEnd(Int), wrapEnd(Int), abandonDeadline(Int) }
    private struct Event: Comparable {
        let at: Int64, seq: Int, kind: Kind
        static func < (a: Event, b: Event) -> Bool { (a.at, a.seq) < (b.at, b.seq) }
        static func == (a: Event, b: Event) -> Bool { a.at == b.at && a.seq == b.seq }
    }
    private enum OperatorActivity { case free, busy, wrapUp(Int64) }
    private struct SimCall { let placedAt: Int64; let outcome: SimulatedOutcome; let op: Int?; var answeredAt: Int64? }

    func run() -> PacingSimulationResult {
        let s = settings
        var random = SeededRandom(seed: s.seed)
        var events = MinHeap<Event>()
        var seq = 0
        func schedule(_ at: Int64, _ kind: Kind) { seq += 1; events.push(Event(at: at, seq: seq, kind: kind)) }
        var ops = [OperatorActivity](repeating: .free, count: s.operators)
        var lastFree = [Int64](repeating: 0, count: s.operators)
        var calls: [Int: SimCall] = [:]
        var waiting: [Int] = []
        var stats = PacingStatistics(minSamples: s.minSamples)
        var abandons = AbandonRateWindow()
        var result = PacingSimulationResult()
        var nextLead = 0, nextCall = 0, now: Int64 = 0
        let end = Int64(s.durationSeconds) * 1000
        var decisionReasons: [String: Int] = [:]
        var talking = 0

        func ms(_ range: ClosedRange<Double>) -> Int64 { Int64(Double.random(in: range, using: &random) * 1000) }
        func freeOperator() -> Int? {
            var best: Int?
            for i in ops.indices { if case .free = ops[i], best.map({ lastFree[i] < lastFree[$0] }) ?? true { best = i } }
            return best
        }
        func startTalk(op: Int, call: Int) {
            ops[op] = .busy
            talking += 1
            let talk = Int64(Int.random(in: s.talkSeconds, using: &random)) * 1000
            stats.recordTalk(millis: talk)
            result.talkMillis += max(0, min(talk, end - now))
            result.conversations += 1
            if let answered = calls[call]?.answeredAt { result.timeToOperatorMillis.append(now - answered) }
            schedule(now + talk, .talkEnd(op))
            calls[call] = nil
        }
        func operatorFreed(_ op: Int) {
            ops[op] = .free
            lastFree[op] = now
            while let first = waiting.first, calls[first] != nil, let free = freeOperator() {
                waiting.removeFirst()
                startTalk(op: free, call: first)
            }
            waiting.removeAll { calls[$0] == nil }
        }
        func dispatch() {
            guard now < end else { return }
            var free = 0, busy = 0
            for op in ops { if case .free = op { free += 1 } else { busy += 1 } }
            let ringing = calls.values.reduce(0) { $0 + ($1.op == nil && $1.answeredAt == nil ? 1 : 0) }
            let input = PacingInputs(
                mode: s.mode, freeOperators: free, busyOperators: busy, ringingCalls: ringing,
                waitingCalls: waiting.count, activeCalls: calls.count + talking,
                maxConcurrentCalls: s.maxConcurrentCalls, stats: stats, abandonRate30Days: abandons.rateWindowIfNextAbandoned(now: now),
                abandonRateToday: abandons.rateToday(now: now), maxAbandonRate: s.maxAbandonRate,
                minOperators: s.minOperators, maxLinesPerOperator: s.maxLinesPerOperator,
                abandonWaitMillis: Int64(s.abandonWaitSeconds * 1000))
            let decision = PacingModel.decide(input)
            decisionReasons[decision.reason.rawValue, default: 0] += 1
            for _ in 0..<decision.calls {
                guard nextLead < s.leads else { return }
                var op: Int?
                if decision.reservesOperators {
                    guard let picked = freeOperator() else { return }
                    op = picked
                    ops[picked] = .busy
                }
                nextLead += 1
                nextCall += 1
                result.callsPlaced += 1
                let outcome = drawOutcome(Double.random(in: 0..<1, using: &random))
                let slow = outcome == .answered || outcome == .noAnswer || outcome == .machine
                var delay = ms(s.setupSeconds) + ms(slow ? s.ringSeconds : s.quickOutcomeSeconds)
                if outcome == .machine && s.detectsMachines { delay += Int64(s.machineDetectionSeconds * 1000) }
                calls[nextCall] = SimCall(placedAt: now, outcome: outcome, op: op, answeredAt: nil)
                schedule(now + delay, .outcome(nextCall))
            }
        }

        dispatch()
        while let event = events.pop() {
            now = event.at
            if now > end && calls.isEmpty && waiting.isEmpty { break }
            switch event.kind {
            case .outcome(let id):
                guard var call = calls[id] else { break }
                let human = call.outcome == .answered || (call.outcome == .machine && !s.detectsMachines)
                guard human else {
                    stats.recordOutcome(humanAnsweredAfterMillis: nil)
                    if call.outcome == .machine { result.machines += 1 }
                    calls[id] = nil
                    if let op = call.op { operatorFreed(op) }
                    break
                }
                stats.recordOutcome(humanAnsweredAfterMillis: now - call.placedAt)
                abandons.recordAnswered(at: now, now: now)
                result.liveAnswered += 1
                call.answeredAt = now
                calls[id] = call
                if let op = call.op {
                    startTalk(op: op, call: id)
                } else if let op = freeOperator() {
                    startTalk(op: op, call: id)
                } else {
                    waiting.append(id)
                    schedule(now + Int64(s.abandonWaitSeconds * 1000), .abandonDeadline(id))
                }
            case .abandonDeadline(let id):
                guard let call = calls[id], let answered = call.answeredAt else { break }
                calls[id] = nil
                waiting.removeAll { $0 == id }
                abandons.recordAbandoned(answeredAt: answered, now: now)
                result.abandoned += 1
            case .talkEnd(let op):
                talking -= 1
                if s.wrapUpSeconds > 0 {
                    ops[op] = .wrapUp(now)
                    schedule(now + Int64(s.wrapUpSeconds * 1000), .wrapEnd(op))
                } else {
                    operatorFreed(op)
                }
            case .wrapEnd(let op):
                if case .wrapUp(let since) = ops[op] { stats.recordWrapUp(millis: now - since) }
                operatorFreed(op)
            }
            dispatch()
        }
        result.operators = s.operators
        result.hours = Double(s.durationSeconds) / 3600
        result.decisions = decisionReasons
        return result
    }

    private func drawOutcome(_ u: Double) -> SimulatedOutcome {
        let s = settings
        let table: [(SimulatedOutcome, Double)] = [(.answered, s.pAnswer), (.busy, s.pBusy), (.noAnswer, s.pNoAnswer),
                                                   (.failed, s.pFailed), (.machine, s.pMachine)]
        var cumulative = 0.0
        for (outcome, p) in table {
            cumulative += p
            if u < cumulative { return outcome }
        }
        return .noAnswer
    }
}

/// The outcomes of a simulated call (the dialer's `SimulatedOutcome`, which the queue cannot import).
enum SimulatedOutcome { case answered, busy, noAnswer, failed, machine }
