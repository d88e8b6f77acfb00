"""Operations of /api/leads, the admin bulk action and the operator lead routes."""
from components import *  # noqa: F401,F403
from dsl import *  # noqa: F401,F403

# ---- leads ---------------------------------------------------------------------------------------
LEAD_FIELDS = {
    "name": {"type": "string", "maxLength": 100, "pattern": NOCTL, "description": UTF16},
    "email": {"anyOf": [EMAIL, {"type": "string", "pattern": "^[ \\t]*$"}],
              "description": "A valid address, or blank to clear it."},
    "priority": ref("LeadPriority"),
    "notes": {"type": "string", "maxLength": 500, "pattern": NOCTL_ML, "description": "Tab, CR and LF allowed; no other control characters. " + UTF16},
    "tags": arr({"type": "string", "maxLength": 50, "pattern": NOCTL, "description": UTF16}, maxItems=20, description="Trimmed; empty and repeated tags are dropped."),
    "timezone": TIMEZONE,
}
LEAD_WITH_USER = ref("Lead")
op("POST", "/api/leads/upload-csv", tag="leads", summary="Import leads from a CSV file", access="admin",
   body={"required": True, "content": {"multipart/form-data": {
       "schema": obj({"csvFile": {"type": "string", "format": "binary",
                                  "description": "At most 10 MiB; a `.csv` name or type text/csv, application/vnd.ms-excel, application/octet-stream or text/plain."}}),
       "encoding": {"csvFile": {"contentType": "text/csv"}}}}},
   params=[IDEMPOTENCY],
   resp=replayable(ok(obj({"message": {"type": "string", "const": "CSV upload completed"},
                "summary": obj({"totalProcessed": INT, "successCount": INT, "duplicateCount": INT, "errorCount": INT}),
                "errors": arr(STR, description="Row errors; left out when there are none.")},
               required=["message", "summary"]))),
   errors=("400", "409", "413", "415", "503"),
   desc="Columns phone (required), name, email, priority, notes, tags (first matching header spelling). Imported in one transaction; successCount + duplicateCount + errorCount = totalProcessed. 400 `No file uploaded`, `Unexpected field`, `Invalid file type. Only CSV files are allowed.`, `Malformed multipart body`, `Invalid CSV file`; 413 over 10 MiB; 415 not multipart; 409 an `Idempotency-Key` in use; 429 too many imports at once; 503 queue-daemon unreachable or the import was interrupted.")
op("POST", "/api/leads", tag="leads", summary="Create a lead", access="operatorOrAdmin",
   params=[IDEMPOTENCY],
   body=jbody(body_obj({"phone": PHONE, **LEAD_FIELDS}, required=["phone"], extra=False),
              examples={"lead": {"phone": "+998901234567", "name": "Aziz Rahimov", "email": "aziz@example.uz",
                                 "priority": "high", "notes": "Asked about the premium course", "tags": ["web", "hot"]}}),
   resp=replayable(ok(obj({"message": {"type": "string", "const": "Lead created successfully"}, "lead": ref("Lead")}),
                      "Created", "201")),
   errors=("409", "503"), desc="Unknown keys are refused (400 `\"x\" is not allowed`). 409 `Lead with this phone number already exists` (deleted leads included), or an `Idempotency-Key` in use.")
op("GET", "/api/leads", tag="leads", summary="List leads", access="operatorOrAdmin",
   params=[PAGE, LIMIT, q("status", ref("LeadStatus")), q("priority", ref("LeadPriority")), SEARCH,
           q("assignedTo", OID), q("sortBy", {"type": "string", "enum": ["createdAt", "updatedAt", "priority", "status", "name", "callAttempts"], "default": "createdAt"}),
           q("sortOrder", {"type": "string", "enum": ["asc", "desc"], "default": "desc"}),
           q("includeDeleted", {"type": "boolean", "default": False}, "Admins only (403 for operators)."),
           q("doNotCall", {"type": "boolean"}, "Only leads whose number is (not) on the do-not-call list.")],
   resp=ok(obj({"leads": arr(LEAD_WITH_USER), "pagination": ref("Pagination")})), errors=("400",),
   desc="Operators see active leads that are unassigned or theirs. `assignedTo` is populated `{_id,id,name,email}`.")
op("GET", "/api/leads/stats/summary", tag="leads", summary="Lead counts by status and priority",
   access="operatorOrAdmin",
   resp=ok(obj({"summary": obj({"total": INT, "pending": INT, "claimed": INT, "calling": INT, "answered": INT,
                                "transferred": INT, "failed": INT}),
                "priorityBreakdown": arr(ref("Count"), description="urgent → low, zeros included.")})),
   errors=("503",))
op("GET", "/api/leads/{id}", tag="leads", summary="One lead with its call history", access="operatorOrAdmin",
   params=[PATH_ID, q("includeDeleted", {"type": "boolean", "default": False},
                      "Admins only (403 for operators): also find a soft-deleted lead.")],
   resp=ok(obj({"lead": {"allOf": [LEAD_WITH_USER, obj({"callHistory": arr(obj({
       "_id": OID, "id": OID, "status": ref("CallStatus"), "duration": INT, "startTime": TSN, "endTime": TSN,
       "salesperson": {"anyOf": [ref("UserRef"), {"type": "null"}]}}))})]}})),
   errors=("400", "404", "503"), desc="404 `Lead not found` also for leads an operator may not see, and for a deleted lead unless an admin asks with `includeDeleted=true`.")
LEAD_EVENT = obj({"id": INT, "at": TSN,
                  "actor": {"anyOf": [ref("UserRef"), STR], "description": "The user who caused it, or the queue's word (`system`, …)."},
                  "fromStatus": {"anyOf": [ref("LeadStatus"), {"type": "null"}]}, "toStatus": ref("LeadStatus"), "reason": STR},
                 required=["id", "at", "actor", "fromStatus", "toStatus", "reason"])
op("GET", "/api/leads/{id}/history", tag="leads", summary="A lead's calls and events", access="operatorOrAdmin",
   params=[PATH_ID, q("includeDeleted", {"type": "boolean", "default": False},
                      "Admins only (403 for operators): also find a soft-deleted lead.")],
   resp=ok(obj({"history": obj({
       "leadId": OID, "status": ref("LeadStatus"), "callAttempts": INT,
       "calls": arr({"allOf": [ref("Call"), obj({"salesperson": {"anyOf": [ref("UserRef"), {"type": "null"}]},
                                                   "disposition": NSTR, "dispositionAt": TSN, "callbackAt": TSN})]},
                    description="Newest first, at most 200."),
       "callsTotal": INT,
       "events": arr(LEAD_EVENT, description="Status changes and edits, newest first, at most 500."),
       "eventsTotal": INT}, required=["leadId", "status", "callAttempts", "calls", "callsTotal", "events", "eventsTotal"])})),
   errors=("400", "404", "503"),
   desc="The lead detail's history: every call (with disposition, notes and end reason) and every `lead_events` row (who, from → to, why). Visibility as `GET /api/leads/{id}`: 404 `Lead not found` also for leads an operator may not see.")
op("PUT", "/api/leads/{id}", tag="leads", summary="Update a lead", access="operatorOrAdmin", params=[PATH_ID],
   body=jbody(body_obj({"phone": PHONE, **LEAD_FIELDS, "status": ref("LeadStatus")}, required=[], extra=False)
              | {"anyOf": [{"required": [k], "properties": {k: {"not": {"type": "null"}}}}
                           for k in ("phone", "name", "email", "priority", "notes", "tags", "status", "timezone")]}),
   resp=ok(obj({"message": {"type": "string", "const": "Lead updated successfully"}, "lead": ref("Lead")})),
   errors=("404", "409", "503"),
   desc="At least one field. Operators may change only leads assigned to them or unassigned (403). Status changes follow the lead state machine (409 `Invalid status change`); a lead in a call cannot be changed (409).")
op("DELETE", "/api/leads/{id}", tag="leads", summary="Soft-delete a lead", access="admin", params=[PATH_ID],
   resp=ok(obj({"message": {"type": "string", "const": "Lead deleted successfully"}})),
   errors=("400", "404", "409", "503"))
op("POST", "/api/admin/leads/bulk-action", tag="admin", summary="Change many leads at once", access="admin",
   body=jbody({"oneOf": [
       obj({"action": {"type": "string", "const": action}, "leadIds": arr(OID, minItems=1, maxItems=1000),
            **({"data": data} if data else {})}, required=["action", "leadIds"] + (["data"] if data else []))
       for action, data in (
           ("update_priority", obj({"priority": ref("LeadPriority")})),
           ("update_status", obj({"status": ref("LeadStatus")})),
           ("add_tags", obj({"tags": arr({"type": "string", "maxLength": 50, "pattern": "^[^\\u0000-\\u001f\\u007f]*[^\\s\\u0085\\u0000-\\u001f\\u007f][^\\u0000-\\u001f\\u007f]*$"}, minItems=1, maxItems=20)})),
           ("delete", None),
           ("update_timezone", obj({"timezone": TIMEZONE})))],
       "description": "`leadIds`: 1–1000 lead ids (repeats dropped); `data` carries what the action needs."},
       examples={"priority": {"action": "update_priority", "leadIds": ["65a1b2c3d4e5f60718293a4b"], "data": {"priority": "high"}},
                 "status": {"action": "update_status", "leadIds": ["65a1b2c3d4e5f60718293a4b"], "data": {"status": "failed"}},
                 "tags": {"action": "add_tags", "leadIds": ["65a1b2c3d4e5f60718293a4b"], "data": {"tags": ["hot"]}},
                 "delete": {"action": "delete", "leadIds": ["65a1b2c3d4e5f60718293a4b"]}}),
   resp=ok(obj({"message": STR, "modifiedCount": INT, "leadIds": arr(OID),
                "skipped": arr(obj({"leadId": OID, "reason": STR}))})),
   errors=("503",),
   desc="One transaction; leads that could not be changed are listed in `skipped` with the reason. 400 `Invalid request: action and leadIds array required`, `Invalid action specified`.")

# ---- operator leads ------------------------------------------------------------------------------
CLAIM_VIEW = obj({"id": OID, "_id": OID, "phone": STR, "name": STR, "priority": ref("LeadPriority"),
                  "status": ref("LeadStatus"), "assignedTo": {"anyOf": [OID, {"type": "null"}]}, "claimedAt": TSN})
op("GET", "/api/operator/leads/available", tag="operator", summary="Leads an operator may claim",
   access="operatorOrAdmin", params=[PAGE, LIMIT, q("priority", ref("LeadPriority")), SEARCH],
   resp=ok(obj({"leads": arr(ref("Lead")), "pagination": ref("Pagination")})), errors=("400", "503"),
   desc="Pending, active, unassigned, due leads, urgent → low then oldest first.")
for action, verb in (("claim", "claimed"), ("release", "released")):
    op("POST", f"/api/operator/leads/{action}", tag="operator", summary=f"{action.capitalize()} a lead",
       access="operatorOrAdmin", body=jbody(obj({"leadId": OID})),
       resp=ok(obj({"message": {"type": "string", "const": f"Lead {verb} successfully"}, "lead": CLAIM_VIEW})),
       errors=("403", "404", "409", "503"),
       desc="400 `Lead ID is required`; 404 `Lead not found`; 409 `Lead is not available for claiming`." if action == "claim"
       else "Only the claimer or an admin (403). 404 `Lead not found`; 409 when the lead is not claimed.")
