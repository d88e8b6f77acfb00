import Foundation
import Glibc
import TestSupport
import XCTest
@testable import Shared

/// Who may talk to a daemon and send what (docs/IPC.md §3–4): the peer's uid (`SO_PEERCRED`) at
/// accept, and each catalogue command's `senders` at every request.
final class IPCPermissionTests: XCTestCase {
    func testACommandFromARoleNotAmongItsSendersIsRefusedAndLogged() throws {
        let h = try IPCTestHarness()
        let server = try h.makeServer()
        var handled = 0
        server.onCommand(QueueCommand.deleteLead) { _, reply in handled += 1; reply(.success([:])) }
        let dialer = h.connectedClient(role: "dialer")
        let refused = h.call(dialer, QueueCommand.deleteLead.rawValue)
        XCTAssertEqual(refused?.failureValue?.code, "command_not_allowed")
        XCTAssertEqual(refused?.failureValue?.status, 403)
        XCTAssertEqual(refused?.failureValue?.message, "dialer may not send queue.delete_lead to queue")
        XCTAssertEqual(handled, 0)
        XCTAssertTrue(h.logs.contains { $0.contains("dialer may not send queue.delete_lead; refused") }, "\(h.logs)")
        XCTAssertTrue(dialer.isConnected, "a refused command does not end the connection")
        XCTAssertEqual(h.call(h.connectedClient(role: "gateway"), QueueCommand.deleteLead.rawValue)?.successValue, [:])
        XCTAssertEqual(handled, 1)
    }

    func testAConnectionFromAnotherUIDIsClosedBeforeHelloIsAnswered() throws {
        let h = try IPCTestHarness()
        let server = try h.makeServer()
        server.daemonUID = 1000
        server.peerCredentials = { _ in IPCPeerCredentials(pid: 77, uid: 4242, gid: 4242) }
        let raw = try RawIPCPeer(path: h.path)
        raw.hello(role: "gateway")
        XCTAssertTrue(h.wait { raw.poll(); return raw.closedByPeer }, "not closed")
        XCTAssertEqual(raw.messages, [], "no hello answer")
        XCTAssertEqual(server.connectedPeers, [])
        XCTAssertTrue(h.logs.contains { $0.contains("refused a connection from uid 4242 (pid 77)") }, "\(h.logs)")
    }

    func testUnreadableCredentialsAreRefused() throws {
        let h = try IPCTestHarness()
        let server = try h.makeServer()
        server.peerCredentials = { _ in nil }
        let raw = try RawIPCPeer(path: h.path)
        raw.hello(role: "gateway")
        XCTAssertTrue(h.wait { raw.poll(); return raw.closedByPeer })
        XCTAssertEqual(raw.messages, [])
    }

    func testTheDaemonsOwnUIDAndRootAreServed() throws {
        let table: [(peer: UInt32, daemon: UInt32, allowed: Bool)] = [
            (1000, 1000, true), (0, 1000, true), (0, 0, true), (1001, 1000, false), (1000, 0, false),
        ]
        for row in table {
            XCTAssertEqual(IPCPeerCredentials(pid: 1, uid: row.peer, gid: 0).isAllowed(byDaemonUID: row.daemon),
                           row.allowed, "peer \(row.peer), daemon \(row.daemon)")
        }
        let h = try IPCTestHarness()
        _ = try h.makeServer()
        XCTAssertNotNil(h.call(h.connectedClient(), "queue.unknown")?.failureValue, "the real SO_PEERCRED of this process passes")
    }

    /// A real process of another user (root only: `setpriv` drops to `nobody`) reaches the socket
    /// the file mode opens to everyone, and is closed without an answer.
    func testARealProcessOfAnotherUserIsClosed() throws {
        guard geteuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"),
              FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else {
            throw XCTSkip("needs root, setpriv and python3")
        }
        let h = try IPCTestHarness()
        let server = try h.makeServer()
        chmod(h.directory, 0o755)
        chmod(h.path, 0o666)
        let script = """
        import socket, struct, json, sys
        s = socket.socket(socket.AF_UNIX); s.settimeout(5); s.connect(sys.argv[1])
        body = json.dumps({"v": 1, "type": "hello", "id": 1, "re": None, "body": {"v": 1, "role": "gateway"}}).encode()
        try:
            s.sendall(struct.pack(">I", len(body)) + body)
            print("answered" if s.recv(4096) else "closed")
        except (BrokenPipeError, ConnectionResetError):
            print("closed")
        """
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        child.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c", script, h.path]
        let output = Pipe(), problems = Pipe()
        child.standardOutput = output
        child.standardError = problems
        try child.run()
        XCTAssertTrue(h.wait(timeout: 10) { !child.isRunning }, "the child did not finish")
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let complaint = String(decoding: problems.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(said.trimmingCharacters(in: .whitespacesAndNewlines), "closed", complaint)
        XCTAssertEqual(server.connectedPeers, [])
        XCTAssertTrue(h.logs.contains { $0.contains("refused a connection from uid 65534") }, "\(h.logs)")
    }
}
