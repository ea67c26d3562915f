// The module itself: loading (CommonJS and ESM), versions, status codes,
// errors and phone normalisation — the synchronous utilities.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const callwire = require('callwire');
const { CallwireError, codes, normalizePhone, statusName, isTerminal, TERMINAL_STATUSES, LIVE_STATUSES } = callwire;

test('exports the classes and utilities', () => {
  for (const name of ['Storage', 'Client', 'Server', 'CallwireError']) assert.equal(typeof callwire[name], 'function', name);
  for (const name of ['normalizePhone', 'statusName', 'isTerminal']) assert.equal(typeof callwire[name], 'function', name);
});

test('ESM import gives the same classes as require', async () => {
  const esm = await import('callwire');
  assert.equal(esm.Storage, callwire.Storage);
  assert.equal(esm.Client, callwire.Client);
  assert.equal(esm.Server, callwire.Server);
  assert.equal(esm.CallwireError, callwire.CallwireError);
  assert.equal(esm.default, callwire);
  assert.equal(esm.version, callwire.version);
});

test('versions of the loaded library and of the header agree', () => {
  assert.match(callwire.version, /^\d+\.\d+\.\d+$/);
  const [major, minor, patch] = callwire.version.split('.').map(Number);
  assert.equal(callwire.versionNumber, major * 10000 + minor * 100 + patch);
  assert.equal(callwire.headerVersion, callwire.version);
  assert.equal(require('callwire/package.json').name, 'callwire');
  // One version: package.json states the project's version (tests/version checks it against
  // CMakeLists.txt), and the library it loads is that version.
  assert.equal(require('callwire/package.json').version, callwire.version);
});

test('codes maps every status name to its number, as the C ABI does', () => {
  assert.deepEqual(codes, {
    CW_OK: 0,
    CW_EINVAL: -1,
    CW_ENOTFOUND: -2,
    CW_ECONFLICT: -3,
    CW_EUNAUTHORIZED: -4,
    CW_ETOOLARGE: -5,
    CW_ERATELIMITED: -6,
    CW_ECARRIER: -7,
    CW_EUNAVAILABLE: -8,
    CW_ESTORAGE: -9,
    CW_ETIMEOUT: -10,
    CW_ETLS: -11,
    CW_ECLOSED: -12,
    CW_EINTERNAL: -13,
    CW_EMALFORMED: -14,
    CW_EVERSION: -15,
    CW_ENOMEM: -16,
    CW_EFORBIDDEN: -17,
  });
  assert.ok(Object.isFrozen(codes));
});

test('statusName names known codes and says CW_UNKNOWN for others', () => {
  assert.equal(statusName(0), 'CW_OK');
  assert.equal(statusName(-2), 'CW_ENOTFOUND');
  assert.equal(statusName(-16), 'CW_ENOMEM');
  assert.equal(statusName(-17), 'CW_EFORBIDDEN');
  assert.equal(statusName(-999), 'CW_UNKNOWN');
  assert.equal(statusName(7), 'CW_UNKNOWN');
  assert.throws(() => statusName('x'), (err) => err instanceof CallwireError && err.code === 'CW_EINVAL');
});

test('normalizePhone gives E.164', () => {
  assert.equal(normalizePhone('+1 (212) 555-1234'), '+12125551234');
  assert.equal(normalizePhone('+44 20 7946 0958'), '+442079460958');
  assert.equal(normalizePhone('+1.212.555.1234'), '+12125551234');
});

test('normalizePhone refuses what is not a phone number, saying why', () => {
  const cases = [
    ['abc', /'a'/],
    ['+1', /too short/],
    ['', /empty/],
  ];
  for (const [input, why] of cases) {
    assert.throws(
      () => normalizePhone(input),
      (err) => {
        assert.ok(err instanceof CallwireError);
        assert.equal(err.code, 'CW_EINVAL');
        assert.equal(err.status, -1);
        assert.equal(err.domain, 'sdk');
        assert.match(err.message, why);
        return true;
      },
      input,
    );
  }
  for (const bad of [5, null, undefined, {}, '+1212\0 5551234']) {
    assert.throws(() => normalizePhone(bad), (err) => err instanceof CallwireError && err.code === 'CW_EINVAL');
  }
});

test('CallwireError carries code, status and domain; carrier errors add the Telnyx details', () => {
  const plain = new CallwireError('nope', { code: 'CW_ENOTFOUND' });
  assert.ok(plain instanceof Error);
  assert.equal(plain.name, 'CallwireError');
  assert.equal(plain.code, 'CW_ENOTFOUND');
  assert.equal(plain.status, -2);
  assert.equal(plain.domain, 'sdk');
  assert.equal(plain.detail, '');
  assert.equal(plain.httpStatus, undefined);
  const carrier = new CallwireError('busy', {
    code: 'CW_ECARRIER',
    domain: 'carrier',
    detail: 'This call is no longer active.',
    httpStatus: 422,
    carrierCode: '90018',
  });
  assert.equal(carrier.status, -7);
  assert.equal(carrier.httpStatus, 422);
  assert.equal(carrier.carrierCode, '90018');
  assert.equal(carrier.detail, 'This call is no longer active.');
  assert.match(carrier.stack, /CallwireError: busy/);
});

test('call statuses: terminal and live', () => {
  assert.deepEqual([...TERMINAL_STATUSES].sort(), ['busy', 'canceled', 'completed', 'failed', 'no_answer']);
  assert.deepEqual([...LIVE_STATUSES], ['dialing', 'ringing', 'active']);
  for (const s of TERMINAL_STATUSES) assert.equal(isTerminal(s), true);
  for (const s of LIVE_STATUSES) assert.equal(isTerminal(s), false);
});
