"""Component schemas, shared parameters and the input field rules of docs/openapi.json. Each
rule matches what the gateway accepts (schemathesis checks both directions: valid data accepted,
invalid data refused)."""
from dsl import *  # noqa: F401,F403

schemas = {
    "Error": obj({"error": {"type": "string", "description": "Short error text (the earlier version's strings, kept)."},
                  "message": {"type": "string", "description": "What exactly was wrong."},
                  "details": {"type": "string", "description": "Validation errors only: the same text as `message` (the earlier version's clients read `details`)."},
                  "allowedActions": arr(STR, description="`POST /api/admin/system/control` with an unknown action only.")},
                 required=["error", "message"],
                 desc="Every error answer of the REST API."),
    "EngineIOError": obj({"code": INT, "message": STR},
                         desc="Engine.IO's own error body: 0 unknown transport, 1 unknown session id, 2 bad handshake method, 3 bad request, 4 forbidden, 5 unsupported protocol version, 503 too many sessions (HTTP 503)."),
    "ObjectId": {"type": "string", "pattern": "^[0-9a-f]{24}$", "description": "24 lower-case hex digits.",
                 "example": "65a1b2c3d4e5f60718293a4b"},
    "Timestamp": {"type": "string", "format": "date-time", "description": "ISO 8601 UTC with milliseconds.",
                  "example": "2026-01-15T10:30:00.000Z"},
    "NullableTimestamp": {"type": ["string", "null"], "format": "date-time"},
    "Role": {"type": "string", "enum": ["admin", "salesperson"],
             "description": "The role as answered. The operator role is `salesperson` on the wire."},
    "RoleInput": {"type": "string", "enum": ["admin", "salesperson", "operator"],
                  "description": "A role as accepted in requests: `operator` is an alias of `salesperson`."},
    "LeadStatus": {"type": "string", "enum": ["pending", "claimed", "calling", "answered", "transferred", "failed"]},
    "LeadPriority": {"type": "string", "enum": ["urgent", "high", "medium", "low"]},
    "CallStatus": {"type": "string", "enum": ["initiated", "ringing", "answered", "completed", "busy", "no-answer",
                                              "failed", "canceled", "abandoned", "machine"],
                   "description": "`abandoned`: a person answered an automatic (predictive) call and no operator was free within the abandon wait, the call heard a short message and ended (issue 14). `machine`: an answering machine or fax answered and the call ended without an operator. Both are the dialer's own and final."},
    "CallStatusInput": {"type": "string", "enum": ["initiated", "ringing", "answered", "completed", "busy", "no-answer",
                                                   "failed", "canceled"],
                        "description": "A call status an operator or admin may report (`abandoned` and `machine` are the dialer's own: 400)."},
    "OperatorState": {"type": "string", "enum": ["available", "on_call", "wrap_up", "unavailable"],
                      "description": "What an operator is doing (issue 14): free for a call, on one, in after-call work (wrap-up) until the outcome is in or `IBRAT_WRAP_UP_SECONDS` pass, or not taking calls (inactive or availability off)."},
    "Pagination": obj({"page": {"type": "integer", "minimum": 1}, "limit": {"type": "integer", "minimum": 1, "maximum": 100},
                       "total": {"type": "integer", "minimum": 0}, "pages": {"type": "integer", "minimum": 0}},
                      desc="`pages` = ceil(total / limit)."),
    "CallStats": obj({"totalCalls": INT, "successfulCalls": INT, "totalDuration": INT},
                     desc="An operator's calls, those that ended `completed`, and their talk time in seconds."),
    "User": obj({"_id": OID, "id": OID, "name": STR, "email": STR, "phone": STR, "role": ref("Role"),
                 "isActive": BOOL, "isAvailable": BOOL, "lastLogin": TSN, "callStats": ref("CallStats"),
                 "createdAt": TS, "updatedAt": TS, "operatorState": ref("OperatorState")},
                required=["_id", "id", "name", "email", "phone", "role", "isActive", "isAvailable", "lastLogin",
                          "callStats", "createdAt", "updatedAt"],
                desc="A user; never the password hash. `operatorState` (issue 14) on operators in `GET /api/users`."),
    "Lead": obj({"_id": OID, "id": OID, "phone": STR, "name": STR, "email": STR, "status": ref("LeadStatus"),
                 "priority": ref("LeadPriority"), "callAttempts": INT, "lastCallAttempt": TSN, "nextCallTime": TSN,
                 "assignedTo": {"anyOf": [OID, ref("UserRef"), {"type": "null"}],
                                "description": "The operator's id, populated as `{_id,id,name,email[,phone]}` by the lead list and detail routes, or null."},
                 "claimedAt": TSN, "notes": STR, "tags": arr(STR),
                 "source": STR, "isActive": BOOL, "createdAt": TSN, "updatedAt": TSN,
                 "timezone": NSTR, "timezoneSource": {"type": ["string", "null"], "enum": ["explicit", "number", "country", None]},
                 "doNotCall": BOOL,
                 "callableReason": {"type": ["string", "null"], "enum": ["do_not_call", "unknown_timezone", "daily_cap", None]},
                 "disposition": NSTR, "callbackAt": TSN, "callbackMine": BOOL,
                 "callbackOperator": {"anyOf": [OID, {"type": "null"}]}},
                required=["_id", "id", "phone", "name", "email", "status", "priority", "callAttempts", "lastCallAttempt",
                          "nextCallTime", "assignedTo", "claimedAt", "notes", "tags", "source", "isActive", "createdAt",
                          "updatedAt"],
                desc="A lead. `phone` is E.164; `assignedTo` is the operator's id or null."),
    "UserRef": obj({"_id": OID, "id": OID, "name": STR, "email": STR, "phone": STR}, required=["_id", "id", "name"],
                   desc="A user referenced from another entity (which fields besides `name` depends on the route)."),
    "LeadRef": obj({"_id": OID, "id": OID, "phone": NSTR, "name": NSTR, "email": NSTR,
                    "priority": {"anyOf": [ref("LeadPriority"), {"type": "null"}]}}, required=["_id", "id"],
                   desc="A lead referenced from a call (which fields depends on the route)."),
    "Call": obj({"_id": OID, "id": OID,
                 "lead": {"anyOf": [OID, ref("LeadRef"), {"type": "null"}],
                          "description": "The lead: its id, or populated on list and detail routes."},
                 "salesperson": {"anyOf": [OID, ref("UserRef"), {"type": "null"}],
                                 "description": "The operator: id, populated, or null for a call without one."},
                 "twilioCallSid": NSTR, "direction": NSTR, "mode": {"type": ["string", "null"], "enum": ["automatic", "manual", None]},
                 "status": {"anyOf": [ref("CallStatus"), {"type": "null"}]}, "from": NSTR, "to": NSTR,
                 "duration": {"type": "integer", "minimum": 0, "description": "Talk time, seconds."},
                 "startTime": TSN, "answerTime": TSN, "endTime": TSN, "transferTime": TSN, "notes": NSTR,
                 "errorCode": NSTR, "errorMessage": NSTR, "endReason": NSTR, "createdAt": TSN, "updatedAt": TSN,
                 "disposition": {"type": ["string", "null"], "description": "The outcome the operator recorded (issue 12; one of `GET /api/dispositions`), or null."},
                 "dispositionAt": TSN,
                 "callbackAt": {"type": ["string", "null"], "format": "date-time", "description": "The call-back booked with the `callback` disposition, or null."}},
                desc="A call (the earlier version's CallLog). `endReason` says why it ended, e.g. `abandon_message_played` (status `abandoned`) or `machine_detected` (status `machine`)."),
    "StartedCall": obj({"id": OID, "_id": OID, "lead": {"type": ["string", "null"], "description": "The lead's phone."},
                        "salesperson": {"type": ["string", "null"], "description": "`/api/calls/initiate` only: the operator's name."},
                        "status": ref("CallStatus"), "twilioCallSid": NSTR},
                       required=["id", "_id", "lead", "status", "twilioCallSid"]),
    "Figures": obj({"totalCalls": INT, "answeredCalls": INT, "completedCalls": INT, "totalDuration": INT,
                    "averageDuration": NUM},
                   desc="`answeredCalls` counts calls that were answered (whatever their end), `completedCalls` those that ended `completed`, durations in seconds, `averageDuration` = totalDuration / totalCalls."),
    "DayKey": obj({"year": INT, "month": INT, "day": INT}, desc="A UTC day."),
    "Count": obj({"_id": STR, "count": INT}),
}

PAGE = {"$ref": "#/components/parameters/page"}
LIMIT = {"$ref": "#/components/parameters/limit"}
START = {"$ref": "#/components/parameters/startDate"}
END = {"$ref": "#/components/parameters/endDate"}
PATH_ID = {"$ref": "#/components/parameters/id"}
SEARCH = q("search", {"type": "string", "maxLength": 200}, "Literal, case-insensitive substring (no regular expressions).")

DATE = {"anyOf": [{"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
                  {"type": "string", "format": "date-time",
                   "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-5][0-9](\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$"}]}
parameters = {
    "page": q("page", {"type": "integer", "minimum": 1, "maximum": 1000000, "default": 1}, "1-based page."),
    "limit": q("limit", {"type": "integer", "minimum": 1, "default": 20},
               "Page size; values above 100 are served as 100."),
    "startDate": q("startDate", DATE,
                   "ISO 8601 date or date-time; calls created at or after it."),
    "endDate": q("endDate", DATE,
                 "ISO 8601 date or date-time, not before `startDate`; a date covers its whole UTC day."),
    "id": {"name": "id", "in": "path", "required": True, "schema": OID},
}

# Issue 11: every text limit (`FieldRules`) counts UTF-16 code units, as JSON Schema cannot say.
UTF16 = "Lengths count UTF-16 code units, as the earlier version and the console's maxlength (an emoji counts 2)."
NOCTL = "^[^\\u0000-\\u001f\\u007f]*$"
NOCTL_ML = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$"
NAME = {"type": "string", "minLength": 2, "maxLength": 100,
        "pattern": "^[^ \\u0000-\\u001f\\u007f]([^\\u0000-\\u001f\\u007f]*[^ \\u0000-\\u001f\\u007f])?$",
        "description": "2–100 characters (surrounding spaces are trimmed). " + UTF16}
EMAIL = {"type": "string", "format": "email", "maxLength": 254, "description": "Lower-cased and trimmed."}
schemas["PhoneInput"] = {
    "type": "string",
    "anyOf": [{"pattern": "^\\+99[2468][0-9]{9}$"}, {"pattern": "^\\+993[0-9]{8}$"},
              {"pattern": "^\\+(1|7|90)[0-9]{10}$"}],
    "description": "A phone number, stored in E.164. The schema lists the canonical form for the countries whose number length the gateway checks (+998, +992, +994, +996: 9 digits; +993: 8; +1, +7, +90: 10). The gateway also accepts any E.164 number of 8–15 digits in other countries, the usual separators (spaces, `-`, `.`, `(`, `)`), a `00` prefix, and national numbers, which get `IBRAT_DEFAULT_COUNTRY_CODE` (one leading trunk `0` dropped).",
    "example": "+998901234567"}
PHONE = ref("PhoneInput")
TIMEZONE = {"type": "string", "enum": ["", "UTC", "Asia/Tashkent", "Asia/Samarkand", "Europe/London", "America/New_York"],
            "description": "An IANA time zone name (any zone the system's tzdata knows; these are examples), or \"\" for the zone of the phone number. Other names are 400."}
PASSWORD = {"type": "string", "minLength": 8, "maxLength": 256, "pattern": NOCTL,
            "description": "8–256 characters, no control characters. " + UTF16}
CALL_UPDATE = {"status": ref("CallStatusInput"), "notes": {"type": "string", "maxLength": 1000, "pattern": NOCTL_ML, "description": UTF16},
               "duration": {"type": "integer", "minimum": 0, "maximum": 86400,
                            "description": "Talk time in seconds; other than 0 only with `status: completed`."}}
# The operator's outcome route also takes a disposition (issue 12); the test system has the default list.
DISPOSITIONS = ["interested", "not_interested", "callback", "wrong_number", "do_not_call", "voicemail", "sale"]
OUTCOME_UPDATE = dict(CALL_UPDATE, disposition={"type": "string", "enum": DISPOSITIONS,
                                                "description": "One of `GET /api/dispositions` (these are the defaults of `IBRAT_DISPOSITIONS`)."},
                      callbackAt={"type": "string", "format": "date-time",
                                  "description": "Required with `callback`: when to call back (ISO 8601)."})
DURATION_RULE = {"anyOf": [{"required": ["status"], "properties": {"status": {"const": "completed"}}},
                           {"not": {"required": ["duration"]}},
                           {"properties": {"duration": {"enum": [0, None]}}}]}

# ---- issue 12/14 figures: calling hours, pacing, operator states, dispositions ---------------------
WEEKDAY = {"type": "string", "enum": ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]}
schemas["CallingHours"] = obj({"start": {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"},
                               "end": {"type": "string", "pattern": "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$"},
                               "days": arr(WEEKDAY)},
                              desc="The calling window in each lead's local time (issue 12): `start`–`end` (`24:00` = midnight at the end of the day; an end before the start wraps past midnight) on `days`.")
schemas["OperatorStates"] = obj({s: {"type": "integer", "minimum": 0} for s in ("available", "on_call", "wrap_up", "unavailable")},
                                desc="Operators per state (issue 14; see `OperatorState`).")
NRATE = {"type": ["number", "null"], "minimum": 0, "maximum": 1}
ABANDON_COUNTS = {"abandonRateToday": NRATE | {"description": "Abandoned / live-answered automatic calls this UTC day; null before any answer."},
                  "abandonRate30Days": NRATE | {"description": "The same over the rolling 30 days (the legal measure); null before any answer."},
                  "answeredToday": INT, "abandonedToday": INT, "answered30Days": INT, "abandoned30Days": INT}
PACING_MODE = {"type": "string", "enum": ["progressive", "predictive"]}
schemas["PacingStatus"] = obj({
    "mode": PACING_MODE,
    "effectiveMode": PACING_MODE | {"description": "What the dialer does now: predictive only when the mode is and no bound holds it back."},
    "reason": {"type": "string", "enum": ["progressive", "predictive", "small_team", "warming_up", "abandon_cap_reached"],
               "description": "Why `effectiveMode` is what it is (docs/PACING.md)."},
    "maxAbandonRate": {"type": "number", "minimum": 0, "maximum": 0.5}, **ABANDON_COUNTS,
    "answerProbability": NRATE | {"description": "Measured share of automatic calls a person answers (recent window); null before any outcome."},
    "samples": INT, "waitingCalls": INT, "minOperators": INT, "maxLinesPerOperator": INT,
    "abandonWaitMs": INT, "wrapUpMs": INT},
    desc="Predictive pacing as the queue-daemon runs it (issue 14, docs/PACING.md).")
schemas["DashboardPacing"] = obj({"mode": PACING_MODE, "maxAbandonRate": {"type": "number", "minimum": 0, "maximum": 0.5},
                                  **ABANDON_COUNTS, "operatorStates": ref("OperatorStates")},
                                 desc="Pacing figures on the admin dashboard (issue 14), read from the database.")
schemas["QueueStatus"] = obj({
    "isRunning": BOOL, "paused": BOOL, "maxConcurrentCalls": INT, "activeCalls": INT,
    "claimTimeoutSeconds": INT,
    "leads": obj({s: INT for s in ("pending", "claimed", "calling", "answered", "transferred", "failed")},
                 desc="Active leads per status."),
    "openImports": INT, "callingHours": ref("CallingHours"), "unknownTimezoneLeads": INT,
    "pendingLeads": {"type": "integer", "description": "Dispatchable leads already due."},
    "waitingLeads": {"type": "integer", "description": "Dispatchable leads not due yet (back-off, call-back, calling hours)."},
    "freeOperators": INT, "operators": INT,
    "slaMisses": obj({"urgent": INT, "high": INT, "medium": INT, "total": INT}),
    "dispatched": INT, "dialerConnected": BOOL, "dialerSynced": BOOL,
    "pacing": ref("PacingStatus"), "operatorStates": ref("OperatorStates"),
    "explanation": ref("QueueExplanation") | {"description": "Why the queue is or is not dialing (issue 17)."}},
    required=["isRunning", "paused", "maxConcurrentCalls", "activeCalls"],
    desc="The queue-daemon's status. When it does not answer, system status shows only `isRunning: false`, `paused`, `maxConcurrentCalls`, `activeCalls` and `callingHours` from the database.")
schemas["ActiveCall"] = obj({"leadId": OID, "salespersonId": {"anyOf": [OID, {"type": "null"}]}, "callId": OID,
                             "mode": {"type": "string", "enum": ["automatic", "manual"]}, "startTime": TS,
                             "duration": {"type": "integer", "minimum": 0, "description": "Milliseconds since the call started."}})
DISPOSITION_COUNTS = {"type": "object", "additionalProperties": INT, "description": "Calls per recorded disposition."}
schemas["DispositionSummary"] = obj({"counts": DISPOSITION_COUNTS, "conversions": INT},
                                    desc="`conversions` = calls disposed `sale` or `interested`.")
schemas["DispositionReport"] = obj({
    "total": DISPOSITION_COUNTS, "conversions": INT,
    "byOperator": arr(obj({"operatorId": {"anyOf": [OID, {"type": "null"}]}, "counts": DISPOSITION_COUNTS, "conversions": INT})),
    "byDay": arr(obj({"_id": ref("DayKey"), "counts": DISPOSITION_COUNTS, "conversions": INT}))},
    desc="Dispositions recorded on the calls of the period (issue 12), in total, per operator and per UTC day.")
