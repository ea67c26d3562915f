// callwire for Node: a Promise API over the callwire C ABI (libcallwire_c).
//
//   const { Storage, Client } = require('callwire');
//   const storage = new Storage('sqlite:///tmp/calls.db');
//   const client = new Client(storage, { demoSpeed: 20 });
//   client.on('call.updated', (call) => console.log(call.status));
//   const call = await client.dial('+1 (212) 555-1234');
//
// See docs/node.md.
'use strict';

const binding = require('./binding.js');
const { CallwireError, codes, convert } = require('./errors.js');
const { Storage } = require('./storage.js');
const { Client } = require('./client.js');
const { Server } = require('./server.js');
const { setLogHandler, LOG_LEVELS } = require('./log.js');

/** Statuses a call never leaves. */
const TERMINAL_STATUSES = Object.freeze(['completed', 'busy', 'no_answer', 'canceled', 'failed']);
/** Statuses of a call in progress. */
const LIVE_STATUSES = Object.freeze(['dialing', 'ringing', 'active']);

function isTerminal(status) {
  return TERMINAL_STATUSES.includes(status);
}

/** Normalises a phone number to E.164 ("+1 (212) 555-1234" → "+12125551234"); throws CW_EINVAL. */
function normalizePhone(number) {
  try {
    return binding.normalizePhone(number);
  } catch (err) {
    throw convert(err);
  }
}

/** The symbolic name of a status code (-2 → "CW_ENOTFOUND"). */
function statusName(code) {
  try {
    return binding.statusName(code);
  } catch (err) {
    throw convert(err);
  }
}

if (typeof Symbol.asyncDispose === 'symbol') {
  Storage.prototype[Symbol.asyncDispose] = function dispose() {
    return this.close();
  };
  Client.prototype[Symbol.asyncDispose] = function dispose() {
    return this.close();
  };
  Server.prototype[Symbol.asyncDispose] = function dispose() {
    return this.stop();
  };
}

module.exports = {
  Storage,
  Client,
  Server,
  CallwireError,
  codes,
  normalizePhone,
  statusName,
  setLogHandler,
  LOG_LEVELS,
  isTerminal,
  TERMINAL_STATUSES,
  LIVE_STATUSES,
  /** The C library's version ("0.1.0"), as loaded. */
  version: binding.version,
  /** major * 10000 + minor * 100 + patch of the loaded C library. */
  versionNumber: binding.versionNumber,
  /** The version of the callwire.h the addon was built with. */
  headerVersion: binding.headerVersion,
};
