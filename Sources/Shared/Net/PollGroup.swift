import CSystemd
import Glibc

/// A private epoll set that sits on the `EventLoop` as ONE readiness source and, on each wake-up,
/// runs the handlers of every ready member it gets from a single `epoll_wait` (up to
/// `maxEventsPerWake`). sd-event dispatches one source per loop iteration and polls again
/// before the next, so with many busy sockets each socket event costs an `epoll_wait` (and the
/// kernel walks every ready fd each time); a group of connections costs one per batch instead.
/// Level-triggered like sd-event's IO sources: a member whose data is left unread is reported
/// again on the next wake-up. `.error`/`.hangup` are reported even when not asked for.
/// Members are retained by the group until cancelled. Loop thread only.
public final class PollGroup {
    /// Most events taken from the kernel per wake-up (more stay ready for the next one).
    public static let defaultMaxEventsPerWake = 256

    private let epollFD: Int32
    private var source: IOSource?
    private var members: [UInt64: PollMember] = [:]
    private var nextToken: UInt64 = 1
    private let events: UnsafeMutablePointer<epoll_event>
    private let capacity: Int32
    /// True while the handlers of one wake-up run. Members may then defer work (an HTTP
    /// connection its write) to `afterDispatch`, so a batch of answers goes out back to back.
    public private(set) var isDispatching = false
    /// Called after the handlers of each wake-up have run.
    public var afterDispatch: (() -> Void)?

    public init(loop: EventLoop, maxEventsPerWake: Int = PollGroup.defaultMaxEventsPerWake) throws {
        let fd = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard fd >= 0 else { throw EventLoopError(operation: "epoll_create1", code: errno) }
        epollFD = fd
        capacity = Int32(max(1, min(maxEventsPerWake, 4096)))
        events = .allocate(capacity: Int(capacity))
        do {
            source = try loop.addIO(fd: fd, events: .readable) { [weak self] _ in self?.dispatch() }
        } catch {
            events.deallocate()
            Glibc.close(fd)
            throw error
        }
    }

    deinit {
        source?.cancel()
        for member in members.values { member.group = nil }
        Glibc.close(epollFD)
        events.deallocate()
    }

    /// Members registered and not cancelled.
    public var count: Int { members.count }

    /// Watches `fd` for `events`; `handler` gets the ready events. Throws when epoll refuses the fd.
    public func add(fd: Int32, events: IOEvents, _ handler: @escaping (IOEvents) -> Void) throws -> PollMember {
        let token = nextToken
        nextToken += 1
        var event = epoll_event()
        event.events = events.rawValue
        event.data.u64 = token
        guard epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) == 0 else {
            throw EventLoopError(operation: "epoll_ctl(ADD)", code: errno)
        }
        let member = PollMember(group: self, fd: fd, token: token, handler: handler)
        members[token] = member
        return member
    }

    fileprivate func modify(_ member: PollMember, _ events: IOEvents) {
        var event = epoll_event()
        event.events = events.rawValue
        event.data.u64 = member.token
        _ = epoll_ctl(epollFD, EPOLL_CTL_MOD, member.fd, &event)
    }

    fileprivate func remove(_ member: PollMember) {
        guard members.removeValue(forKey: member.token) != nil else { return }
        var event = epoll_event()
        // The fd may already be closed (then the kernel dropped it itself): errors are moot.
        _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, member.fd, &event)
    }

    /// Runs the handlers of the members ready now. A member cancelled by an earlier handler of
    /// the same batch is skipped (its token is gone, even if its fd number was reused).
    private func dispatch() {
        let n = epoll_wait(epollFD, events, capacity, 0)
        guard n > 0 else { return }
        isDispatching = true
        for i in 0..<Int(n) {
            let ready = events[i]
            guard let member = members[ready.data.u64] else { continue }
            member.handler(IOEvents(rawValue: ready.events))
        }
        isDispatching = false
        afterDispatch?()
    }
}

/// One fd in a `PollGroup`: change its interest with `setEvents`, leave with `cancel` (before
/// closing the fd, or when handing it to another owner).
public final class PollMember {
    fileprivate weak var group: PollGroup?
    public let fd: Int32
    fileprivate let token: UInt64
    fileprivate let handler: (IOEvents) -> Void

    fileprivate init(group: PollGroup, fd: Int32, token: UInt64, handler: @escaping (IOEvents) -> Void) {
        self.group = group
        self.fd = fd
        self.token = token
        self.handler = handler
    }

    /// Changes which readiness events wake the handler.
    public func setEvents(_ events: IOEvents) {
        group?.modify(self, events)
    }

    /// Stops watching the fd (idempotent); the handler is not called again.
    public func cancel() {
        group?.remove(self)
        group = nil
    }
}
