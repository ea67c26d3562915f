// Server: the reference server run from Node on port 0, reached with fetch:
// health, the REST API over the same storage, a dial through the API seen as
// a client event, webhooks, stop, and the error paths (busy port, bad
// options, stopped or closed handles).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const net = require('node:net');
const { Server, CallwireError } = require('callwire');
const { openDemo, waitForCall, rejectsWith } = require('./helpers.js');

async function startServer(t, client, options = {}) {
  const server = new Server(client, { port: 0, ...options });
  t.after(() => server.stop());
  const port = await server.start();
  return { server, port };
}

test('serves /health and the REST API on an ephemeral port', async (t) => {
  const { client, storage } = await openDemo(t);
  const server = new Server(client, { port: 0 });
  t.after(() => server.stop());
  assert.equal(server.port, null);
  assert.equal(server.url, null);
  const port = await server.start();
  assert.ok(Number.isInteger(port) && port > 0 && port < 65536);
  assert.equal(server.port, port);
  assert.equal(server.url, `http://127.0.0.1:${port}`);

  const health = await fetch(`${server.url}/health`);
  assert.equal(health.status, 200);
  const body = await health.json();
  assert.equal(body.status, 'ok');
  assert.equal(body.mode, 'demo');

  // A contact stored from Node is served by the API, and the other way round.
  const ann = await storage.contacts.create({ name: 'Ann', phone: '+12125550199' });
  const listed = await (await fetch(`${server.url}/api/contacts/`)).json();
  assert.deepEqual(listed.map((c) => c.id), [ann.id]);
  const created = await fetch(`${server.url}/api/contacts/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bob', phone: '+442079460958' }),
  });
  assert.equal(created.status, 201);
  const bob = await created.json();
  assert.deepEqual(await storage.contacts.get(bob.id), bob);

  const metrics = await fetch(`${server.url}/metrics`);
  assert.equal(metrics.status, 200);
  assert.match(await metrics.text(), /^# (HELP|TYPE) /m);
});

test('a call dialed through the REST API reaches the Node client as events', async (t) => {
  const { client } = await openDemo(t);
  const { server } = await startServer(t, client);
  const created = new Promise((resolve) => client.once('call.created', resolve));
  const response = await fetch(`${server.url}/api/telnyx/dial`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ to_number: '+12125550000' }),
  });
  assert.equal(response.status, 200);
  const call = await response.json();
  assert.equal((await created).call_id, call.call_id);
  const ended = await waitForCall(client, call.call_id, () => true, 'call.ended');
  assert.equal(ended.status, 'busy');
  const status = await (await fetch(`${server.url}/api/call-status/status/${call.call_id}`)).json();
  assert.equal(status.status, 'busy');
});

test('webhooks: a malformed body is answered 400', async (t) => {
  const { client } = await openDemo(t);
  const { server } = await startServer(t, client);
  const response = await fetch(`${server.url}/webhooks/call`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{not json',
  });
  assert.equal(response.status, 400);
});

test('stop() stops serving, is idempotent, and a stopped server cannot start again', async (t) => {
  const { client } = await openDemo(t);
  const server = new Server(client);
  const port = await server.start();
  assert.equal((await fetch(`http://127.0.0.1:${port}/health`)).status, 200);
  await server.stop();
  await server.stop();
  await assert.rejects(fetch(`http://127.0.0.1:${port}/health`));
  await rejectsWith(assert, server.start(), 'CW_ECLOSED');
});

test('a port in use fails with CW_EUNAVAILABLE', async (t) => {
  const { client } = await openDemo(t);
  const blocker = net.createServer();
  await new Promise((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => blocker.close(resolve)));
  const server = new Server(client, { port: blocker.address().port });
  t.after(() => server.stop());
  await rejectsWith(assert, server.start(), 'CW_EUNAVAILABLE');
});

test('option misuse', async (t) => {
  const { client } = await openDemo(t);
  assert.throws(() => new Server({}), (err) => err instanceof CallwireError && err.code === 'CW_EINVAL');
  assert.throws(() => new Server(client, 'port 80'), (err) => err instanceof CallwireError && err.code === 'CW_EINVAL');
  for (const options of [{ port: 70000 }, { port: -1 }, { host: 5 }, { restApi: 'yes' }, { threads: 0.5 }]) {
    const server = new Server(client, options);
    await rejectsWith(assert, server.start(), 'CW_EINVAL');
    await server.stop();
  }
  // A public address needs a JWT secret (or an explicit opt-out).
  const open = new Server(client, { host: '0.0.0.0', port: 0 });
  await rejectsWith(assert, open.start(), 'CW_EINVAL');
  await open.stop();
});

test('a server for a closed client cannot start', async (t) => {
  const { client } = await openDemo(t);
  await client.close();
  const server = new Server(client);
  await rejectsWith(assert, server.start(), 'CW_ECLOSED');
  await server.stop();
});

test('corsOrigins as an array and a JWT secret guarding the API', async (t) => {
  const { client } = await openDemo(t);
  const { server } = await startServer(t, client, { corsOrigins: ['http://localhost:5173', 'http://127.0.0.1:5173'], jwtSecret: 'test-secret-0123456789abcdef-0123456789' });
  assert.equal((await fetch(`${server.url}/api/contacts/`)).status, 401);
  assert.equal((await fetch(`${server.url}/health`)).status, 200);
});

test('allowedHosts and metricsToken reach the server', async (t) => {
  const { client } = await openDemo(t);
  const { server } = await startServer(t, client, { allowedHosts: ['calls.example.com'], metricsToken: 'metrics-token-0123456789' });
  const get = (path, headers) =>
    new Promise((resolve, reject) => {
      http.get(`${server.url}${path}`, { headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      }).on('error', reject);
    });
  assert.equal(await get('/health', { host: 'calls.example.com' }), 200);
  assert.equal(await get('/health', { host: 'rebind.evil.example' }), 421);
  assert.equal(await get('/metrics', {}), 401);
  assert.equal(await get('/metrics', { authorization: 'Bearer metrics-token-0123456789' }), 200);
});

test('closing the client under a running server: health still answers, calls get 503, stop works', async (t) => {
  const { client } = await openDemo(t);
  const { server } = await startServer(t, client);
  await client.close();
  assert.equal((await fetch(`${server.url}/health`)).status, 200);
  const dial = await fetch(`${server.url}/api/telnyx/dial`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ to_number: '+12125550000' }),
  });
  assert.equal(dial.status, 503);
  await server.stop();
});
