// The wallboard's live state and how each event changes it. Pure: the page feeds it REST
// snapshots and Socket.IO events and renders what it holds; tests can drive it directly.
//
// Counters that the events cannot tell exactly (leads by status after a busy call: back to
// pending or failed?) come from the REST snapshot, which the page reloads after events (at most
// a few times a second, and once more after the last event), so they are exact when a burst ends.
// Live calls, queue state, availability and presence change here at once from the events.

export const LIVE = new Set(['initiated', 'ringing', 'answered']);

export function createModel() {
  return {
    leads: {}, priorities: {}, today: {}, queue: {},
    explanation: null,      // why the queue is or is not dialing (issue 17)
    calls: new Map(),       // callId → {callId, leadId, operatorId, status, phone, since}
    operators: new Map(),   // userId → {id, name, isAvailable, isActive, online, state}
    onlineIds: null,        // Set of online user ids once `get_online_users` answered
    operatorsVersion: 0,    // +1 whenever the list of operators is replaced (rows are rebuilt)
    eventsSeen: 0,
  };
}

/** GET /api/admin/system-status + /api/admin/dashboard → counters. */
export function applySnapshot(model, status, dashboard) {
  const queue = status?.systemStatus?.callQueue || {};
  const d = dashboard?.dashboard || {};
  if (!status && !dashboard) return model;
  if (status) model.queue = {
    paused: queue.paused === true || queue.isRunning === false,
    activeCalls: queue.activeCalls ?? 0,
    maxConcurrentCalls: queue.maxConcurrentCalls ?? 0,
    slaMisses: queue.slaMisses?.total ?? 0,
    slaByPriority: queue.slaMisses || {},
    waiting: queue.waitingLeads ?? 0,
    freeOperators: queue.freeOperators ?? 0,
    reachable: status?.systemStatus?.queueDaemon?.reachable !== false,
    callQueue: queue,   // pacing and operator states (issue 14): see core/pacing-figures.js
  };
  if (status) model.explanation = queue.explanation || null;
  if (queue.leads) {
    const leads = { ...queue.leads };
    leads.total = ['pending', 'claimed', 'calling', 'answered', 'transferred', 'failed'].reduce((a, k) => a + (Number(leads[k]) || 0), 0);
    model.leads = leads;
  }
  if (dashboard && !queue.leads && d.leadStats) {   // queue-daemon unreachable: the dashboard's figures
    const ls = d.leadStats;
    model.leads = { pending: ls.pendingLeads, claimed: ls.claimedLeads, calling: ls.callingLeads,
      answered: ls.answeredLeads, transferred: ls.transferredLeads, failed: ls.failedLeads, total: ls.totalLeads };
  }
  if (dashboard) {
    model.priorities = {};
    for (const row of d.priorityBreakdown || []) model.priorities[row._id] = row.count;
    model.today = { ...(d.callStats || {}) };
  }
  return model;
}

/** GET /api/calls (newest first) → the live ones. */
export function applyCalls(model, calls) {
  model.calls.clear();
  for (const c of calls || []) {
    if (!LIVE.has(c.status)) continue;
    model.calls.set(c.id, {
      callId: c.id, leadId: c.lead?.id ?? c.lead, operatorId: c.salesperson?.id ?? c.salesperson ?? null,
      status: c.status, phone: c.to || c.lead?.phone || '', name: c.lead?.name || '',
      since: Date.parse(c.startTime || c.createdAt) || Date.now(),
    });
  }
  return model;
}

/** GET /api/users → operators (every non-admin user). Presence is kept from events. */
export function applyUsers(model, users) {
  const previous = model.operators;
  model.operators = new Map();
  model.operatorsVersion += 1;
  for (const u of users || []) {
    if (u.role === 'admin') continue;
    model.operators.set(u.id, {
      id: u.id, name: u.name, isAvailable: !!u.isAvailable, isActive: u.isActive !== false,
      online: model.onlineIds ? model.onlineIds.has(u.id) : previous.get(u.id)?.online ?? null,
      state: u.operatorState ?? previous.get(u.id)?.state ?? null,
    });
  }
  return model;
}

/** The `get_online_users` answer: who is online right now. */
export function applyPresence(model, userIds) {
  model.onlineIds = new Set(userIds || []);
  for (const op of model.operators.values()) op.online = model.onlineIds.has(op.id);
  return model;
}

/** One Socket.IO event. Returns true when the view should re-render. */
export function applyEvent(model, name, payload, nowMs) {
  model.eventsSeen += 1;
  const p = payload || {};
  switch (name) {
    case 'call_status_updated': {
      if (!p.callId) return false;
      const known = model.calls.get(p.callId);
      if (LIVE.has(p.status)) {
        model.calls.set(p.callId, {
          callId: p.callId, leadId: p.leadId, operatorId: p.salespersonId ?? known?.operatorId ?? null,
          status: p.status, phone: p.phone || known?.phone || '', name: known?.name || '',
          since: known?.since ?? (Date.parse(p.timestamp) || nowMs),
        });
      } else {
        model.calls.delete(p.callId);
      }
      return true;
    }
    case 'lead_assigned': {
      const call = model.calls.get(p.callId);
      if (call && p.lead) { call.name = p.lead.name || call.name; call.phone = p.lead.phone || call.phone; }
      return !!call;
    }
    case 'user_online':
    case 'user_offline': {
      if (model.onlineIds) {
        if (name === 'user_online') model.onlineIds.add(p.userId); else model.onlineIds.delete(p.userId);
      }
      const op = model.operators.get(p.userId);
      if (!op) return false;
      op.online = name === 'user_online';
      return true;
    }
    case 'user_availability_changed': {
      const op = model.operators.get(p.userId);
      if (!op) return false;
      op.isAvailable = !!p.isAvailable;
      return true;
    }
    case 'operator_state_changed': {   // issue 14: available, on_call, wrap_up, unavailable
      const op = model.operators.get(p.operatorId);
      if (!op || !p.state || op.state === p.state) return false;
      op.state = p.state;
      return true;
    }
    case 'queue_paused':
    case 'queue_resumed':
      model.queue.paused = name === 'queue_paused';
      return true;
    case 'queue_explained':
      model.explanation = p;
      return true;
    default:
      return false;
  }
}

/** The wallboard banner (issue 17): the queue's own answer when nothing can dial while leads are
 *  pending, null otherwise. Text only. */
export function idleBanner(model) {
  const e = model.explanation;
  if (!e || e.idle !== true) return null;
  return typeof e.message === 'string' && e.message ? e.message : `Nothing can dial: ${e.reason || 'unknown reason'}`;
}

/** Operator ids currently on a live call. */
export function operatorsOnCall(model) {
  const busy = new Map();
  for (const call of model.calls.values()) if (call.operatorId) busy.set(call.operatorId, call);
  return busy;
}
