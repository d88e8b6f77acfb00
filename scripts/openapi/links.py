"""Links from responses to the operations that take the ids they carry (schemathesis follows them)."""
from components import *  # noqa: F401,F403
from dsl import *  # noqa: F401,F403

LEAD_ID = "$response.body#/lead/id"
for name, tp, tm, kw in (
        ("GetLead", "/api/leads/{id}", "GET", {"params": {"id": LEAD_ID}}),
        ("UpdateLead", "/api/leads/{id}", "PUT", {"params": {"id": LEAD_ID}}),
        ("DeleteLead", "/api/leads/{id}", "DELETE", {"params": {"id": LEAD_ID}}),
        ("ClaimLead", "/api/operator/leads/claim", "POST", {"body": {"leadId": LEAD_ID}}),
        ("ReleaseLead", "/api/operator/leads/release", "POST", {"body": {"leadId": LEAD_ID}}),
        ("InitiateCall", "/api/calls/initiate", "POST", {"body": {"leadId": LEAD_ID}}),
        ("StartCall", "/api/operator/calls/start", "POST", {"body": {"leadId": LEAD_ID}})):
    link("/api/leads", "POST", "201", name, tp, tm, **kw)
for source in ("/api/operator/leads/claim", "/api/operator/leads/release"):
    link(source, "POST", "200", "GetLead", "/api/leads/{id}", "GET", params={"id": LEAD_ID})
CALL_ID = "$response.body#/call/id"
for source in ("/api/operator/calls/start", "/api/calls/initiate"):
    for name, tp, tm in (("GetCall", "/api/calls/{id}", "GET"), ("UpdateCallStatus", "/api/calls/{id}/status", "PUT"),
                         ("UpdateCall", "/api/operator/calls/{id}/update", "PUT")):
        link(source, "POST", "200", name, tp, tm, params={"id": CALL_ID})
USER_ID = "$response.body#/user/id"
for name, tp, tm in (("GetUser", "/api/users/{id}", "GET"), ("UpdateUser", "/api/users/{id}", "PUT"),
                     ("SetAvailability", "/api/users/{id}/availability", "PUT"),
                     ("Activate", "/api/users/{id}/activate", "PUT"), ("DeleteUser", "/api/users/{id}", "DELETE")):
    link("/api/auth/register", "POST", "201", name, tp, tm, params={"id": USER_ID})
