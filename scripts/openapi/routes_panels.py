"""Operations of the admin and operator panels (/api/admin, /api/operator)."""
from components import *  # noqa: F401,F403
from dsl import *  # noqa: F401,F403

# ---- admin ---------------------------------------------------------------------------------------
PERF_ENTRY = {"allOf": [ref("Figures"), obj({"_id": OID, "id": OID, "name": STR, "email": STR, "successRate": NUM})]}
op("GET", "/api/admin/dashboard", tag="admin", summary="Admin dashboard", access="admin",
   resp=ok(obj({"dashboard": obj({
       "userStats": obj({"totalUsers": INT, "activeUsers": INT, "availableSalespeople": INT, "totalAdmins": INT}),
       "leadStats": obj({"totalLeads": INT, "pendingLeads": INT, "claimedLeads": INT, "callingLeads": INT,
                         "answeredLeads": INT, "transferredLeads": INT, "failedLeads": INT}),
       "callStats": {"allOf": [ref("Figures"), obj({"todayCalls": INT})]},
       "priorityBreakdown": arr(ref("Count")),
       "salespersonPerformance": arr(obj({
           "_id": OID, "id": OID, "name": STR, "email": STR, "isAvailable": BOOL, "lastLogin": TSN,
           "callStats": ref("CallStats"), "totalCalls": INT, "successfulCalls": INT, "totalDuration": INT,
           "averageDuration": NUM, "successRate": NUM}), description="Active operators, busiest first."),
       "recentActivity": arr(ref("Call"))})})), errors=("503",))
op("GET", "/api/admin/system-status", tag="admin", summary="Daemons, queue and gateway status", access="admin",
   resp=ok(obj({"systemStatus": obj({
       "database": {"type": "string", "enum": ["connected", "disconnected"]},
       "callQueue": obj({"isRunning": BOOL, "paused": BOOL, "activeCalls": INT, "maxConcurrentCalls": INT,
                         "explanation": ref("QueueExplanation")},
                        required=["isRunning", "paused", "activeCalls", "maxConcurrentCalls"],
                        desc="The queue-daemon's status (more fields when it answers, among them `explanation`, issue 17)."),
       "queueDaemon": obj({"reachable": BOOL}),
       "dialer": obj({"reachable": BOOL, "provider": NSTR, "activeCalls": INT}),
       "activeConnections": INT, "uptime": NUM,
       "memory": obj({"rss": INT, "heapTotal": INT, "heapUsed": INT, "external": INT, "arrayBuffers": INT}),
       "environment": STR})})),
   desc="Answers within about 2 s even when a daemon hangs (then `reachable: false` and figures from the database).")
op("POST", "/api/admin/system/control", tag="admin", summary="Control the call queue", access="admin",
   body=jbody({"oneOf": [
       obj({"action": {"type": "string", "enum": ["pause_queue", "resume_queue", "reset_stuck_leads", "get_queue_status"]}}),
       obj({"action": {"type": "string", "const": "set_max_concurrent_calls"},
            "value": {"type": "integer", "minimum": 1, "maximum": 10000, "description": "Lines (persisted)."}})]}),
   resp=ok({"type": "object", "required": ["message"], "properties": {
       "message": STR, "status": {"description": "`paused`/`running`, or the queue status object for `get_queue_status`."},
       "resetCount": INT, "activeCalls": {"type": "array"}, "maxConcurrentCalls": INT}}),
   errors=("503",),
   desc="400 `Action parameter required`, `Invalid action specified` (with `allowedActions`).")
op("GET", "/api/admin/reports/performance", tag="admin", summary="Performance report", access="admin",
   params=[START, END],
   resp=ok(obj({"performance": obj({
       "salespersonStats": arr(PERF_ENTRY),
       "leadConversion": arr(ref("Count"), description="Active leads per status (ignores the dates)."),
       "dailyCalls": arr(obj({"_id": ref("DayKey"), "totalCalls": INT, "answeredCalls": INT}))})})),
   errors=("400", "503"))

# ---- operator ------------------------------------------------------------------------------------
LEAD_CARD = obj({"_id": OID, "id": OID, "phone": STR, "name": STR, "email": STR, "status": ref("LeadStatus"),
                 "priority": ref("LeadPriority"), "callAttempts": INT, "nextCallTime": TSN,
                 "assignedTo": {"anyOf": [OID, {"type": "null"}]}, "tags": arr(STR), "createdAt": TSN, "updatedAt": TSN})
op("GET", "/api/operator/dashboard", tag="operator", summary="The caller's dashboard", access="operatorOrAdmin",
   resp=ok(obj({"dashboard": obj({
       "personalStats": {"allOf": [ref("Figures"), obj({"todayCalls": INT, "successRate": NUM})]},
       "assignedLeads": arr(LEAD_CARD), "recentCalls": arr(ref("Call")), "availableLeads": arr(LEAD_CARD),
       "performanceRanking": arr(obj({"_id": OID, "id": OID, "name": STR, "totalCalls": INT, "completedCalls": INT,
                                      "totalDuration": INT, "successRate": NUM})),
       "operatorRank": {"type": ["integer", "null"], "minimum": 1,
                        "description": "The caller's place among operators with calls, or null (admins, no calls)."}})})),
   errors=("503",))
op("GET", "/api/operator/profile/performance", tag="operator", summary="The caller's performance",
   access="operatorOrAdmin", params=[START, END],
   resp=ok(obj({"performance": {"allOf": [ref("Figures"), obj({"successRate": NUM})]},
                "dailyPerformance": arr(obj({"_id": ref("DayKey"), "calls": INT, "answered": INT, "completed": INT,
                                             "duration": INT})),
                "leadConversion": arr(obj({"_id": ref("LeadPriority"), "totalCalls": INT, "answeredCalls": INT,
                                           "completedCalls": INT}))})),
   errors=("400", "503"))
op("POST", "/api/operator/calls/start", tag="operator", summary="Call a lead now, taking the call",
   access="operatorOrAdmin", body=jbody(obj({"leadId": OID})),
   resp=ok(obj({"message": {"type": "string", "const": "Call started successfully"}, "call": ref("StartedCall")})),
   errors=("404", "409", "503"))
op("PUT", "/api/operator/calls/{id}/update", tag="operator", summary="Report a call's outcome",
   access="operatorOrAdmin", params=[PATH_ID],
   body=jbody(body_obj(CALL_UPDATE, required=[]) | {"allOf": [DURATION_RULE, {"anyOf": [
       {"required": [k], "properties": {k: {"not": {"type": "null"}}}} for k in CALL_UPDATE]}]}),
   resp=ok(obj({"message": {"type": "string", "const": "Call updated successfully"}, "call": ref("Call")})),
   errors=("404", "409", "503"),
   desc="At least one of status, notes, duration. Operators only for their own calls (403 `Access denied. This call does not belong to you.`); 404 `Call log not found`.")
op("GET", "/api/operator/calls/history", tag="operator", summary="The caller's calls", access="operatorOrAdmin",
   params=[PAGE, LIMIT, q("status", ref("CallStatus")), START, END],
   resp=ok(obj({"calls": arr(ref("Call")), "pagination": ref("Pagination")})), errors=("400", "503"))
