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

    /// Sends an event of a committed change set (the after-commit step).
    func send(_ event: QueueChangeSet.Event) {
        server?.publish(event.type, body: event.body)
    }

    func leadCreated(_ lead: JSON, actorId: String) {
        publish(.leadCreated, ["lead": lead, "actorId": .string(actorId)])
    }

    func leadUpdated(_ lead: JSON, actorId: String, fields: [String]) {
        publish(.leadUpdated, ["lead": lead, "actorId": .string(actorId), "fields": .array(fields.map(JSON.string))])
    }

    /// `{lead, from, to, reason, actorId}` (RULES.md).
    func leadStatusChanged(_ lead: JSON, from: LeadStatus, to: LeadStatus, reason: String, actorId: String?) {
        publish(.leadStatusChanged, ["lead": lead, "from": .string(from.rawValue), "to": .string(to.rawValue),
                                         "reason": .string(reason), "actorId": JSON.from(actorId)])
    }

    func leadClaimed(_ lead: JSON, operatorId: String) {
        publish(.leadClaimed, ["lead": lead, "operatorId": .string(operatorId)])
    }

    func leadDeleted(_ lead: JSON, leadId: LeadID, actorId: String) {
        publish(.leadDeleted, ["leadId": .string(leadId), "lead": lead, "actorId": .string(actorId)])
    }

    func leadsBulkUpdated(action: String, leadIds: [LeadID], actorId: String) {
        publish(.leadsBulkUpdated, ["action": .string(action), "leadIds": .array(leadIds.map(JSON.string)),
                                        "modifiedCount": .int(Int64(leadIds.count)), "actorId": .string(actorId)])
    }

    /// `event.leads_imported`'s body (the import commits on its own connection: `ImportCommand`).
    static func leadsImportedBody(count: Int, duplicateCount: Int, importId: String, actorId: String) -> JSONObject {
        ["count": .int(Int64(count)), "duplicateCount": .int(Int64(duplicateCount)),
         "importId": .string(importId), "actorId": .string(actorId)]
    }

    func queuePausedOrResumed(paused: Bool, actorId: String?) {
        publish(paused ? .queuePaused : .queueResumed,
                ["paused": .bool(paused), "status": .string(paused ? "paused" : "running"), "actorId": JSON.from(actorId)])
    }

    func queueSettingsChanged(_ settings: QueueSettings, actorId: String?) {
        publish(.queueSettingsChanged, ["paused": .bool(settings.paused),
                                            "maxConcurrentCalls": .int(Int64(settings.maxConcurrentCalls)),
                                            "callingHours": ControlCommand.json(settings.callingHours),
                                            "actorId": JSON.from(actorId)])
    }
}
