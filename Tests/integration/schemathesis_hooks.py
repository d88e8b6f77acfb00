"""Schemathesis hooks for test_openapi_schemathesis.py (loaded by the CLI through
SCHEMATHESIS_HOOKS):
- every request carries a bearer token of the account IBRAT_ST_EMAIL / IBRAT_ST_PASSWORD on the
  system at IBRAT_ST_URL; logout and refresh revoke the token they are called with, so they get a
  fresh token per request while everything else shares one;
- the accounts the run logs in with (IBRAT_ST_PROTECTED ids) are never changed or deleted
  through `/api/users/{id}` (schemathesis finds their ids in responses and would otherwise
  deactivate the very account it tests with): such a request goes to an id that does not exist;
- `startDate`/`endDate` are sent in order, the one rule between query parameters that a schema
  cannot state (a reversed range is a 400 by design): a reversed pair is swapped;
- `set_calling_hours` with `start` equal to `end` (an empty window, 400 by design) ends at 24:00."""
import datetime
import os

import requests
import schemathesis
from hypothesis.internal import lambda_sources

URL = os.environ["IBRAT_ST_URL"]
EMAIL = os.environ["IBRAT_ST_EMAIL"]
PASSWORD = os.environ["IBRAT_ST_PASSWORD"]
PROTECTED = set(filter(None, os.environ.get("IBRAT_ST_PROTECTED", "").split(",")))
UNKNOWN_ID = "0" * 24
REVOKING = ["/api/auth/logout", "/api/auth/refresh"]


# CPython 3.11 before 3.11.8 can raise "SystemError: AST constructor recursion depth mismatch" from
# ast.parse deep in a recursion, which Hypothesis does to describe lambdas in strategy reprs; a
# description is cosmetic, so such a failure falls back to Hypothesis's own "<unknown>" form.
_describe_lambda = lambda_sources._lambda_description


def _describe_lambda_safely(f):
    try:
        return _describe_lambda(f)
    except SystemError:
        return "lambda: <unknown>"


lambda_sources._lambda_description = _describe_lambda_safely


def login():
    r = requests.post(URL + "/api/auth/login", json={"email": EMAIL, "password": PASSWORD}, timeout=10)
    r.raise_for_status()
    return r.json()["token"]


def set_bearer(case, token):
    case.headers = case.headers or {}
    case.headers["Authorization"] = f"Bearer {token}"


@schemathesis.auth(refresh_interval=None).apply_to(path=REVOKING)
class FreshToken:
    def get(self, case, ctx):
        return login()

    def set(self, case, data, ctx):
        set_bearer(case, data)


@schemathesis.auth(refresh_interval=24 * 3600, retry_on=[])
class SessionToken:
    def get(self, case, ctx):
        return login()

    def set(self, case, data, ctx):
        set_bearer(case, data)


@schemathesis.hook
def before_call(context, case, kwargs):
    params = case.path_parameters
    if (case.operation.path.startswith("/api/users/{id}") and case.method.upper() in ("PUT", "DELETE")
            and params and params.get("id") in PROTECTED):
        params["id"] = UNKNOWN_ID
    body = case.body
    if (case.operation.path == "/api/admin/system/control" and isinstance(body, dict)
            and body.get("action") == "set_calling_hours" and body.get("start") == body.get("end") != "00:00"
            and isinstance(body.get("start"), str)):
        body["end"] = "24:00"  # a window must not be empty (start == end), a rule between two fields
    query = case.query
    if query:
        start, end = _instant(query.get("startDate"), False), _instant(query.get("endDate"), True)
        if start is not None and end is not None and start > end:
            query["startDate"], query["endDate"] = query["endDate"], query["startDate"]


def _instant(value, end):
    """The instant a `startDate`/`endDate` value means, None when it is not one."""
    if not isinstance(value, str):
        return None
    try:
        if len(value) == 10:
            day = datetime.datetime.fromisoformat(value).replace(tzinfo=datetime.timezone.utc)
            return day + datetime.timedelta(days=1, milliseconds=-1) if end else day
        return datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
