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
       "recentActivity": arr(ref("Call")),
       "dialingRules": obj({"unknownTimezoneLeads": {"type": "integer", "description": "Pending leads not dialed for want of a time zone (issue 12)."}}),
       "todayDispositions": ref("DispositionReport"),
       "pacing": ref("DashboardPacing")},
       required=["userStats", "leadStats", "callStats", "priorityBreakdown", "salespersonPerformance", "recentActivity"])})),
   errors=("503",))
op("GET", "/api/admin/system-status", tag="admin", summary="Daemons, queue and gateway status", access="admin",
   resp=ok(obj({"systemStatus": obj({
       "database": {"type": "string", "enum": ["connected", "disconnected"]},
       "callQueue": ref("QueueStatus"),
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
            "value": {"type": "integer", "minimum": 1, "maximum": 10000, "description": "Lines (persisted)."}}),
       body_obj({"action": {"type": "string", "const": "set_calling_hours"},
                 "start": {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "description": "HH:MM, 00:00–23:59."},
                 "end": {"type": "string", "pattern": "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$",
                         "description": "HH:MM, 00:01–24:00; must differ from `start` (except 00:00–24:00, all day); before `start`: the window wraps past midnight."},
                 "days": arr({"type": "string", "enum": ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]}, minItems=1,
                             description="Days the window is open (default every day); full names and any case are accepted too.")},
                required=["action", "start", "end"]),
       body_obj({"action": {"type": "string", "const": "set_pacing"},
                 "mode": {"type": "string", "enum": ["progressive", "predictive"]},
                 "maxAbandonRate": {"anyOf": [{"type": "number", "minimum": 0, "maximum": 0.5},
                                              {"type": "string", "pattern": "^(50(\\.0+)?|[0-4]?[0-9](\\.[0-9]+)?)%$"}],
                                    "description": "The abandon-rate cap: a fraction 0–0.5 (0.03 = 3 %) or a percentage string such as `\"3%\"`."}},
                required=["action"]) | {"anyOf": [{"required": ["mode"], "properties": {"mode": {"type": "string"}}},
                                                  {"required": ["maxAbandonRate"], "properties": {"maxAbandonRate": {"not": {"type": "null"}}}}]}]},
       examples={"pause": {"action": "pause_queue"}, "lines": {"action": "set_max_concurrent_calls", "value": 20},
                 "hours": {"action": "set_calling_hours", "start": "09:00", "end": "20:00", "days": ["mon", "tue", "wed", "thu", "fri"]},
                 "pacing": {"action": "set_pacing", "mode": "predictive", "maxAbandonRate": 0.03}}),
   resp=ok({"type": "object", "required": ["message"], "properties": {
       "message": STR,
       "status": {"anyOf": [{"type": "string", "enum": ["paused", "running"]}, ref("QueueStatus")],
                  "description": "`paused`/`running`, or the queue status object for `get_queue_status`."},
       "resetCount": INT, "activeCalls": arr(ref("ActiveCall")), "maxConcurrentCalls": INT,
       "callingHours": ref("CallingHours"),
       "pacingMode": {"type": "string", "enum": ["progressive", "predictive"]},
       "maxAbandonRate": {"type": "number", "minimum": 0, "maximum": 0.5}}}),
   errors=("503",),
   desc="Each action's answer: `pause_queue`/`resume_queue` `{message, status}`; `reset_stuck_leads` `{message, resetCount}`; `get_queue_status` `{message, status, activeCalls}`; `set_max_concurrent_calls` `{message, maxConcurrentCalls}`; `set_calling_hours` (issue 12, persisted) `{message: \"Calling hours updated\", callingHours}`; `set_pacing` (issue 14, persisted; either field may be left out, not both) `{message: \"Pacing updated\", pacingMode, maxAbandonRate}`. 400 `Action parameter required`, `Invalid action specified` (with `allowedActions`), `Validation failed` for a bad value.")
op("GET", "/api/admin/reports/performance", tag="admin", summary="Performance report", access="admin",
   params=[START, END],
   resp=ok(obj({"performance": obj({
       "salespersonStats": arr(PERF_ENTRY),
       "leadConversion": arr(ref("Count"), description="Active leads per status (ignores the dates)."),
       "dailyCalls": arr(obj({"_id": ref("DayKey"), "totalCalls": INT, "answeredCalls": INT})),
       "dispositions": ref("DispositionReport")}, required=["salespersonStats", "leadConversion", "dailyCalls"])})),
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
                        "description": "The caller's place among operators with calls, or null (admins, no calls)."},
       "todayDispositions": ref("DispositionSummary"),
       "operatorState": {"anyOf": [ref("OperatorState"), {"type": "null"}],
                         "description": "The caller's own state (issue 14); null before the queue-daemon has written one (admins)."}},
       required=["personalStats", "assignedLeads", "recentCalls", "availableLeads", "performanceRanking", "operatorRank"])})),
   errors=("503",))
op("GET", "/api/operator/profile/performance", tag="operator", summary="The caller's performance",
   access="operatorOrAdmin", params=[START, END],
   resp=ok(obj({"performance": {"allOf": [ref("Figures"), obj({"successRate": NUM, "dispositions": ref("DispositionSummary")},
                                                              required=["successRate"])]},
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
   body=jbody(body_obj(OUTCOME_UPDATE, required=[]) | {"allOf": [DURATION_RULE, {"anyOf": [
       {"required": [k], "properties": {k: {"not": {"type": "null"}}}} for k in ("status", "notes", "duration", "disposition")]},
       {"if": {"required": ["disposition"], "properties": {"disposition": {"const": "callback"}}},
        "then": {"required": ["callbackAt"], "properties": {"callbackAt": {"type": "string"}}}}]}),
   resp=ok(obj({"message": {"type": "string", "const": "Call updated successfully"}, "call": ref("Call"),
                "lead": {"anyOf": [ref("Lead"), {"type": "null"}],
                         "description": "With a disposition and nothing else: the lead as the disposition left it."}},
               required=["message", "call"])),
   errors=("404", "409", "503"),
   desc="At least one of status, notes, duration, disposition. `disposition` (issue 12) is one of `GET /api/dispositions` (`IBRAT_DISPOSITIONS`); `callback` needs `callbackAt`, ahead, within 30 days and inside the lead's calling hours (400 otherwise), and books the lead for then; changing a disposition away from `callback` cancels the booking and releases the lead; a disposition may change for `IBRAT_DISPOSITION_EDIT_HOURS` after the call. Recording the outcome ends the operator's wrap-up (issue 14). Operators only for their own calls (403 `Access denied. This call does not belong to you.`); 404 `Call log not found`.")
op("GET", "/api/operator/calls/history", tag="operator", summary="The caller's calls", access="operatorOrAdmin",
   params=[PAGE, LIMIT, q("status", ref("CallStatus")), START, END],
   resp=ok(obj({"calls": arr(ref("Call")), "pagination": ref("Pagination")})), errors=("400", "503"))
