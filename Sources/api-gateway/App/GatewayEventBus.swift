import Shared

/// In-process fan-out of `GatewayEvent`s on the loop thread: the IPC clients publish every
/// daemon event here, routes publish the events they cause (availability changes), and the
/// realtime layer subscribes. Delivery is synchronous and in subscription order; a subscriber
/// added during delivery first sees the next event.
public final class GatewayEventBus {
    public typealias Handler = (GatewayEvent) -> Void

    /// A subscription; `cancel()` (or releasing every reference to the bus) ends it.
    public final class Subscription {
        fileprivate weak var bus: GatewayEventBus?
        fileprivate let id: Int
        fileprivate init(bus: GatewayEventBus, id: Int) {
            self.bus = bus
            self.id = id
        }
        public func cancel() { bus?.handlers.removeAll { $0.id == id } }
    }

    private var handlers: [(id: Int, handler: Handler)] = []
    private var nextID = 0
    /// Events published so far (for status pages and tests).
    public private(set) var publishedCount = 0

    public init() {}

    public var subscriberCount: Int { handlers.count }

    @discardableResult
    public func subscribe(_ handler: @escaping Handler) -> Subscription {
        nextID += 1
        handlers.append((nextID, handler))
        return Subscription(bus: self, id: nextID)
    }

    public func publish(_ event: GatewayEvent) {
        publishedCount += 1
        for entry in handlers { entry.handler(event) }
    }

    /// Publishes a Socket.IO event produced by the gateway itself to `rooms`.
    public func emit(_ name: String, _ payload: JSONObject, rooms: [String]) {
        publish(GatewayEvent(origin: .gateway, type: name, body: payload, rooms: rooms))
    }
}
