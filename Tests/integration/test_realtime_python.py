"""The Socket.IO endpoint with the third-party python-socketio 5.18.1 client over WebSocket,
long-polling and polling-then-upgrade: authentication (event and CONNECT auth), the old
auth_error strings, rooms and presence, client events, live call and lead events during a
simulated run, and the session ending when the user is deactivated."""
import os
import sys

import pytest
import requests
import socketio

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "clients"))
import conftest  # noqa: E402
from realtime_kit import Recorder, create_leads, unique_phone, wait_until  # noqa: E402

TRANSPORTS = {"websocket": ["websocket"], "polling": ["polling"], "upgrade": ["polling", "websocket"]}


@pytest.fixture(scope="module")
def rt():
    system = conftest.System()
    system.start_all()
    system.admin_token = system.login()
    yield system
    system.stop_all()


def new_operator(system, name="Operator"):
    suffix = unique_phone()[-7:]
    return system.create_operator(system.admin_token, f"{name} {suffix}", f"op{suffix}@example.com",
                                  phone=unique_phone())


@pytest.mark.parametrize("transport", sorted(TRANSPORTS))
def test_connect_and_authenticate(rt, transport):
    c = Recorder(rt.url, TRANSPORTS[transport])
    try:
        ack = c.authenticate(rt.admin_token)
        assert ack["ok"] is True and ack["role"] == "admin"
        payload = c.wait_for("authenticated", timeout=5)
        assert set(payload) == {"userId", "role", "name"}
        if transport == "upgrade":
            wait_until(lambda: c.client.transport() == "websocket", 10, "the upgrade to websocket")
        assert c.client.transport() == TRANSPORTS[transport][-1]
    finally:
        c.close()


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_bad_tokens_get_the_original_auth_errors(rt, transport):
    c = Recorder(rt.url, TRANSPORTS[transport])
    try:
        c.client.emit("authenticate", {})
        c.client.emit("authenticate", {"token": "not-a-jwt"})
        wait_until(lambda: len(c.payloads("auth_error")) == 2, 5, "two auth_error events")
        assert [p["message"] for p in c.payloads("auth_error")] == ["Authentication token required",
                                                                    "Authentication failed"]
        assert "authenticated" not in c.names()
    finally:
        c.close()


def test_connect_auth_token_authenticates_and_a_bad_one_is_refused(rt):
    c = Recorder(rt.url, ["websocket"], auth={"token": rt.admin_token})
    try:
        assert c.wait_for("authenticated", timeout=5)["role"] == "admin"
    finally:
        c.close()
    with pytest.raises(socketio.exceptions.ConnectionError):
        Recorder(rt.url, ["websocket"], auth={"token": "forged"})


def test_presence_rooms_and_active_connections(rt):
    op_id, op_token = new_operator(rt, "Presence")
    admin = Recorder(rt.url)
    admin.authenticate(rt.admin_token)
    anonymous = Recorder(rt.url, ["polling"])
    tab1, tab2 = Recorder(rt.url), Recorder(rt.url, ["polling"])
    try:
        tab1.authenticate(op_token)
        tab2.authenticate(op_token)
        assert admin.wait_for("user_online", lambda p: p["userId"] == op_id, 5)["role"] == "salesperson"
        counts = []

        def three_authenticated():
            status = requests.get(rt.url + "/api/admin/system-status", headers=conftest.auth(rt.admin_token), timeout=5)
            assert status.status_code == 200, status.text
            counts.append(rt_active_connections(status.json()))
            return counts[-1] == 3
        # Two operator tabs and the admin; not the anonymous socket (sockets of earlier tests may still be closing).
        wait_until(three_authenticated, 5, "activeConnections == 3")
        assert tab1.client.call("join_room", "admin", timeout=5) == {"ok": False, "message": "Not allowed to join room"}
        tab1.close()
        tab2.client.emit("typing_start", {})
        admin.wait_for("user_typing", lambda p: p["userId"] == op_id and p["isTyping"] is True, 5)
        assert op_id not in [p["userId"] for p in admin.payloads("user_offline")], "one tab is still open"
        tab2.close()
        admin.wait_for("user_offline", lambda p: p["userId"] == op_id, 5)
        assert anonymous.names() == []
    finally:
        for c in (admin, anonymous, tab1, tab2):
            c.close()


def rt_active_connections(body):
    stack = [body]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if "activeConnections" in item:
                return item["activeConnections"]
            stack.extend(item.values())
    raise AssertionError(f"no activeConnections in {body}")


def test_update_availability_goes_through_the_rest_code_path(rt):
    op_id, op_token = new_operator(rt, "Avail")
    admin = Recorder(rt.url)
    op = Recorder(rt.url, ["polling", "websocket"])
    try:
        admin.authenticate(rt.admin_token)
        op.authenticate(op_token)
        assert op.client.call("update_availability", {"isAvailable": "no"}, timeout=5)["ok"] is False
        assert op.client.call("update_availability", {"isAvailable": False}, timeout=5) == {"isAvailable": False,
                                                                                         "ok": True}
        change = admin.wait_for("user_availability_changed", lambda p: p["userId"] == op_id, 5)
        assert change["isAvailable"] is False and "timestamp" in change
        me = requests.get(rt.url + "/api/auth/me", headers=conftest.auth(op_token), timeout=5).json()
        assert me["user"]["isAvailable"] is False
    finally:
        admin.close()
        op.close()


def test_deactivating_a_user_ends_their_session(rt):
    op_id, op_token = new_operator(rt, "Leaver")
    op = Recorder(rt.url)
    try:
        op.authenticate(op_token)
        r = requests.delete(rt.url + f"/api/users/{op_id}", headers=conftest.auth(rt.admin_token), timeout=5)
        assert r.status_code == 200, r.text
        assert op.disconnected.wait(5), "the session must end"
        assert op.payloads("auth_error")[-1]["message"] == "Invalid or expired token"
    finally:
        op.close()


def test_unauthenticated_socket_receives_nothing_while_the_operator_gets_live_events(system):
    token = system.login()
    op_id, op_token = system.create_operator(token, "Live Operator", "live-op@example.com", phone=unique_phone())
    anonymous = Recorder(system.url, ["polling", "websocket"])
    admin = Recorder(system.url, ["polling"])
    op = Recorder(system.url, ["websocket"])
    try:
        admin.authenticate(token)
        op.authenticate(op_token)
        create_leads(system, token, 3)
        admin.wait_for("call_initiated", timeout=30)
        assigned = op.wait_for("lead_assigned", timeout=60)
        assert assigned["lead"]["id"] and assigned["callId"]
        op.wait_for("call_answered", lambda p: p["salespersonId"] == op_id, 30)
        outcome = admin.wait_for("call_status_updated", lambda p: p["status"] not in ("initiated", "ringing", "answered"),
                                 60)
        assert set(outcome) >= {"callId", "leadId", "salespersonId", "status", "duration", "timestamp"}
        notes = op.client.call("update_call_notes", {"callId": assigned["callId"], "notes": "Called back, keen"},
                               timeout=5)
        assert notes["ok"] is True, notes
        admin.wait_for("call_notes_updated", lambda p: p["callId"] == assigned["callId"], 5)
        assert anonymous.names() == [], "an unauthenticated socket must receive nothing"
    finally:
        for c in (anonymous, admin, op):
            c.close()


def test_admin_panel_sees_another_admins_lead_changes(rt):
    """Issue 10: creating a lead and bulk actions reach the admin room (`lead_created`,
    `leads_updated`), as imports do, so a live panel sees changes made elsewhere."""
    c = Recorder(rt.url, TRANSPORTS["websocket"])
    try:
        c.authenticate(rt.admin_token)
        c.wait_for("authenticated", timeout=5)
        headers = {"Authorization": f"Bearer {rt.admin_token}"}
        r = requests.post(rt.url + "/api/leads", headers=headers, timeout=10,
                          json={"phone": unique_phone(), "name": "Seen Live", "priority": "low"})
        assert r.status_code == 201, r.text
        lead_id = r.json()["lead"]["id"]
        created = c.wait_for("lead_created", timeout=5)
        assert created["lead"]["id"] == lead_id and created["lead"]["name"] == "Seen Live" and created["timestamp"]
        r = requests.post(rt.url + "/api/admin/leads/bulk-action", headers=headers, timeout=10,
                          json={"action": "update_priority", "leadIds": [lead_id], "data": {"priority": "high"}})
        assert r.status_code == 200, r.text
        updated = c.wait_for("leads_updated", timeout=5)
        assert updated["leadIds"] == [lead_id] and updated["modifiedCount"] == 1 and updated["action"] == "update_priority"
    finally:
        c.close()
