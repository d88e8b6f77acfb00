/// A command of the IPC catalogue (docs/IPC.md §8). Each daemon's commands are one enum
/// (`QueueCommand`, `DialerCommand`) whose raw value is the wire `type`, so sender and receiver
/// share the name and a misspelt one does not compile. `senders` is the receiver's permission
/// table, as relayd's `procs[]`: `IPCServer` refuses a command from any other role (403
/// `command_not_allowed`) and logs it.
public protocol IPCCommandName: RawRepresentable, CaseIterable, Sendable, Hashable where RawValue == String {
    /// The daemon that serves the command (whose socket it is sent on).
    static var receiver: IPCRole { get }
    /// The peer roles that may send it.
    var senders: Set<IPCRole> { get }
}

/// An event of the IPC catalogue (docs/IPC.md §9): `event.<noun>_<past tense>`, published by
/// `publisher` to the connections subscribed to a matching prefix.
public protocol IPCEventName: RawRepresentable, CaseIterable, Sendable, Hashable where RawValue == String {
    static var publisher: IPCRole { get }
}

extension IPCEventName {
    /// The event's name without `event.` (the Socket.IO event name the gateway forwards it as).
    public var shortName: String { String(rawValue.dropFirst(IPCMessage.eventPrefix.count)) }

    /// The catalogue event `message` carries, when it is one of this enum's.
    public init?(_ message: IPCMessage) { self.init(rawValue: message.type) }
}

/// Every message of the catalogue, for the documentation check and the permission reports.
public enum IPCCatalogue {
    public static var commandTypes: [String] {
        QueueCommand.allCases.map(\.rawValue) + DialerCommand.allCases.map(\.rawValue)
    }

    public static var eventTypes: [String] {
        QueueEvent.allCases.map(\.rawValue) + DialerEvent.allCases.map(\.rawValue)
    }

    /// Which roles may send `type` to `receiver` (nil: not a catalogue command of that receiver).
    public static func senders(of type: String, to receiver: IPCRole) -> Set<IPCRole>? {
        switch receiver {
        case .queue: return QueueCommand(rawValue: type)?.senders
        case .dialer: return DialerCommand(rawValue: type)?.senders
        case .gateway: return nil
        }
    }
}
