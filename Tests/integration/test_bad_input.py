"""Issue 2's bad-input list against the real binaries: every case is answered clearly (a status of
DESIGN §6 and a JSON `{"error", "message"}` body), loses nothing and crashes nothing. Raw sockets
are used where `requests` cannot send the input (oversize heads, Content-Length with
Transfer-Encoding, a client that stops mid-request)."""
import base64
import json
import socket
import time

import pytest
import requests

from helpers import (call, check_summary, create_lead, error_lines, expect, expect_error, lead_count,
                     parse_raw_response, phone, quiet_operators, raw_error, raw_exchange, ready, upload_csv)

UNKNOWN_ID = "0123456789abcdef01234567"
MALFORMED_IDS = ["123", "zzzzzzzzzzzzzzzzzzzzzzzz", "0123456789abcdef012345678", "%27%20OR%201%3D1--", "null"]
MiB = 1024 * 1024


def still_serving(system):
    """The gateway still answers, and every daemon is still running."""
    expect(call(system, "GET", "/health"), 200)
    for name, proc in system.procs.items():
        assert proc.poll() is None, f"{name} exited with {proc.returncode}:\n{system.log_text(name)[-2000:]}"


# --- JSON bodies ---------------------------------------------------------------------------------

MALFORMED_JSON = [b'{"email": "admin@example.com", ', b"not json", b"[1, 2]", b'"text"', b"", b'{"email": "\xff\xfe"}',
                  b'{"email": "a@example.com", "password": "x"} trailing', b"{'single': 'quotes'}"]


def test_malformed_json_is_400(system):
    admin = ready(system)
    for data in MALFORMED_JSON:
        for path, token in (("/api/auth/login", None), ("/api/leads", admin),
                            ("/api/operator/leads/claim", admin), ("/api/admin/leads/bulk-action", admin)):
            r = call(system, "POST", path, token, data=data, headers={"Content-Type": "application/json"})
            try:
                expect_error(r, 400)
            except AssertionError as e:
                raise AssertionError(f"POST {path} with body {data!r}: {e}")
    assert lead_count(system) == 0
    still_serving(system)


def test_wrong_content_type_is_415(system):
    admin = ready(system)
    login = b'{"email": "admin@example.com", "password": "admin-password-123"}'
    for content_type in ("text/plain", "application/x-www-form-urlencoded", None, "application/jsonp"):
        headers = {"Content-Type": content_type} if content_type else {}
        expect_error(call(system, "POST", "/api/auth/login", data=login, headers=headers), 415)
        expect_error(call(system, "POST", "/api/leads", admin, data=b'{"phone": "+998901234567"}', headers=headers),
                     415)
    assert lead_count(system) == 0


def test_missing_or_invalid_fields_name_the_field(system):
    admin = ready(system)
    [(op_id, op)] = quiet_operators(system, admin, 1)
    lead = create_lead(system, admin, phone(1), name="Existing")
    cases = [
        ("POST", "/api/auth/login", None, {}, "email"),
        ("POST", "/api/auth/login", None, {"email": "admin@example.com"}, "password"),
        ("POST", "/api/auth/login", None, {"email": "not-an-email", "password": "x1234567"}, "email"),
        ("POST", "/api/auth/register", admin, {"email": "a@example.com", "password": "long-enough-1",
                                               "phone": "+998901111111"}, "name"),
        ("POST", "/api/auth/register", admin, {"name": "Ab", "email": "a@example.com", "password": "long-enough-1",
                                               "phone": "12"}, "phone"),
        ("POST", "/api/auth/register", admin, {"name": "Ab", "email": "a@example.com", "password": "123",
                                               "phone": "+998901111111"}, "password"),
        ("POST", "/api/auth/register", admin, {"name": "Ab", "email": "a@example.com", "password": "long-enough-1",
                                               "phone": "+998901111111", "role": "superuser"}, "role"),
        ("POST", "/api/leads", admin, {}, "phone"),
        ("POST", "/api/leads", admin, {"phone": "call me maybe"}, "phone"),
        ("POST", "/api/leads", admin, {"phone": phone(2), "priority": "extreme"}, "priority"),
        ("POST", "/api/leads", admin, {"phone": phone(2), "tags": "a,b"}, "tags"),
        ("POST", "/api/leads", admin, {"phone": phone(2), "notes": "n" * 501}, "notes"),
        ("POST", "/api/leads", admin, {"phone": phone(2), "name": "n" * 101}, "name"),
        ("POST", "/api/leads", admin, {"phone": phone(2), "email": "nope"}, "email"),
        ("POST", "/api/leads", admin, {"phone": phone(2), "status": "claimed"}, "status"),
        ("PUT", f"/api/leads/{lead['id']}", admin, {"status": "weird"}, "status"),
        ("PUT", f"/api/leads/{lead['id']}", admin, {"priority": 3}, "priority"),
        ("POST", "/api/operator/leads/claim", op, {}, "Lead ID"),
        ("POST", "/api/operator/leads/claim", op, {"leadId": 12}, "leadId"),
        ("POST", "/api/admin/leads/bulk-action", admin, {"leadIds": [lead["id"]]}, "action"),
        ("POST", "/api/admin/leads/bulk-action", admin, {"action": "delete", "leadIds": "all"}, "leadIds"),
        ("POST", "/api/admin/leads/bulk-action", admin, {"action": "delete", "leadIds": []}, "leadIds"),
        ("POST", "/api/admin/leads/bulk-action", admin, {"action": "delete", "leadIds": ["nope"]}, "leadIds"),
        ("POST", "/api/admin/leads/bulk-action", admin, {"action": "update_priority", "leadIds": [lead["id"]],
                                                         "data": {"priority": "extreme"}}, "priority"),
        ("POST", "/api/admin/leads/bulk-action", admin, {"action": "update_status", "leadIds": [lead["id"]],
                                                         "data": {"status": "bogus"}}, "status"),
        ("POST", "/api/admin/leads/bulk-action", admin, {"action": "add_tags", "leadIds": [lead["id"]],
                                                         "data": {"tags": "x"}}, "tags"),
        ("PUT", "/api/operator/profile/availability", op, {"isAvailable": "yes"}, "isAvailable"),
        ("PUT", "/api/operator/profile/availability", op, {}, "isAvailable"),
        ("PUT", f"/api/users/{op_id}/activate", admin, {"isActive": 1}, "isActive"),
        ("PUT", f"/api/users/{op_id}", admin, {"email": "broken@"}, "email"),
    ]
    failures = []
    for method, path, token, body, field in cases:
        r = call(system, method, path, token, json=body)
        try:
            expect_error(r, 400, mentions=field)
        except AssertionError as e:
            failures.append(f"{method} {path} {body}: {e}")
    assert not failures, "\n".join(failures)
    bulk = call(system, "POST", "/api/admin/leads/bulk-action", admin,
                json={"action": "explode", "leadIds": [lead["id"]]})
    expect_error(bulk, 400, error="Invalid action specified")
    expect_error(call(system, "POST", "/api/admin/leads/bulk-action", admin, json={"leadIds": [lead["id"]]}),
                 400, error="Invalid request: action and leadIds array required")
    expect_error(call(system, "POST", "/api/operator/leads/claim", op, json={}), 400, error="Lead ID is required")
    stored = expect(call(system, "GET", f"/api/leads/{lead['id']}", admin), 200)["lead"]
    assert (stored["status"], stored["priority"], stored["tags"], stored["isActive"]) == \
        ("pending", "medium", [], True), "a refused request changed the lead"
    assert lead_count(system) == 1


@pytest.mark.parametrize("query", [{"limit": -1}, {"limit": "many"}, {"limit": 0}, {"page": 0}, {"page": "two"}, {"priority": "extreme"},
                                   {"status": "weird"}, {"sortBy": "password_hash"}, {"sortOrder": "sideways"}])
def test_bad_list_queries_are_400(system, query):
    admin = ready(system)
    name = next(iter(query))
    expect_error(call(system, "GET", "/api/leads", admin, params=query), 400, mentions=name)
    if name in ("limit", "page", "priority"):
        expect_error(call(system, "GET", "/api/operator/leads/available", admin, params=query), 400, mentions=name)
        expect_error(call(system, "GET", "/api/users", admin, params=query if name != "priority" else {"role": "x"}),
                     400, mentions=name if name != "priority" else "role")


# --- ids -----------------------------------------------------------------------------------------

ID_ROUTES = [
    ("GET", "/api/leads/{id}", None, "Lead not found"),
    ("PUT", "/api/leads/{id}", {"name": "Changed"}, "Lead not found"),
    ("DELETE", "/api/leads/{id}", None, "Lead not found"),
    ("GET", "/api/users/{id}", None, "User not found"),
    ("PUT", "/api/users/{id}", {"name": "Changed"}, "User not found"),
    ("DELETE", "/api/users/{id}", None, "User not found"),
    ("PUT", "/api/users/{id}/availability", {"isAvailable": True}, "User not found"),
    ("PUT", "/api/users/{id}/activate", {"isActive": True}, "User not found"),
    ("GET", "/api/calls/{id}", None, "Call not found"),
    ("PUT", "/api/calls/{id}/status", {"status": "completed"}, "Call not found"),
    ("PUT", "/api/operator/calls/{id}/update", {"status": "completed"}, "Call log not found"),
]


@pytest.mark.parametrize("method,template,body,not_found", ID_ROUTES,
                         ids=[f"{m} {t}" for m, t, _, _ in ID_ROUTES])
def test_unknown_id_404_malformed_id_400(system, method, template, body, not_found):
    admin = ready(system)
    r = call(system, method, template.format(id=UNKNOWN_ID), admin, json=body)
    err = expect_error(r, 404)
    if err["message"] == "Route not found":
        pytest.fail(f"{method} {template}: the route does not exist (404 Route not found); "
                    f"expected 404 {not_found!r} for an unknown id")
    assert err["error"].lower().endswith("not found"), f"expected 404 {not_found!r}: {err}"
    for bad in MALFORMED_IDS:
        r = call(system, method, template.format(id=bad), admin, json=body)
        assert r.status_code == 400, f"{method} {template} with id {bad!r}: expected 400, got {r.status_code} {r.text}"
        expect_error(r, 400)
    still_serving(system)


def test_ids_in_bodies(system):
    admin = ready(system)
    expect_error(call(system, "POST", "/api/operator/leads/claim", admin, json={"leadId": UNKNOWN_ID}), 404,
                 error="Lead not found")
    for bad in MALFORMED_IDS:
        expect_error(call(system, "POST", "/api/operator/leads/claim", admin, json={"leadId": bad}), 400)
    r = expect(call(system, "POST", "/api/admin/leads/bulk-action", admin,
                    json={"action": "delete", "leadIds": [UNKNOWN_ID]}), 200)
    assert r["modifiedCount"] == 0


# --- sizes and framing ---------------------------------------------------------------------------

def test_oversize_json_body_is_413(system):
    admin = ready(system)
    big = b'{"phone": "+998901234567", "notes": "' + b"x" * (MiB + 10) + b'"}'
    for path, token in (("/api/auth/login", None), ("/api/leads", admin)):
        try:
            r = call(system, "POST", path, token, data=big, headers={"Content-Type": "application/json"})
        except requests.ConnectionError as e:
            pytest.fail(f"POST {path} with a {len(big)}-byte body: the connection broke instead of a 413: {e}")
        expect_error(r, 413)
    assert lead_count(system) == 0
    still_serving(system)


def test_oversize_headers_are_431(system):
    big = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (20 * 1024) + b"\r\n\r\n"
    raw_error(raw_exchange(system, big), 431)
    many = b"GET /health HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(300)) + b"\r\n"
    raw_error(raw_exchange(system, many), 431)
    still_serving(system)


def test_content_length_with_transfer_encoding_is_400(system):
    smuggle = (b"POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
               b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
    with socket.create_connection(("127.0.0.1", system.port), timeout=5) as s:
        s.sendall(smuggle)
        data = b""
        while True:
            try:
                chunk = s.recv(65536)
            except (socket.timeout, ConnectionResetError):
                break
            if not chunk:
                break
            data += chunk
    raw_error(data, 400)
    assert data.count(b"HTTP/1.1 ") == 1, f"the smuggled request was answered too: {data!r}"
    still_serving(system)


@pytest.mark.parametrize("request_bytes", [
    b"GARBAGE\r\n\r\n",
    b"GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
    b"POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
    b"GET /health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
], ids=["request-line", "content-length", "two-content-lengths", "header-line"])
def test_malformed_requests_are_400(system, request_bytes):
    raw_error(raw_exchange(system, request_bytes), 400)
    still_serving(system)


def test_slow_client_is_cut_after_header_timeout(system):
    """The gateway's header timeout is 10 s (HTTPServerOptions.defaultHeaderTimeout, not
    configurable): a client that stops in the middle of its request line is disconnected, and
    everyone else is served meanwhile."""
    with socket.create_connection(("127.0.0.1", system.port), timeout=20) as s:
        s.sendall(b"GET /health HTT")
        started = time.time()
        expect(call(system, "GET", "/health"), 200)
        data = b""
        s.settimeout(16)
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        except socket.timeout:
            pytest.fail(f"still connected after {time.time() - started:.1f} s (got {data!r})")
        except ConnectionResetError:
            pass
        elapsed = time.time() - started
    assert elapsed >= 5, f"cut after only {elapsed:.1f} s; a slow but live client deserves the header timeout"
    if data:
        status, _, _ = parse_raw_response(data)
        assert status == 408, data
        raw_error(data, 408)
    still_serving(system)


# --- routing -------------------------------------------------------------------------------------

def test_unknown_route_404_and_wrong_method_405(system):
    admin = ready(system)
    for method, path in (("GET", "/api/nothing"), ("GET", "/nothing"), ("POST", "/api/leads/x/y/z"),
                         ("GET", "/api/admin/nothing"), ("GET", "/api/operator/nothing")):
        expect_error(call(system, method, path, admin), 404)
    for method, path, allowed in (("DELETE", "/api/auth/login", "POST"), ("PATCH", "/api/leads", "GET"),
                                  ("GET", "/api/operator/leads/claim", "POST"), ("POST", "/health", "GET")):
        r = call(system, method, path, admin)
        expect_error(r, 405)
        assert allowed in r.headers.get("Allow", ""), f"{method} {path}: Allow {r.headers.get('Allow')!r}"


def test_auth_failures_have_error_and_message(system):
    admin = ready(system)
    [(op_id, op)] = quiet_operators(system, admin, 1)
    expect_error(call(system, "GET", "/api/leads"), 401)
    expect_error(call(system, "GET", "/api/leads", "abc.def.ghi"), 401)
    expect_error(call(system, "GET", "/api/leads", headers={"Authorization": "Basic YWRtaW46cGFzcw=="}), 401)
    tampered = admin[:-2] + ("AA" if not admin.endswith("AA") else "BB")
    expect_error(call(system, "GET", "/api/leads", tampered), 401)
    for method, path in (("GET", "/api/users"), ("POST", "/api/admin/leads/bulk-action"),
                         ("DELETE", f"/api/leads/{UNKNOWN_ID}"), ("POST", "/api/auth/register")):
        expect_error(call(system, method, path, op, json={}), 403)


# --- CSV -----------------------------------------------------------------------------------------

def test_invalid_csv_rows_listed_while_valid_rows_import(system):
    admin = ready(system)
    rows = ["phone,name,priority", f"{phone(1)},One,high", "not-a-phone,Two,low", f"{phone(3)},Three,urgent",
            f"{phone(4)},Four,sometimes", f"{phone(5)},Five,", ",Six,low", f"{phone(7)},Seven,LOW"]
    body = expect(upload_csv(system, admin, "\n".join(rows) + "\n"), 200)
    summary = check_summary(body)
    assert summary == {"totalProcessed": 7, "successCount": 4, "duplicateCount": 0, "errorCount": 3}
    assert sorted(error_lines(body["errors"])) == [3, 5, 7]
    listed = expect(call(system, "GET", "/api/leads", admin), 200)
    assert sorted(x["name"] for x in listed["leads"]) == ["Five", "One", "Seven", "Three"]


def test_csv_over_10_mib_is_413(system):
    admin = ready(system)
    line = f"{phone(1)},Someone,medium\n".encode()
    just_over = b"phone,name,priority\n" + line * (10 * MiB // len(line) + 1)
    assert len(just_over) > 10 * MiB
    for data in (just_over, just_over + line * (2 * MiB // len(line))):
        try:
            r = upload_csv(system, admin, data)
        except requests.ConnectionError as e:
            pytest.fail(f"a {len(data)}-byte upload broke the connection instead of a 413: {e}")
        expect_error(r, 413)
    assert lead_count(system) == 0
    still_serving(system)


def test_csv_just_under_10_mib_is_accepted(system):
    admin = ready(system)
    notes = "n" * 480
    rows, size, i = ["phone,name,notes"], 0, 0
    while True:
        line = f"{phone(i)},Row {i},{notes}"
        if size + len(line) + 1 > 10 * MiB - 64:
            break
        rows.append(line)
        size += len(line) + 1
        i += 1
    data = "\n".join(rows) + "\n"
    assert 10 * MiB - 1024 < len(data) <= 10 * MiB
    summary = check_summary(expect(upload_csv(system, admin, data, timeout=120), 200))
    assert summary["successCount"] == i and summary["totalProcessed"] == i
    assert lead_count(system) == i


def test_csv_upload_refusals(system):
    admin = ready(system)
    [(_, op)] = quiet_operators(system, admin, 1)
    good = f"phone,name\n{phone(1)},One\n"
    url = "/api/leads/upload-csv"

    expect_error(call(system, "POST", url, admin, files={"other": (None, "just a field")}), 400, error="No file uploaded")
    expect_error(upload_csv(system, admin, good, field="file"), 400, mentions="csvFile")
    expect_error(call(system, "POST", url, admin, json={"csvFile": good}), 415)
    expect_error(call(system, "POST", url, admin, data=good, headers={"Content-Type": "multipart/form-data"}), 400)
    expect_error(upload_csv(system, admin, good, filename="leads.exe", content_type="application/x-msdownload"), 400)
    expect_error(upload_csv(system, admin, ""), 400)
    expect_error(upload_csv(system, admin, "name,email\nOne,one@example.com\n"), 400, mentions="phone")
    expect_error(upload_csv(system, admin, f'phone,name\n{phone(2)},"unterminated\n{phone(3)},Three\n'), 400)
    expect_error(upload_csv(system, op, good), 403)
    expect_error(upload_csv(system, None, good), 401)
    assert lead_count(system) == 0, "a refused upload imported rows"
    assert check_summary(expect(upload_csv(system, admin, good), 200))["successCount"] == 1


def test_csv_broken_at_its_end_imports_nothing_though_rows_were_already_sent(system):
    """Rows travel to the queue-daemon while the file is still read; an unterminated quote found
    only at the end of the file must roll back everything sent before it, and free the queue's
    write lock for the next writer."""
    admin = ready(system)
    rows = ["phone,name"] + [f"{phone(i)},Row {i}" for i in range(9_000)]
    broken = "\n".join(rows) + f'\n{phone(9_001)},"never closed\n'
    expect_error(upload_csv(system, admin, broken), 400, error="Invalid CSV file", mentions="quote")
    assert lead_count(system) == 0, "rows sent before the error were kept"
    created = expect(call(system, "POST", "/api/leads", admin, json={"phone": phone(1), "name": "After"}), 201)
    assert created["lead"]["phone"] == phone(1)
    summary = check_summary(expect(upload_csv(system, admin, "\n".join(rows) + "\n"), 200))
    assert summary == {"totalProcessed": 9_000, "successCount": 8_999, "duplicateCount": 1, "errorCount": 0}
    assert lead_count(system) == 9_000


# --- rate limit ----------------------------------------------------------------------------------

@pytest.mark.ibrat_env({"IBRAT_RATE_LIMIT": "5/60"})
def test_rate_limit_429_with_headers_and_health_exempt(system):
    # The harness already spent part of this window (it logs in while starting), so count up to
    # the first refusal instead of assuming a fresh budget.
    seen = []
    for _ in range(8):
        r = call(system, "GET", "/api/leads")
        seen.append(r)
        if r.status_code == 429:
            break
    assert seen[-1].status_code == 429, [r.status_code for r in seen]
    for earlier in seen[:-1]:
        expect_error(earlier, 401)
        assert earlier.headers.get("RateLimit-Limit") == "5", dict(earlier.headers)
        assert int(earlier.headers["RateLimit-Remaining"]) >= 0
    refused = seen[-1]
    expect_error(refused, 429)
    retry = int(refused.headers["Retry-After"])
    assert 0 < retry <= 60, refused.headers
    assert refused.headers.get("RateLimit-Limit") == "5"
    assert refused.headers.get("RateLimit-Remaining") == "0"
    assert 0 < int(refused.headers["RateLimit-Reset"]) <= 60
    expect_error(call(system, "POST", "/api/auth/login", json={"email": "admin@example.com",
                                                               "password": "admin-password-123"}), 429)
    for _ in range(10):
        r = call(system, "GET", "/health")
        assert r.status_code == 200, f"/health must not be rate limited: {r.status_code} {r.text}"


@pytest.mark.ibrat_env({"IBRAT_JWT_TTL": "1"})
def test_expired_token_is_401(system):
    token = system.login()
    expect(call(system, "GET", "/api/auth/me", token), 200)
    payload = token.split(".")[1]
    expires = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["exp"]
    # Accepted until its `exp`, refused from then on: poll for the refusal, and check it came no earlier.
    system.wait_for(lambda: call(system, "GET", "/api/auth/me", token).status_code == 401, 10, "the token to expire")
    assert time.time() >= expires - 1, "refused before its exp (the gateway's clock rounds to the second)"
    expect_error(call(system, "GET", "/api/auth/me", token), 401)
    expect_error(call(system, "POST", "/api/auth/refresh", token), 401)
