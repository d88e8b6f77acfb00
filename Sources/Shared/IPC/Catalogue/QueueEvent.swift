/// The events the queue-daemon publishes (bodies: docs/ipc/queue.md "Events").
public enum QueueEvent: String, IPCEventName {
    case leadCreated = "event.lead_created"
    case leadUpdated = "event.lead_updated"
    case leadStatusChanged = "event.lead_status_changed"
    case leadClaimed = "event.lead_claimed"
    case leadDeleted = "event.lead_deleted"
    case leadsBulkUpdated = "event.leads_bulk_updated"
    case leadsImported = "event.leads_imported"
    case leadAssigned = "event.lead_assigned"
    case queuePaused = "event.queue_paused"
    case queueResumed = "event.queue_resumed"
    case queueSettingsChanged = "event.queue_settings_changed"
    case stuckLeadsReset = "event.stuck_leads_reset"
    case callbackDue = "event.callback_due"
    case operatorStateChanged = "event.operator_state_changed"
    case dncChanged = "event.dnc_changed"
    /// Issue 17: the queue's explanation when its headline reason changes.
    case queueExplained = "event.queue_explained"

    public static var publisher: IPCRole { .queue }
}
