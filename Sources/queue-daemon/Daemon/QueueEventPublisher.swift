/// The events the queue-daemon pushes to IPC subscribers (docs/ipc/queue.md §Events). One method
/// per event so every body has one shape; `actorId` is the user who caused the change, or null
/// when the daemon did it by itself (claim expiry, recovery). Events published before the server
/// is listening are dropped (nobody can be subscribed yet). Events published while a queue
/// transaction is open (`QueueDaemon.commit`) join its change set and go out after the commit.

import Shared

final class QueueEventPublisher {
    static let leadCreated = "event.lead_created"
    static let leadUpdated = "event.lead_updated"
    static let leadStatusChanged = "event.lead_status_changed"
    static let leadClaimed = "event.lead_claimed"
    static let leadDeleted = "event.lead_deleted"
    static let leadsBulkUpdated = "event.leads_bulk_updated"
    static let leadsImported = "event.leads_imported"
    static let queuePaused = "event.queue_paused"
    static let queueResumed = "event.queue_resumed"
    static let queueSettingsChanged = "event.queue_settings_changed"

    weak var server: IPCServer?
    /// The store whose open transaction collects events (see `LeadStore.changes`).
    private let store: LeadStore

    init(store: LeadStore) {
        self.store = store
    }

    /// Pushes any event (also for the dispatch helper's own events); inside a queue transaction,
    /// adds it to the change set instead.
    func publish(_ type: String, _ body: JSONObject) {
        if store.changes != nil {
            store.changes?.publish(type, body)
        } else {
            server?.publish(type: type, body: body)
        }
    }

    /// Sends an event of a committed change set (the after-commit step).
    func send(_ event: QueueChangeSet.Event) {
        server?.publish(type: event.type, body: event.body)
    }

    func leadCreated(_ lead: JSON, actorId: String) {
        publish(Self.leadCreated, ["lead": lead, "actorId": .string(actorId)])
    }

    func leadUpdated(_ lead: JSON, actorId: String, fields: [String]) {
        publish(Self.leadUpdated, ["lead": lead, "actorId": .string(actorId), "fields": .array(fields.map(JSON.string))])
    }

    /// `{lead, from, to, reason, actorId}` (RULES.md).
    func leadStatusChanged(_ lead: JSON, from: LeadStatus, to: LeadStatus, reason: String, actorId: String?) {
        publish(Self.leadStatusChanged, ["lead": lead, "from": .string(from.rawValue), "to": .string(to.rawValue),
                                         "reason": .string(reason), "actorId": JSON.from(actorId)])
    }

    func leadClaimed(_ lead: JSON, operatorId: String) {
        publish(Self.leadClaimed, ["lead": lead, "operatorId": .string(operatorId)])
    }

    func leadDeleted(_ lead: JSON, leadId: LeadID, actorId: String) {
        publish(Self.leadDeleted, ["leadId": .string(leadId), "lead": lead, "actorId": .string(actorId)])
    }

    func leadsBulkUpdated(action: String, leadIds: [LeadID], actorId: String) {
        publish(Self.leadsBulkUpdated, ["action": .string(action), "leadIds": .array(leadIds.map(JSON.string)),
                                        "modifiedCount": .int(Int64(leadIds.count)), "actorId": .string(actorId)])
    }

    /// `event.leads_imported`'s body (the import commits on its own connection: `ImportCommand`).
    static func leadsImportedBody(count: Int, duplicateCount: Int, importId: String, actorId: String) -> JSONObject {
        ["count": .int(Int64(count)), "duplicateCount": .int(Int64(duplicateCount)),
         "importId": .string(importId), "actorId": .string(actorId)]
    }

    func queuePausedOrResumed(paused: Bool, actorId: String?) {
        publish(paused ? Self.queuePaused : Self.queueResumed,
                ["paused": .bool(paused), "status": .string(paused ? "paused" : "running"), "actorId": JSON.from(actorId)])
    }

    func queueSettingsChanged(_ settings: QueueSettings, actorId: String?) {
        publish(Self.queueSettingsChanged, ["paused": .bool(settings.paused),
                                            "maxConcurrentCalls": .int(Int64(settings.maxConcurrentCalls)),
                                            "callingHours": ControlCommand.json(settings.callingHours),
                                            "actorId": JSON.from(actorId)])
    }
}
