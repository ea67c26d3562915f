#!/usr/bin/env node
// A host with its own HTTP server (node:http here; Express or Fastify work
// the same) that hands Telnyx webhooks to callwire with ingestWebhook() and
// answers Telnyx with the status callwire decided.
//
//   TELNYX_API_KEY=… TELNYX_PUBLIC_KEY=… node webhook_host.mjs [--port N]
//   node webhook_host.mjs --self-test    post one webhook to itself and stop
//   (--db PATH: the SQLite file; default in the temp folder)
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Storage, Client } from 'callwire';

const selfTest = process.argv.includes('--self-test');
const portArg = process.argv.indexOf('--port');
const port = portArg >= 0 ? Number(process.argv[portArg + 1]) : selfTest ? 0 : 8080;
const dbArg = process.argv.indexOf('--db');
const db = path.resolve(dbArg >= 0 ? process.argv[dbArg + 1] : path.join(os.tmpdir(), 'callwire-node-webhook-host.db'));

const storage = await Storage.open(`sqlite://${db}`);
const client = await Client.open(storage, {
  apiKey: process.env.TELNYX_API_KEY,
  publicKey: process.env.TELNYX_PUBLIC_KEY, // verifies the Ed25519 signatures
});

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/webhooks/call') {
    res.writeHead(404).end();
    return;
  }
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', async () => {
    let result;
    try {
      // The raw bytes: signatures cover the body exactly as sent.
      result = await client.ingestWebhook(Buffer.concat(chunks), req.headers);
    } catch (err) {
      result = err.result ?? { http_status: 500, message: err.message }; // 401, 400 or 503 from callwire
    }
    res.writeHead(result.http_status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(result));
  });
});
await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/webhooks/call`;
console.log(`${client.mode} mode; Telnyx webhooks go to ${url}`);

if (selfTest) {
  const event = {
    data: {
      record_type: 'event',
      event_type: 'call.initiated',
      id: crypto.randomUUID(),
      occurred_at: new Date().toISOString(),
      payload: { call_control_id: 'v3:self-test', from: '+13125550100', to: '+12125550123', direction: 'outgoing' },
    },
  };
  for (const body of [JSON.stringify(event), JSON.stringify(event), '{broken']) {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const answer = await response.json();
    console.log(`HTTP ${response.status}: duplicate ${answer.duplicate}, ${answer.message || answer.event_type}`);
  }
  server.close();
  await client.close();
  await storage.close();
}
