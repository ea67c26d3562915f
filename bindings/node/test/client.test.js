// Client in demo mode: a call's progression through events (EventEmitter and
// async iterator), every call control, unknown ids, invalid numbers, misuse,
// settings and modes, call logs and CSV after real calls, closing.
// Mirrors the C ABI's client tests; live mode and webhooks are in ingest.test.js.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { Storage, Client, CallwireError, isTerminal } = require('callwire');
const { openDemo, tempDb, waitForCall, recordEvents, rejectsWith, CALLER_ID } = require('./helpers.js');

const ORDER = ['dialing', 'ringing', 'active', 'completed'];

test('a demo call progresses dialing → (ringing →) active → completed, in order, through events', async (t) => {
  const { client, storage } = await openDemo(t);
  assert.equal(client.mode, 'demo');
  assert.equal(client.demo, true);
  const events = recordEvents(client);
  const seen = { created: 0, updated: 0, ended: 0 };
  client.on('call.created', () => seen.created++);
  client.on('call.updated', () => seen.updated++);
  client.on('call.ended', () => seen.ended++);

  // 0004: answered, then the callee hangs up after 5 simulated seconds.
  const call = await client.dial('+1 (212) 555-0004');
  assert.equal(call.status, 'dialing');
  assert.equal(call.to_number, '+12125550004');
  assert.equal(call.from_number, CALLER_ID);
  assert.equal(call.direction, 'outbound');
  assert.equal(call.demo, true);
  const ended = await waitForCall(client, call.call_id, () => true, 'call.ended');
  events.stop();

  assert.equal(ended.status, 'completed');
  assert.equal(ended.hangup_source, 'callee');
  assert.ok(ended.duration >= 4, `duration ${ended.duration}`);
  assert.ok(ended.answered_at && ended.ended_at);
  const list = events.byCall.get(call.call_id);
  assert.equal(list[0].type, 'call.created');
  assert.equal(list.at(-1).type, 'call.ended');
  assert.equal(list.filter((e) => e.type === 'call.ended').length, 1);
  const statuses = list.map((e) => e.status);
  for (let i = 1; i < statuses.length; i++) {
    assert.ok(ORDER.indexOf(statuses[i]) >= ORDER.indexOf(statuses[i - 1]), `out of order: ${statuses.join(' → ')}`);
  }
  // The state machine is order-free (DESIGN.md): when the simulator's
  // call.answered is folded before its call.initiated, 'ringing' is skipped.
  for (const s of ['dialing', 'active', 'completed']) {
    assert.ok(statuses.includes(s), `${s} missing from ${statuses.join(' → ')}`);
  }
  assert.equal(seen.created, 1);
  assert.equal(seen.ended, 1);
  assert.ok(seen.updated >= 3);

  // The call log has it, and the client agrees.
  assert.deepEqual(await storage.logs.get(call.call_id), ended);
  assert.deepEqual(await client.getCall(call.call_id), ended);
});

test('busy, no answer and rejected numbers end as busy, no_answer and failed', async (t) => {
  const { client } = await openDemo(t);
  const expect = { '+12125550000': 'busy', '+12125550001': 'no_answer', '+12125550002': 'failed' };
  const results = await Promise.all(
    Object.keys(expect).map(async (to) => {
      const call = await client.dial(to);
      return [to, await waitForCall(client, call.call_id, () => true, 'call.ended')];
    }),
  );
  for (const [to, ended] of results) {
    assert.equal(ended.status, expect[to], to);
    assert.ok(isTerminal(ended.status));
    assert.equal(ended.duration, 0);
  }
  assert.equal(results[0][1].status_text, 'The line was busy.');
  assert.match(results[2][1].status_text, /^Failed: .+\.$/);
});

test('events() iterates a call to its end; break stops it; it ends when the client closes', async (t) => {
  const { url } = tempDb();
  const storage = await Storage.open(url);
  t.after(() => storage.close());
  await storage.numbers.create({ number: CALLER_ID, is_default: true });
  const client = await Client.open(storage, { demoSpeed: 100 });

  const stream = client.updates();
  const call = await client.dial('+12125550004');
  const seen = [];
  for await (const { type, call: c } of stream) {
    assert.equal(c.call_id, call.call_id);
    seen.push(type);
    if (type === 'call.ended') break;
  }
  assert.equal(seen[0], 'call.created');
  assert.equal(seen.at(-1), 'call.ended');
  assert.deepEqual(await stream.next(), { value: undefined, done: true });

  // An iterator still open when the client closes finishes after the last event.
  const open = client.updates();
  const drained = (async () => {
    const got = [];
    for await (const u of open) got.push(u);
    return got;
  })();
  let closeEmitted = false;
  client.on('close', () => {
    closeEmitted = true;
  });
  await client.close();
  assert.equal(closeEmitted, true);
  assert.ok(Array.isArray(await drained));
  assert.deepEqual(await client.updates().next(), { value: undefined, done: true });
});

test('an auto-recorded call is recording from its answer until it ends', async (t) => {
  const { client } = await openDemo(t, { autoRecord: true });
  const call = await client.dial('+12125550123'); // answered, stays up until hung up
  assert.equal(call.record_from_answer, true);
  assert.equal(call.recording, false); // not answered yet
  const active = await waitForCall(client, call.call_id, (c) => c.status === 'active');
  assert.equal(active.recording, true);
  assert.equal((await client.hangup(call.call_id)).recording, false);
});

test('call controls on an active call: DTMF, mute, hold, recording, transfer, hangup', async (t) => {
  const { client, storage, dir } = await openDemo(t);
  const call = await client.dial('+12125550123'); // answered, stays up until hung up
  await waitForCall(client, call.call_id, (c) => c.status === 'active');

  assert.equal((await client.sendDtmf(call.call_id, '12#')).status, 'active');
  assert.equal((await client.setMuted(call.call_id, true)).muted, true);
  assert.equal((await client.setOnHold(call.call_id, true)).on_hold, true);
  const both = await client.getCall(call.call_id);
  assert.equal(both.muted, true);
  assert.equal(both.on_hold, true);
  assert.equal((await client.setMuted(call.call_id, false)).muted, false);
  assert.equal((await client.setOnHold(call.call_id, false)).on_hold, false);
  assert.equal((await client.startRecording(call.call_id)).recording, true);
  const saved = waitForCall(client, call.call_id, (c) => Boolean(c.recording_id));
  assert.equal((await client.stopRecording(call.call_id)).recording, false);
  const recordingId = (await saved).recording_id;
  assert.equal((await client.transfer(call.call_id, '+1 212 555 0888')).status, 'active');

  const active = await client.activeCalls();
  assert.deepEqual(active.map((c) => c.call_id), [call.call_id]);

  const final = await client.hangup(call.call_id);
  assert.equal(final.status, 'completed');
  assert.equal(final.hangup_source, 'caller');
  assert.ok(final.ended_at);
  assert.deepEqual(await client.activeCalls(), []);
  // Hanging up an ended call answers it as it is.
  assert.equal((await client.hangup(call.call_id)).status, 'completed');

  // The demo recording was saved for the call.
  assert.equal((await client.getCall(call.call_id)).recording_id, recordingId);
  const recordings = await storage.recordings.listForCall(call.call_id);
  assert.equal(recordings.length, 1);
  assert.equal(recordings[0].id, recordingId);
  assert.equal(recordings[0].call_id, call.call_id);
  assert.deepEqual((await storage.recordings.list()).map((r) => r.id), [recordingId]);
  // A demo recording never expires: refreshed, it is answered as stored.
  assert.deepEqual(await client.refreshRecording(recordingId), recordings[0]);
  await rejectsWith(assert, client.refreshRecording('no-such-recording'), 'CW_ENOTFOUND');
  assert.equal(recordings[0].remote_delete_error, '');
  // A demo recording is deleted here only, with its WAV file.
  const wav = path.join(dir, 'recordings', `${recordingId}.wav`);
  assert.ok(fs.existsSync(wav));
  assert.equal(await client.removeRecording(recordingId), undefined);
  assert.deepEqual(await storage.recordings.listForCall(call.call_id), []);
  assert.ok(!fs.existsSync(wav));
  await rejectsWith(assert, client.removeRecording(recordingId), 'CW_ENOTFOUND');

  // Controls on an ended call are refused.
  for (const attempt of [
    () => client.sendDtmf(call.call_id, '1'),
    () => client.setMuted(call.call_id, true),
    () => client.setOnHold(call.call_id, true),
    () => client.startRecording(call.call_id),
    () => client.transfer(call.call_id, '+12125550888'),
  ]) {
    await rejectsWith(assert, attempt(), 'CW_ECONFLICT');
  }
});

test('speech, playback and a recording pause on an active call', async (t) => {
  const { client } = await openDemo(t);
  const call = await client.dial('+12125550123'); // answered, stays up until hung up
  await waitForCall(client, call.call_id, (c) => c.status === 'active');

  assert.equal((await client.startRecording(call.call_id)).recording, true);
  const paused = await client.pauseRecording(call.call_id);
  assert.equal(paused.recording, true);
  assert.equal(paused.recording_paused, true);
  assert.equal((await client.getCall(call.call_id)).recording_paused, true);
  assert.equal((await client.resumeRecording(call.call_id)).recording_paused, false);

  assert.equal((await client.speak(call.call_id, 'Hello from Node')).call_id, call.call_id);
  await client.speak(call.call_id, '<speak>Olá</speak>', {
    voice: 'AWS.Polly.Camila-Neural',
    language: 'pt-BR',
    payloadType: 'ssml',
  });
  await assert.rejects(
    client.speak(call.call_id, 'Olá', { voice: 'male', language: 'pt-BR' }),
    (err) =>
      err.code === 'CW_EINVAL' &&
      err.message ===
        "language: the male and female voices (Telnyx's basic service level) speak en-US only; for pt-BR choose a " +
          'provider voice, e.g. AWS.Polly.<VoiceId> or Azure.<VoiceId>',
  );
  await assert.rejects(
    client.speak(call.call_id, 'Hi', { voice: 'Google.en-US-Wavenet-A' }),
    (err) => err.code === 'CW_EINVAL' && err.message.startsWith('voice: must be male or female'),
  );
  assert.equal((await client.startPlayback(call.call_id, 'https://example.com/voicemail.mp3')).call_id, call.call_id);
  await assert.rejects(
    client.startPlayback(call.call_id, 'file:///etc/passwd'),
    (err) => err.code === 'CW_EINVAL' && err.message.startsWith('audio_url: must be the http:// or https:// URL'),
  );
  assert.equal((await client.stopPlayback(call.call_id)).call_id, call.call_id);

  await client.hangup(call.call_id);
  for (const attempt of [
    () => client.pauseRecording(call.call_id),
    () => client.resumeRecording(call.call_id),
    () => client.speak(call.call_id, 'Hello?'),
    () => client.startPlayback(call.call_id, 'https://example.com/a.wav'),
    () => client.stopPlayback(call.call_id),
  ]) {
    await rejectsWith(assert, attempt(), 'CW_ECONFLICT');
  }
});

test('hanging up a ringing call cancels it', async (t) => {
  const { client } = await openDemo(t);
  const call = await client.dial('+12125550001'); // rings out
  await waitForCall(client, call.call_id, (c) => c.status === 'ringing');
  const final = await client.hangup(call.call_id);
  assert.equal(final.status, 'canceled');
});

test('unknown call ids reject with CW_ENOTFOUND from every call method', async (t) => {
  const { client } = await openDemo(t);
  const id = '00000000-0000-4000-8000-000000000000';
  for (const attempt of [
    () => client.hangup(id),
    () => client.sendDtmf(id, '1'),
    () => client.startRecording(id),
    () => client.stopRecording(id),
    () => client.transfer(id, '+12125550888'),
    () => client.setMuted(id, true),
    () => client.setOnHold(id, false),
    () => client.pauseRecording(id),
    () => client.resumeRecording(id),
    () => client.speak(id, 'Hello'),
    () => client.startPlayback(id, 'https://example.com/a.wav'),
    () => client.stopPlayback(id),
    () => client.getCall(id),
  ]) {
    await rejectsWith(assert, attempt(), 'CW_ENOTFOUND');
  }
});

test('invalid numbers and digits reject with CW_EINVAL and say why', async (t) => {
  const { client } = await openDemo(t);
  await assert.rejects(client.dial('call mom'), (err) => err.code === 'CW_EINVAL' && /to_number/.test(err.message));
  await assert.rejects(client.dial('+1'), (err) => err.code === 'CW_EINVAL' && /too short/.test(err.message));
  await assert.rejects(
    client.dial('+12125550123', { from: 'abc' }),
    (err) => err.code === 'CW_EINVAL' && /from_number/.test(err.message),
  );
  const call = await client.dial('+12125550123');
  await waitForCall(client, call.call_id, (c) => c.status === 'active');
  await rejectsWith(assert, client.sendDtmf(call.call_id, 'xyz'), 'CW_EINVAL');
  await rejectsWith(assert, client.transfer(call.call_id, 'nowhere'), 'CW_EINVAL');
  await client.hangup(call.call_id);
});

test('dialing without a caller-ID number fails until a default number exists; an explicit from works', async (t) => {
  const { url } = tempDb();
  const storage = await Storage.open(url);
  const client = await Client.open(storage, { demoSpeed: 100 });
  t.after(async () => {
    await client.close();
    await storage.close();
  });
  await assert.rejects(client.dial('+12125550000'), (err) => err.code === 'CW_EINVAL' && /default number/.test(err.message));
  const call = await client.dial('+12125550000', { from: '+1 312 555 0177' });
  assert.equal(call.from_number, '+13125550177');
  await waitForCall(client, call.call_id, () => true, 'call.ended');
});

test('dial options: contact lookup by number and an explicit contact', async (t) => {
  const { client, storage } = await openDemo(t);
  const ann = await storage.contacts.create({ name: 'Ann', phone: '+12125550000' });
  const byNumber = await client.dial('+12125550000');
  assert.equal(byNumber.contact_id, ann.id);
  assert.equal(byNumber.contact_name, 'Ann');
  const explicit = await client.dial('+12125550002', { contactId: ann.id, answeringMachineDetection: true });
  assert.equal(explicit.contact_id, ann.id);
  assert.equal(explicit.agent_id, null);
  const premium = await client.dial('+12125550004', {
    answeringMachineDetection: 'premium',
    answeringMachineDetectionConfig: { totalAnalysisTimeMillis: 5000 },
  });
  assert.equal(premium.status, 'dialing');
  await Promise.all([byNumber, explicit, premium].map((c) => waitForCall(client, c.call_id, () => true, 'call.ended')));
  await assert.rejects(client.dial('+12125550004', { answeringMachineDetection: 'beep' }), (err) => {
    assert.equal(err.code, 'CW_EINVAL');
    assert.match(err.message, /answeringMachineDetection: 'beep' is not a mode; use disabled, detect/);
    return true;
  });
  await assert.rejects(client.dial('+12125550004', { agentId: 'nobody' }), (err) => {
    assert.equal(err.code, 'CW_EINVAL');
    assert.match(err.message, /agentId: no user has this id/);
    return true;
  });
  // Option keys are camelCase; the REST spelling gets the package's name back, nothing is dialed.
  await assert.rejects(client.dial('+12125550004', { contact_id: ann.id }), (err) => {
    assert.equal(err.code, 'CW_EINVAL');
    assert.equal(err.message, "dial options has no key 'contact_id'; it is spelled 'contactId'");
    return true;
  });
  await assert.rejects(
    client.dial('+12125550004', { answeringMachineDetection: 'detect', answeringMachineDetectionConfig: { silence: 1 } }),
    (err) => err.code === 'CW_EINVAL' && /dial options\.answeringMachineDetectionConfig has no key 'silence'/.test(err.message),
  );
  await assert.rejects(storage.contacts.list({ favorites_only: true }), (err) => {
    assert.equal(err.code, 'CW_EINVAL');
    assert.equal(err.message, "contact filter has no key 'favorites_only'; it is spelled 'favoritesOnly'");
    return true;
  });
});

test('argument misuse rejects with CW_EINVAL before reaching the client', async (t) => {
  const { client } = await openDemo(t);
  await rejectsWith(assert, client.dial(12125550123), 'CW_EINVAL');
  await rejectsWith(assert, client.dial('+12125550123', 'from me'), 'CW_EINVAL');
  await rejectsWith(assert, client.dial('+12125550123', { from: 5 }), 'CW_EINVAL');
  await rejectsWith(assert, client.dial('+1212555\u00000123'), 'CW_EINVAL');
  await rejectsWith(assert, client.hangup(), 'CW_EINVAL');
  await rejectsWith(assert, client.setMuted('id', 'yes'), 'CW_EINVAL');
  await rejectsWith(assert, client.setOnHold('id', 1), 'CW_EINVAL');
  await rejectsWith(assert, client.sendDtmf('id', 1), 'CW_EINVAL');
  await rejectsWith(assert, client.speak('id', 42), 'CW_EINVAL');
  await rejectsWith(assert, client.speak('id', 'Hi', 'female'), 'CW_EINVAL'); // options must be an object
  await rejectsWith(assert, client.startPlayback('id'), 'CW_EINVAL');
  await rejectsWith(assert, client.ingestWebhook(42, {}), 'CW_EINVAL');
  await rejectsWith(assert, client.ingestWebhook('{}', 'x-header: 1'), 'CW_EINVAL');
  await rejectsWith(assert, client.ingestWebhook('{}', [['only-a-name']]), 'CW_EINVAL');
  assert.deepEqual(await client.activeCalls(), []);
});

test('constructor and option misuse', async (t) => {
  assert.throws(() => new Client({}), (err) => err instanceof CallwireError && err.code === 'CW_EINVAL');
  assert.throws(() => new Client(null), (err) => err instanceof CallwireError && err.code === 'CW_EINVAL');
  const { url } = tempDb();
  const storage = await Storage.open(url);
  t.after(() => storage.close());
  assert.throws(() => new Client(storage, 'demo'), (err) => err instanceof CallwireError && err.code === 'CW_EINVAL');
  for (const options of [{ demoSpeed: 'fast' }, { apiKey: 42 }, { hangupWaitMs: -5 }, { forceDemo: 'yes' }, { ioThreads: 1.5 }]) {
    const client = new Client(storage, options);
    await rejectsWith(assert, client.ready, 'CW_EINVAL');
    await rejectsWith(assert, client.dial('+12125550000'), 'CW_EINVAL'); // methods give the same error
    await client.close(); // and close still settles
  }
});

test('settings are masked and say the mode; reloadSettings switches between demo and live', async (t) => {
  const { client, storage } = await openDemo(t);
  const settings = await client.settings();
  assert.equal(settings.mode, 'demo');
  assert.equal(settings.api_key, '');

  // api_base is deployment configuration (the client's options), never a saved setting.
  await assert.rejects(storage.settings.save({ api_base: 'https://collect.evil.example/v2' }), { code: 'CW_EINVAL' });
  await storage.settings.save({ api_key: 'KEY_live_0123456789wxyz' });
  assert.equal(await client.reloadSettings(), 'live');
  assert.equal(client.mode, 'live');
  const live = await client.settings();
  assert.equal(live.mode, 'live');
  assert.ok(live.api_key.endsWith('wxyz'));
  assert.ok(!live.api_key.includes('0123456789'));

  await storage.settings.save({ api_key: '' });
  assert.equal(await client.reloadSettings(), 'demo');
  assert.equal(client.demo, true);
});

test('forceDemo keeps demo mode with a key; a key alone gives live mode', async (t) => {
  const { url } = tempDb();
  const storage = await Storage.open(url);
  t.after(() => storage.close());
  const forced = await Client.open(storage, { apiKey: 'KEY_0123456789', forceDemo: true });
  assert.equal(forced.mode, 'demo');
  await forced.close();
  const live = await Client.open(storage, { apiKey: 'KEY_0123456789', apiBase: 'http://127.0.0.1:9' });
  assert.equal(live.mode, 'live');
  assert.equal((await live.settings()).mode, 'live');
  await live.close();
});

test('stats, call logs with search and status filters, and CSV after calls', async (t) => {
  const { client, storage } = await openDemo(t);
  const busy = await client.dial('+12125550000');
  const done = await client.dial('+12125550004');
  await Promise.all([busy, done].map((c) => waitForCall(client, c.call_id, () => true, 'call.ended')));

  const stats = await client.stats();
  assert.equal(stats.total_calls, 2);
  assert.equal(stats.completed_calls, 1);
  assert.equal(stats.failed_calls, 1);
  assert.equal(stats.by_status.busy, 1);
  assert.equal(stats.by_status.completed, 1);
  assert.deepEqual(await storage.logs.stats(), stats);

  const logs = await storage.logs.list();
  assert.deepEqual(logs.map((c) => c.call_id).sort(), [busy.call_id, done.call_id].sort());
  assert.deepEqual((await storage.logs.list({ status: 'busy' })).map((c) => c.call_id), [busy.call_id]);
  assert.deepEqual((await storage.logs.search('2125550004')).map((c) => c.call_id), [done.call_id]);
  assert.deepEqual((await storage.logs.search('0000', { status: 'completed' })).map((c) => c.call_id), []);
  assert.equal((await storage.logs.list({ limit: 1 })).length, 1);

  const csv = await storage.logs.exportCsv();
  const lines = csv.split('\r\n');
  assert.equal(lines.at(-1), '');
  assert.equal(lines.length, 4); // header, two calls, the final CRLF
  const header = lines[0].split(',');
  const row = lines.slice(1, 3).map((l) => l.split(',')).find((r) => r[0] === busy.call_id);
  assert.equal(row[header.indexOf('status')], 'busy');
  assert.equal(row[header.indexOf('to_number')], '+12125550000');
  const onlyBusy = await storage.logs.exportCsv({ status: 'busy' });
  assert.equal(onlyBusy.split('\r\n').length, 3);
});

test('a closed client rejects with CW_ECLOSED; close is idempotent and emits close once', async (t) => {
  const { url } = tempDb();
  const storage = await Storage.open(url);
  t.after(() => storage.close());
  const client = await Client.open(storage, { demoSpeed: 100 });
  let closes = 0;
  client.on('close', () => closes++);
  const first = client.close();
  assert.equal(client.closed, true);
  assert.equal(client.close(), first);
  await first;
  await client.close();
  assert.equal(closes, 1);
  for (const attempt of [
    () => client.dial('+12125550000'),
    () => client.hangup('x'),
    () => client.sendDtmf('x', '1'),
    () => client.startRecording('x'),
    () => client.stopRecording('x'),
    () => client.refreshRecording('x'),
    () => client.transfer('x', '+12125550000'),
    () => client.setMuted('x', true),
    () => client.setOnHold('x', true),
    () => client.getCall('x'),
    () => client.activeCalls(),
    () => client.stats(),
    () => client.settings(),
    () => client.reloadSettings(),
    () => client.ingestWebhook('{}', {}),
  ]) {
    await rejectsWith(assert, attempt(), 'CW_ECLOSED');
  }
});

test('removeAllListeners() does not break close() or the event bookkeeping', async (t) => {
  const { client } = await openDemo(t);
  client.on('call.updated', () => {});
  client.removeAllListeners();
  const ended = new Promise((resolve) => client.once('call.ended', resolve)); // listening again
  await client.dial('+12125550000');
  assert.equal((await ended).status, 'busy');
  client.removeAllListeners();
  await client.close();
});

test('close() from inside an event listener (the C ABI forbids it in its callback; here it is safe)', async () => {
  const { url } = tempDb();
  const storage = await Storage.open(url);
  await storage.numbers.create({ number: CALLER_ID, is_default: true });
  const client = await Client.open(storage, { demoSpeed: 100 });
  const closed = new Promise((resolve, reject) => {
    client.once('call.created', () => {
      client.close().then(resolve, reject);
    });
  });
  await client.dial('+12125550001');
  await closed;
  assert.equal(client.closed, true);
  await rejectsWith(assert, client.activeCalls(), 'CW_ECLOSED');
  await storage.close();
});
