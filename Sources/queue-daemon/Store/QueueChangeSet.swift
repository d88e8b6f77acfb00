/// What one queue transaction changed, handed by the after-commit step (`QueueDaemon.commit`) to
/// the scheduler and the event publisher: every lead a write touched, with its state after the
/// commit, and the events to publish. The store's write methods fill it (`LeadStore.transaction`),
/// so a command cannot change a lead without the scheduler hearing of it.
///
/// A lead is `entered` when it is dispatchable after the commit (an upsert: one already in the
/// scheduler is replaced by the new snapshot) and `left` otherwise (removed when present). The
/// last write of a lead in a transaction wins; leads keep the order they were first touched in.

import Shared

struct QueueChangeSet {
    /// One event to publish after the commit (`QueueEventPublisher`).
    struct Event: Equatable {
        var type: QueueEvent
        var body: JSONObject
    }

    /// Leads touched, in first-touch order; nil state until resolved from the row (`touched`).
    private(set) var order: [LeadID] = []
    private var states: [LeadID: LeadSnapshot?] = [:]
    /// Leads inserted by an import, kept as the list they came in (no per-lead bookkeeping).
    private var inserted: [LeadSnapshot] = []
    private(set) var events: [Event] = []

    var isEmpty: Bool { order.isEmpty && inserted.isEmpty && events.isEmpty }

    /// Leads dispatchable after the commit, as they are now.
    var entered: [LeadSnapshot] {
        inserted.filter(\.isDispatchable)
            + order.compactMap { id in states[id].flatMap { $0 }.flatMap { $0.isDispatchable ? $0 : nil } }
    }

    /// Leads not dispatchable after the commit (claimed, deleted, in a call, flagged, finished).
    var left: [LeadID] {
        inserted.filter { !$0.isDispatchable }.map(\.id)
            + order.filter { id in states[id].flatMap { $0 }.map { !$0.isDispatchable } ?? false }
    }

    /// Ids of leads written without their new state (resolved from the row before the commit).
    var unresolved: [LeadID] {
        order.filter { states[$0] == .some(nil) }
    }

    /// A lead written with its state after the write known.
    mutating func record(_ after: LeadSnapshot) {
        if states.updateValue(after, forKey: after.id) == nil { order.append(after.id) }
    }

    /// A lead written whose new state is read back before the commit (`LeadStore.transaction`).
    mutating func touched(_ id: LeadID) {
        if states[id] == nil {
            states[id] = .some(nil)
            order.append(id)
        } else {
            states[id] = .some(nil)
        }
    }

    /// The state of an unresolved lead read back from its row; nil when the row is gone.
    mutating func resolve(_ id: LeadID, as state: LeadSnapshot?) {
        guard let state else {
            states[id] = nil
            order.removeAll { $0 == id }
            return
        }
        states[id] = state
    }

    /// Adds the typed event body `event` (see `publish(_:_:)`).
    mutating func publish<Body: IPCEventBody>(_ event: Body) where Body.Event == QueueEvent {
        publish(event.event, event.body)
    }

    mutating func publish(_ type: QueueEvent, _ body: JSONObject) {
        events.append(Event(type: type, body: body))
    }

    /// A change set for leads written elsewhere (the import's own connection): all of them entered.
    static func inserted(_ leads: [LeadSnapshot]) -> QueueChangeSet {
        var changes = QueueChangeSet()
        changes.inserted = leads
        return changes
    }
}
