// worker_threads: the addon loads in workers (one instance per environment),
// works there, and terminating a worker — with calls, events and C calls in
// flight, or in the middle of opening a client — releases everything without
// crashing the process, which keeps using callwire.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { Worker } = require('node:worker_threads');
const { openDemo, tempDb, waitForCall } = require('./helpers.js');

const FIXTURE = path.join(__dirname, 'fixtures', 'worker.js');

function startWorker(t, mode) {
  const { dir } = tempDb();
  const worker = new Worker(FIXTURE, { workerData: { dir, mode } });
  const messages = [];
  const exited = new Promise((resolve, reject) => {
    worker.once('exit', resolve);
    worker.once('error', reject);
  });
  const next = () =>
    new Promise((resolve, reject) => {
      worker.once('message', (m) => {
        messages.push(m);
        resolve(m);
      });
      worker.once('exit', (code) => reject(new Error(`worker exited (${code}) before a message; got ${messages}`)));
    });
  return { worker, exited, next };
}

test('terminating a worker with calls, events and C calls in flight', async (t) => {
  const { worker, exited, next } = startWorker(t, 'busy');
  assert.equal(await next(), 'active');
  await new Promise((resolve) => setTimeout(resolve, 100)); // let dials and events pile up
  assert.equal(await worker.terminate(), 1);
  assert.equal(await exited, 1);
});

test('a worker that returns without closing anything exits normally', async (t) => {
  const { exited, next } = startWorker(t, 'finish');
  assert.equal(await next(), 'ended completed');
  assert.equal(await exited, 0);
});

test('terminating a worker while it opens clients', async (t) => {
  for (let i = 0; i < 3; i++) {
    const { worker, exited, next } = startWorker(t, 'opening');
    assert.equal(await next(), 'opening');
    await new Promise((resolve) => setTimeout(resolve, 20 + 40 * i));
    await worker.terminate();
    assert.equal(await exited, 1);
  }
});

test('workers and the main thread use callwire at the same time', async (t) => {
  const { client } = await openDemo(t);
  const workers = [startWorker(t, 'busy'), startWorker(t, 'busy')];
  const call = await client.dial('+12125550004');
  const ended = waitForCall(client, call.call_id, () => true, 'call.ended');
  const [a, b] = await Promise.all(workers.map((w) => w.next()));
  assert.deepEqual([a, b], ['active', 'active']);
  assert.equal((await ended).status, 'completed');
  await Promise.all(workers.map((w) => w.worker.terminate()));
  // The main thread's client is unaffected.
  const after = await client.dial('+12125550000');
  assert.equal((await waitForCall(client, after.call_id, () => true, 'call.ended')).status, 'busy');
});
