"""Issue 2's stand-up flow against the real binaries, the account side: register (admin only),
login, me, refresh, logout revoking the token, the users list and its filters, access rules and
last-admin rules, availability; plus search beyond ASCII and the HTTP/1.1 basics (keep-alive,
pipelining, chunked bodies, HEAD). Each test gets its own fresh system (fixture `system`)."""
import re
import socket

from helpers import (ID_RE, ISO_RE, call, create_lead, expect, expect_error, names, phone, quiet_operators, ready,
                     register, set_unavailable)

DUPLICATE_USER = "User with this email or phone number already exists"


# --- auth ----------------------------------------------------------------------------------------

def test_auth_register_login_me_refresh_logout(system):
    admin = ready(system)
    new = {"name": "Nodira", "email": "Nodira@Example.COM", "password": "secret-pass-9", "phone": "+998911112233",
           "role": "salesperson"}
    expect_error(call(system, "POST", "/api/auth/register", None, json=new), 401)
    r = expect(call(system, "POST", "/api/auth/register", admin, json=new), 201)
    assert r["message"] == "User registered successfully"
    user = r["user"]
    assert ID_RE.match(user["id"])
    assert (user["name"], user["email"], user["phone"], user["role"]) == \
        ("Nodira", "nodira@example.com", "+998911112233", "salesperson")
    op = r["token"]
    expect_error(call(system, "POST", "/api/auth/register", op,
                      json=dict(new, email="other@example.com", phone="+998911112234")), 403)
    for clash in (dict(new, phone="+998911112299"), dict(new, email="x@example.com")):
        dup = call(system, "POST", "/api/auth/register", admin, json=clash)
        assert dup.status_code in (400, 409), dup.text
        expect_error(dup, dup.status_code, error=DUPLICATE_USER)

    expect_error(call(system, "POST", "/api/auth/login", json={"email": "nodira@example.com",
                                                               "password": "wrong-pass-1"}), 401,
                 error="Invalid credentials")
    expect_error(call(system, "POST", "/api/auth/login", json={"email": "nobody@example.com",
                                                               "password": "secret-pass-9"}), 401,
                 error="Invalid credentials")
    login = expect(call(system, "POST", "/api/auth/login", json={"email": "NODIRA@example.com",
                                                                 "password": "secret-pass-9"}), 200)
    assert login["message"] == "Login successful" and login["user"]["id"] == user["id"]
    assert login["user"]["isAvailable"] is True and ISO_RE.match(login["user"]["lastLogin"])
    token = login["token"]

    me = expect(call(system, "GET", "/api/auth/me", token), 200)["user"]
    assert (me["id"], me["email"], me["role"], me["isActive"]) == (user["id"], "nodira@example.com", "salesperson", True)
    assert set(me["callStats"]) >= {"totalCalls", "successfulCalls", "totalDuration"}
    assert "password" not in me and "passwordHash" not in me and "password_hash" not in me
    expect_error(call(system, "GET", "/api/auth/me"), 401)
    expect_error(call(system, "GET", "/api/auth/me", "not.a.jwt"), 401)

    refreshed = expect(call(system, "POST", "/api/auth/refresh", token), 200)
    assert refreshed["message"] == "Token refreshed successfully" and refreshed["token"] != token
    fresh = refreshed["token"]
    assert expect(call(system, "GET", "/api/auth/me", fresh), 200)["user"]["id"] == user["id"]

    out = expect(call(system, "POST", "/api/auth/logout", fresh), 200)
    assert out["message"] == "Logout successful"
    expect_error(call(system, "GET", "/api/auth/me", fresh), 401)
    expect_error(call(system, "POST", "/api/auth/refresh", fresh), 401)
    expect(call(system, "GET", "/api/auth/me", op), 200)  # other sessions are untouched


# --- users ---------------------------------------------------------------------------------------

def test_users_list_filters_access_and_last_admin(system):
    admin = ready(system)
    admin_id = expect(call(system, "GET", "/api/auth/me", admin), 200)["user"]["id"]
    ops = quiet_operators(system, admin, 3, prefix="user")
    (o1, t1), (o2, t2), (o3, t3) = ops

    listed = expect(call(system, "GET", "/api/users", admin), 200)
    assert listed["pagination"] == {"page": 1, "limit": 20, "total": 4, "pages": 1}
    assert all("password" not in u and "password_hash" not in u for u in listed["users"])
    assert expect(call(system, "GET", "/api/users", admin, params={"role": "operator"}), 200)["pagination"]["total"] == 3
    only_admin = expect(call(system, "GET", "/api/users", admin, params={"role": "admin"}), 200)
    assert [u["id"] for u in only_admin["users"]] == [admin_id]
    found = expect(call(system, "GET", "/api/users", admin, params={"search": "USER1@"}), 200)
    assert [u["id"] for u in found["users"]] == [o2]
    page2 = expect(call(system, "GET", "/api/users", admin, params={"limit": 3, "page": 2}), 200)
    assert page2["pagination"] == {"page": 2, "limit": 3, "total": 4, "pages": 2} and len(page2["users"]) == 1
    expect_error(call(system, "GET", "/api/users", t1), 403)

    assert expect(call(system, "GET", f"/api/users/{o1}", t1), 200)["user"]["id"] == o1
    expect_error(call(system, "GET", f"/api/users/{o2}", t1), 403,
                 error="Access denied. You can only view your own profile.")
    assert expect(call(system, "PUT", f"/api/users/{o1}", t1, json={"name": "Self Renamed"}),
                  200)["user"]["name"] == "Self Renamed"
    expect_error(call(system, "PUT", f"/api/users/{o2}", t1, json={"name": "Not Mine"}), 403)

    r = expect(call(system, "PUT", f"/api/users/{o3}/activate", admin, json={"isActive": False}), 200)
    assert r == {"message": "User deactivated successfully", "isActive": False}
    expect_error(call(system, "GET", "/api/auth/me", t3), 401)
    expect_error(call(system, "POST", "/api/auth/login", json={"email": "user2@example.com",
                                                               "password": "operator-pass-1"}), 401,
                 error="Account is deactivated")
    inactive = expect(call(system, "GET", "/api/users", admin, params={"isActive": "false"}), 200)
    assert [u["id"] for u in inactive["users"]] == [o3]
    r = expect(call(system, "PUT", f"/api/users/{o3}/activate", admin, json={"isActive": True}), 200)
    assert r == {"message": "User activated successfully", "isActive": True}
    system.login("user2@example.com", "operator-pass-1")

    expect_error(call(system, "PUT", f"/api/users/{admin_id}/activate", admin, json={"isActive": False}), 409,
                 error="Cannot deactivate the last admin user")
    expect_error(call(system, "DELETE", f"/api/users/{admin_id}", admin), 409, error="Cannot delete the last admin user")
    demote = call(system, "PUT", f"/api/users/{admin_id}", admin, json={"role": "operator"})
    expect_error(demote, 409, mentions="last admin")
    assert expect(call(system, "GET", "/api/auth/me", admin), 200)["user"]["isActive"] is True

    expect(call(system, "DELETE", f"/api/users/{o2}", admin), 200)
    deleted = expect(call(system, "GET", f"/api/users/{o2}", admin), 200)["user"]
    assert deleted["isActive"] is False and deleted["isAvailable"] is False

    a2, a2_token = register(system, admin, "Second Admin", "admin2@example.com", role="admin")
    r = expect(call(system, "DELETE", f"/api/users/{admin_id}", a2_token), 200)
    assert r["message"] == "User deleted successfully"
    expect_error(call(system, "DELETE", f"/api/users/{a2}", a2_token), 409, error="Cannot delete the last admin user")


def test_availability_routes(system):
    admin = ready(system)
    (o1, t1), (o2, t2) = quiet_operators(system, admin, 2, prefix="avail")

    def available_ids():
        return {u.get("_id") or u.get("id") for u in expect(call(system, "GET", "/api/users/available-salespeople", t1),
                                           200)["salespeople"]}

    assert available_ids() == set()
    r = expect(call(system, "PUT", "/api/operator/profile/availability", t1, json={"isAvailable": True}), 200)
    assert r == {"message": "Availability updated successfully", "isAvailable": True}
    assert available_ids() == {o1}
    expect_error(call(system, "PUT", "/api/operator/profile/availability", t1, json={"isAvailable": "no"}), 400,
                 error="isAvailable must be a boolean value")
    assert available_ids() == {o1}

    expect_error(call(system, "PUT", f"/api/users/{o2}/availability", t1, json={"isAvailable": True}), 403,
                 error="Access denied. You can only update your own availability.")
    r = expect(call(system, "PUT", f"/api/users/{o2}/availability", admin, json={"isAvailable": True}), 200)
    assert r["isAvailable"] is True and available_ids() == {o1, o2}
    r = expect(call(system, "PUT", f"/api/users/{o1}/availability", t1, json={"isAvailable": False}), 200)
    assert r["isAvailable"] is False and available_ids() == {o2}
    assert expect(call(system, "GET", f"/api/users/{o1}", admin), 200)["user"]["isAvailable"] is False


# --- search and HTTP ------------------------------------------------------------------------------

def test_search_is_case_insensitive_beyond_ascii(system):
    """Lead and user names here are often Cyrillic or Uzbek Latin; the earlier version searched
    with a case-insensitive regular expression, which folds every script, not just ASCII."""
    admin = ready(system)
    _, operator_token = register(system, admin, "Дилноза Каримова", "dilnoza@example.com")
    set_unavailable(system, operator_token)  # else the dispatcher dials the lead before the search
    create_lead(system, admin, phone(1), name="Алишер Навоий")
    create_lead(system, admin, phone(2), name="ÖZBEK Şirkat")
    failures = []
    for path, key, query, expected in (
            ("/api/leads", "leads", "алишер", "Алишер Навоий"),
            ("/api/leads", "leads", "АЛИШЕР", "Алишер Навоий"),
            ("/api/leads", "leads", "özbek", "ÖZBEK Şirkat"),
            ("/api/operator/leads/available", "leads", "навоий", "Алишер Навоий"),
            ("/api/users", "users", "дилноза", "Дилноза Каримова")):
        found = names(expect(call(system, "GET", path, admin, params={"search": query}), 200)[key])
        if found != [expected]:
            failures.append(f"GET {path}?search={query}: expected [{expected!r}], got {found}")
    assert not failures, "\n".join(failures)


def test_http_keep_alive_pipelining_chunked_and_head(system):
    login = b'{"email": "admin@example.com", "password": "admin-password-123"}'
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(login), login)
    pipelined = (b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
                 b"POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 b"Transfer-Encoding: chunked\r\n\r\n" + chunked +
                 b"GET /api/nothing HTTP/1.1\r\nHost: x\r\n\r\n"
                 b"HEAD /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    with socket.create_connection(("127.0.0.1", system.port), timeout=10) as s:
        s.sendall(pipelined)
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    statuses = [int(m) for m in re.findall(rb"HTTP/1\.1 (\d{3}) ", data)]
    assert statuses == [200, 200, 404, 200], data[:2000]
    assert b'"token"' in data and b'"Login successful"' in data
    head_response = data[data.rindex(b"HTTP/1.1 200"):]
    assert head_response.endswith(b"\r\n\r\n"), f"HEAD must have no body: {head_response!r}"
