// Test helpers: temporary SQLite databases, demo clients, waiting for call
// events, a small fake of the Telnyx Call Control API on 127.0.0.1, and
// Ed25519-signed webhooks as Telnyx sends them.
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { Storage, Client, isTerminal } = require('callwire');

/** The caller-ID number every test client dials from. */
const CALLER_ID = '+13125550100';

// Temporary folders go when the test process exits: by then every test's
// after-hooks have closed the clients still writing into them.
const tempDirs = [];
process.once('exit', () => {
  for (const dir of tempDirs) {
    try {
      fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // a leftover in the temp folder is harmless
    }
  }
});

/** A fresh SQLite URL in its own temporary folder. */
function tempDb() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callwire-node-'));
  tempDirs.push(dir);
  return { dir, url: `sqlite://${path.join(dir, 'callwire.db')}` };
}

/** Storage with a default caller-ID number, and a client on it; both closed after the test. */
async function openDemo(t, clientOptions = {}) {
  const { url, dir } = tempDb();
  const storage = await Storage.open(url);
  await storage.numbers.create({ number: CALLER_ID, name: 'Test caller ID', is_default: true });
  const client = await Client.open(storage, { demoSpeed: 100, recordingsDir: path.join(dir, 'recordings'), ...clientOptions });
  t.after(async () => {
    await client.close();
    await storage.close();
  });
  return { storage, client, dir };
}

/**
 * Resolves with the call once an event of `type` for `callId` satisfies
 * `predicate` — or at once when the call already does (its events may have
 * arrived before the caller got here: the dial's promise and the events
 * travel separately). For 'call.ended' the call must also be terminal.
 */
function waitForCall(client, callId, predicate = () => true, type = 'call.updated') {
  const matches = (call) => call.call_id === callId && predicate(call) && (type !== 'call.ended' || isTerminal(call.status));
  return new Promise((resolve, reject) => {
    const listener = (call) => {
      if (matches(call)) {
        client.off(type, listener);
        resolve(call);
      }
    };
    client.on(type, listener);
    client.getCall(callId).then((call) => {
      if (matches(call)) {
        client.off(type, listener);
        resolve(call);
      }
    }, (err) => {
      client.off(type, listener);
      reject(err);
    });
  });
}

/** Records every event of a client, per call id, in arrival order. */
function recordEvents(client) {
  const byCall = new Map();
  const listener = ({ type, call }) => {
    if (!byCall.has(call.call_id)) byCall.set(call.call_id, []);
    byCall.get(call.call_id).push({ type, status: call.status, call });
  };
  client.on('update', listener);
  return { byCall, stop: () => client.off('update', listener) };
}

// ---- a fake Telnyx Call Control API -----------------------------------------------

/**
 * Answers POST /calls with a new call_control_id, call actions with 200 —
 * or with the Telnyx error set by failNext(action, status, code) — and GET
 * /calls/{id} with is_alive. Every request is kept in `requests`.
 */
class FakeTelnyx {
  constructor() {
    this.requests = [];
    this.failures = new Map();
    this.count = 0;
    this.server = http.createServer((req, res) => this.#handle(req, res));
  }

  async start() {
    await new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${this.server.address().port}`;
    return this;
  }

  stop() {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(resolve));
  }

  /** The next request for `action` ("send_dtmf", "hangup", … or "dial") answers `status` with Telnyx error `code`. */
  failNext(action, status, code, detail = 'injected by the test') {
    this.failures.set(action, { status, code, detail });
  }

  #answer(res, status, body) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  #handle(req, res) {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      this.requests.push({ method: req.method, url: req.url, headers: req.headers, body });
      const action = req.method === 'POST' && /\/calls$/.test(req.url) ? 'dial' : (req.url.match(/\/actions\/([a-z_]+)$/) || [])[1];
      const failure = action && this.failures.get(action);
      if (failure) {
        this.failures.delete(action);
        return this.#answer(res, failure.status, {
          errors: [{ code: failure.code, title: 'Injected error', detail: failure.detail }],
        });
      }
      if (action === 'dial') {
        this.count += 1;
        const request = JSON.parse(body || '{}');
        return this.#answer(res, 200, {
          data: {
            call_control_id: `v3:fake-call-${this.count}`,
            call_leg_id: `leg-${this.count}`,
            call_session_id: `session-${this.count}`,
            client_state: request.client_state,
            is_alive: true,
            record_type: 'call',
          },
        });
      }
      if (action) return this.#answer(res, 200, { data: { result: 'ok' } });
      if (req.method === 'GET' && /\/calls\/[^/]+$/.test(req.url)) {
        return this.#answer(res, 200, { data: { is_alive: true, call_duration: 0, record_type: 'call' } });
      }
      return this.#answer(res, 404, { errors: [{ code: '10005', title: 'Not found', detail: req.url }] });
    });
  }
}

// ---- Telnyx webhooks ---------------------------------------------------------------

/** A Telnyx v2 webhook body for an event of a call placed by callwire. */
function webhookBody(eventType, { callId, callControlId, payload = {}, id = crypto.randomUUID(), occurredAt } = {}) {
  return JSON.stringify({
    data: {
      record_type: 'event',
      event_type: eventType,
      id,
      occurred_at: occurredAt || new Date().toISOString(),
      payload: {
        call_control_id: callControlId,
        call_leg_id: 'leg-1',
        call_session_id: 'session-1',
        connection_id: 'conn-test',
        client_state: callId ? Buffer.from(callId).toString('base64') : undefined,
        from: CALLER_ID,
        to: '+12125550123',
        direction: 'outgoing',
        state: 'bridging',
        ...payload,
      },
    },
    meta: { attempt: 1, delivered_to: 'http://127.0.0.1/webhooks/call' },
  });
}

/** An Ed25519 key pair as Telnyx uses: the public key as base64 of its 32 raw bytes. */
function signingKey() {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return { privateKey, publicKeyB64: raw.toString('base64') };
}

/** Telnyx's signature headers for `body`: ed25519 over "timestamp|body". */
function signatureHeaders(privateKey, body, timestamp = Math.floor(Date.now() / 1000)) {
  const signature = crypto.sign(null, Buffer.from(`${timestamp}|${body}`), privateKey);
  return {
    'telnyx-signature-ed25519': signature.toString('base64'),
    'telnyx-timestamp': String(timestamp),
  };
}

/** Asserts that `promise` rejects with a CallwireError of `code` (and `domain`, default 'sdk'). */
async function rejectsWith(assert, promise, code, domain = 'sdk') {
  const { CallwireError } = require('callwire');
  await assert.rejects(promise, (err) => {
    assert.ok(err instanceof CallwireError, `expected a CallwireError, got ${err && err.stack}`);
    assert.ok(err instanceof Error);
    assert.equal(err.code, code, err.message);
    assert.equal(err.domain, domain, err.message);
    assert.equal(typeof err.message, 'string');
    assert.ok(err.message.length > 0);
    return true;
  });
}

module.exports = {
  CALLER_ID,
  tempDb,
  openDemo,
  waitForCall,
  recordEvents,
  FakeTelnyx,
  webhookBody,
  signingKey,
  signatureHeaders,
  rejectsWith,
  isTerminal,
};
