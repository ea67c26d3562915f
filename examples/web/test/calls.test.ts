import { describe, expect, it } from 'vitest';
import type { Call } from '../src/api/types';
import {
  backoffDelay,
  callsReducer,
  initialCallsState,
  isTerminal,
  liveCalls,
  mergeCall,
  parseStreamMessage,
  statusRank,
  type CallsAction,
} from '../src/lib/calls';

const call = (id: string, status: Call['status'], extra: Partial<Call> = {}): Call => ({
  call_id: id,
  to_number: '+14155550123',
  from_number: '+15550100001',
  status,
  ...extra,
});
const run = (actions: CallsAction[]) => actions.reduce(callsReducer, initialCallsState);
const msg = (type: 'call.updated' | 'call.created' | 'call.ended', c: Call): CallsAction => ({ type: 'message', message: { type, call: c } });

describe('statuses', () => {
  it('knows terminal statuses and ranks', () => {
    expect(['completed', 'busy', 'no_answer', 'canceled', 'failed'].every(isTerminal)).toBe(true);
    expect(['dialing', 'ringing', 'active'].some(isTerminal)).toBe(false);
    expect(statusRank('dialing')).toBeLessThan(statusRank('ringing'));
    expect(statusRank('ringing')).toBeLessThan(statusRank('active'));
    expect(statusRank('active')).toBeLessThan(statusRank('busy'));
  });
});

describe('mergeCall', () => {
  it('moves forward and never backward', () => {
    const ringing = call('a', 'ringing');
    expect(mergeCall(ringing, call('a', 'active')).status).toBe('active');
    expect(mergeCall(call('a', 'active'), call('a', 'ringing')).status).toBe('active');
    expect(mergeCall(call('a', 'completed'), call('a', 'active')).status).toBe('completed');
  });
  it('keeps fields a partial update leaves out', () => {
    const a = call('a', 'active', { contact_name: 'Ada', muted: false });
    const b = mergeCall(a, { call_id: 'a', status: 'active', muted: true } as Call);
    expect(b.muted).toBe(true);
    expect(b.contact_name).toBe('Ada');
  });
  it('ignores an older view of the same status', () => {
    const newer = call('a', 'active', { muted: true, updated_at: '2026-01-01T00:00:02Z' });
    const older = call('a', 'active', { muted: false, updated_at: '2026-01-01T00:00:01Z' });
    expect(mergeCall(newer, older).muted).toBe(true);
    expect(mergeCall(older, newer).muted).toBe(true);
  });
  it('lets a newer terminal view replace another (late answer makes canceled completed)', () => {
    const canceled = call('a', 'canceled', { updated_at: '2026-01-01T00:00:01Z' });
    const completed = call('a', 'completed', { updated_at: '2026-01-01T00:00:02Z', duration: 3 });
    expect(mergeCall(canceled, completed).status).toBe('completed');
    expect(mergeCall(completed, canceled).status).toBe('completed');
  });
  it('attaches a recording to an ended call', () => {
    const ended = call('a', 'completed', { updated_at: '2026-01-01T00:00:01Z' });
    const withRec = call('a', 'completed', { updated_at: '2026-01-01T00:00:03Z', recording_id: 'r1' });
    expect(mergeCall(ended, withRec).recording_id).toBe('r1');
  });
});

describe('callsReducer', () => {
  it('applies snapshot then updates', () => {
    const s = run([
      { type: 'message', message: { type: 'snapshot', calls: [call('a', 'ringing'), call('b', 'active')] } },
      msg('call.updated', call('a', 'active')),
      msg('call.created', call('c', 'dialing')),
      msg('call.ended', call('b', 'completed', { duration: 12 })),
    ]);
    expect(s.calls.a!.status).toBe('active');
    expect(s.calls.b!.status).toBe('completed');
    expect(s.calls.b!.duration).toBe(12);
    expect(s.calls.c!.status).toBe('dialing');
    expect(liveCalls(s).map((c) => c.call_id).sort()).toEqual(['a', 'c']);
  });
  it('is idempotent: a duplicated message changes nothing', () => {
    const s1 = run([msg('call.updated', call('a', 'active'))]);
    const s2 = callsReducer(s1, msg('call.updated', call('a', 'active')));
    expect(s2.calls).toEqual(s1.calls);
  });
  it('gives the same result whatever the order of updates', () => {
    const updates = [call('a', 'dialing'), call('a', 'ringing'), call('a', 'active'), call('a', 'completed', { duration: 4 })];
    const perms = [
      [0, 1, 2, 3],
      [3, 2, 1, 0],
      [1, 3, 0, 2],
      [2, 0, 3, 1],
    ];
    for (const p of perms) {
      const s = run(p.map((i) => msg('call.updated', updates[i]!)));
      expect(s.calls.a!.status).toBe('completed');
      expect(s.calls.a!.duration).toBe(4);
    }
  });
  it('drops live calls a new snapshot leaves out, unless kept', () => {
    let s = run([msg('call.updated', call('a', 'active')), msg('call.updated', call('b', 'active')), msg('call.ended', call('c', 'busy'))]);
    s = callsReducer(s, { type: 'message', message: { type: 'snapshot', calls: [] }, keep: ['b'] });
    expect(Object.keys(s.calls).sort()).toEqual(['b', 'c']);
  });
  it('upserts command answers', () => {
    const s = run([msg('call.updated', call('a', 'active')), { type: 'upsert', call: call('a', 'active', { on_hold: true }) }]);
    expect(s.calls.a!.on_hold).toBe(true);
  });
  it('prunes old ended calls only', () => {
    const actions: CallsAction[] = [];
    for (let i = 0; i < 10; i++) actions.push(msg('call.ended', call(`e${i}`, 'completed', { created_at: new Date(2026, 0, 1, 0, i).toISOString() })));
    actions.push(msg('call.updated', call('live', 'active')));
    const s = callsReducer(run(actions), { type: 'prune', keep: 3 });
    expect(Object.keys(s.calls).sort()).toEqual(['e7', 'e8', 'e9', 'live']);
  });
  it('ignores garbage', () => {
    const s = run([{ type: 'upsert', call: {} as Call }]);
    expect(s.calls).toEqual({});
  });
});

describe('parseStreamMessage', () => {
  it('parses the known messages', () => {
    expect(parseStreamMessage('{"type":"snapshot","calls":[]}')).toEqual({ type: 'snapshot', calls: [] });
    expect(parseStreamMessage(JSON.stringify({ type: 'call.updated', call: call('a', 'active') }))).toMatchObject({ type: 'call.updated' });
    expect(parseStreamMessage(JSON.stringify({ type: 'call.ended', call: call('a', 'busy') }))).toMatchObject({ type: 'call.ended' });
    expect(parseStreamMessage('{"type":"agent.updated","agent":{"id":"u1","status":"busy"}}')).toEqual({
      type: 'agent.updated',
      agent: { id: 'u1', status: 'busy' },
    });
  });
  it('leaves the calls alone for agent.updated', () => {
    const s = callsReducer(initialCallsState, { type: 'message', message: { type: 'snapshot', calls: [call('a', 'active')] } });
    const msg = parseStreamMessage('{"type":"agent.updated","agent":{"id":"u1","status":"busy"}}')!;
    expect(callsReducer(s, { type: 'message', message: msg })).toBe(s);
  });
  it('rejects anything else', () => {
    expect(parseStreamMessage('not json')).toBeNull();
    expect(parseStreamMessage('{"type":"ping"}')).toBeNull();
    expect(parseStreamMessage('{"type":"call.updated","call":{}}')).toBeNull();
    expect(parseStreamMessage('{"type":"agent.updated","agent":{}}')).toBeNull();
    expect(parseStreamMessage('{"type":"agent.updated"}')).toBeNull();
    expect(parseStreamMessage('null')).toBeNull();
    expect(parseStreamMessage(42)).toBeNull();
  });
});

describe('backoffDelay', () => {
  it('doubles up to the cap, with half of it jittered', () => {
    const lo = () => 0;
    const hi = () => 1;
    expect(backoffDelay(0, 500, 15000, lo)).toBe(250);
    expect(backoffDelay(0, 500, 15000, hi)).toBe(500);
    expect(backoffDelay(1, 500, 15000, hi)).toBe(1000);
    expect(backoffDelay(3, 500, 15000, hi)).toBe(4000);
    expect(backoffDelay(10, 500, 15000, hi)).toBe(15000);
    expect(backoffDelay(1000, 500, 15000, lo)).toBe(7500);
  });
  it('stays within [exp/2, exp]', () => {
    for (let n = 0; n < 8; n++) {
      const d = backoffDelay(n, 500, 15000);
      const exp = Math.min(15000, 500 * 2 ** n);
      expect(d).toBeGreaterThanOrEqual(exp / 2);
      expect(d).toBeLessThanOrEqual(exp);
    }
  });
});
