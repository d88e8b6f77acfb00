"""Issue 10, an upload retried after a lost answer: the client sends the CSV with an
`Idempotency-Key`, its connection drops before the answer, and the retry with the same key gets
the first answer (rows imported, not "all duplicates"); the same for `POST /api/leads`."""
import socket

import requests

from helpers import call, expect, expect_error, phone, ready

CSV = "phone,name\n" + "".join(f"{phone(700 + i)},Retry {i}\n" for i in range(50))


def _multipart(token, key, csv):
    boundary = "----ibrat-test-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csvFile\"; filename=\"leads.csv\"\r\n"
            f"Content-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n").encode()
    head = (f"POST /api/leads/upload-csv HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
            f"Idempotency-Key: {key}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
    return head + body


def _upload(system, token, key):
    files = {"csvFile": ("leads.csv", CSV.encode(), "text/csv")}
    return call(system, "POST", "/api/leads/upload-csv", token, files=files, headers={"Idempotency-Key": key})


def test_upload_retried_after_a_lost_answer_gets_the_first_answer(system):
    admin = ready(system)
    # The first attempt: the client sends the whole request and goes away without reading.
    with socket.create_connection(("127.0.0.1", system.port), timeout=5) as s:
        s.sendall(_multipart(admin, "upload-7f3a", CSV))
        s.shutdown(socket.SHUT_WR)
    # The retry is answered 409 "in progress" until the first request's answer is kept.
    answers = []
    system.wait_for(lambda: answers.append(_upload(system, admin, "upload-7f3a")) or answers[-1].status_code != 409,
                    timeout=20, what="the first upload's answer to be kept")
    assert all("in progress" in r.json()["error"] for r in answers[:-1])
    r = answers[-1]
    body = expect(r, 200)
    assert r.headers.get("Idempotent-Replayed") == "true"
    assert body["summary"]["successCount"] == 50 and body["summary"]["duplicateCount"] == 0, body["summary"]
    assert expect(call(system, "GET", "/api/leads", admin), 200)["pagination"]["total"] == 50
    # Without the key (or with a new one) the same file is a new import: all duplicates.
    again = expect(_upload(system, admin, "upload-new"), 200)
    assert again["summary"]["duplicateCount"] == 50 and "Idempotent-Replayed" not in again
    # The key is bound to its request.
    expect_error(call(system, "POST", "/api/leads", admin, json={"phone": phone(999)},
                      headers={"Idempotency-Key": "upload-7f3a"}), 409)


def test_create_lead_with_the_same_key_creates_one_lead(system):
    admin = ready(system)
    headers = {"Idempotency-Key": "create-1"}
    first = call(system, "POST", "/api/leads", admin, json={"phone": phone(1), "name": "Once"}, headers=headers)
    lead = expect(first, 201)["lead"]
    second = call(system, "POST", "/api/leads", admin, json={"phone": phone(1), "name": "Once"}, headers=headers)
    assert expect(second, 201)["lead"]["id"] == lead["id"] and second.headers["Idempotent-Replayed"] == "true"
    # Without a key the duplicate phone is refused as before.
    expect_error(call(system, "POST", "/api/leads", admin, json={"phone": phone(1)}), 409)
    expect_error(call(system, "POST", "/api/leads", admin, json={"phone": phone(2)},
                      headers={"Idempotency-Key": "bad key"}), 400)
