/// The events the queue-daemon pushes to IPC subscribers (docs/ipc/queue.md §Events). One method
/// per event so every body has one shape; `actorId` is the user who caused the change, or null
/// when the daemon did it by itself (claim expiry, recovery). Events published before the server
/// is listening are dropped (nobody can be subscribed yet). Events published while a queue
/// transaction is open (`QueueDaemon.commit`) join its change set and go out after the commit.

import Shared

final class QueueEventPublisher {
    weak var server: IPCServer?
    /// The store whose open transaction collects events (see `LeadStore.changes`).
    private let store: LeadStore

    init(store: LeadStore) {
        self.store = store
    }

    /// Pushes any event (also for the dispatch helper's own events); inside a queue transaction,
    /// adds it to the change set instead.
    func publish(_ event: QueueEvent, _ body: JSONObject) {
        if store.changes != nil {
            store.changes?.publish(event, body)
        } else {
            server?.publish(event, body: body)
        }
    }

    /// Pushes the typed event body `event` (see `publish(_:_:)`).
    func publish<Body: IPCEventBody>(_ event: Body) where Body.Event == QueueEvent {
        publish(event.event, event.body)
    }

    /// Sends an event of a committed change set (the after-commit step).
    func send(_ event: QueueChangeSet.Event) {
        server?.publish(event.type, body: event.body)
    }

    func leadCreated(_ lead: JSON, actorId: String) {
        publish(LeadCreatedBody(lead: lead, actorId: actorId))
    }

    func leadUpdated(_ lead: JSON, actorId: String, fields: [String]) {
        publish(LeadUpdatedBody(lead: lead, actorId: actorId, fields: fields))
    }

    /// `{lead, from, to, reason, actorId}` (RULES.md).
    func leadStatusChanged(_ lead: JSON, from: LeadStatus, to: LeadStatus, reason: String, actorId: String?) {
        publish(LeadStatusChangedBody(lead: lead, from: from.rawValue, to: to.rawValue, reason: reason, actorId: actorId))
    }

    func leadClaimed(_ lead: JSON, operatorId: String) {
        publish(LeadClaimedBody(lead: lead, operatorId: operatorId))
    }

    func leadDeleted(_ lead: JSON, leadId: LeadID, actorId: String) {
        publish(LeadDeletedBody(leadId: leadId, lead: lead, actorId: actorId))
    }

    func leadsBulkUpdated(action: String, leadIds: [LeadID], actorId: String) {
        publish(LeadsBulkUpdatedBody(action: action, leadIds: leadIds, actorId: actorId))
    }

    /// `event.leads_imported`'s body (the import commits on its own connection: `ImportCommand`).
    static func leadsImportedBody(count: Int, duplicateCount: Int, importId: String, actorId: String) -> LeadsImportedBody {
        LeadsImportedBody(count: Int64(count), duplicateCount: Int64(duplicateCount), importId: importId, actorId: actorId)
    }

    func queuePausedOrResumed(paused: Bool, actorId: String?) {
        publish(QueueRunStateBody(paused: paused, actorId: actorId))
    }

    func queueSettingsChanged(_ settings: QueueSettings, actorId: String?) {
        publish(QueueSettingsChangedBody(paused: settings.paused, maxConcurrentCalls: Int64(settings.maxConcurrentCalls),
                                         callingHours: ControlCommand.json(settings.callingHours), actorId: actorId))
    }
}
