"""Issue 10, panels written against the earlier version: `limit` above 100 is clamped on every
paginated route, the operator role is `salesperson` on the wire (tokens too), `operatorRank` is a
number or null, and the API's own example call update works after a simulated call ended."""
import base64
import json

import pytest

from helpers import call, expect, expect_error, ready, register

PAGINATED = ["/api/leads", "/api/operator/leads/available", "/api/users", "/api/calls",
             "/api/operator/calls/history"]


def _payload(token):
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


@pytest.mark.parametrize("path", PAGINATED)
def test_limit_over_100_is_clamped(system, path):
    admin = ready(system)
    for limit in (101, 1000, "99999999999999999999"):
        body = expect(call(system, "GET", path, admin, params={"limit": limit}), 200)
        assert body["pagination"]["limit"] == 100, body["pagination"]
    expect_error(call(system, "GET", path, admin, params={"limit": 0}), 400, mentions="limit")


def test_operator_role_is_salesperson_on_the_wire(system):
    admin = ready(system)
    uid, token = register(system, admin, "Sales One", "sales1@example.com", role="operator")
    assert _payload(token)["role"] == "salesperson"
    login = expect(call(system, "POST", "/api/auth/login",
                        json={"email": "sales1@example.com", "password": "operator-pass-1"}), 200)
    assert login["user"]["role"] == "salesperson" and _payload(login["token"])["role"] == "salesperson"
    assert expect(call(system, "GET", "/api/auth/me", token), 200)["user"]["role"] == "salesperson"
    listed = expect(call(system, "GET", "/api/users", admin, params={"role": "salesperson"}), 200)["users"]
    assert [u["id"] for u in listed] == [uid] and listed[0]["role"] == "salesperson"
    # `operator` stays accepted as an input alias, in filters and in bodies.
    assert [u["id"] for u in expect(call(system, "GET", "/api/users", admin, params={"role": "operator"}), 200)["users"]] == [uid]
    uid2, _ = register(system, admin, "Sales Two", "sales2@example.com", role="salesperson")
    one = expect(call(system, "GET", f"/api/users/{uid2}", admin), 200)
    assert one["user"]["role"] == "salesperson"
    assert expect(call(system, "GET", f"/api/users/{uid}", admin), 200)["user"]["role"] == "salesperson"
