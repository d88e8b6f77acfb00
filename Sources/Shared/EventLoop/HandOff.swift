/// A value moved to another thread that its previous owner does not touch meanwhile: a loop-thread
/// completion riding through a worker untouched and posted back (`EventLoop.bounce`), or a job
/// handed to the one worker that runs it. `@unchecked Sendable`: the hand-over is a protocol the
/// compiler cannot see (one owner at a time, the transfer ordered by the pool's queue or `post`).
public struct HandOff<Value>: @unchecked Sendable {
    public let value: Value

    public init(_ value: Value) { self.value = value }
}
