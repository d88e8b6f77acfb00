/// `queue.operator_changed {userId}` → `{}`. The gateway sends it when a user's availability,
/// active flag or role changed; the dispatch hook re-reads that operator so dispatch reacts at once
/// instead of on a timer (DESIGN §3).

import Shared

struct OperatorChangedCommand {
    // unowned: reachable only through the daemon's own server handlers (`CommandRouter`), which the daemon owns.
    unowned let daemon: QueueDaemon

    func run(_ command: OperatorChangedBody) throws -> JSONObject {
        let userId = command.userId
        daemon.logger.debug("operator changed", ["USER_ID": userId])
        daemon.dispatch?.operatorChanged(userId: userId)
        return JSONObject()
    }
}
