/// Which typed body each catalogue message has: one row per command and event, so a new message
/// does not compile until it has a body type (and `IPCCatalogueBodyTests` checks that the type
/// names the same message and round-trips).
extension IPCBody {
    /// The wire `type` of this body's command.
    public static var commandType: String { command.rawValue }
}

extension IPCEventBody {
    /// The wire `type`s of the events this body serves.
    public static var eventTypes: [String] { events.map(\.rawValue) }
}

extension QueueCommand {
    public var bodyType: any IPCBody.Type {
        switch self {
        case .createLead: return CreateLeadBody.self
        case .updateLead: return UpdateLeadBody.self
        case .deleteLead: return DeleteLeadBody.self
        case .bulkAction: return BulkActionBody.self
        case .claimLead: return ClaimLeadBody.self
        case .releaseLead: return ReleaseLeadBody.self
        case .importBegin: return ImportBeginBody.self
        case .importChunk: return ImportChunkBody.self
        case .importCommit: return ImportCommitBody.self
        case .importAbort: return ImportAbortBody.self
        case .control: return ControlBody.self
        case .operatorChanged: return OperatorChangedBody.self
        case .dncAdd: return DncAddBody.self
        case .dncRemove: return DncRemoveBody.self
        case .dncImport: return DncImportBody.self
        case .startManualCall: return StartManualCallBody.self
        case .setDisposition: return QueueSetDispositionBody.self
        case .metrics: return QueueMetricsBody.self
        case .explain: return ExplainBody.self
        case .explainLeads: return ExplainLeadsBody.self
        }
    }
}

extension DialerCommand {
    public var bodyType: any IPCBody.Type {
        switch self {
        case .startCall: return StartCallBody.self
        case .updateCall: return UpdateCallBody.self
        case .setDisposition: return SetDispositionBody.self
        case .hangup: return HangupBody.self
        case .providerEvent: return ProviderEventBody.self
        case .connectCall: return ConnectCallBody.self
        case .status: return DialerStatusBody.self
        case .metrics: return DialerMetricsBody.self
        }
    }
}

extension QueueEvent {
    public var bodyType: any IPCEventBody.Type {
        switch self {
        case .leadCreated: return LeadCreatedBody.self
        case .leadUpdated: return LeadUpdatedBody.self
        case .leadStatusChanged: return LeadStatusChangedBody.self
        case .leadClaimed: return LeadClaimedBody.self
        case .leadDeleted: return LeadDeletedBody.self
        case .leadsBulkUpdated: return LeadsBulkUpdatedBody.self
        case .leadsImported: return LeadsImportedBody.self
        case .leadAssigned, .callbackDue: return LeadAssignedBody.self
        case .queuePaused, .queueResumed: return QueueRunStateBody.self
        case .queueSettingsChanged: return QueueSettingsChangedBody.self
        case .stuckLeadsReset: return StuckLeadsResetBody.self
        case .operatorStateChanged: return OperatorStateChangedBody.self
        case .dncChanged: return DncChangedBody.self
        case .queueExplained: return QueueExplainedBody.self
        }
    }
}

extension DialerEvent {
    public var bodyType: any IPCEventBody.Type {
        switch self {
        case .callStatusChanged: return CallStatusChangedBody.self
        case .callUpdated, .callConnected: return CallEventBody.self
        }
    }
}
