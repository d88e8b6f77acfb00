"""Issue 2's stand-up flow against the real binaries, the lead side: login → CSV upload → filtered
available list → 20 concurrent claims of one lead → bulk actions → lead list filters → lead CRUD,
plus header aliases and claim expiry (accounts and HTTP basics: test_standup_accounts.py). Each
test gets its own fresh system (fixture `system`).

Operators are created before any lead and made unavailable, so the auto-dialer (which only calls a
lead when an available operator is free) never takes a lead the test is looking at."""
import threading
import time
from datetime import datetime

import pytest
import requests

from helpers import (ID_RE, ISO_RE, all_pages, assignee, call, check_summary, create_lead, db_query, error_lines,
                     expect, expect_error, get_lead, names, phone, quiet_operators, ready, upload_csv)

RANK = {"urgent": 0, "high": 1, "medium": 2, "low": 3}
NOT_AVAILABLE = "Lead is not available for claiming"
DUPLICATE_LEAD = "Lead with this phone number already exists"


def test_health(system):
    body = expect(call(system, "GET", "/health"), 200)
    assert body["status"] == "OK"
    assert ISO_RE.match(body["timestamp"]), body
    assert isinstance(body["uptime"], (int, float)) and body["uptime"] >= 0


# --- CSV upload ----------------------------------------------------------------------------------

# Rows of the generated file: (physical lines, CSV text, outcome). The header is line 1; the file
# has a UTF-8 BOM, CRLF line ends and mixed-case headers; one record spans two lines.
CSV_HEADER = "\ufeffPHONE,Name,EMAIL,PriOrity,Notes,TAGS"
CSV_ROWS = [
    (2, "+998900000010,Alice Urgent,Alice@Example.com,URGENT,,vip", "ok"),
    (3, '90 000-00-11,"Doe, John",john@example.com,High,"first line\r\nsecond line, with comma","hot, new"', "ok"),
    (5, "+998900000012,Low Lead,,low,,", "ok"),
    (6, "+998900000013,Default Priority,,,,", "ok"),
    (7, "12ab,Bad Phone,,high,,", "error"),
    (8, "+998900000010,Alice Again,,low,,", "duplicate"),      # in-file duplicate of line 2
    (9, "+998900000001,Already Stored,,,,", "duplicate"),      # stored before the upload
    (10, "+998900000014,Bad Priority,,extreme,,", "error"),
    (11, ",No Phone,,high,,", "error"),
    (12, "90 000 00 02,Stored Other Spelling,,,,", "duplicate"),  # +998900000002, stored
    (13, '"+998 90 000 00 16",Spaced Phone,,medium,,', "ok"),
    (14, "+998900000011,John International,,,,", "duplicate"),  # line 3 in E.164
]


def generated_csv():
    return "\r\n".join([CSV_HEADER] + [text for _, text, _ in CSV_ROWS]) + "\r\n"


def test_csv_upload_summary_errors_and_parsing(system):
    admin = ready(system)
    create_lead(system, admin, phone(1), name="Stored One")
    create_lead(system, admin, phone(2), name="Stored Two")

    body = expect(upload_csv(system, admin, generated_csv()), 200)
    summary = check_summary(body)
    outcomes = [outcome for _, _, outcome in CSV_ROWS]
    assert summary == {"totalProcessed": len(CSV_ROWS), "successCount": outcomes.count("ok"),
                       "duplicateCount": outcomes.count("duplicate"), "errorCount": outcomes.count("error")}
    expected_error_lines = sorted(line for line, _, outcome in CSV_ROWS if outcome == "error")
    assert sorted(error_lines(body.get("errors", []))) == expected_error_lines, body.get("errors")

    listed = all_pages(system, admin, "/api/leads", {})
    assert len(listed) == 2 + outcomes.count("ok")
    by_phone = {lead["phone"]: lead for lead in listed}
    alice = by_phone["+998900000010"]
    assert (alice["name"], alice["priority"], alice["tags"]) == ("Alice Urgent", "urgent", ["vip"])
    assert alice["email"].lower() == "alice@example.com"
    assert alice["source"] == "csv_upload" and alice["status"] == "pending"
    john = by_phone["+998900000011"]  # national spelling normalised to E.164
    assert john["name"] == "Doe, John" and john["priority"] == "high"
    assert "first line" in john["notes"] and "second line, with comma" in john["notes"], john["notes"]
    assert "\n" in john["notes"], "the quoted line break was lost"
    assert sorted(john["tags"]) == ["hot", "new"]
    assert by_phone["+998900000013"]["priority"] == "medium"
    assert by_phone["+998900000016"]["name"] == "Spaced Phone"
    assert "+998900000014" not in by_phone and "Alice Again" not in names(listed)

    # The same file again: every valid row is now a duplicate of a stored lead.
    again = check_summary(expect(upload_csv(system, admin, generated_csv()), 200))
    assert again["successCount"] == 0
    assert again["duplicateCount"] == outcomes.count("ok") + outcomes.count("duplicate")
    assert again["errorCount"] == outcomes.count("error")
    assert expect(call(system, "GET", "/api/leads", admin), 200)["pagination"]["total"] == len(listed)


# --- available list ------------------------------------------------------------------------------

def make_priority_leads(system, token):
    """Eight leads created one after another (distinct createdAt), priorities shuffled.
    Returns {short name: lead}."""
    order = ["m1", "l1", "u1", "h1", "m2", "u2", "l2", "h2"]
    prio = {"u": "urgent", "h": "high", "m": "medium", "l": "low"}
    leads = {}
    for i, key in enumerate(order):
        leads[key] = create_lead(system, token, phone(100 + i), name=f"Lead {key}", priority=prio[key[0]],
                                 email=f"{key}@Leads.example.com")
        created = datetime.fromisoformat(leads[key]["createdAt"].replace("Z", "+00:00")).timestamp()
        system.wait_for(lambda: time.time() >= created + 0.002, 5, "the clock to pass the lead's createdAt")
    return leads


def test_available_list_order_filters_and_pagination(system):
    admin = ready(system)
    leads = make_priority_leads(system, admin)
    path = "/api/operator/leads/available"

    body = expect(call(system, "GET", path, admin), 200)
    assert names(body["leads"]) == [f"Lead {k}" for k in ["u1", "u2", "h1", "h2", "m1", "m2", "l1", "l2"]]
    assert body["pagination"] == {"page": 1, "limit": 20, "total": 8, "pages": 1}
    for lead in body["leads"]:
        assert lead["status"] == "pending" and lead["assignedTo"] is None and lead["isActive"] is True
        assert ID_RE.match(lead["id"]) and lead["_id"] == lead["id"]
    for a, b in zip(body["leads"], body["leads"][1:]):
        assert (RANK[a["priority"]], a["createdAt"]) <= (RANK[b["priority"]], b["createdAt"]), (a, b)

    high = expect(call(system, "GET", path, admin, params={"priority": "high"}), 200)
    assert names(high["leads"]) == ["Lead h1", "Lead h2"] and high["pagination"]["total"] == 2
    found = expect(call(system, "GET", path, admin, params={"search": "LEAD U"}), 200)
    assert names(found["leads"]) == ["Lead u1", "Lead u2"]
    by_phone = expect(call(system, "GET", path, admin, params={"search": leads["l2"]["phone"][-7:]}), 200)
    assert names(by_phone["leads"]) == ["Lead l2"]
    by_email = expect(call(system, "GET", path, admin, params={"search": "m2@leads"}), 200)
    assert names(by_email["leads"]) == ["Lead m2"]
    both = expect(call(system, "GET", path, admin, params={"priority": "urgent", "search": "u2"}), 200)
    assert names(both["leads"]) == ["Lead u2"]
    none = expect(call(system, "GET", path, admin, params={"priority": "low", "search": "u1"}), 200)
    assert none["leads"] == [] and none["pagination"]["total"] == 0

    pages = [expect(call(system, "GET", path, admin, params={"limit": 3, "page": p}), 200) for p in (1, 2, 3, 4)]
    assert [names(p["leads"]) for p in pages] == [["Lead u1", "Lead u2", "Lead h1"], ["Lead h2", "Lead m1", "Lead m2"],
                                                  ["Lead l1", "Lead l2"], []]
    assert [p["pagination"] for p in pages] == [{"page": n, "limit": 3, "total": 8, "pages": 3} for n in (1, 2, 3, 4)]

    # Leads that stop being available leave the list: claimed, deleted, failed.
    expect(call(system, "POST", "/api/operator/leads/claim", admin, json={"leadId": leads["h1"]["id"]}), 200)
    expect(call(system, "DELETE", f"/api/leads/{leads['m1']['id']}", admin), 200)
    expect(call(system, "PUT", f"/api/leads/{leads['l1']['id']}", admin, json={"status": "failed"}), 200)
    after = expect(call(system, "GET", path, admin), 200)
    assert names(after["leads"]) == ["Lead u1", "Lead u2", "Lead h2", "Lead m2", "Lead l2"]
    assert after["pagination"]["total"] == 5


# --- concurrent claims ---------------------------------------------------------------------------

def test_twenty_concurrent_claims_one_winner(system):
    admin = ready(system)
    operators = quiet_operators(system, admin, 20)
    lead = create_lead(system, admin, phone(7), name="Contested", priority="urgent")

    barrier = threading.Barrier(len(operators))
    results = [None] * len(operators)

    def claim(i, token):
        barrier.wait()
        try:
            results[i] = requests.post(system.url + "/api/operator/leads/claim", json={"leadId": lead["id"]},
                                       headers={"Authorization": f"Bearer {token}"}, timeout=20)
        except requests.RequestException as e:  # recorded, asserted below
            results[i] = e

    threads = [threading.Thread(target=claim, args=(i, tok)) for i, (_, tok) in enumerate(operators)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    statuses = [getattr(r, "status_code", repr(r)) for r in results]
    assert sorted(statuses, key=str) == [200] + [409] * 19, statuses
    winner = statuses.index(200)
    won = results[winner].json()
    assert won["message"] == "Lead claimed successfully"
    assert won["lead"]["id"] == lead["id"] and won["lead"]["status"] == "claimed"
    for r in results:
        if r.status_code == 409:
            expect_error(r, 409, error=NOT_AVAILABLE)

    stored = get_lead(system, admin, lead["id"])
    assert stored["status"] == "claimed" and assignee(stored) == operators[winner][0]
    claims = db_query(system, "SELECT count(*) FROM lead_events WHERE lead_id = ? AND to_status = 'claimed'",
                      (lead["id"],))[0][0]
    assert claims == 1, f"{claims} claim events recorded for one claim"
    # A late claim, even by the winner, is refused the same way.
    expect_error(call(system, "POST", "/api/operator/leads/claim", operators[winner][1], json={"leadId": lead["id"]}),
                 409, error=NOT_AVAILABLE)
    avail = expect(call(system, "GET", "/api/operator/leads/available", admin), 200)
    assert lead["id"] not in [x["id"] for x in avail["leads"]]


# --- bulk actions --------------------------------------------------------------------------------

def bulk(system, token, action, ids, data=None):
    body = {"action": action, "leadIds": ids}
    if data is not None:
        body["data"] = data
    return call(system, "POST", "/api/admin/leads/bulk-action", token, json=body)


def test_bulk_actions_modified_counts(system):
    admin = ready(system)
    a, b, c, d = [create_lead(system, admin, phone(200 + i), name=f"Bulk {i}")["id"] for i in range(4)]
    unknown = "f" * 24

    r = expect(bulk(system, admin, "update_priority", [a, b, c], {"priority": "high"}), 200)
    assert r["message"] == "Bulk action 'update_priority' completed successfully"
    assert r["modifiedCount"] == 3 and sorted(r["leadIds"]) == sorted([a, b, c])
    assert [get_lead(system, admin, x)["priority"] for x in (a, b, c, d)] == ["high", "high", "high", "medium"]
    high = expect(call(system, "GET", "/api/operator/leads/available", admin, params={"priority": "high"}), 200)
    assert high["pagination"]["total"] == 3
    assert expect(bulk(system, admin, "update_priority", [a, d], {"priority": "high"}), 200)["modifiedCount"] == 1

    r = expect(bulk(system, admin, "add_tags", [a, b], {"tags": ["x", "y"]}), 200)
    assert r["message"] == "Bulk action 'add_tags' completed successfully" and r["modifiedCount"] == 2
    assert sorted(get_lead(system, admin, a)["tags"]) == ["x", "y"]
    r = expect(bulk(system, admin, "add_tags", [a, c], {"tags": ["x"]}), 200)
    assert r["modifiedCount"] == 1 and get_lead(system, admin, c)["tags"] == ["x"]
    assert sorted(get_lead(system, admin, a)["tags"]) == ["x", "y"]

    r = expect(bulk(system, admin, "update_status", [c, d], {"status": "failed"}), 200)
    assert r["message"] == "Bulk action 'update_status' completed successfully" and r["modifiedCount"] == 2
    assert [get_lead(system, admin, x)["status"] for x in (c, d)] == ["failed", "failed"]
    assert expect(bulk(system, admin, "update_status", [c], {"status": "pending"}), 200)["modifiedCount"] == 1
    assert get_lead(system, admin, c)["status"] == "pending"

    r = expect(bulk(system, admin, "delete", [a, d, unknown]), 200)
    assert r["message"] == "Bulk action 'delete' completed successfully" and r["modifiedCount"] == 2
    remaining = all_pages(system, admin, "/api/leads", {})
    assert sorted(x["id"] for x in remaining) == sorted([b, c])
    active = dict(db_query(system, "SELECT id, is_active FROM leads"))
    assert active == {a: 0, b: 1, c: 1, d: 0}, "delete must be soft (rows kept, isActive false)"


# --- GET /api/leads ------------------------------------------------------------------------------

def test_leads_list_filters_sort_and_pagination(system):
    admin = ready(system)
    leads = make_priority_leads(system, admin)
    expect(call(system, "POST", "/api/operator/leads/claim", admin, json={"leadId": leads["m2"]["id"]}), 200)

    default = expect(call(system, "GET", "/api/leads", admin), 200)
    assert default["pagination"] == {"page": 1, "limit": 20, "total": 8, "pages": 1}
    created = sorted(leads.values(), key=lambda x: x["createdAt"])
    assert names(default["leads"]) == names(reversed(created)), "default order is newest first"
    asc = expect(call(system, "GET", "/api/leads", admin, params={"sortBy": "createdAt", "sortOrder": "asc"}), 200)
    assert names(asc["leads"]) == names(created)
    by_prio = expect(call(system, "GET", "/api/leads", admin, params={"sortBy": "priority", "sortOrder": "asc"}), 200)
    ranks = [RANK[x["priority"]] for x in by_prio["leads"]]
    assert ranks == sorted(ranks), [x["priority"] for x in by_prio["leads"]]
    by_name = expect(call(system, "GET", "/api/leads", admin, params={"sortBy": "name", "sortOrder": "desc"}), 200)
    assert names(by_name["leads"]) == sorted(names(by_name["leads"]), reverse=True)

    claimed = expect(call(system, "GET", "/api/leads", admin, params={"status": "claimed"}), 200)
    assert names(claimed["leads"]) == ["Lead m2"] and claimed["pagination"]["total"] == 1
    pending = expect(call(system, "GET", "/api/leads", admin, params={"status": "pending"}), 200)
    assert pending["pagination"]["total"] == 7
    urgent = expect(call(system, "GET", "/api/leads", admin, params={"priority": "urgent"}), 200)
    assert sorted(names(urgent["leads"])) == ["Lead u1", "Lead u2"]
    search = expect(call(system, "GET", "/api/leads", admin, params={"search": "H2@LEADS"}), 200)
    assert names(search["leads"]) == ["Lead h2"]
    combo = expect(call(system, "GET", "/api/leads", admin, params={"priority": "medium", "status": "pending"}), 200)
    assert names(combo["leads"]) == ["Lead m1"]
    literal = expect(call(system, "GET", "/api/leads", admin, params={"search": "Lead %"}), 200)
    assert literal["leads"] == [], "search must be literal, not a pattern"

    pages = [expect(call(system, "GET", "/api/leads", admin, params={"limit": 3, "page": p}), 200) for p in (1, 2, 3)]
    assert [p["pagination"] for p in pages] == [{"page": n, "limit": 3, "total": 8, "pages": 3} for n in (1, 2, 3)]
    seen = [x["id"] for p in pages for x in p["leads"]]
    assert len(seen) == 8 and len(set(seen)) == 8
    assert names(pages[0]["leads"]) + names(pages[1]["leads"]) + names(pages[2]["leads"]) == names(default["leads"])


# --- one lead ------------------------------------------------------------------------------------

def test_lead_create_get_update_delete(system):
    admin = ready(system)
    [(op_id, op)] = quiet_operators(system, admin, 1)

    r = call(system, "POST", "/api/leads", op, json={"phone": "90 123 45 67", "name": "Manual Lead",
                                                      "email": "Manual@Example.com", "priority": "high",
                                                      "notes": "called once", "tags": ["a", "b"]})
    body = expect(r, 201)
    assert body["message"] == "Lead created successfully"
    lead = body["lead"]
    assert ID_RE.match(lead["id"]) and lead["_id"] == lead["id"]
    assert lead["phone"] == "+998901234567" and lead["name"] == "Manual Lead"
    assert (lead["priority"], lead["status"], lead["source"]) == ("high", "pending", "manual")
    assert lead["tags"] == ["a", "b"] and lead["notes"] == "called once" and lead["isActive"] is True
    assert ISO_RE.match(lead["createdAt"]) and ISO_RE.match(lead["updatedAt"])
    fetched = get_lead(system, admin, lead["id"])
    for key in ("id", "_id", "phone", "name", "email", "priority", "status", "notes", "tags", "source", "createdAt"):
        assert fetched[key] == lead[key], (key, fetched, lead)

    for spelling in ("+998 90 123-45-67", "+998901234567"):
        dup = call(system, "POST", "/api/leads", admin, json={"phone": spelling})
        assert dup.status_code in (400, 409), dup.text
        expect_error(dup, dup.status_code, error=DUPLICATE_LEAD)

    # Operators edit only the leads they hold, and never priority or status (fix of bug 25).
    expect_error(call(system, "PUT", f"/api/leads/{lead['id']}", op, json={"name": "Not Mine"}), 403)
    expect(call(system, "POST", "/api/operator/leads/claim", op, json={"leadId": lead["id"]}), 200)
    r = expect(call(system, "PUT", f"/api/leads/{lead['id']}", op,
                    json={"name": "Renamed", "notes": "new notes", "tags": ["c"]}), 200)
    assert r["message"] == "Lead updated successfully"
    assert (r["lead"]["name"], r["lead"]["notes"], r["lead"]["tags"]) == ("Renamed", "new notes", ["c"])
    expect_error(call(system, "PUT", f"/api/leads/{lead['id']}", op, json={"priority": "urgent"}), 403)
    r = expect(call(system, "PUT", f"/api/leads/{lead['id']}", admin, json={"priority": "urgent"}), 200)
    assert r["lead"]["priority"] == "urgent"
    stored = get_lead(system, admin, lead["id"])
    assert (stored["name"], stored["priority"], stored["status"]) == ("Renamed", "urgent", "claimed")
    assert assignee(stored) == op_id
    assert stored["updatedAt"] >= lead["updatedAt"]
    r = expect(call(system, "PUT", f"/api/leads/{lead['id']}", admin, json={"status": "failed"}), 200)
    assert r["lead"]["status"] == "failed"

    expect_error(call(system, "DELETE", f"/api/leads/{lead['id']}", op), 403)
    r = expect(call(system, "DELETE", f"/api/leads/{lead['id']}", admin), 200)
    assert r["message"] == "Lead deleted successfully"
    assert expect(call(system, "GET", "/api/leads", admin), 200)["pagination"]["total"] == 0
    expect_error(call(system, "GET", f"/api/leads/{lead['id']}", admin), 404, error="Lead not found")
    gone = expect(call(system, "GET", f"/api/leads/{lead['id']}?includeDeleted=true", admin), 200)
    assert gone["lead"]["isActive"] is False
    again = call(system, "POST", "/api/leads", admin, json={"phone": "+998901234567"})
    assert again.status_code in (400, 409), "a deleted lead's phone stays taken: " + again.text
    expect_error(again, again.status_code, error=DUPLICATE_LEAD)


# --- more of the lead behaviour ---------------------------------------------------------

def test_csv_header_aliases_and_tags_only_in_capitals(system):
    admin = ready(system)
    csv = ("Telephone,FullName,E-mail,Comment,Tags\n"
           f"{phone(1)},Aziz Karimov,aziz@example.com,prefers mornings,\"b2b, warm\"\n")
    summary = check_summary(expect(upload_csv(system, admin, csv), 200))
    assert summary["successCount"] == 1, summary
    [lead] = expect(call(system, "GET", "/api/leads", admin), 200)["leads"]
    assert (lead["phone"], lead["name"], lead["email"], lead["notes"]) == \
        (phone(1), "Aziz Karimov", "aziz@example.com", "prefers mornings")
    assert sorted(lead["tags"]) == ["b2b", "warm"]


@pytest.mark.ibrat_env({"IBRAT_CLAIM_TIMEOUT": "1"})
def test_claim_without_call_returns_to_pending_after_timeout(system):
    admin = ready(system)
    [(op_id, op)] = quiet_operators(system, admin, 1)
    lead = create_lead(system, admin, phone(1), name="Timed Claim")
    expect(call(system, "POST", "/api/operator/leads/claim", op, json={"leadId": lead["id"]}), 200)
    assert get_lead(system, admin, lead["id"])["status"] == "claimed"

    def released():
        stored = get_lead(system, admin, lead["id"])
        return stored["status"] == "pending" and assignee(stored) is None
    system.wait_for(released, timeout=10, what="the claim to expire (IBRAT_CLAIM_TIMEOUT=1)")
    avail = expect(call(system, "GET", "/api/operator/leads/available", op), 200)
    assert [x["id"] for x in avail["leads"]] == [lead["id"]]
    expect(call(system, "POST", "/api/operator/leads/claim", op, json={"leadId": lead["id"]}), 200)
