/// Idempotency of call outcome reports (DESIGN §3): the (callId, status) pairs already applied to
/// leads, so an `event.call_status_changed` resent after a reconnect — or one that recovery has
/// already applied from the database — never changes a lead twice. Bounded: a ring of the last
/// `capacity` keys; the oldest are forgotten first (the lead state machine still refuses stale
/// transitions for anything older).

import Shared

struct OutcomeKey: Hashable {
    let callId: CallID
    let status: CallStatus
}

final class ProcessedOutcomes {
    let capacity: Int
    private var keys: Set<OutcomeKey> = []
    private var ring: [OutcomeKey] = []
    private var next = 0

    /// `capacity` is clamped to at least 1.
    init(capacity: Int = DispatchLimits.processedOutcomeCapacity) {
        self.capacity = max(1, capacity)
    }

    var count: Int { keys.count }

    func contains(callId: CallID, status: CallStatus) -> Bool {
        keys.contains(OutcomeKey(callId: callId, status: status))
    }

    /// Records the pair; false when it was already recorded (the report is a duplicate).
    @discardableResult
    func insert(callId: CallID, status: CallStatus) -> Bool {
        let key = OutcomeKey(callId: callId, status: status)
        guard keys.insert(key).inserted else { return false }
        if ring.count < capacity {
            ring.append(key)
        } else {
            keys.remove(ring[next])
            ring[next] = key
            next = (next + 1) % capacity
        }
        return true
    }
}
