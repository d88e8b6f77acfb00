/// The commands the queue-daemon serves on `queue.sock` (bodies and errors: docs/ipc/queue.md).
/// Adding one: a case here, its row in `senders` (the compiler asks for it), its section in
/// docs/ipc/queue.md (`IPCCatalogueDocumentationTests` asks for it), then its handler.
public enum QueueCommand: String, IPCCommandName {
    case createLead = "queue.create_lead"
    case updateLead = "queue.update_lead"
    case deleteLead = "queue.delete_lead"
    case bulkAction = "queue.bulk_action"
    case claimLead = "queue.claim_lead"
    case releaseLead = "queue.release_lead"
    case importBegin = "queue.import_begin"
    /// Taken as bytes on the hot path (`IPCRawRequest`): 2,000 rows a frame.
    case importChunk = "queue.import_chunk"
    case importCommit = "queue.import_commit"
    case importAbort = "queue.import_abort"
    case control = "queue.control"
    case operatorChanged = "queue.operator_changed"
    case dncAdd = "queue.dnc_add"
    case dncRemove = "queue.dnc_remove"
    case dncImport = "queue.dnc_import"
    case startManualCall = "queue.start_manual_call"
    case setDisposition = "queue.set_disposition"
    case metrics = "queue.metrics"
    /// Issue 17: why the queue is or is not dialing; why these leads are or are not dialable.
    case explain = "queue.explain"
    case explainLeads = "queue.explain_leads"

    public static var receiver: IPCRole { .queue }

    /// Who may send what: the gateway drives every lead change for the people using the
    /// system; the dialer reports outcomes as events on the queue's own connection to it, so it
    /// may send nothing here.
    public var senders: Set<IPCRole> {
        switch self {
        case .createLead, .updateLead, .deleteLead, .bulkAction, .claimLead, .releaseLead,
             .importBegin, .importChunk, .importCommit, .importAbort, .control, .operatorChanged,
             .dncAdd, .dncRemove, .dncImport, .startManualCall, .setDisposition, .metrics, .explain, .explainLeads:
            return [.gateway]
        }
    }
}
