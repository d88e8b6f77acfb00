"""The Socket.IO endpoint with the official socket.io-client 4.8.1 (the browser bundle the panels
use, from the PyPI wheel nicegui==3.18.0) under Node with Debian's node-ws and
node-xmlhttprequest as browser globals: WebSocket, polling and the default polling-then-upgrade,
auth errors, and live call events plus the operator's lead_assigned during a simulated run,
while an unauthenticated socket receives nothing."""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "clients"))
from realtime_kit import (create_leads, finish_node_client, node_events, start_node_client, unique_phone,  # noqa: E402
                          wait_node_line)


@pytest.fixture(autouse=True)
def needs_js_client():
    from realtime_kit import js_bundle
    js_bundle()


@pytest.mark.parametrize("transport", ["websocket", "polling", "upgrade"])
def test_official_client_connects_and_authenticates(system, transport):
    token = system.login()
    rc, lines, err = finish_node_client(start_node_client(system.url, "--transport", transport, seconds=1.5,
                                                          token=token))
    assert rc == 0, (lines, err)
    connect = [l for l in lines if l["kind"] == "connect"]
    assert connect and connect[0]["sid"]
    authenticated = node_events(lines, "authenticated")
    assert authenticated and authenticated[0]["args"][0]["role"] == "admin"
    if transport == "upgrade":
        assert any(l["kind"] == "upgrade" and l["transport"] == "websocket" for l in lines), lines
        assert authenticated[0]["transport"] in ("polling", "websocket")
    assert not [l for l in lines if l["kind"] == "disconnect" and l["reason"] != "io client disconnect"]


def test_official_client_bad_token_gets_auth_error(system):
    rc, lines, _ = finish_node_client(start_node_client(system.url, "--auth-timeout", "1.5", seconds=1,
                                                        token="not-a-token"))
    assert rc == 3, lines
    errors = node_events(lines, "auth_error")
    assert errors and errors[0]["args"][0]["message"] == "Authentication failed"


def test_official_client_receives_live_events_during_a_simulated_run(system):
    admin_token = system.login()
    op_id, op_token = system.create_operator(admin_token, "JS Operator", "js-op@example.com", phone=unique_phone())
    operator = start_node_client(system.url, seconds=12, token=op_token)
    admin = start_node_client(system.url, "--transport", "polling", seconds=12, token=admin_token)
    anonymous = start_node_client(system.url, "--no-auth", seconds=12)
    for client in (operator, admin):
        wait_node_line(client, lambda l: l.get("kind") == "event" and l.get("event") == "authenticated",
                       "the client to authenticate and listen")
    wait_node_line(anonymous, lambda l: l.get("kind") == "connect", "the anonymous client to connect")
    create_leads(system, admin_token, 3)
    op_rc, op_lines, op_err = finish_node_client(operator)
    admin_rc, admin_lines, _ = finish_node_client(admin)
    anon_rc, anon_lines, _ = finish_node_client(anonymous)
    assert op_rc == 0 and admin_rc == 0 and anon_rc == 0, (op_lines[-3:], op_err)
    assigned = node_events(op_lines, "lead_assigned")
    assert assigned, [l.get("event") for l in op_lines]
    assert assigned[0]["args"][0]["callId"]
    initiated = node_events(admin_lines, "call_initiated")
    assert initiated and initiated[0]["args"][0]["status"] == "initiated"
    assert any(e["args"][0]["salespersonId"] == op_id for e in node_events(op_lines, "call_answered"))
    statuses = {e["args"][0]["status"] for e in node_events(admin_lines, "call_status_updated")}
    assert statuses - {"initiated", "ringing", "answered"}, f"an outcome must be pushed: {statuses}"
    assert node_events(anon_lines) == [], "an unauthenticated socket must receive nothing"
