"""HTTP and Socket.IO protocol edges against the real gateway (issue 10): the absolute-form
request target (RFC 9112 §3.2.2), later HTTP/1.x minor versions served as 1.1, a WebSocket
upgrade over HTTP/1.0 refused, and the CORS preflight of /socket.io/ as socket.io servers answer it."""
import json

import pytest
import requests

from helpers import parse_raw_response, raw_exchange

WS_HEAD = ("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
           "Sec-WebSocket-Version: 13\r\n")


def test_absolute_form_target_is_served(system):
    raw = f"GET http://127.0.0.1:{system.port}/health HTTP/1.1\r\nHost: ignored.example\r\nConnection: close\r\n\r\n"
    status, _, body = parse_raw_response(raw_exchange(system, raw.encode()))
    assert status == 200, body
    assert json.loads(body)["status"] == "OK"
    raw = "GET HTTP://127.0.0.1/socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    status, _, body = parse_raw_response(raw_exchange(system, raw.encode()))
    assert status == 200 and body.startswith(b'0{"sid":'), body


def test_later_http1_minor_version_is_served_as_1_1(system):
    data = raw_exchange(system, b"GET /health HTTP/1.2\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert data.startswith(b"HTTP/1.1 200 "), data[:100]
    assert raw_exchange(system, b"GET /health HTTP/2.0\r\nHost: x\r\n\r\n").startswith(b"HTTP/1.1 505 ")


@pytest.mark.parametrize("path", ["/socket.io/?EIO=4&transport=websocket", "/ws-echo"])
@pytest.mark.ibrat_env({"IBRAT_WS_ECHO": "1"})
def test_websocket_upgrade_over_http_1_0_is_refused(system, path):
    data = raw_exchange(system, f"GET {path} HTTP/1.0\r\nHost: x\r\n{WS_HEAD}\r\n".encode())
    status, _, body = parse_raw_response(data)
    assert status == 400, data[:300]
    assert b"101" not in data.split(b"\r\n")[0]
    ok = raw_exchange(system, f"GET {path} HTTP/1.1\r\nHost: x\r\n{WS_HEAD}\r\n".encode(), read_timeout=1)
    assert ok.startswith(b"HTTP/1.1 101 "), ok[:200]


def preflight(system, origin, asking="content-type, x-requested-with"):
    headers = {"Origin": origin, "Access-Control-Request-Method": "POST"}
    if asking:
        headers["Access-Control-Request-Headers"] = asking
    return requests.options(system.url + "/socket.io/?EIO=4&transport=polling&t=x", headers=headers, timeout=5)


@pytest.mark.ibrat_env({"IBRAT_CORS_ORIGINS": "https://panel.example.com"})
def test_socketio_preflight_echoes_an_allowed_origin_with_credentials(system):
    r = preflight(system, "https://panel.example.com")
    assert r.status_code == 204
    assert r.headers["Access-Control-Allow-Origin"] == "https://panel.example.com"
    assert r.headers["Access-Control-Allow-Credentials"] == "true"
    assert "Origin" in [v.strip() for v in r.headers["Vary"].split(",")]
    assert r.headers["Access-Control-Allow-Headers"] == "content-type, x-requested-with"
    assert "POST" in r.headers["Access-Control-Allow-Methods"]
    refused = preflight(system, "https://evil.example")
    assert "Access-Control-Allow-Origin" not in refused.headers
    assert "Access-Control-Allow-Headers" not in refused.headers
    # The REST API's preflight is unchanged (CORSPolicy: fixed header list, no credentials).
    api = requests.options(system.url + "/api/leads", headers={"Origin": "https://panel.example.com",
                                                               "Access-Control-Request-Method": "POST"}, timeout=5)
    assert api.status_code == 204 and "Authorization" in api.headers["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in api.headers


def test_socketio_preflight_with_the_default_origins(system):
    r = preflight(system, "http://localhost:3000", asking="x-custom")
    assert r.status_code == 204
    assert r.headers["Access-Control-Allow-Origin"] == "http://localhost:3000"
    assert r.headers["Access-Control-Allow-Credentials"] == "true"
    assert r.headers["Access-Control-Allow-Headers"] == "x-custom"
