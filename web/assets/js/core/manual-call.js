// Hand-over of a manual call from the page that starts it (available leads: "Start call") to the
// operator workspace, which shows the lead card, the timer and the outcome form for it as for an
// automatic call. In memory only: after a reload the workspace finds the live call through the
// operator's call history instead.
let pending = null;

/** The call just started (`POST /api/operator/calls/start` answer's `call`) and its lead. */
export function remember(call, lead) {
  pending = { callId: call.id, status: call.status || 'initiated', lead, startedAt: Date.now() };
}

/** The call to show, once. */
export function take() {
  const value = pending;
  pending = null;
  return value;
}
