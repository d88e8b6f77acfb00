"""Operations of the dialing rules (issue 12): the do-not-call list, dispositions and call-backs."""
from components import *  # noqa: F401,F403
from dsl import *  # noqa: F401,F403

DNC_ENTRY = obj({"phone": STR, "reason": STR, "source": {"type": "string", "enum": ["manual", "import", "disposition"]},
                 "addedBy": {"anyOf": [OID, {"type": "null"}]}, "createdAt": TSN})
REASON = {"type": "string", "maxLength": 200, "description": "Why the number may not be called (trimmed). " + UTF16}
op("GET", "/api/admin/dnc", tag="admin", summary="The do-not-call list", access="admin",
   params=[PAGE, LIMIT, SEARCH],
   resp=ok(obj({"numbers": arr(DNC_ENTRY, description="Newest first."), "pagination": ref("Pagination")})),
   errors=("400",), desc="`search` matches the phone or the reason.")
op("POST", "/api/admin/dnc", tag="admin", summary="Put a number on the do-not-call list", access="admin",
   body=jbody(body_obj({"phone": PHONE, "reason": REASON}, required=["phone"], extra=False)),
   resp=ok(obj({"message": STR, "entry": DNC_ENTRY, "lead": {"anyOf": [ref("Lead"), {"type": "null"}]}}),
           "Added", "201"),
   errors=("409", "503"),
   desc="The number's lead is flagged `doNotCall` and never dialed (a call in progress is not cut). 409 when listed already. Audit-logged.")
op("DELETE", "/api/admin/dnc/{phone}", tag="admin", summary="Take a number off the do-not-call list", access="admin",
   params=[{"name": "phone", "in": "path", "required": True, "schema": STR,
            "description": "The number (URL-encoded `+`), normalised like a lead's phone."}],
   resp=ok(obj({"message": STR, "phone": STR, "lead": {"anyOf": [ref("Lead"), {"type": "null"}]}})),
   errors=("400", "404", "503"), desc="The number's lead goes back to the dispatch queue. 404 when not listed. Audit-logged.")
op("GET", "/api/admin/dnc/export", tag="admin", summary="Download the do-not-call list as CSV", access="admin",
   params=[SEARCH],
   resp={"200": {"description": "The list as an RFC 4180 file, newest first",
                 "headers": {"Content-Disposition": {"schema": STR, "description": "`attachment; filename=\"do-not-call.csv\"`"}},
                 "content": {"text/csv": {"schema": {"type": "string"}}}}},
   errors=("400",),
   desc="Columns phone, reason, source, addedBy, createdAt (ISO 8601). `search` as in the list. Cells a spreadsheet would run as a formula get a leading apostrophe, except E.164 numbers, so the file imports again through upload-csv.")
op("POST", "/api/admin/dnc/upload-csv", tag="admin", summary="Import do-not-call numbers from a CSV file", access="admin",
   body={"required": True, "content": {"multipart/form-data": {
       "schema": obj({"csvFile": {"type": "string", "format": "binary"}}),
       "encoding": {"csvFile": {"contentType": "text/csv"}}}}},
   resp=ok(obj({"message": {"type": "string", "const": "CSV upload completed"},
                "summary": obj({"totalProcessed": INT, "successCount": INT, "duplicateCount": INT, "errorCount": INT,
                                "leadsFlagged": INT}),
                "errors": arr(STR)}, required=["message", "summary"])),
   errors=("400", "413", "415", "503"),
   desc="Columns phone (required) and reason; the lead upload's multipart rules. Numbers already listed count as duplicates.")
op("GET", "/api/dispositions", tag="calls", summary="The dispositions operators may record", access="operatorOrAdmin",
   resp=ok(obj({"dispositions": arr(STR), "conversions": arr(STR)})),
   desc="`IBRAT_DISPOSITIONS`; `conversions` (sale, interested) are counted as conversions in reports.")
op("GET", "/api/operator/callbacks", tag="operator", summary="The caller's booked call-backs", access="operatorOrAdmin",
   resp=ok(obj({"callbacks": arr(ref("Lead"), description="Pending call-backs, earliest first (admins: everyone's).")})),
   errors=("503",))
