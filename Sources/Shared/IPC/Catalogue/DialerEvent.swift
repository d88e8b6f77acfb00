/// The events the dialer-daemon publishes (bodies: docs/ipc/dialer.md "Events").
public enum DialerEvent: String, IPCEventName {
    case callStatusChanged = "event.call_status_changed"
    case callUpdated = "event.call_updated"
    case callConnected = "event.call_connected"

    public static var publisher: IPCRole { .dialer }

    /// The prefix that selects every dialer call event (the queue subscribes to it).
    public static let callPrefix = "event.call_"
}
