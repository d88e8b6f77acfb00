/// `queue.operator_changed {userId}`: a user's availability, active flag or role changed (the
/// gateway's user routes); the queue's dispatcher re-reads that operator at once.
public struct OperatorChangedBody: IPCBody, Equatable {
    public static var command: QueueCommand { .operatorChanged }

    public var userId: String

    public init(userId: String) { self.userId = userId }

    public init(body: JSONObject) throws {
        self.init(userId: try CommandBody(body).requiredID("userId"))
    }

    public var body: JSONObject { ["userId": .string(userId)] }
}
