// Hundreds of concurrent calls from JavaScript, and closing a client while
// calls and requests are in flight.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { Storage, Client, isTerminal } = require('callwire');
const { openDemo, tempDb, CALLER_ID } = require('./helpers.js');

const CALLS = 300;
// The demo simulator decides by the last four digits.
const OUTCOMES = [
  ['0000', 'busy'],
  ['0001', 'no_answer'],
  ['0002', 'failed'],
  ['0004', 'completed'], // the callee hangs up
  ['1234', 'completed'], // answered; this test hangs up
];

test(`${CALLS} concurrent demo calls all reach their terminal status through events`, async (t) => {
  const { client, storage } = await openDemo(t, { demoSpeed: 100, workerThreads: 4 });
  const expected = new Map(); // call_id → status
  const ended = new Map(); // call_id → final call
  const endedEvents = new Map(); // call_id → how many call.ended
  const hangups = [];
  let resolveAll;
  const allEnded = new Promise((resolve) => {
    resolveAll = resolve;
  });
  const hungUp = new Set();

  client.on('call.updated', (call) => {
    // Answered calls that nobody else ends: hang up from the event handler.
    if (call.status === 'active' && call.to_number.endsWith('1234') && !hungUp.has(call.call_id)) {
      hungUp.add(call.call_id);
      hangups.push(client.hangup(call.call_id));
    }
  });
  client.on('call.ended', (call) => {
    endedEvents.set(call.call_id, (endedEvents.get(call.call_id) || 0) + 1);
    ended.set(call.call_id, call);
    if (expected.size === CALLS && [...expected.keys()].every((id) => ended.has(id))) resolveAll();
  });

  const dials = [];
  for (let i = 0; i < CALLS; i++) {
    const [suffix, status] = OUTCOMES[i % OUTCOMES.length];
    const to = `+1646${String(i).padStart(3, '0')}${suffix}`;
    dials.push(
      client.dial(to).then((call) => {
        expected.set(call.call_id, status);
        return call;
      }),
    );
  }
  const placed = await Promise.all(dials);
  assert.equal(new Set(placed.map((c) => c.call_id)).size, CALLS);
  if ([...expected.keys()].every((id) => ended.has(id))) resolveAll();
  await allEnded;

  for (const [id, status] of expected) {
    assert.equal(ended.get(id).status, status, `call ${id} to ${ended.get(id).to_number}`);
    assert.ok(isTerminal(ended.get(id).status));
    assert.ok(endedEvents.get(id) >= 1);
  }
  const finals = await Promise.all(hangups);
  assert.equal(finals.length, CALLS / OUTCOMES.length);
  // hangup() waits up to hangupWaitMs for the carrier's hangup and otherwise
  // answers the call as it is; the terminal status was checked through events.
  for (const final of finals) assert.ok(['active', 'completed'].includes(final.status), final.status);

  assert.deepEqual(await client.activeCalls(), []);
  const stats = await storage.logs.stats();
  assert.equal(stats.total_calls, CALLS);
  assert.equal(stats.active_calls, 0);
  assert.equal(stats.by_status.busy, CALLS / OUTCOMES.length);
  assert.equal(stats.by_status.completed, (2 * CALLS) / OUTCOMES.length);
  assert.equal((await storage.logs.list({ limit: 1000 })).length, CALLS);
});

test('closing the client with calls and requests in flight settles every promise', async (t) => {
  const { url } = tempDb();
  const storage = await Storage.open(url);
  t.after(() => storage.close());
  await storage.numbers.create({ number: CALLER_ID, is_default: true });
  const client = await Client.open(storage, { demoSpeed: 50 });
  const iterator = client.updates();
  const drained = (async () => {
    let n = 0;
    for await (const _ of iterator) n++; // eslint-disable-line no-unused-vars
    return n;
  })();

  // Some calls already up, then a burst of dials, hangups and reads, then close.
  const first = await Promise.all(Array.from({ length: 20 }, (_, i) => client.dial(`+1646555${String(i).padStart(4, '0')}`)));
  const inFlight = [];
  for (let i = 0; i < 100; i++) inFlight.push(client.dial(`+1718555${String(i).padStart(4, '0')}`));
  for (const call of first) inFlight.push(client.hangup(call.call_id), client.getCall(call.call_id));
  inFlight.push(client.activeCalls(), client.stats());
  const closing = client.close();
  inFlight.push(client.dial('+12125550000')); // after close(): refused

  const results = await Promise.allSettled(inFlight);
  await closing;
  for (const r of results) {
    if (r.status === 'rejected') assert.equal(r.reason.code, 'CW_ECLOSED', r.reason.stack);
  }
  assert.equal(results.at(-1).status, 'rejected');
  assert.ok(results.some((r) => r.status === 'fulfilled'), 'calls made before close() are served');
  assert.ok((await drained) >= 20, 'the iterator saw the events and then finished');
  await assert.rejects(client.dial('+12125550000'), { code: 'CW_ECLOSED' });

  // Calls left live stay in storage; a new client reconciles them.
  const logged = await storage.logs.list({ limit: 1000 });
  assert.ok(logged.length >= 20);
  const again = await Client.open(storage, { demoSpeed: 50 });
  await again.close();
});
