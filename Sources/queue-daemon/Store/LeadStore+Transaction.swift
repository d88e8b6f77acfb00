/// The store's transaction that returns what it changed: `db.transaction` around `body`, with
/// `changes` collecting every lead the writes touched (leads written without their new state are
/// read back just before COMMIT, inside the same transaction). A nested call runs in a savepoint
/// and adds to the outer change set; what a rolled-back savepoint collected is dropped with it.

import Shared

extension LeadStore {
    /// Runs `body` in a transaction; returns its value and the change set of the commit (empty for
    /// a nested call: the outer transaction returns it).
    func transaction<T>(_ body: () throws -> T) throws -> (value: T, changes: QueueChangeSet) {
        if let outer = changes {
            do {
                return (try db.transaction(body), QueueChangeSet())
            } catch {
                changes = outer
                throw error
            }
        }
        changes = QueueChangeSet()
        defer { changes = nil }
        let value = try db.transaction { () throws -> T in
            let value = try body()
            try resolveTouched()
            return value
        }
        return (value, changes ?? QueueChangeSet())
    }

    /// Reads back the leads written without their new state.
    private func resolveTouched() throws {
        guard let unresolved = changes?.unresolved, !unresolved.isEmpty else { return }
        for id in unresolved { changes?.resolve(id, as: try record(id: id)?.snapshot) }
    }
}
