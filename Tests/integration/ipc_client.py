"""A minimal blocking IPC client for tests: the frame of docs/IPC.md (4-byte big-endian length,
then a JSON envelope), a `hello`, then request/reply pairs correlated by `re`."""
import json
import socket
import struct


def read_frame(s):
    """Reads one frame from socket `s` and returns its JSON envelope."""
    def exactly(n):
        buf = b""
        while len(buf) < n:
            chunk = s.recv(n - len(buf))
            if not chunk:
                raise AssertionError("connection closed")
            buf += chunk
        return buf
    (length,) = struct.unpack(">I", exactly(4))
    return json.loads(exactly(length))


def ipc_call(path, messages, role="gateway"):
    """Says hello as `role` on the Unix socket `path`, sends each (type, body) of `messages`, and
    returns the replies: the hello answer first, then one reply per message."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(10)
        s.connect(path)
        replies = []
        frames = [("hello", {"v": 1, "role": role})] + list(messages)
        for n, (type_, body) in enumerate(frames, 1):
            data = json.dumps({"v": 1, "type": type_, "id": n, "re": None, "body": body}).encode()
            s.sendall(struct.pack(">I", len(data)) + data)
            while True:
                msg = read_frame(s)
                if msg.get("re") == n or msg.get("type") == "hello":
                    replies.append(msg)
                    break
        return replies
