// setLogHandler: the library's records reach a JavaScript function on this
// thread, with level, time, component, message and the request id of a
// Server's request; the level filters; null restores the default; misuse is
// refused. Mirrors tests/capi/log_test.c.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { Server, CallwireError, setLogHandler, LOG_LEVELS } = require('callwire');
const { openDemo } = require('./helpers.js');

/** GET a path as written (no normalisation of "//"); resolves with the status and X-Request-Id. */
function get(port, path, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, requestId: res.headers['x-request-id'] }));
    });
    req.on('error', reject);
  });
}

async function until(pred, ms = 10000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (pred()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return pred();
}

test('records reach the handler on the JavaScript thread, with the request id', async (t) => {
  const records = [];
  const threadOf = [];
  setLogHandler('info', (record) => {
    records.push(record);
    threadOf.push(require('node:worker_threads').isMainThread);
  });
  t.after(() => setLogHandler('info', null));
  const { client } = await openDemo(t);
  const server = new Server(client, { port: 0 });
  t.after(() => server.stop());
  const port = await server.start();

  const answer = await get(port, '/api//contacts', { 'X-Request-Id': 'node-log-1' });
  assert.equal(answer.status, 400);
  assert.equal(answer.requestId, 'node-log-1');
  assert.ok(await until(() => records.some((r) => r.message.includes('refused a request path'))));
  const refused = records.find((r) => r.message.includes('refused a request path'));
  assert.equal(refused.level, 'info');
  assert.equal(refused.component, 'http');
  assert.equal(refused.message, 'refused a request path (empty segment)');
  assert.equal(refused.requestId, 'node-log-1');
  assert.ok(refused.time instanceof Date && Math.abs(refused.time.getTime() - Date.now()) < 60000);
  assert.ok(threadOf.every((main) => main === true));
  const listening = records.find((r) => r.message.startsWith('listening on'));
  assert.ok(listening);
  assert.equal(listening.requestId, '');

  // A higher level filters; null restores the default, and the handler is not called again.
  setLogHandler('warn', (record) => records.push(record));
  const before = records.length;
  assert.equal((await get(port, '/api//numbers')).status, 400);
  setLogHandler('info', null);
  assert.equal((await get(port, '/api//recordings')).status, 400);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(records.filter((r) => r.message.includes('refused')).length, records.slice(0, before).filter((r) => r.message.includes('refused')).length);
});

test('refuses an unknown level or a handler that is not a function', () => {
  assert.deepEqual(LOG_LEVELS, { trace: 0, debug: 1, info: 2, warn: 3, error: 4, off: 5 });
  assert.throws(() => setLogHandler('loud', () => {}), (err) => err instanceof CallwireError && err.code === 'CW_EINVAL');
  assert.throws(() => setLogHandler(2, () => {}), (err) => err instanceof CallwireError && err.code === 'CW_EINVAL');
  assert.throws(() => setLogHandler('info', 'nope'), (err) => err instanceof CallwireError && err.code === 'CW_EINVAL');
  setLogHandler('info', null);
});
