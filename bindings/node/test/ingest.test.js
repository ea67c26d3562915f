// Live mode against a fake Telnyx API on 127.0.0.1, and ingestWebhook(): a
// call driven by signed webhooks, signature failures, malformed bodies,
// duplicates, header forms, and carrier errors with the Telnyx status and code.
// Mirrors the C ABI's ingest and carrier-error tests.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { Storage, Client, CallwireError } = require('callwire');
const { tempDb, waitForCall, FakeTelnyx, webhookBody, signingKey, signatureHeaders, rejectsWith, CALLER_ID } = require('./helpers.js');

/** A live client on a fake Telnyx, verifying webhooks with a fresh key. */
async function openLive(t, options = {}) {
  const fake = await new FakeTelnyx().start();
  const { url } = tempDb();
  const storage = await Storage.open(url);
  await storage.numbers.create({ number: CALLER_ID, is_default: true });
  const key = signingKey();
  const client = await Client.open(storage, {
    apiKey: 'KEY_test_0123456789',
    apiBase: fake.base,
    connectionId: 'conn-test',
    webhookUrl: 'http://127.0.0.1:9/webhooks/call',
    publicKey: key.publicKeyB64,
    hangupWaitMs: 300,
    ...options,
  });
  t.after(async () => {
    await client.close();
    await storage.close();
    await fake.stop();
  });
  return { fake, storage, client, key };
}

/** Dials and waits until the carrier accepted the dial (call_control_id known). */
async function dialLive(client, to = '+12125550123') {
  const call = await client.dial(to);
  return waitForCall(client, call.call_id, (c) => c.call_control_id !== '');
}

function signed(key, body) {
  return signatureHeaders(key.privateKey, body);
}

test('a live call driven by signed webhooks: ringing, active, completed', async (t) => {
  const { client, key, fake } = await openLive(t);
  assert.equal(client.mode, 'live');
  const call = await dialLive(client);
  assert.equal(call.call_control_id, 'v3:fake-call-1');
  const dial = JSON.parse(fake.requests.find((r) => r.url.endsWith('/calls')).body);
  assert.equal(dial.to, '+12125550123');
  assert.equal(dial.from, CALLER_ID);
  assert.equal(dial.connection_id, 'conn-test');
  assert.equal(fake.requests[0].headers.authorization, 'Bearer KEY_test_0123456789');

  const ids = { callId: call.call_id, callControlId: call.call_control_id };
  const steps = [
    ['call.initiated', {}, 'ringing'],
    ['call.answered', {}, 'active'],
    ['call.hangup', { hangup_cause: 'normal_clearing', hangup_source: 'callee' }, 'completed'],
  ];
  for (const [type, payload, status] of steps) {
    const body = webhookBody(type, { ...ids, payload });
    const reached = waitForCall(client, call.call_id, (c) => c.status === status);
    const result = await client.ingestWebhook(body, signed(key, body));
    assert.deepEqual(result, { http_status: 200, duplicate: false, event_type: type, call_id: call.call_id, message: '' });
    await reached;
  }
  const final = await client.getCall(call.call_id);
  assert.equal(final.status, 'completed');
  assert.equal(final.hangup_source, 'callee');
  assert.equal(final.demo, false);
});

test('a call.recording.error marks the call: recording off, the reason as a sentence', async (t) => {
  const { client, key } = await openLive(t);
  const call = await dialLive(client);
  const ids = { callId: call.call_id, callControlId: call.call_control_id };
  for (const [type, payload] of [['call.answered', {}], ['call.recording.error', { reason: 'Internal server error' }]]) {
    const body = webhookBody(type, { ...ids, payload });
    assert.equal((await client.ingestWebhook(body, signed(key, body))).http_status, 200);
  }
  const marked = await client.getCall(call.call_id);
  assert.equal(marked.status, 'active');
  assert.equal(marked.recording, false);
  assert.equal(marked.recording_error, 'Telnyx could not save the recording: Internal server error');
});

test('the same webhook twice is acknowledged as a duplicate', async (t) => {
  const { client, key } = await openLive(t);
  const call = await dialLive(client);
  const body = webhookBody('call.initiated', { callId: call.call_id, callControlId: call.call_control_id });
  assert.equal((await client.ingestWebhook(body, signed(key, body))).duplicate, false);
  const again = await client.ingestWebhook(Buffer.from(body), signed(key, body));
  assert.equal(again.duplicate, true);
  assert.equal(again.http_status, 200);
});

test('missing or wrong signatures are refused with CW_EUNAUTHORIZED and http_status 401', async (t) => {
  const { client, key } = await openLive(t);
  const call = await dialLive(client);
  const body = webhookBody('call.initiated', { callId: call.call_id, callControlId: call.call_control_id });
  const other = signingKey();
  for (const headers of [{}, signed(other, body), signed(key, `${body} `), { ...signed(key, body), 'telnyx-timestamp': '1000' }]) {
    await assert.rejects(client.ingestWebhook(body, headers), (err) => {
      assert.ok(err instanceof CallwireError);
      assert.equal(err.code, 'CW_EUNAUTHORIZED');
      assert.equal(err.result.http_status, 401);
      assert.equal(err.result.duplicate, false);
      assert.match(err.result.message, /signature/);
      return true;
    });
  }
  assert.equal((await client.getCall(call.call_id)).status, 'dialing');
});

test('malformed bodies are refused with CW_EMALFORMED and http_status 400', async (t) => {
  const { client, key } = await openLive(t, { insecureWebhooks: true });
  for (const body of ['{not json', '{"data":{}}', '[]', '']) {
    await assert.rejects(client.ingestWebhook(body, signed(key, body)), (err) => {
      assert.equal(err.code, 'CW_EMALFORMED');
      assert.equal(err.domain, 'sdk');
      assert.equal(err.result.http_status, 400);
      return true;
    });
  }
});

test('headers as a plain object, a Headers, a Map, pairs, or with any capitalisation', async (t) => {
  const { client, key } = await openLive(t);
  const call = await dialLive(client);
  const make = (type) => webhookBody(type, { callId: call.call_id, callControlId: call.call_control_id });
  const forms = [
    (h) => h,
    (h) => new Headers(h),
    (h) => new Map(Object.entries(h)),
    (h) => Object.entries(h),
    (h) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toUpperCase(), v])),
    (h) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, [v]])),
  ];
  for (const form of forms) {
    const body = make('call.dtmf.received');
    const result = await client.ingestWebhook(new TextEncoder().encode(body), form(signed(key, body)));
    assert.equal(result.http_status, 200);
    assert.equal(result.duplicate, false);
  }
});

test('insecureWebhooks accepts unsigned webhooks (development only)', async (t) => {
  const { client } = await openLive(t, { insecureWebhooks: true });
  const call = await dialLive(client);
  const body = webhookBody('call.initiated', { callId: call.call_id, callControlId: call.call_control_id });
  const reached = waitForCall(client, call.call_id, (c) => c.status === 'ringing');
  assert.equal((await client.ingestWebhook(body)).http_status, 200);
  await reached;
});

test('carrier errors carry the Telnyx HTTP status and error code', async (t) => {
  const { client, key, fake } = await openLive(t);
  const call = await dialLive(client);
  const answered = webhookBody('call.answered', { callId: call.call_id, callControlId: call.call_control_id });
  await client.ingestWebhook(answered, signed(key, answered));

  fake.failNext('send_dtmf', 422, '90034', 'Call not answered yet');
  await assert.rejects(client.sendDtmf(call.call_id, '1'), (err) => {
    assert.ok(err instanceof CallwireError);
    assert.equal(err.code, 'CW_ECARRIER');
    assert.equal(err.status, -7);
    assert.equal(err.domain, 'carrier');
    assert.equal(err.httpStatus, 422);
    assert.equal(err.carrierCode, '90034');
    assert.match(err.message, /send_dtmf/);
    assert.equal(err.detail, 'Call not answered yet'); // Telnyx errors[0].detail
    return true;
  });
  fake.failNext('transfer', 403, '90061', 'Not allowed');
  await assert.rejects(client.transfer(call.call_id, '+12125550999'), (err) => {
    assert.equal(err.code, 'CW_ECARRIER');
    assert.equal(err.httpStatus, 403);
    assert.equal(err.carrierCode, '90061');
    return true;
  });
  // Without a failure the same commands go through, and reach the carrier.
  assert.equal((await client.sendDtmf(call.call_id, '1')).status, 'active');
  assert.equal((await client.startRecording(call.call_id)).recording, true);
  assert.equal((await client.stopRecording(call.call_id)).recording, false);
  const actions = fake.requests.map((r) => r.url.split('/actions/')[1]).filter(Boolean);
  assert.deepEqual(actions, ['send_dtmf', 'transfer', 'send_dtmf', 'record_start', 'record_stop']);
});

test('speech, playback and a recording pause reach the carrier as the spec wants them', async (t) => {
  const { client, key, fake } = await openLive(t);
  const call = await dialLive(client);
  const answered = webhookBody('call.answered', { callId: call.call_id, callControlId: call.call_control_id });
  await client.ingestWebhook(answered, signed(key, answered));

  await client.speak(call.call_id, 'Hello'); // a gender voice: basic, en-US, text
  await client.speak(call.call_id, '<speak>Hi</speak>', { voice: 'Azure.en-CA-ClaraNeural', payloadType: 'ssml' });
  assert.equal((await client.startRecording(call.call_id)).recording, true);
  assert.equal((await client.pauseRecording(call.call_id)).recording_paused, true);
  assert.equal((await client.resumeRecording(call.call_id)).recording_paused, false);
  await client.startPlayback(call.call_id, 'https://example.com/voicemail.mp3');
  await client.stopPlayback(call.call_id);
  fake.failNext('playback_start', 422, '90018', 'Call has already ended');
  await assert.rejects(client.startPlayback(call.call_id, 'https://example.com/voicemail.mp3'), (err) => {
    assert.equal(err.code, 'CW_ECARRIER');
    assert.equal(err.httpStatus, 422);
    assert.equal(err.carrierCode, '90018');
    assert.match(err.message, /^playback_start: /);
    return true;
  });

  const sent = fake.requests
    .filter((r) => r.url.includes('/actions/'))
    .map((r) => {
      const { command_id: commandId, ...body } = r.body ? JSON.parse(r.body) : {};
      assert.ok(commandId, `${r.url} has a command_id`);
      return [r.url.split('/actions/')[1], body];
    });
  assert.deepEqual(sent, [
    ['speak', { payload: 'Hello', payload_type: 'text', voice: 'female', service_level: 'basic', language: 'en-US' }],
    ['speak', { payload: '<speak>Hi</speak>', payload_type: 'ssml', voice: 'Azure.en-CA-ClaraNeural', service_level: 'premium' }],
    ['record_start', { format: 'wav', channels: 'dual' }], // the recording_channels setting: not saved, Telnyx's default
    ['record_pause', {}],
    ['record_resume', {}],
    ['playback_start', { audio_url: 'https://example.com/voicemail.mp3' }],
    ['playback_stop', {}],
    ['playback_start', { audio_url: 'https://example.com/voicemail.mp3' }],
  ]);
});

test('a dial the carrier refuses ends the call as failed with the reason', async (t) => {
  const { client, fake } = await openLive(t);
  fake.failNext('dial', 422, '10004', "The 'to' parameter is invalid");
  const call = await client.dial('+12125550123');
  const ended = await waitForCall(client, call.call_id, () => true, 'call.ended');
  assert.equal(ended.status, 'failed');
  assert.ok(ended.failure_reason.length > 0);
});

test('demo mode ingests unsigned webhooks', async (t) => {
  const { url } = tempDb();
  const storage = await Storage.open(url);
  const client = await Client.open(storage);
  t.after(async () => {
    await client.close();
    await storage.close();
  });
  const body = webhookBody('call.initiated', { callControlId: 'v3:unknown-call' });
  const result = await client.ingestWebhook(body, {});
  assert.equal(result.http_status, 200);
  assert.equal(result.call_id, ''); // matched no call
  await rejectsWith(assert, client.ingestWebhook('nope', {}), 'CW_EMALFORMED');
});
