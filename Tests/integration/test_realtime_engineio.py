"""Engine.IO v4 over plain HTTP against the real gateway: the open packet, held polls, the
one-GET rule, engine.io's error bodies, CORS on polling responses, and the WebSocket Origin check."""
import json
import socket
import threading
import time

import pytest
import requests
import websocket  # websocket-client

EIO = "/socket.io/?EIO=4&transport=polling"


def handshake(system, headers=None):
    r = requests.get(system.url + EIO, headers=headers or {}, timeout=5)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == "text/plain; charset=UTF-8"
    assert r.text.startswith("0")
    return r, json.loads(r.text[1:])


def test_open_packet_and_a_socketio_connect_over_polling(system):
    _, open_packet = handshake(system)
    assert list(open_packet) == ["sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload"]
    assert open_packet["upgrades"] == ["websocket"]
    assert (open_packet["pingInterval"], open_packet["pingTimeout"], open_packet["maxPayload"]) == (25000, 20000, 1000000)
    url = system.url + EIO + "&sid=" + open_packet["sid"]
    assert requests.post(url, data="40", timeout=5).text == "ok"
    r = requests.get(url, timeout=5)
    assert r.text.startswith('40{"sid":"')


def test_second_concurrent_poll_is_refused_and_closes_the_session(system):
    _, open_packet = handshake(system)
    url = system.url + EIO + "&sid=" + open_packet["sid"]
    # Two polls at once, in no particular order: whichever the server parks first is the held
    # one (released with the close packet), the other is refused. No guess at when one is parked.
    answers = []
    polls = [threading.Thread(target=lambda: answers.append(requests.get(url, timeout=10))) for _ in range(2)]
    for t in polls:
        t.start()
    for t in polls:
        t.join(15)
    assert len(answers) == 2, answers
    refused = [r for r in answers if r.status_code == 400]
    held = [r for r in answers if r.status_code == 200]
    assert len(refused) == 1 and len(held) == 1, [(r.status_code, r.text) for r in answers]
    assert held[0].text == "1", "the held poll is released with the close packet"
    gone = requests.get(url, timeout=5)
    assert gone.status_code == 400 and gone.json() == {"code": 1, "message": "Session ID unknown"}


def test_engineio_error_bodies(system):
    cases = [("GET", "/socket.io/?EIO=3&transport=polling", 5), ("GET", "/socket.io/?EIO=4&transport=carrier-pigeon", 0),
             ("GET", "/socket.io/?EIO=4&transport=polling&sid=nope", 1), ("POST", "/socket.io/?EIO=4&transport=polling", 2)]
    for method, path, code in cases:
        r = requests.request(method, system.url + path, timeout=5)
        assert r.status_code == 400, (path, r.status_code)
        assert r.json()["code"] == code, path


def test_malformed_post_closes_only_that_session(system):
    _, a = handshake(system)
    _, b = handshake(system)
    bad = requests.post(system.url + EIO + "&sid=" + a["sid"], data="9garbage", timeout=5)
    assert bad.status_code == 400
    assert requests.post(system.url + EIO + "&sid=" + b["sid"], data="40", timeout=5).text == "ok"
    assert requests.get(system.url + EIO + "&sid=" + a["sid"], timeout=5).status_code == 400


def test_polling_responses_carry_cors_headers(system):
    r, _ = handshake(system, {"Origin": "http://panel.local:3000"})
    assert r.headers["Access-Control-Allow-Origin"] == "http://panel.local:3000"
    assert r.headers["Access-Control-Allow-Credentials"] == "true"


@pytest.mark.ibrat_env({"IBRAT_CORS_ORIGINS": "https://panel.example.com"})
def test_websocket_origin_allow_list(system):
    ws_url = system.url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket"
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        websocket.create_connection(ws_url, origin="https://evil.example", timeout=5)
    assert refused.value.status_code == 403
    ws = websocket.create_connection(ws_url, origin="https://panel.example.com", timeout=5)
    try:
        first = ws.recv()
        assert first.startswith("0{") and json.loads(first[1:])["upgrades"] == []
    finally:
        ws.close()



def split_responses(data):
    """[(status, {lower-case header: value}, body)] of the complete responses in `data`, in order."""
    out = []
    while True:
        head, sep, rest = data.partition(b"\r\n\r\n")
        if not sep:
            return out
        lines = head.decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, _, v in (l.partition(":") for l in lines[1:])}
        length = int(headers.get("content-length", "0"))
        if len(rest) < length:
            return out
        out.append((int(lines[0].split(" ")[1]), headers, rest[:length]))
        data = rest[length:]


def pipelined(system, raw, count, timeout=5.0):
    """Sends `raw` (several requests) on one connection; returns the first `count` responses.
    The gateway parses pipelined requests while an earlier one is held, and answers in order."""
    with socket.create_connection(("127.0.0.1", system.port), timeout=timeout) as s:
        s.sendall(raw)
        data = b""
        deadline = time.time() + timeout
        while len(split_responses(data)) < count and time.time() < deadline:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            data += chunk
        return split_responses(data)


def polling_request(method, sid, body=b""):
    path = EIO + "&sid=" + sid
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


def test_client_close_releases_the_held_poll_with_a_noop(system):
    _, open_packet = handshake(system)
    sid = open_packet["sid"]
    # The GET is held (nothing queued); the POST behind it on the same connection closes the session.
    responses = pipelined(system, polling_request("GET", sid) + polling_request("POST", sid, b"1"), 2)
    assert [(r[0], r[2]) for r in responses] == [(200, b"6"), (200, b"ok")], responses
    assert requests.get(system.url + EIO + "&sid=" + sid, timeout=5).status_code == 400


def test_overlapping_polling_posts_close_the_session(system):
    _, open_packet = handshake(system)
    sid = open_packet["sid"]
    url = system.url + EIO + "&sid=" + sid
    with socket.create_connection(("127.0.0.1", system.port), timeout=5) as first:
        # "100 Continue" shows the gateway has read the first POST's head; its body is still to come.
        first.sendall(f"POST {EIO}&sid={sid} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n"
                      "Expect: 100-continue\r\n\r\n".encode())
        assert first.recv(4096).startswith(b"HTTP/1.1 100 Continue")
        second = requests.post(url, data="40", timeout=5)
        assert second.status_code == 400, second.text
        first.sendall(b"40")
        data = b""
        while not split_responses(data):
            chunk = first.recv(4096)
            if not chunk:
                break
            data += chunk
        assert split_responses(data)[0][0] == 400, data
    gone = requests.get(url, timeout=5)
    assert gone.status_code == 400 and gone.json() == {"code": 1, "message": "Session ID unknown"}


@pytest.mark.ibrat_env({"IBRAT_EIO_PING_INTERVAL_MS": "300", "IBRAT_EIO_PING_TIMEOUT_MS": "400",
                        "IBRAT_EIO_MAX_PAYLOAD": "4096"})
def test_engineio_ping_timings_and_payload_are_configurable(system):
    _, open_packet = handshake(system)
    assert (open_packet["pingInterval"], open_packet["pingTimeout"], open_packet["maxPayload"]) == (300, 400, 4096)
    url = system.url + EIO + "&sid=" + open_packet["sid"]
    started = time.time()
    assert requests.get(url, timeout=5).text == "2", "the held poll returns the server's ping"
    assert time.time() - started < 5
    assert requests.post(url, data="4" + "x" * 5000, timeout=5).status_code == 413, "a body over maxPayload"


@pytest.mark.ibrat_env({"IBRAT_EIO_CONNECT_TIMEOUT_MS": "500"})
def test_socketio_connect_timeout_is_configurable(system):
    _, open_packet = handshake(system)
    url = system.url + EIO + "&sid=" + open_packet["sid"]
    # No CONNECT (`40`) within 0.5 s: the server closes the session; the held poll gets the close packet
    # (the ping interval is the default 25 s, so nothing else could close it).
    r = requests.get(url, timeout=10)
    assert r.text == "1", r.text
    assert requests.get(url, timeout=5).status_code == 400
