/// A catalogue event's body as a type, as `IPCBody` is for a command: the publisher builds it and
/// sends it with `IPCServer.publish(_:)`, a subscriber reads it with `init(body:)` (throwing a
/// 400 `validation_failed` `IPCError` naming the field that is missing or of the wrong type).
/// `event` is the name it is published under (one body type may serve two events: the queue's
/// paused/resumed pair); `events` lists every name the type serves, for the catalogue check.
public protocol IPCEventBody: Sendable {
    associatedtype Event: IPCEventName
    static var events: [Event] { get }
    var event: Event { get }
    init(body: JSONObject) throws
    /// Decodes the body of `event` (a type serving two events keeps which one it was).
    init(event: Event, body: JSONObject) throws
    var body: JSONObject { get }
}

extension IPCEventBody {
    public init(event: Event, body: JSONObject) throws { try self.init(body: body) }

    /// The typed body of `message` when it is one of this type's events (nil for another event);
    /// throws when it is but its body does not decode.
    public static func decode(_ message: IPCMessage) throws -> Self? {
        guard let event = Event(message), events.contains(event) else { return nil }
        return try Self(event: event, body: message.body)
    }
}

/// An event body of exactly one event: `event` is the static one.
public protocol IPCSingleEventBody: IPCEventBody {
    static var only: Event { get }
}

extension IPCSingleEventBody {
    public static var events: [Event] { [only] }
    public var event: Event { Self.only }
}

extension IPCServer {
    /// Pushes the typed event body `message` under its event name.
    public func publish<Body: IPCEventBody>(_ message: Body) {
        publish(message.event, body: message.body)
    }
}
