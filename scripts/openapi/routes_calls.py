"""Operations of /api/calls and the Twilio webhooks."""
from components import *  # noqa: F401,F403
from dsl import *  # noqa: F401,F403

# ---- calls ---------------------------------------------------------------------------------------
op("POST", "/api/calls/initiate", tag="calls", summary="Call a lead now", access="operatorOrAdmin",
   body=jbody(body_obj({"leadId": OID, "salespersonId": OID}, required=["leadId"])),
   resp=ok(obj({"message": {"type": "string", "const": "Call initiated successfully"}, "call": ref("StartedCall")})),
   errors=("404", "409", "503"),
   desc="Only admins may name another operator (403 `Access denied. Only admins can choose the salesperson.`).")
op("GET", "/api/calls", tag="calls", summary="List calls", access="operatorOrAdmin",
   params=[PAGE, LIMIT, q("status", ref("CallStatus")), START, END, q("leadId", OID),
           q("salespersonId", OID, "Admins: anyone; operators: only themselves (403).")],
   resp=ok(obj({"calls": arr(ref("Call")), "pagination": ref("Pagination")})), errors=("400", "503"),
   desc="Newest first; operators see their own calls. lead `{_id,id,phone,name}`, salesperson `{_id,id,name,email}`.")
op("GET", "/api/calls/stats/summary", tag="calls", summary="Call figures and the newest calls",
   access="operatorOrAdmin", params=[START, END, q("salespersonId", OID)],
   resp=ok(obj({"summary": {"allOf": [ref("Figures"), obj({"totalCost": NUM})]}, "recentCalls": arr(ref("Call"))})),
   errors=("400", "503"))
op("GET", "/api/calls/{id}", tag="calls", summary="One call", access="operatorOrAdmin", params=[PATH_ID],
   resp=ok(obj({"call": ref("Call")})), errors=("400", "404", "503"),
   desc="403 `Access denied. This call does not belong to you.`; 404 `Call not found`.")
op("PUT", "/api/calls/{id}/status", tag="calls", summary="Report a call's status", access="operatorOrAdmin",
   params=[PATH_ID], body=jbody(body_obj(CALL_UPDATE, required=["status"]) | DURATION_RULE),
   resp=ok(obj({"message": {"type": "string", "const": "Call status updated successfully"}, "call": ref("Call")})),
   errors=("404", "409", "503"), desc="Operators only for their own calls (403).")

TWILIO_FORM = obj({
    "CallSid": {"type": "string", "minLength": 1, "description": "Twilio's call id (`CA…`), known to the dialer."},
    "CallStatus": {"type": "string", "description": "Twilio's call status: queued, initiated, ringing, in-progress, completed, busy, no-answer, failed, canceled."}, "CallDuration": STR, "AnsweredBy": STR,
    "ErrorCode": STR, "ErrorMessage": STR, "Timestamp": STR}, required=["CallSid"], extra=True)
TWIML = {"description": "TwiML", "content": {"text/xml": {"schema": {"type": "string"}}}}
for hook, summary, desc in (
        ("status", "Twilio call status callback",
         "`CallSid` and `CallStatus` required. Answers empty TwiML."),
        ("answer", "Twilio answer callback",
         "`CallSid` required. Answers TwiML that dials the operator's phone, or an apology and `<Hangup/>`.")):
    form = TWILIO_FORM if hook == "answer" else TWILIO_FORM | {"required": ["CallSid", "CallStatus"]}
    op("POST", f"/api/calls/webhook/{hook}", tag="twilio", summary=summary, access="public", limited=False,
       body={"required": True, "content": {"application/x-www-form-urlencoded": {"schema": form}}},
       resp={"200": TWIML}, errors=("400", "403", "404", "413", "415", "503"),
       desc=desc + " Signed by Twilio: `X-Twilio-Signature` = base64(HMAC-SHA1(auth token, `IBRAT_PUBLIC_URL` + path + query + the form parameters sorted by name, each name followed by its value)). 404 when Twilio is not configured or the call is unknown; 415 not form-encoded; 403 missing, invalid or replayed signature; 400 a malformed form or missing `CallSid`/`CallStatus`. Not rate limited.",
       extra={"security": [{"twilioSignature": []}]})
