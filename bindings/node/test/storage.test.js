// Storage: opening (and failing to), contacts, caller-ID numbers, settings
// masking, recordings, call logs on an empty database, misuse and closing.
// Mirrors the C ABI's storage tests; calls and their logs are in client.test.js.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { Storage, Client, CallwireError } = require('callwire');
const { tempDb, rejectsWith, CALLER_ID } = require('./helpers.js');

async function openStorage(t) {
  const storage = await Storage.open(tempDb().url);
  t.after(() => storage.close());
  return storage;
}

test('opens SQLite and describes it', async () => {
  const { url, dir } = tempDb();
  const storage = new Storage(url);
  assert.equal(await storage.ready, storage);
  const info = await storage.info();
  assert.equal(info.backend, 'sqlite');
  assert.ok(info.location.startsWith(dir));
  assert.ok(info.schema_version >= 1);
  const tables = info.tables.map((x) => x.name);
  for (const name of ['contacts', 'call_logs', 'recordings', 'numbers']) assert.ok(tables.includes(name), name);
  await storage.close();
});

test('a bad URL, a folder that cannot hold a database and an unreachable MongoDB fail with their codes', async () => {
  await rejectsWith(assert, Storage.open('ftp://example.com/db'), 'CW_EINVAL');
  await rejectsWith(assert, Storage.open('sqlite:///nonexistent-callwire-dir/x/y.db'), 'CW_ESTORAGE', 'storage');
  // A sentence for people; SQLite's words and the path in .detail, for logs.
  await assert.rejects(Storage.open('sqlite:///nonexistent-callwire-dir/x/y.db'), (err) => {
    assert.equal(err.message, 'The database cannot be opened.');
    assert.equal(
      err.detail,
      'sqlite: cannot open database: unable to open database file (/nonexistent-callwire-dir/x/y.db)',
    );
    return true;
  });
  await rejectsWith(assert, Storage.open('mongodb://127.0.0.1:1/callwire', { timeoutMs: 300 }), 'CW_EUNAVAILABLE', 'storage');
  // Methods of a storage that failed to open reject with the same error; close() still resolves.
  const failed = new Storage('ftp://example.com/db');
  await rejectsWith(assert, failed.contacts.list(), 'CW_EINVAL');
  await failed.close();
});

test('constructor misuse throws CW_EINVAL at once', () => {
  for (const [url, options] of [[5], [undefined], ['sqlite:///tmp/x.db', 'fast'], ['sqlite:///tmp/x.db', [1]]]) {
    assert.throws(() => new Storage(url, options), (err) => err instanceof CallwireError && err.code === 'CW_EINVAL');
  }
});

test('storage option misuse rejects with CW_EINVAL', async () => {
  const { url } = tempDb();
  await rejectsWith(assert, Storage.open(url, { timeoutMs: -1 }), 'CW_EINVAL');
  await rejectsWith(assert, Storage.open(url, { maxConnections: 'many' }), 'CW_EINVAL');
  await rejectsWith(assert, Storage.open(url, { database: 7 }), 'CW_EINVAL');
});

test('contacts: create, get, list with filters, update, favourite, delete', async (t) => {
  const storage = await openStorage(t);
  const ann = await storage.contacts.create({ name: 'Ann Lee', phone: '+1 (212) 555-0199', category: 'lead', email: 'ann@example.com' });
  assert.equal(ann.name, 'Ann Lee');
  assert.equal(ann.phone, '+12125550199');
  assert.equal(ann.category, 'lead');
  assert.equal(ann.is_favorite, false);
  assert.match(ann.id, /^[0-9a-f-]{36}$/);
  const bob = await storage.contacts.create({ name: 'Bob Roe', phone: '+442079460958', notes: 'call after 5' });
  assert.equal(bob.category, 'other');

  assert.deepEqual(await storage.contacts.get(ann.id), ann);
  assert.equal((await storage.contacts.list()).length, 2);
  assert.deepEqual((await storage.contacts.list({ search: 'bob' })).map((c) => c.id), [bob.id]);
  assert.deepEqual((await storage.contacts.list({ category: 'lead' })).map((c) => c.id), [ann.id]);
  assert.equal((await storage.contacts.list({ limit: 1 })).length, 1);

  const fav = await storage.contacts.toggleFavorite(bob.id);
  assert.equal(fav.is_favorite, true);
  assert.deepEqual((await storage.contacts.list({ favoritesOnly: true })).map((c) => c.id), [bob.id]);
  assert.equal((await storage.contacts.toggleFavorite(bob.id)).is_favorite, false);

  const updated = await storage.contacts.update(ann.id, { notes: 'prefers email', category: 'client' });
  assert.equal(updated.notes, 'prefers email');
  assert.equal(updated.category, 'client');
  assert.equal(updated.name, 'Ann Lee');

  await storage.contacts.remove(ann.id);
  await rejectsWith(assert, storage.contacts.get(ann.id), 'CW_ENOTFOUND');
  assert.deepEqual((await storage.contacts.list()).map((c) => c.id), [bob.id]);
});

test('contacts: unknown ids, invalid phones and fields, misuse', async (t) => {
  const storage = await openStorage(t);
  const ann = await storage.contacts.create({ name: 'Ann', phone: '+12125550199' });
  for (const attempt of [
    () => storage.contacts.get('no-such-id'),
    () => storage.contacts.update('no-such-id', { notes: 'x' }),
    () => storage.contacts.remove('no-such-id'),
    () => storage.contacts.toggleFavorite('no-such-id'),
  ]) {
    await rejectsWith(assert, attempt(), 'CW_ENOTFOUND');
  }
  await rejectsWith(assert, storage.contacts.create({ name: 'No phone' }), 'CW_EINVAL');
  await rejectsWith(assert, storage.contacts.create({ name: 'Bad', phone: 'call me' }), 'CW_EINVAL');
  await rejectsWith(assert, storage.contacts.create({ name: 'Bad', phone: '+12125550198', category: 'vip' }), 'CW_EINVAL');
  await rejectsWith(assert, storage.contacts.update(ann.id, { phone: 'zz' }), 'CW_EINVAL');
  await rejectsWith(assert, storage.contacts.list({ limit: -1 }), 'CW_EINVAL');
  // JavaScript misuse: wrong types, NUL characters, JSON text instead of objects.
  await rejectsWith(assert, storage.contacts.create('{"name":"x","phone":"+12125550100"}'), 'CW_EINVAL');
  await rejectsWith(assert, storage.contacts.create(null), 'CW_EINVAL');
  await rejectsWith(assert, storage.contacts.create([]), 'CW_EINVAL');
  await rejectsWith(assert, storage.contacts.get(42), 'CW_EINVAL');
  await rejectsWith(assert, storage.contacts.get(`${ann.id}\0junk`), 'CW_EINVAL');
  await rejectsWith(assert, storage.contacts.list('all'), 'CW_EINVAL');
  assert.equal((await storage.contacts.list()).length, 1);
});

test('caller-ID numbers: add, default, remove, duplicates and invalid numbers', async (t) => {
  const { url } = tempDb();
  const dbFile = url.slice('sqlite://'.length);
  const storage = await Storage.open(url);
  t.after(() => storage.close());
  assert.deepEqual(await storage.numbers.list(), []);
  const first = await storage.numbers.create(CALLER_ID);
  assert.equal(first.number, CALLER_ID);
  assert.equal(first.status, 'active');
  const second = await storage.numbers.create({ number: '+1 312 555 0101', name: 'Sales', is_default: false });
  assert.equal(second.number, '+13125550101');
  assert.equal(second.name, 'Sales');
  const made = await storage.numbers.setDefault(second.id);
  assert.equal(made.is_default, true);
  const list = await storage.numbers.list();
  assert.equal(list.length, 2);
  assert.deepEqual(list.filter((n) => n.is_default).map((n) => n.id), [second.id]);

  // The same number again: a sentence for people, the database's own text in
  // .detail (the constraint, the file), for logs.
  await assert.rejects(storage.numbers.create({ number: '+1 312 555 0100', name: 'Again' }), (err) => {
    assert.ok(err instanceof CallwireError);
    assert.equal(err.code, 'CW_ECONFLICT');
    assert.equal(err.domain, 'sdk');
    assert.equal(err.message, 'This number is already in your list.');
    assert.match(err.detail, /^number \+13125550100 \(id [0-9a-f-]{36}\) already exists: sqlite: insert into numbers: UNIQUE constraint failed: numbers\.number \(/);
    assert.ok(err.detail.includes(dbFile), err.detail);
    return true;
  });
  // Another failure has its own (empty) detail.
  await assert.rejects(storage.numbers.setDefault('no-such-id'), (err) => {
    assert.equal(err.message, 'number no-such-id not found');
    assert.equal(err.detail, '');
    return true;
  });
  await rejectsWith(assert, storage.numbers.create('not a number'), 'CW_EINVAL');
  await rejectsWith(assert, storage.numbers.create({ name: 'no number' }), 'CW_EINVAL');
  await rejectsWith(assert, storage.numbers.create(5), 'CW_EINVAL');
  await rejectsWith(assert, storage.numbers.remove('no-such-id'), 'CW_ENOTFOUND');
  await rejectsWith(assert, storage.numbers.setDefault('no-such-id'), 'CW_ENOTFOUND');

  await storage.numbers.remove(first.id);
  assert.deepEqual((await storage.numbers.list()).map((n) => n.id), [second.id]);
});

test('settings: secrets are masked unless asked for, and a masked secret sent back keeps the stored one', async (t) => {
  const storage = await openStorage(t);
  const key = 'KEY0123456789SECRETabcd';
  const saved = await storage.settings.save({ api_key: key, webhook_url: 'https://example.com/webhooks/call', auto_record: true });
  assert.notEqual(saved.api_key, key);
  assert.ok(saved.api_key.endsWith('abcd'));
  assert.ok(!saved.api_key.includes('SECRET'));
  assert.equal(saved.webhook_url, 'https://example.com/webhooks/call');
  assert.equal(saved.auto_record, true);

  const masked = await storage.settings.get();
  assert.equal(masked.api_key, saved.api_key);
  assert.deepEqual(await storage.settings.get({ masked: true }), masked);
  assert.equal((await storage.settings.get({ masked: false })).api_key, key);

  // The UI round-trip: the masked value comes back unchanged with other edits.
  await storage.settings.save({ ...masked, connection_id: 'conn-42' });
  const clear = await storage.settings.get({ masked: false });
  assert.equal(clear.api_key, key);
  assert.equal(clear.connection_id, 'conn-42');

  await storage.settings.save({ api_key: '' });
  assert.equal((await storage.settings.get({ masked: false })).api_key, '');

  assert.equal(clear.recording_channels, '');  // never saved
  assert.equal((await storage.settings.save({ recording_channels: 'single' })).recording_channels, 'single');
  await rejectsWith(assert, storage.settings.save({ recording_channels: 'stereo' }), 'CW_EINVAL');
  assert.equal((await storage.settings.get()).recording_channels, 'single');

  await rejectsWith(assert, storage.settings.save('api_key=x'), 'CW_EINVAL');
  await rejectsWith(assert, storage.settings.get({ masked: 'no' }), 'CW_EINVAL');
  await rejectsWith(assert, storage.settings.get('masked'), 'CW_EINVAL');
});

test('recordings and call logs of an empty database; unknown ids', async (t) => {
  const storage = await openStorage(t);
  assert.deepEqual(await storage.recordings.list(), []);
  assert.deepEqual(await storage.recordings.list({ limit: 10, offset: 0 }), []);
  await rejectsWith(assert, storage.recordings.listForCall('no-such-call'), 'CW_ENOTFOUND');
  await rejectsWith(assert, storage.recordings.remove('no-such-recording'), 'CW_ENOTFOUND');

  assert.deepEqual(await storage.logs.list(), []);
  assert.deepEqual(await storage.logs.search('555'), []);
  await rejectsWith(assert, storage.logs.get('no-such-call'), 'CW_ENOTFOUND');
  const stats = await storage.logs.stats();
  assert.equal(stats.total_calls, 0);
  assert.equal(stats.answer_rate, 0);
  assert.deepEqual(stats.per_day, {});
  const csv = await storage.logs.exportCsv();
  assert.match(csv, /^call_id,created_at,direction,from_number,to_number,status,duration,/);
  assert.ok(csv.endsWith('\r\n'));
  assert.equal(csv.split('\r\n').length, 2); // the header line only
  // A message longer than the C ABI's buffer arrives cut to fit (511 bytes).
  await assert.rejects(storage.recordings.listForCall('x'.repeat(2000)), (err) => {
    assert.equal(err.code, 'CW_ENOTFOUND');
    assert.equal(Buffer.byteLength(err.message), 511);
    return true;
  });
  await rejectsWith(assert, storage.logs.list({ status: 'exploded' }), 'CW_EINVAL');
  await rejectsWith(assert, storage.logs.search(7), 'CW_EINVAL');
  await rejectsWith(assert, storage.logs.stats([]), 'CW_EINVAL');
});

test('a closed storage rejects with CW_ECLOSED; close is idempotent; clients keep working', async (t) => {
  const { url } = tempDb();
  const storage = await Storage.open(url);
  await storage.numbers.create({ number: CALLER_ID, is_default: true });
  const client = await Client.open(storage, { demoSpeed: 100 });
  t.after(() => client.close());

  const pending = storage.contacts.list(); // queued before close: still answered
  const closing = storage.close();
  assert.equal(storage.closed, true);
  assert.deepEqual(await pending, []);
  await closing;
  await storage.close();
  await rejectsWith(assert, storage.contacts.list(), 'CW_ECLOSED');
  await rejectsWith(assert, storage.info(), 'CW_ECLOSED');
  await rejectsWith(assert, storage.numbers.create('+13125550155'), 'CW_ECLOSED');

  // The C client keeps its storage alive: calls still work.
  const call = await client.dial('+12125550000');
  assert.equal(call.status, 'dialing');
  // …but a new client cannot be made from a closed storage.
  await rejectsWith(assert, Client.open(storage), 'CW_ECLOSED');
});
