import Shared

extension EventLoop {
    /// Runs the loop until a timer set `seconds` from now has fired, then every source ready at
    /// that moment: whatever was due before the fence (a timer that should have been cancelled,
    /// a repeat that should have stopped) has had its turn. The observable event for "this timer
    /// did not fire", where the thing that must not happen is itself a deadline.
    @discardableResult
    public func runPastFence(after seconds: Double, timeout: Double = 10) -> Bool {
        var passed = false
        let fence = schedule(after: seconds) { passed = true }
        let ok = run(until: { passed }, timeout: timeout)
        fence.cancel()
        runReady()
        return ok
    }
}
