/// The commands the dialer-daemon serves on `dialer.sock` (bodies and errors: docs/ipc/dialer.md).
/// Adding one: a case here, its row in `senders`, its section in docs/ipc/dialer.md, its handler.
public enum DialerCommand: String, IPCCommandName {
    case startCall = "dialer.start_call"
    case updateCall = "dialer.update_call"
    case setDisposition = "dialer.set_disposition"
    case hangup = "dialer.hangup"
    case providerEvent = "dialer.provider_event"
    case connectCall = "dialer.connect_call"
    case status = "dialer.status"
    case metrics = "dialer.metrics"

    public static var receiver: IPCRole { .dialer }

    /// Who may send what: the queue places, connects and ends the calls it dispatches and records
    /// dispositions; the gateway carries an operator's report, Twilio's webhooks and the scrape.
    public var senders: Set<IPCRole> {
        switch self {
        case .startCall, .connectCall, .setDisposition: return [.queue]
        case .hangup, .status: return [.queue, .gateway]
        case .updateCall, .providerEvent, .metrics: return [.gateway]
        }
    }
}
