"""Issue 10, input hygiene: NUL and other C0 control characters are refused in names, notes, tags
and CSV cells (tab, CR and LF stay allowed in notes), with a 400 or a row error that names the
field, and `PUT /api/users/:id` refuses unknown keys as lead creation does."""
import pytest

from helpers import (call, check_summary, error_lines, expect, expect_error, phone, quiet_operators, ready,
                     upload_csv)


@pytest.mark.parametrize("field,value", [("name", "Ali\u0000Vali"), ("name", "bell\u0007"), ("name", "tab\tname"),
                                         ("notes", "esc\u001b[31m red"), ("notes", "nul\u0000"),
                                         ("tags", ["ok", "bad\u0001tag"])])
def test_control_characters_in_lead_fields_are_400(system, field, value):
    admin = ready(system)
    body = {"phone": phone(42), "name": "Valid", field: value}
    expect_error(call(system, "POST", "/api/leads", admin, json=body), 400, mentions=field)
    assert expect(call(system, "GET", "/api/leads", admin), 200)["pagination"]["total"] == 0


def test_line_breaks_and_tabs_are_kept_in_notes(system):
    admin = ready(system)
    notes = "Called twice.\nPrefers mornings:\t9-11\r\nAsk for Dilnoza"
    lead = expect(call(system, "POST", "/api/leads", admin, json={"phone": phone(43), "notes": notes}), 201)["lead"]
    assert lead["notes"] == notes.strip()
    expect_error(call(system, "PUT", f"/api/leads/{lead['id']}", admin, json={"name": "x\u0000"}), 400, mentions="name")


def test_csv_cells_with_control_characters_are_row_errors(system):
    admin = ready(system)
    rows = ["phone,name,notes,tags", f"{phone(1)},Good One,fine,", f"{phone(2)},Bad\u0000Name,,",
            f"{phone(3)},Good Two,\"multi\nline\tnotes\",", f"{phone(4)},Bad Tag,,\"a,b\u0002\"",
            f"{phone(5)},Bad Notes,\"bell\u0007\","]
    body = expect(upload_csv(system, admin, "\n".join(rows) + "\n"), 200)
    summary = check_summary(body)
    assert (summary["successCount"], summary["errorCount"]) == (2, 3), body
    assert sorted(error_lines(body["errors"])) == [3, 6, 7], body["errors"]
    assert all("control characters" in e for e in body["errors"]), body["errors"]


def test_user_update_refuses_unknown_keys(system):
    admin = ready(system)
    (uid, token), = quiet_operators(system, admin, 1)
    expect_error(call(system, "PUT", f"/api/users/{uid}", admin, json={"nmae": "Typo"}), 400, mentions="nmae")
    expect_error(call(system, "PUT", f"/api/users/{uid}", token, json={"name": "Ok", "isAdmin": True}), 400,
                 mentions="isAdmin")
    expect_error(call(system, "PUT", f"/api/users/{uid}", admin, json={"name": "Nul\u0000"}), 400, mentions="name")
    assert expect(call(system, "PUT", f"/api/users/{uid}", admin, json={"name": "Renamed"}), 200)["user"]["name"] == "Renamed"
