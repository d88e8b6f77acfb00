"""Issue 17: "why is nothing dialing?" — a lead's `dialability` and the queue's explanation."""
from components import *  # noqa: F401,F403
from dsl import *  # noqa: F401,F403

REASON_CODES = ["paused", "dialer_unavailable", "not_pending", "claimed", "do_not_call", "callback_reserved",
                "unknown_timezone", "retry_wait", "outside_calling_hours", "daily_cap", "max_attempts",
                "waiting_for_line", "waiting_for_operator"]
COUNTED = ["do_not_call", "callback_reserved", "unknown_timezone", "retry_wait", "outside_calling_hours", "daily_cap"]

schemas["DialabilityReason"] = obj(
    {"reason": {"type": "string", "enum": REASON_CODES},
     "until": {"type": ["string", "null"], "format": "date-time",
               "description": "When it stops holding, when known: retry time, next opening, end of the daily cap, call-back time or end of its grace."},
     "localTime": {"type": "string", "description": "`outside_calling_hours`: the lead's local time (\"Mon 22:15 in Asia/Tashkent\")."},
     "operatorId": {**OID, "description": "`claimed`: the holder; `callback_reserved`: the operator it waits for."},
     "status": {"type": "string", "description": "`not_pending`: the lead's status, or `deleted`."}},
    required=["reason"])
schemas["Dialability"] = obj(
    {"callable": BOOL,
     "firstReason": {"type": ["string", "null"], "enum": REASON_CODES + [None]},
     "reasons": arr(ref("DialabilityReason"), description="Every reason that holds, in the order dispatch checks them."),
     "nextCallableAt": {"type": ["string", "null"], "format": "date-time",
                        "description": "The earliest time the lead's own rules allow a call; null when a lasting reason holds or nothing about the lead waits."}},
    desc="Why the lead is or is not dialed now, from the decision dispatch uses (issue 17).")
schemas["Lead"]["properties"]["dialability"] = {
    "anyOf": [ref("Dialability"), {"type": "null"}],
    "description": "Lead list and detail only: null when the queue-daemon did not answer in time."}
schemas["QueueExplanation"] = obj(
    {"dialing": BOOL, "idle": BOOL,
     "reason": {"type": ["string", "null"], "enum": REASON_CODES + ["no_pending_leads", None],
                "description": "Why nothing (more) is dialed: a queue-wide reason holding ready leads, else the reason holding the most pending leads; null when ready leads can be dialed now."},
     "message": STR,
     "blockers": arr({"type": "string", "enum": ["paused", "dialer_unavailable", "waiting_for_line", "waiting_for_operator"]}),
     "paused": BOOL, "dialerReady": BOOL,
     "lines": obj({"inUse": INT, "max": INT, "free": INT}),
     "operators": obj({"available": INT, "on_call": INT, "wrap_up": INT, "unavailable": INT, "total": INT}),
     "pacing": obj({"mode": STR, "effectiveMode": STR, "reason": STR, "dialLevel": NUM, "maxDialLevel": NUM}),
     "pending": obj({"total": INT, "ready": INT,
                     "byFirstReason": obj({k: INT for k in COUNTED})},
                    desc="Pending leads: `ready` ones no lead reason holds, the others counted by their first lead reason."),
     "nextOpening": {"anyOf": [obj({"at": TS, "zones": STR, "localTime": STR, "inSeconds": INT}), {"type": "null"}]},
     "nextDialableAt": TSN, "computedAt": TS},
    desc="Why the queue is or is not dialing right now (issue 17).")

op("GET", "/api/admin/queue/explain", tag="admin", summary="Why the queue is or is not dialing", access="admin",
   resp=ok(obj({"explanation": ref("QueueExplanation")})), errors=("503",),
   desc="Lines, operators by state, pacing, pending leads counted by the first reason that holds them, the next opening and the next time something becomes dialable; from the decision dispatch uses. Counts come from in-memory counters and partial indexes (no scan of the leads).")
