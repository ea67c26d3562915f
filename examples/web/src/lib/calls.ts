// The live-calls store of useWebhookCalls: a pure reducer over the messages
// of the /ws/calls WebSocket, polling answers and command answers.
//
// Like the server's call state machine, it never moves a call backwards:
// terminal states are absorbing and dialing → ringing → active only goes
// forward, so a late or duplicated message cannot undo a newer one.
import { TERMINAL_STATUSES, type Call, type CallStatus, type CallStreamMessage, type User } from '../api/types';

export function isTerminal(status: CallStatus | string | null | undefined): boolean {
  return TERMINAL_STATUSES.includes(status as CallStatus);
}

/** 0 dialing, 1 ringing, 2 active, 3 any terminal status. */
export function statusRank(status: CallStatus | string): number {
  switch (status) {
    case 'dialing':
      return 0;
    case 'ringing':
      return 1;
    case 'active':
      return 2;
    default:
      return isTerminal(status) ? 3 : 0;
  }
}

function time(iso: string | null | undefined): number {
  if (!iso) return NaN;
  return Date.parse(iso);
}

/**
 * The newer of two views of the same call. `incoming` wins unless it would
 * take the call back to an earlier state, or it is older by `updated_at`.
 * Fields the incoming view leaves out (partial answers) keep their value.
 */
export function mergeCall(existing: Call | undefined, incoming: Call): Call {
  if (!existing) return incoming;
  const rankOld = statusRank(existing.status);
  const rankNew = statusRank(incoming.status);
  if (rankNew < rankOld) return existing;
  if (rankNew === rankOld && isTerminal(existing.status) && existing.status !== incoming.status) {
    // Two different terminal states: the server's later view wins only when
    // it is newer (a late call.answered turns canceled into completed).
    const tOld = time(existing.updated_at);
    const tNew = time(incoming.updated_at);
    if (!(tNew > tOld)) return existing;
  }
  const tOld = time(existing.updated_at);
  const tNew = time(incoming.updated_at);
  if (rankNew === rankOld && Number.isFinite(tOld) && Number.isFinite(tNew) && tNew < tOld) return existing;
  const merged: Call = { ...existing };
  for (const [k, v] of Object.entries(incoming)) {
    if (v !== undefined) (merged as unknown as Record<string, unknown>)[k] = v;
  }
  return merged;
}

export interface CallsState {
  /** Every call seen, by call_id. */
  calls: Record<string, Call>;
  /** Number of messages applied (for tests and debugging). */
  version: number;
}

export const initialCallsState: CallsState = { calls: {}, version: 0 };

export type CallsAction =
  | { type: 'message'; message: CallStreamMessage; keep?: readonly string[] }
  | { type: 'upsert'; call: Call }
  | { type: 'prune'; keep: number };

/**
 * Applies a snapshot of the live calls. Every call in it is merged in. A call
 * we thought live that the snapshot leaves out has ended meanwhile: it is
 * dropped, unless listed in `keep` (the caller then asks for its final state).
 */
function applySnapshot(state: CallsState, calls: Call[], keep: readonly string[] = []): CallsState {
  const next: Record<string, Call> = {};
  const inSnapshot = new Set(calls.filter((c) => c && c.call_id).map((c) => c.call_id));
  for (const [id, c] of Object.entries(state.calls)) {
    if (isTerminal(c.status) || inSnapshot.has(id) || keep.includes(id)) next[id] = c;
  }
  for (const c of calls) {
    if (c && c.call_id) next[c.call_id] = mergeCall(next[c.call_id], c);
  }
  return { calls: next, version: state.version + 1 };
}

function applyOne(state: CallsState, call: Call): CallsState {
  if (!call || !call.call_id) return state;
  const prev = state.calls[call.call_id];
  const merged = mergeCall(prev, call);
  if (merged === prev) return state;
  return { calls: { ...state.calls, [call.call_id]: merged }, version: state.version + 1 };
}

export function callsReducer(state: CallsState, action: CallsAction): CallsState {
  switch (action.type) {
    case 'message': {
      const m = action.message;
      if (m.type === 'snapshot') return applySnapshot(state, Array.isArray(m.calls) ? m.calls : [], action.keep);
      if (m.type === 'call.updated' || m.type === 'call.created' || m.type === 'call.ended') {
        return applyOne(state, m.call);
      }
      return state;
    }
    case 'upsert':
      return applyOne(state, action.call);
    case 'prune': {
      const ended = Object.values(state.calls)
        .filter((c) => isTerminal(c.status))
        .sort((a, b) => (time(b.created_at) || 0) - (time(a.created_at) || 0));
      if (ended.length <= action.keep) return state;
      const drop = new Set(ended.slice(action.keep).map((c) => c.call_id));
      const next: Record<string, Call> = {};
      for (const [id, c] of Object.entries(state.calls)) if (!drop.has(id)) next[id] = c;
      return { calls: next, version: state.version + 1 };
    }
    default:
      return state;
  }
}

/** Parses one WebSocket frame; null for anything that is not a known message. */
export function parseStreamMessage(data: unknown): CallStreamMessage | null {
  if (typeof data !== 'string') return null;
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    return null;
  }
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  if (o.type === 'snapshot' && Array.isArray(o.calls)) return { type: 'snapshot', calls: o.calls as Call[] };
  if (
    (o.type === 'call.updated' || o.type === 'call.created' || o.type === 'call.ended') &&
    o.call &&
    typeof o.call === 'object' &&
    typeof (o.call as Call).call_id === 'string'
  ) {
    return { type: o.type, call: o.call as Call };
  }
  if (o.type === 'agent.updated' && o.agent && typeof o.agent === 'object' && typeof (o.agent as User).id === 'string') {
    return { type: 'agent.updated', agent: o.agent as User };
  }
  return null;
}

/** Live (not terminal) calls, newest first. */
export function liveCalls(state: CallsState): Call[] {
  return Object.values(state.calls)
    .filter((c) => !isTerminal(c.status))
    .sort((a, b) => (time(b.created_at) || 0) - (time(a.created_at) || 0));
}

/**
 * Reconnect delay for the n-th consecutive failed attempt (0-based):
 * base·2ⁿ capped at max, with "equal jitter" (half fixed, half random) so
 * many clients do not reconnect in step. `random` is injectable for tests.
 */
export function backoffDelay(attempt: number, baseMs = 500, maxMs = 15000, random: () => number = Math.random): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  const half = exp / 2;
  return Math.round(half + random() * half);
}
