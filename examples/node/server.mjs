#!/usr/bin/env node
// Runs the callwire reference server from Node (ES module): webhooks at
// /webhooks/call, the REST API under /api, /health, /metrics and the
// /ws/calls WebSocket, on the SDK's own network threads — while this process
// also follows every call through the client's events.
//
//   node server.mjs [--port N] [--db PATH] [--fast]   serve until Ctrl-C
//   node server.mjs --self-test                       start on a free port, dial one call
//                                                     through the REST API, follow it, stop
import os from 'node:os';
import path from 'node:path';
import { Storage, Client, Server } from 'callwire';

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : fallback;
};
const selfTest = argv.includes('--self-test');
const port = Number(option('--port', selfTest ? '0' : '8000'));
const db = path.resolve(option('--db', path.join(os.tmpdir(), 'callwire-node-server.db')));
const demoSpeed = selfTest || argv.includes('--fast') ? 50 : 1;

const storage = await Storage.open(`sqlite://${db}`);
if (!(await storage.numbers.list()).some((n) => n.is_default)) {
  await storage.numbers.create({ number: '+13125550100', name: 'Demo caller ID', is_default: true });
}
const client = await Client.open(storage, { apiKey: process.env.TELNYX_API_KEY, demoSpeed });
const server = new Server(client, { host: '127.0.0.1', port });
await server.start();
console.log(`callwire ${client.mode} server at ${server.url} (database ${db})`);

const events = client.updates();
const follow = (async () => {
  for await (const { type, call } of events) {
    console.log(`${type.padEnd(12)} ${call.call_id.slice(0, 8)} ${call.to_number} ${call.status}`);
    if (selfTest && type === 'call.ended') return call;
  }
  return null;
})();

async function shutdown() {
  await server.stop();
  await client.close(); // ends the events() iterator
  await storage.close();
}

if (selfTest) {
  const health = await (await fetch(`${server.url}/health`)).json();
  console.log(`health: ${health.status}, mode ${health.mode}`);
  const response = await fetch(`${server.url}/api/telnyx/dial`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ to_number: '+12125550004' }),
  });
  const call = await response.json();
  console.log(`dialed through the REST API: ${call.call_id}`);
  const ended = await follow;
  console.log(`self-test: the call ended ${ended.status} after ${ended.duration} s`);
  await shutdown();
} else {
  process.once('SIGINT', () => {
    console.log('stopping');
    shutdown().catch((err) => {
      console.error(err);
      process.exitCode = 1;
    });
  });
}
