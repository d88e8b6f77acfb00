import CSystemd
import Foundation
import Glibc

/// Readiness bits for `EventLoop.addIO`, the epoll flags sd-event uses.
public struct IOEvents: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let readable = IOEvents(rawValue: UInt32(EPOLLIN.rawValue))
    public static let writable = IOEvents(rawValue: UInt32(EPOLLOUT.rawValue))
    public static let error = IOEvents(rawValue: UInt32(EPOLLERR.rawValue))
    public static let hangup = IOEvents(rawValue: UInt32(EPOLLHUP.rawValue))
    public static let readHangup = IOEvents(rawValue: UInt32(EPOLLRDHUP.rawValue))
}

public struct EventLoopError: Error, CustomStringConvertible {
    public let operation: String
    public let code: Int32
    public var description: String { "\(operation): \(String(cString: strerror(code)))" }
    static func check(_ rc: Int32, _ operation: String) throws {
        if rc < 0 { throw EventLoopError(operation: operation, code: -rc) }
    }
}

/// A small Swift wrapper over libsystemd's sd-event (DESIGN §4): one loop per daemon on its main
/// thread, IO readiness, monotonic timers, signals, the systemd watchdog, and a thread-safe `post`
/// through an eventfd so worker threads can hand results back. All sources are owned by the loop
/// until cancelled (or, for one-shot timers, until fired), so callers may drop the handles.
/// `@unchecked Sendable`: confined to its owner thread (`assertOnLoop`) except `post`, whose queue `postLock` guards.
public final class EventLoop: @unchecked Sendable {
    let event: OpaquePointer
    var sources: [ObjectIdentifier: EventSource] = [:]
    private let postLock = NSLock()
    private var posted: [() -> Void] = []
    private let wakeFD: Int32
    private var wakeSource: IOSource?
    public private(set) var isRunning = false
    /// Timer slack handed to sd-event. 0 would mean sd-event's default of 250 ms, far too coarse
    /// for "an urgent lead is dialed within milliseconds"; 1 ms still lets wake-ups coalesce.
    public static let timerAccuracyMicros: UInt64 = 1000
    let ownerThread = pthread_self()

    public init() throws {
        var e: OpaquePointer?
        try EventLoopError.check(sd_event_new(&e), "sd_event_new")
        event = e!
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        if wakeFD < 0 { throw EventLoopError(operation: "eventfd", code: errno) }
        // unowned: the loop owns this source and releases it in deinit, so the handler never outlives it.
        wakeSource = try addIO(fd: wakeFD, events: .readable) { [unowned self] _ in self.drainPosted() }
    }

    deinit {
        for source in sources.values { source.release() }
        sources.removeAll()
        close(wakeFD)
        sd_event_unref(event)
    }

    /// Debug builds: traps unless called on the thread that created the loop. Loop-confined types
    /// (IPC server and client, connections, timers, the gateway's event bus) call it at their
    /// entry points; release builds compile it away.
    @inline(__always)
    public func assertOnLoop(file: StaticString = #fileID, line: UInt = #line) {
        assert(pthread_equal(ownerThread, pthread_self()) != 0, "used off its event loop's thread", file: file, line: line)
    }

    /// Runs until `exit(code:)`; returns the exit code.
    @discardableResult
    public func run() throws -> Int32 {
        isRunning = true
        defer { isRunning = false }
        let rc = sd_event_loop(event)
        try EventLoopError.check(rc, "sd_event_loop")
        return rc
    }

    /// Runs one iteration, waiting at most `timeout` seconds. For tests that drive a loop by hand.
    public func runOnce(timeout: Double) throws {
        let rc = sd_event_run(event, UInt64(max(0, timeout) * 1_000_000))
        try EventLoopError.check(rc, "sd_event_run")
    }

    /// Dispatches every source that is ready now, without waiting (at most `limit`); returns how many
    /// ran. For tests that wait for the loop to be idle rather than for a fixed time.
    @discardableResult
    public func runReady(limit: Int = 10_000) -> Int {
        var ran = 0
        while ran < limit, sd_event_run(event, 0) > 0 { ran += 1 }
        return ran
    }

    /// Runs iterations until `condition` holds or `timeout` seconds pass; returns whether it held.
    @discardableResult
    public func run(until condition: () -> Bool, timeout: Double) -> Bool {
        let deadline = MonotonicClock.seconds() + timeout
        while !condition() {
            let left = deadline - MonotonicClock.seconds()
            if left <= 0 { return false }
            _ = try? runOnce(timeout: min(left, 0.05))
        }
        return true
    }

    public func exit(code: Int32 = 0) { sd_event_exit(event, code) }

    /// Pings the service manager's watchdog from the loop when WATCHDOG_USEC is set (sd-event does it).
    public func enableWatchdog() { sd_event_set_watchdog(event, 1) }

    // MARK: IO

    @discardableResult
    public func addIO(fd: Int32, events: IOEvents, _ handler: @escaping (IOEvents) -> Void) throws -> IOSource {
        assertOnLoop()
        return try attach(IOSource(loop: self, handler: handler), "sd_event_add_io") { raw, userdata in
            sd_event_add_io(event, raw, fd, events.rawValue, { _, _, revents, userdata in
                let source = Unmanaged<IOSource>.fromOpaque(userdata!).takeUnretainedValue()
                source.handler(IOEvents(rawValue: revents))
                return 0
            }, userdata)
        }
    }

    /// Adds `source` to sd-event with `add` (given where to store the sd_event_source and the
    /// source itself as userdata) and keeps it until it is cancelled; `call` names the sd-event
    /// function in the error.
    private func attach<Source: EventSource>(
        _ source: Source, _ call: String,
        _ add: (UnsafeMutablePointer<OpaquePointer?>, UnsafeMutableRawPointer) -> Int32
    ) throws -> Source {
        var raw: OpaquePointer?
        let rc = add(&raw, Unmanaged.passUnretained(source).toOpaque())
        try EventLoopError.check(rc, call)
        source.raw = raw
        sources[ObjectIdentifier(source)] = source
        return source
    }

    // MARK: Timers

    /// A one-shot timer `seconds` from now on the monotonic clock.
    @discardableResult
    public func schedule(after seconds: Double, _ handler: @escaping () -> Void) -> TimerSource {
        armedTimer(after: seconds, repeatInterval: nil, handler)
    }

    /// A timer that fires every `interval` seconds until cancelled.
    @discardableResult
    public func repeating(every interval: Double, _ handler: @escaping () -> Void) -> TimerSource {
        armedTimer(after: interval, repeatInterval: interval, handler)
    }

    private func armedTimer(after seconds: Double, repeatInterval: Double?, _ handler: @escaping () -> Void) -> TimerSource {
        assertOnLoop()
        let timer = TimerSource(loop: self, repeatInterval: repeatInterval, handler: handler)
        timer.arm(after: seconds)
        return timer
    }

    // MARK: Signals

    /// Handles `signal` on the loop (the signal is blocked for the process so sd-event can read it).
    @discardableResult
    public func onSignal(_ signal: Int32, _ handler: @escaping () -> Void) throws -> SignalSource {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, signal)
        pthread_sigmask(SIG_BLOCK, &set, nil)
        return try attach(SignalSource(loop: self, handler: handler), "sd_event_add_signal") { raw, userdata in
            sd_event_add_signal(event, raw, signal, { _, _, userdata in
                Unmanaged<SignalSource>.fromOpaque(userdata!).takeUnretainedValue().handler()
                return 0
            }, userdata)
        }
    }

    /// SIGTERM and SIGINT call `handler` (graceful shutdown); SIGPIPE is ignored.
    public func onTermination(_ handler: @escaping (Int32) -> Void) throws {
        signal(SIGPIPE, SIG_IGN)
        try onSignal(SIGTERM) { handler(SIGTERM) }
        try onSignal(SIGINT) { handler(SIGINT) }
    }

    // MARK: Cross-thread

    /// Thread-safe: runs `work` on the loop thread at its next iteration.
    public func post(_ work: @escaping () -> Void) {
        postLock.lock()
        let wasEmpty = posted.isEmpty
        posted.append(work)
        postLock.unlock()
        if wasEmpty {
            var one: UInt64 = 1
            _ = Glibc.write(wakeFD, &one, 8)
        }
    }

    /// Runs `work` on a worker thread and `completion` with its result back on the loop thread.
    /// `work` and its result cross threads, so they are `Sendable`; `completion` belongs to the
    /// loop thread and only rides along untouched (`HandOff`).
    public func runOnWorker<T: Sendable>(_ work: @escaping @Sendable () -> T, completion: @escaping (T) -> Void) {
        let completion = bounce(completion)
        WorkerPool.shared.submit { completion(work()) }
    }

    /// `handler`, callable from any thread: each call posts its value to this loop and runs
    /// `handler` there (a worker's or URLSession's completion coming home).
    public func bounce<T: Sendable>(_ handler: @escaping (T) -> Void) -> @Sendable (T) -> Void {
        let handler = HandOff(handler)
        return { [self] value in self.post { handler.value(value) } }
    }

    /// `bounce` for a handler without a value.
    public func bounce(_ handler: @escaping () -> Void) -> @Sendable () -> Void {
        let handler = HandOff(handler)
        return { [self] in self.post { handler.value() } }
    }

    private func drainPosted() {
        var value: UInt64 = 0
        _ = Glibc.read(wakeFD, &value, 8)
        postLock.lock()
        let batch = posted
        posted.removeAll(keepingCapacity: true)
        postLock.unlock()
        for work in batch { work() }
    }

    /// Monotonic time in microseconds as sd-event sees it for this iteration.
    public var nowMicros: UInt64 {
        var usec: UInt64 = 0
        if sd_event_now(event, CLOCK_MONOTONIC, &usec) < 0 { return MonotonicClock.micros() }
        return usec
    }

    func forget(_ source: EventSource) { sources[ObjectIdentifier(source)] = nil }
}

/// Base of the loop's sources: holds the sd_event_source and releases it once.
public class EventSource {
    /// Weak: a source handle kept by its user (a timer in some object) may outlive the loop,
    /// whose deinit releases every source; `cancel()` or `arm` then does nothing.
    weak var loop: EventLoop?
    var raw: OpaquePointer?
    init(loop: EventLoop) { self.loop = loop }

    /// Stops the source and lets the loop forget it. Safe to call twice or from its own handler.
    public func cancel() {
        release()
        loop?.forget(self)
    }

    public var isActive: Bool { raw != nil }

    func release() {
        if let raw {
            sd_event_source_set_enabled(raw, Int32(SD_EVENT_OFF))
            sd_event_source_unref(raw)
            self.raw = nil
        }
    }
}

public final class IOSource: EventSource {
    let handler: (IOEvents) -> Void
    init(loop: EventLoop, handler: @escaping (IOEvents) -> Void) {
        self.handler = handler
        super.init(loop: loop)
    }

    /// Changes which readiness events wake the handler (e.g. add `.writable` while output is queued).
    public func setEvents(_ events: IOEvents) {
        if let raw { sd_event_source_set_io_events(raw, events.rawValue) }
    }
}

public final class SignalSource: EventSource {
    let handler: () -> Void
    init(loop: EventLoop, handler: @escaping () -> Void) {
        self.handler = handler
        super.init(loop: loop)
    }
}

public final class TimerSource: EventSource {
    let handler: () -> Void
    let repeatInterval: Double?

    init(loop: EventLoop, repeatInterval: Double?, handler: @escaping () -> Void) {
        self.handler = handler
        self.repeatInterval = repeatInterval
        super.init(loop: loop)
    }

    /// (Re)arms the timer to fire `seconds` from now, whether or not it already fired.
    public func arm(after seconds: Double) {
        guard let loop else { return }
        let usec = UInt64(max(0, seconds) * 1_000_000)
        if let raw {
            sd_event_source_set_time_relative(raw, usec)
            sd_event_source_set_enabled(raw, Int32(SD_EVENT_ONESHOT))
        } else {
            var newRaw: OpaquePointer?
            let rc = sd_event_add_time_relative(loop.event, &newRaw, CLOCK_MONOTONIC, usec, EventLoop.timerAccuracyMicros, { _, _, userdata in
                let timer = Unmanaged<TimerSource>.fromOpaque(userdata!).takeUnretainedValue()
                timer.fire()
                return 0
            }, Unmanaged.passUnretained(self).toOpaque())
            guard rc >= 0 else { return }
            raw = newRaw
        }
        loop.sources[ObjectIdentifier(self)] = self
    }

    private func fire() {
        if let interval = repeatInterval {
            arm(after: interval)
        } else {
            // One-shot: the loop drops its reference after the handler, unless the handler re-armed it.
            if let raw { sd_event_source_set_enabled(raw, Int32(SD_EVENT_OFF)) }
        }
        let wasArmedBefore = isEnabled
        handler()
        if repeatInterval == nil && !wasArmedBefore && !isEnabled { cancel() }
    }

    private var isEnabled: Bool {
        guard let raw else { return false }
        var enabled: Int32 = 0
        sd_event_source_get_enabled(raw, &enabled)
        return enabled != Int32(SD_EVENT_OFF)
    }
}

/// Monotonic time readings independent of a loop.
public enum MonotonicClock {
    public static func micros() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000 + UInt64(ts.tv_nsec) / 1000
    }
    public static func seconds() -> Double { Double(micros()) / 1_000_000 }
}
