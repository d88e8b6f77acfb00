/// Operators' states as the queue-daemon last wrote them (`operator_states`, issue 14):
/// `available`, `on_call`, `wrap_up` or `unavailable`, shown in the users list. An operator the
/// queue has not written yet (or a database without the table) reads from the user's own flags.

import Shared

struct OperatorStateReader {
    let db: Database

    func states(for ids: [String]) throws -> [String: String] {
        guard !ids.isEmpty,
              try db.queryOne("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'operator_states'") != nil
        else { return [:] }
        var result: [String: String] = [:]
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
        try db.forEachRow("SELECT user_id, state FROM operator_states WHERE user_id IN (\(marks))",
                          ids.map { .text($0) }) { result[$0.string(at: 0)] = $0.string(at: 1) }
        return result
    }

    static func state(of user: UserRecord) -> String {
        user.isActive && user.isAvailable ? "available" : "unavailable"
    }
}
