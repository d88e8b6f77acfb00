import Shared
import XCTest
@testable import dialer_daemon

/// `SimulatedProvider` driven by a real EventLoop at a tiny time scale: many concurrent calls,
/// valid event sequences (checked with `CallStateMachine`), hangups, and release of every timer.
final class SimulatedProviderTests: XCTestCase {
    var loop: EventLoop!

    override func setUpWithError() throws { loop = try EventLoop() }
    override func tearDown() { loop = nil }

    private func provider(_ profile: SimulationProfile = .standard, scale: Double = 0.001,
                          seed: UInt64 = 1) throws -> SimulatedProvider {
        SimulatedProvider(loop: loop, profile: try profile.scaled(by: scale), seed: seed)
    }

    private func request(_ n: Int) -> CallRequest {
        CallRequest(callId: String(format: "%024x", n), to: "+99890\(1_000_000 + n)", from: "+15550100",
                    operatorPhone: "+998901112233")
    }

    /// Replays a provider event sequence through the state machine; every report must move the
    /// call forward, and the sequence must be created, …, exactly one final event at the end.
    private func replay(_ events: [CallProviderEvent], sid: String? = nil,
                        line: UInt = #line) -> CallSnapshot {
        var call = CallSnapshot.initiated(at: 0)
        guard case .created(let created)? = events.first else {
            XCTFail("first event must be created: \(events)", line: line)
            return call
        }
        if let sid { XCTAssertEqual(created, sid, line: line) }
        XCTAssertEqual(events.filter(\.isFinal).count, 1, "\(events)", line: line)
        XCTAssertEqual(events.last?.isFinal, true, "\(events)", line: line)
        for (i, event) in events.dropFirst().enumerated() {
            guard let callEvent = event.callEvent else { XCTFail("second created", line: line); continue }
            switch CallStateMachine.apply(callEvent, to: call, now: Int64(i + 1) * 1000) {
            case .success(let t):
                XCTAssertEqual(t.kind, .advanced, "\(events)", line: line)
                call = t.next
            case .failure(let error):
                XCTFail("\(error) in \(events)", line: line)
            }
        }
        return call
    }

    func testTwoHundredConcurrentCallsAllFinishWithValidSequences() throws {
        let sim = try provider()
        var log: [Int: [CallProviderEvent]] = [:]
        var plans: [Int: SimulatedCallPlan] = [:]
        for n in 0..<200 {
            sim.place(request(n)) { log[n, default: []].append($0) }
            plans[n] = sim.plan(forCallId: request(n).callId)
        }
        XCTAssertEqual(sim.activeCount, 200)
        XCTAssertTrue(log.isEmpty, "nothing is reported inside place")
        XCTAssertTrue(loop.run(until: { sim.activeCount == 0 }, timeout: 10))
        XCTAssertEqual(log.count, 200)
        var outcomes = Set<CallStatus>()
        for n in 0..<200 {
            let plan = try XCTUnwrap(plans[n])
            let end = replay(log[n] ?? [], sid: plan.sid)
            outcomes.insert(end.status)
            let expected: CallStatus
            switch plan.outcome {
            case .answered: expected = .completed
            case .busy: expected = .busy
            case .noAnswer: expected = .noAnswer
            case .failed: expected = .failed
            case .machine: expected = .machine
            }
            XCTAssertEqual(end.status, expected)
            XCTAssertEqual(end.duration, plan.talkSeconds)
            XCTAssertEqual(log[n]?.contains(.ringing), true)
        }
        XCTAssertEqual(outcomes, [.completed, .busy, .noAnswer, .failed], "200 calls see every outcome")
    }

    func testSameSeedSameCalls() throws {
        let a = try provider(seed: 77), b = try provider(seed: 77)
        var sidsA: [Int: String] = [:], sidsB: [Int: String] = [:]
        var endsA: [Int: CallProviderEvent] = [:], endsB: [Int: CallProviderEvent] = [:]
        for n in 0..<20 {
            a.place(request(n)) { event in
                if case .created(let sid) = event { sidsA[n] = sid }
                if event.isFinal { endsA[n] = event }
            }
            b.place(request(n)) { event in
                if case .created(let sid) = event { sidsB[n] = sid }
                if event.isFinal { endsB[n] = event }
            }
            XCTAssertEqual(a.plan(forCallId: request(n).callId), b.plan(forCallId: request(n).callId))
        }
        XCTAssertTrue(loop.run(until: { a.activeCount + b.activeCount == 0 }, timeout: 10))
        XCTAssertEqual(sidsA.count, 20)
        XCTAssertEqual(sidsA, sidsB)
        XCTAssertEqual(endsA, endsB)
    }

    func testHangupMidRingGivesCanceled() throws {
        let ringsLong = try SimulationProfile(answered: 1, busy: 0, noAnswer: 0, failed: 0, ringSeconds: 500...600)
        let sim = try provider(ringsLong)
        var events: [CallProviderEvent] = []
        sim.place(request(1)) { events.append($0) }
        XCTAssertTrue(loop.run(until: { events.contains(.ringing) }, timeout: 5))
        sim.hangup(callId: request(1).callId)
        sim.hangup(callId: request(1).callId)
        XCTAssertTrue(loop.run(until: { sim.activeCount == 0 }, timeout: 5))
        XCTAssertEqual(events.last, .canceled)
        let end = replay(events)
        XCTAssertEqual(end.status, .canceled)
        XCTAssertEqual(end.endReason, "provider")
    }

    func testHangupWhileTalkingCompletesWithTalkTimeSoFar() throws {
        let talksLong = try SimulationProfile(answered: 1, busy: 0, noAnswer: 0, failed: 0,
                                              ringSeconds: 0...0, talkSeconds: 50_000...50_000)
        let sim = try provider(talksLong)
        var events: [CallProviderEvent] = []
        let id = request(2).callId
        sim.place(request(2)) { event in
            events.append(event)
            if event == .answered { sim.hangup(callId: id) }
        }
        XCTAssertTrue(loop.run(until: { sim.activeCount == 0 }, timeout: 5))
        guard case .completed(let seconds)? = events.last else { return XCTFail("\(events)") }
        XCTAssertTrue((0..<50_000).contains(seconds), "talk so far, not the planned talk time: \(seconds)")
        XCTAssertEqual(replay(events).status, .completed)
    }

    func testHangupBeforeCreatedStillReportsCreatedFirst() throws {
        let sim = try provider()
        var events: [CallProviderEvent] = []
        sim.place(request(3)) { events.append($0) }
        let sid = sim.plan(forCallId: request(3).callId)?.sid
        sim.hangup(callId: request(3).callId)
        XCTAssertTrue(loop.run(until: { sim.activeCount == 0 }, timeout: 5))
        XCTAssertEqual(events, [.created(sid: sid ?? "?"), .canceled])
    }

    func testHangupFromCreatedCallback() throws {
        let sim = try provider()
        var events: [CallProviderEvent] = []
        let id = request(4).callId
        sim.place(request(4)) { event in
            events.append(event)
            if case .created = event { sim.hangup(callId: id) }
        }
        XCTAssertTrue(loop.run(until: { sim.activeCount == 0 }, timeout: 5))
        XCTAssertEqual(events.count, 2)
        XCTAssertEqual(events.last, .canceled)
    }

    func testUnknownAndEndedCallsIgnoreHangup() throws {
        let sim = try provider()
        sim.hangup(callId: "nope")
        var events: [CallProviderEvent] = []
        sim.place(request(5)) { events.append($0) }
        XCTAssertTrue(loop.run(until: { sim.activeCount == 0 }, timeout: 5))
        let count = events.count
        sim.hangup(callId: request(5).callId)
        XCTAssertEqual(sim.activeCount, 0)
        // A later call runs its whole timeline: anything the hangup had set off came first.
        var fence: [CallProviderEvent] = []
        sim.place(request(7)) { fence.append($0) }
        XCTAssertTrue(loop.run(until: { fence.last?.isFinal == true }, timeout: 5))
        XCTAssertEqual(events.count, count)
    }

    func testDuplicateAndInvalidRequestsAreRefusedWithoutCreated() throws {
        let sim = try provider()
        var first: [CallProviderEvent] = [], second: [CallProviderEvent] = [], bad: [CallProviderEvent] = []
        sim.place(request(6)) { first.append($0) }
        sim.place(request(6)) { second.append($0) }
        sim.place(CallRequest(callId: "x", to: "", from: "+1555")) { bad.append($0) }
        XCTAssertEqual(sim.activeCount, 1)
        XCTAssertTrue(loop.run(until: { sim.activeCount == 0 && !second.isEmpty && !bad.isEmpty }, timeout: 5))
        guard case .failed(let code, _)? = second.first, case .failed(let badCode, _)? = bad.first else {
            return XCTFail("\(second) \(bad)")
        }
        XCTAssertEqual(code, "duplicate_call")
        XCTAssertEqual(badCode, "invalid_request")
        XCTAssertEqual(second.count, 1)
        XCTAssertEqual(first.last?.isFinal, true)
    }

    func testTimersAndCallbacksAreReleased() throws {
        let sim = try provider()
        weak var timer: TimerSource?
        weak var call: SimulatedCall?
        weak var captured: Sentinel?
        do {
            let sentinel = Sentinel()
            captured = sentinel
            sim.place(request(7)) { _ in sentinel.count += 1 }
            timer = sim.activeCall(request(7).callId)?.timer
            call = sim.activeCall(request(7).callId)
        }
        XCTAssertNotNil(timer)
        XCTAssertNotNil(captured)
        XCTAssertTrue(loop.run(until: { sim.activeCount == 0 }, timeout: 5))
        XCTAssertNil(call, "the call state is freed")
        XCTAssertNil(timer, "the loop dropped the call's timer")
        XCTAssertNil(captured, "the provider dropped the callback")
        XCTAssertEqual(sim.name, "simulation")
    }
}

private final class Sentinel { var count = 0 }
