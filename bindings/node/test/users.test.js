// storage.users: the accounts of a server's team. Mirrors the C tests of
// cw_users_* (tests/capi/users_test.c) and the Python ones (test_users.py):
// create and its refusals (a taken email whatever its case, a short password,
// missing or wrong fields, messages that never repeat the password), get,
// findByEmail, list, update (role, disabled, clearing a field), status,
// passwords, sign-in (unknown email, wrong password and a disabled account
// answer alike), revocation, delete, misuse, a closed storage; and that
// Argon2id works off the JS thread.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { Storage, CallwireError } = require('callwire');
const { tempDb, rejectsWith } = require('./helpers.js');

const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'staple 2 the wall';

async function openStorage(t) {
  const storage = await Storage.open(tempDb().url);
  t.after(() => storage.close());
  return storage;
}

async function makeTeam(storage) {
  const ada = await storage.users.create({ email: 'Ada@Example.org', name: 'Ada Lovelace', password: PASSWORD, role: 'admin' });
  const bob = await storage.users.create({ email: 'bob@example.org', name: 'Bob', password: PASSWORD, default_number_id: 'num-1' });
  return { ada, bob };
}

/** A user record has exactly the User fields: never a password or a hash. */
function noSecret(user) {
  assert.deepEqual(Object.keys(user).sort(), [
    'created_at', 'default_number_id', 'disabled', 'email', 'id', 'last_login_at', 'name', 'role', 'status',
    'token_version', 'updated_at',
  ]);
  const text = JSON.stringify(user);
  for (const secret of [PASSWORD, NEW_PASSWORD, 'argon2', 'hash', 'password']) assert.ok(!text.includes(secret), secret);
}

/** Rejects with `code` and exactly `message`. */
async function rejectsWithMessage(promise, code, message) {
  await assert.rejects(promise, (err) => {
    assert.ok(err instanceof CallwireError);
    assert.equal(err.code, code, err.message);
    assert.equal(err.message, message);
    return true;
  });
}

test('users: create, get, findByEmail, list', async (t) => {
  const storage = await openStorage(t);
  const { ada, bob } = await makeTeam(storage);
  assert.match(ada.id, /^[0-9a-f-]{36}$/);
  assert.equal(ada.email, 'Ada@Example.org'); // as entered
  assert.equal(ada.name, 'Ada Lovelace');
  assert.equal(ada.role, 'admin');
  assert.equal(ada.status, 'offline');
  assert.equal(ada.default_number_id, null);
  assert.equal(ada.disabled, false);
  assert.equal(ada.token_version, 0);
  assert.equal(ada.last_login_at, null);
  assert.ok(Math.abs(Date.parse(ada.created_at) - Date.now()) < 5 * 60 * 1000);
  noSecret(ada);
  assert.equal(bob.role, 'agent');
  assert.equal(bob.default_number_id, 'num-1');

  assert.deepEqual(await storage.users.get(ada.id), ada);
  assert.equal((await storage.users.findByEmail('  ADA@example.ORG ')).id, ada.id);
  assert.equal(await storage.users.findByEmail('nobody@example.org'), null);
  assert.deepEqual((await storage.users.list()).map((u) => u.id), [ada.id, bob.id]); // oldest first
});

test('users: create refusals say why, never with the password', async (t) => {
  const storage = await openStorage(t);
  await makeTeam(storage);
  await assert.rejects(storage.users.create({ email: 'ADA@example.ORG', name: 'Ada 2', password: PASSWORD }), (err) => {
    assert.ok(err instanceof CallwireError);
    assert.equal(err.code, 'CW_ECONFLICT');
    assert.equal(err.domain, 'sdk');
    assert.equal(err.message, 'An account with this email already exists.');
    assert.ok(!err.detail.includes(PASSWORD));
    return true;
  });
  await assert.rejects(storage.users.create({ email: 'carl@example.org', name: 'Carl', password: 'seven77' }), (err) => {
    assert.equal(err.code, 'CW_EINVAL');
    assert.equal(err.message, 'password: must be at least 8 characters long');
    assert.ok(!err.message.includes('seven77') && !err.detail.includes('seven77'));
    return true;
  });
  const carl = { email: 'carl@example.org', name: 'Carl', password: PASSWORD };
  await rejectsWithMessage(storage.users.create({ ...carl, password: undefined }), 'CW_EINVAL', 'user_json.password: field required');
  await rejectsWithMessage(storage.users.create({ ...carl, name: '' }), 'CW_EINVAL', 'user_json.name: field required');
  await rejectsWithMessage(storage.users.create({ ...carl, email: undefined }), 'CW_EINVAL', 'user_json.email: field required');
  await rejectsWithMessage(
    storage.users.create({ ...carl, role: 'boss' }),
    'CW_EINVAL',
    "user_json.role: must be one of admin, agent (got 'boss')",
  );
  await rejectsWithMessage(storage.users.create({ ...carl, password: 12345678 }), 'CW_EINVAL', 'user_json.password: expected a string');
  await assert.rejects(storage.users.create({ ...carl, email: 'not an email' }), (err) => {
    assert.equal(err.code, 'CW_EINVAL');
    assert.match(err.message, /email/);
    assert.ok(!err.message.includes(PASSWORD));
    return true;
  });
  // JavaScript misuse: JSON text or null instead of an object.
  await rejectsWith(assert, storage.users.create(JSON.stringify(carl)), 'CW_EINVAL');
  await rejectsWith(assert, storage.users.create(null), 'CW_EINVAL');
  assert.equal((await storage.users.list()).length, 2); // nothing was added
});

test('users: update, disable, status', async (t) => {
  const storage = await openStorage(t);
  const { ada, bob } = await makeTeam(storage);
  await rejectsWithMessage(storage.users.get('no-such-user'), 'CW_ENOTFOUND', 'user no-such-user not found');

  const changed = await storage.users.update(bob.id, { role: 'admin', name: 'Bob Jones' });
  assert.equal(changed.role, 'admin');
  assert.equal(changed.name, 'Bob Jones');
  assert.equal(changed.email, 'bob@example.org');
  assert.equal(changed.default_number_id, 'num-1');
  assert.equal(changed.token_version, 0);
  assert.equal((await storage.users.update(bob.id, { default_number_id: null })).default_number_id, 'num-1'); // null leaves it
  const cleared = await storage.users.update(bob.id, { default_number_id: '', role: 'agent' });
  assert.equal(cleared.default_number_id, null);
  assert.equal(cleared.role, 'agent');
  assert.equal((await storage.users.update(bob.id, {})).name, 'Bob Jones');

  const disabled = await storage.users.update(bob.id, { disabled: true });
  assert.equal(disabled.disabled, true);
  assert.equal(disabled.token_version, 1); // disabling revokes the tokens
  const enabled = await storage.users.update(bob.id, { disabled: false });
  assert.equal(enabled.disabled, false);
  assert.equal(enabled.token_version, 1);

  await rejectsWithMessage(
    storage.users.update(bob.id, { email: 'ada@EXAMPLE.org' }),
    'CW_ECONFLICT',
    'An account with this email already exists.',
  );
  await rejectsWithMessage(storage.users.update(bob.id, { name: '' }), 'CW_EINVAL', 'patch_json.name: must not be empty');
  await rejectsWithMessage(
    storage.users.update(bob.id, { role: 'root' }),
    'CW_EINVAL',
    "patch_json.role: must be one of admin, agent (got 'root')",
  );
  await rejectsWithMessage(storage.users.update(bob.id, { disabled: 'yes' }), 'CW_EINVAL', 'patch_json.disabled: expected a boolean');
  await rejectsWith(assert, storage.users.update('no-such-user', { name: 'X' }), 'CW_ENOTFOUND');
  await rejectsWith(assert, storage.users.update(bob.id, 'name=X'), 'CW_EINVAL');
  const after = await storage.users.get(bob.id);
  assert.equal(after.name, 'Bob Jones');
  assert.equal(after.email, 'bob@example.org');

  assert.equal((await storage.users.setStatus(ada.id, 'away')).status, 'away');
  assert.equal((await storage.users.get(ada.id)).status, 'away');
  assert.equal((await storage.users.setStatus(ada.id, 'available')).status, 'available');
  await rejectsWithMessage(
    storage.users.setStatus(ada.id, 'busy'),
    'CW_EINVAL',
    "status: you can set available or away (got 'busy'); busy, wrap_up and offline follow your calls and connections",
  );
  await rejectsWithMessage(storage.users.setStatus(ada.id, ''), 'CW_EINVAL', 'status: field required');
  await rejectsWith(assert, storage.users.setStatus('no-such-user', 'away'), 'CW_ENOTFOUND');
  await rejectsWith(assert, storage.users.setStatus(ada.id, 3), 'CW_EINVAL');
  assert.equal((await storage.users.get(ada.id)).status, 'available');
});

test('users: passwords, sign-in failures alike, revocation', async (t) => {
  const storage = await openStorage(t);
  const { ada, bob } = await makeTeam(storage);
  assert.equal(await storage.users.checkPassword(ada.id, PASSWORD), true);
  assert.equal(await storage.users.checkPassword(ada.id, NEW_PASSWORD), false);
  assert.equal(await storage.users.checkPassword('no-such-user', PASSWORD), false);

  const signedIn = await storage.users.authenticate('ada@EXAMPLE.org', PASSWORD);
  assert.equal(signedIn.id, ada.id);
  assert.ok(signedIn.last_login_at);
  noSecret(signedIn);
  assert.equal((await storage.users.get(ada.id)).last_login_at, signedIn.last_login_at);

  const changed = await storage.users.setPassword(ada.id, NEW_PASSWORD);
  assert.equal(changed.token_version, ada.token_version + 1);
  noSecret(changed);
  assert.equal((await storage.users.authenticate('ada@example.org', NEW_PASSWORD)).id, ada.id);
  assert.equal(await storage.users.authenticate('ada@example.org', PASSWORD), null);
  assert.equal(await storage.users.checkPassword(ada.id, NEW_PASSWORD), true);

  await rejectsWithMessage(storage.users.setPassword(ada.id, 'short'), 'CW_EINVAL', 'password: must be at least 8 characters long');
  await rejectsWith(assert, storage.users.setPassword('no-such-user', NEW_PASSWORD), 'CW_ENOTFOUND');
  await rejectsWith(assert, storage.users.setPassword(ada.id, undefined), 'CW_EINVAL');
  assert.ok(await storage.users.authenticate('ada@example.org', NEW_PASSWORD)); // unchanged

  // Failures alike: an unknown email, a wrong password, a disabled account.
  assert.equal(await storage.users.authenticate('nobody@example.org', PASSWORD), null);
  assert.equal(await storage.users.authenticate('bob@example.org', 'not the password'), null);
  await storage.users.update(bob.id, { disabled: true });
  assert.equal(await storage.users.authenticate('bob@example.org', PASSWORD), null);
  assert.equal(await storage.users.authenticate('', ''), null);
  await storage.users.update(bob.id, { disabled: false });
  assert.equal((await storage.users.authenticate('bob@example.org', PASSWORD)).id, bob.id);
  // A NUL would cut a C string short: refused, not truncated.
  await rejectsWith(assert, storage.users.authenticate('ada@example.org', `${NEW_PASSWORD}\0junk`), 'CW_EINVAL');
  await rejectsWith(assert, storage.users.checkPassword(ada.id, null), 'CW_EINVAL');

  const before = (await storage.users.get(bob.id)).token_version;
  assert.equal((await storage.users.revokeTokens(bob.id)).token_version, before + 1);
  assert.equal((await storage.users.get(bob.id)).token_version, before + 1);
  await rejectsWith(assert, storage.users.revokeTokens('no-such-user'), 'CW_ENOTFOUND');
});

test('users: delete, and the email is free again', async (t) => {
  const storage = await openStorage(t);
  const { ada, bob } = await makeTeam(storage);
  assert.equal(await storage.users.remove(bob.id), undefined);
  await rejectsWith(assert, storage.users.get(bob.id), 'CW_ENOTFOUND');
  await rejectsWith(assert, storage.users.remove(bob.id), 'CW_ENOTFOUND');
  assert.equal(await storage.users.findByEmail('bob@example.org'), null);
  assert.equal(await storage.users.authenticate('bob@example.org', PASSWORD), null);
  assert.deepEqual((await storage.users.list()).map((u) => u.id), [ada.id]);
  assert.equal((await storage.users.create({ email: 'bob@example.org', name: 'Bob', password: PASSWORD })).status, 'offline');
});

test('users: a closed storage rejects with CW_ECLOSED', async () => {
  const storage = await Storage.open(tempDb().url);
  const { ada } = await makeTeam(storage);
  await storage.close();
  for (const attempt of [
    () => storage.users.get(ada.id),
    () => storage.users.list(),
    () => storage.users.authenticate('ada@example.org', PASSWORD),
    () => storage.users.checkPassword(ada.id, PASSWORD),
  ]) {
    await rejectsWith(assert, attempt(), 'CW_ECLOSED');
  }
});

test('users: Argon2id runs off the JS thread, sign-ins in parallel', async (t) => {
  const storage = await openStorage(t);
  const { ada, bob } = await makeTeam(storage);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  const started = Date.now();
  const results = await Promise.all([
    storage.users.authenticate('ada@example.org', PASSWORD),
    storage.users.authenticate('bob@example.org', PASSWORD),
    storage.users.authenticate('ada@example.org', 'wrong password'),
    storage.users.authenticate('nobody@example.org', PASSWORD),
    storage.users.checkPassword(ada.id, 'wrong password'),
    storage.users.checkPassword(bob.id, PASSWORD),
  ]);
  const elapsed = Date.now() - started;
  clearInterval(timer);
  assert.equal(results[0].id, ada.id);
  assert.equal(results[1].id, bob.id);
  assert.deepEqual(results.slice(2), [null, null, false, true]);
  // Six Argon2id verifications (~25 ms each) on the thread pool: the event
  // loop kept running meanwhile (a blocked loop would tick about once).
  assert.ok(ticks >= 3 && elapsed >= 10, `${ticks} ticks in ${elapsed} ms`);
});
