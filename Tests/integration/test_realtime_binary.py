"""Binary Socket.IO packets (BINARY_EVENT 5, BINARY_ACK 6, with attachments) both ways, over
polling and WebSocket, with python-socketio 5.18.1 and the official socket.io-client 4.8.1: each
sends a binary packet when an event carries bytes. The gateway's test-only `echo` event
(IBRAT_WS_ECHO=1) acks the arguments back (BINARY_ACK), emits them back asking for an ack
(BINARY_EVENT), and reports the client's binary ack as `echo_acked`. A binary argument to a real
event gets that event's validation answer."""
import os
import sys
import threading

import pytest
import socketio

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "clients"))
import conftest  # noqa: E402
from realtime_kit import finish_node_client, node_events, start_node_client  # noqa: E402

TRANSPORTS = {"websocket": ["websocket"], "polling": ["polling"], "upgrade": ["polling", "websocket"]}
BLOB = bytes(range(256)) + b"\x00\x1e\xff binary"   # every byte value, and the polling record separator


@pytest.fixture(scope="module")
def rt():
    system = conftest.System({"IBRAT_WS_ECHO": "1"})
    system.start_all()
    yield system
    system.stop_all()
    system.cleanup()


@pytest.mark.parametrize("transport", sorted(TRANSPORTS))
def test_python_socketio_binary_both_ways(rt, transport):
    client = socketio.Client(reconnection=False)
    acked = threading.Event()
    got = {}
    client.on("echo", lambda *args: args)   # python-socketio acks with the handler's return value
    client.on("echo_acked", lambda *args: (got.setdefault("echo_acked", args), acked.set()))
    client.connect(rt.url, transports=TRANSPORTS[transport], wait_timeout=5)
    try:
        answer = client.call("echo", {"blob": BLOB, "n": 1, "list": [b"a", "b", b"\x00"]}, timeout=5)
        assert answer == {"blob": BLOB, "n": 1, "list": [b"a", "b", b"\x00"]}
        assert acked.wait(5), "the server's binary echo was acked back and reported"
        assert got["echo_acked"] == ({"blob": BLOB, "n": 1, "list": [b"a", "b", b"\x00"]},)
        assert client.call("echo", "plain text", timeout=5) == "plain text"
    finally:
        client.disconnect()


def test_python_socketio_binary_argument_to_a_real_event(rt):
    client = socketio.Client(reconnection=False)
    client.connect(rt.url, transports=["websocket"], wait_timeout=5)
    try:
        token = rt.login()
        assert client.call("authenticate", {"token": token}, timeout=5)["ok"] is True
        answer = client.call("update_call_notes", {"callId": "0123456789abcdef01234567", "notes": b"bytes"}, timeout=5)
        assert answer == {"ok": False, "message": "notes must be a string"}
        assert client.connected, "a binary packet does not drop the session"
    finally:
        client.disconnect()


@pytest.fixture
def needs_js_client():
    from realtime_kit import js_bundle
    js_bundle()


@pytest.mark.parametrize("transport", sorted(TRANSPORTS))
def test_official_js_client_binary_both_ways(rt, needs_js_client, transport):
    blob = BLOB.hex()
    rc, lines, err = finish_node_client(start_node_client(
        rt.url, "--transport", transport, "--no-auth", "--emit-binary", "echo", blob, "--echo-acks", seconds=1.5))
    assert rc == 0, (lines, err)
    acks = [l for l in lines if l["kind"] == "ack" and l["event"] == "echo"]
    assert acks and acks[0]["args"] == [{"$bytes": blob}], lines
    echoed = node_events(lines, "echo")
    assert echoed and echoed[0]["args"][0] == {"$bytes": blob}, lines
    reported = node_events(lines, "echo_acked")
    assert reported and reported[0]["args"] == [{"$bytes": blob}], lines
