/// The staged CSV imports (`ImportSession`s) of the queue-daemon, with their limits: rows per
/// chunk, rows per import, imports open at once, and the idle timeout after which an abandoned
/// import is discarded. Imports are also discarded when the connection that began them closes,
/// so a gateway killed mid-upload leaves nothing behind, and an import whose transaction is open
/// is discarded after `maxTransactionSeconds`. Loop thread only.

import Shared

final class ImportStaging {
    /// Rows accepted in one `queue.import_chunk`.
    static let maxRowsPerChunk = 5_000
    /// Rows one import may stage in total.
    static let maxRowsPerImport = 500_000
    /// Imports staged at the same time (all connections together).
    static let maxOpenImports = 4
    /// An import with no chunk or commit for this long is discarded.
    static let defaultIdleSeconds = 300.0
    /// An import may keep its transaction (and so the write gate) open this long from its first
    /// chunk; then it is discarded (rolled back) so other writes are not held up for longer.
    static let maxTransactionSeconds = 60.0

    private let loop: EventLoop
    private let idleSeconds: Double
    private var sessions: [String: ImportSession] = [:]
    /// Called after a session was discarded (not after a commit took it), with the reason.
    var onDiscard: ((ImportSession, String) -> Void)?

    init(loop: EventLoop, idleSeconds: Double = ImportStaging.defaultIdleSeconds) {
        self.loop = loop
        self.idleSeconds = idleSeconds
    }

    var openCount: Int { sessions.count }
    var stagedRowCount: Int { sessions.values.reduce(0) { $0 + $1.rowCount } }

    /// Opens a session; nil when `maxOpenImports` are already open.
    func begin(id: String, actorId: String, connection: Int, now: Int64) -> ImportSession? {
        guard sessions.count < Self.maxOpenImports else { return nil }
        let session = ImportSession(id: id, actorId: actorId, connection: connection, startedAt: now)
        sessions[id] = session
        touch(session)
        return session
    }

    /// The open session `id`, whichever connection began it (for status and tests).
    func session(id: String) -> ImportSession? { sessions[id] }

    /// The open session `id` begun on `connection`, nil otherwise (other connections cannot see it).
    func session(id: String, connection: Int) -> ImportSession? {
        guard let session = sessions[id], session.connection == connection else { return nil }
        return session
    }

    /// Restarts the session's idle timer.
    func touch(_ session: ImportSession) {
        session.idleTimer?.cancel()
        session.idleTimer = loop.schedule(after: idleSeconds) { [weak self, weak session] in
            guard let self, let session else { return }
            session.idleTimer = nil
            self.discard(session, reason: "idle for \(Int(self.idleSeconds)) s")
        }
    }

    /// Starts the clock on the session's open transaction (`maxTransactionSeconds`).
    func limitTransaction(_ session: ImportSession, seconds: Double = ImportStaging.maxTransactionSeconds) {
        session.transactionTimer?.cancel()
        session.transactionTimer = loop.schedule(after: seconds) { [weak self, weak session] in
            guard let self, let session else { return }
            session.transactionTimer = nil
            self.discard(session, reason: "its transaction was open for \(Int(seconds)) s")
        }
    }

    /// Removes the session for its commit (no discard callback).
    func take(id: String, connection: Int) -> ImportSession? {
        guard let session = session(id: id, connection: connection) else { return nil }
        session.idleTimer?.cancel()
        session.idleTimer = nil
        session.transactionTimer?.cancel()
        session.transactionTimer = nil
        sessions[id] = nil
        return session
    }

    /// Discards every session begun on `connection`.
    func discard(connection: Int, reason: String) {
        for session in sessions.values where session.connection == connection { discard(session, reason: reason) }
    }

    func discardAll(reason: String) {
        for session in sessions.values { discard(session, reason: reason) }
    }

    /// Discards one session (`queue.import_abort`, timeouts); `onDiscard` rolls back its transaction.
    func discard(_ session: ImportSession, reason: String) {
        guard sessions[session.id] === session else { return }
        session.idleTimer?.cancel()
        session.idleTimer = nil
        session.transactionTimer?.cancel()
        session.transactionTimer = nil
        sessions[session.id] = nil
        onDiscard?(session, reason)
        _ = session.takeRows()
    }
}
