// Helpers shared by storage.js, client.js and server.js: symbols for the
// native handles, argument checks, and what closes handles at process exit.
'use strict';

const { invalid } = require('./errors.js');

/** The native wrapper of a Storage / Client / Server. */
const kNative = Symbol('callwire.native');
/** A promise settled when the native handle is open (rejects when opening failed). */
const kReady = Symbol('callwire.ready');

/** A plain object as JSON text for the C ABI. */
function jsonArg(value, what) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(`${what} must be an object`);
  }
  return JSON.stringify(value);
}

/** jsonArg for an optional object: undefined/null → undefined (C: NULL). */
function optJsonArg(value, what) {
  return value === undefined || value === null ? undefined : jsonArg(value, what);
}

/** Options objects: undefined → {}; anything else must be a plain object. */
function optionsArg(value, what = 'options') {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(`${what} must be an object`);
  return value;
}

function stringArg(value, what) {
  if (typeof value !== 'string') throw invalid(`${what} must be a string`);
  return value;
}

function parse(text) {
  return text === undefined ? undefined : JSON.parse(text);
}

/** A promise that may reject with nobody waiting: mark it handled. */
function quiet(promise) {
  promise.catch(() => {});
  return promise;
}

// ---- what process.exit() must close -----------------------------------------------
// At a normal exit Node's environment cleanup hooks close what is still open
// (see src/common.h). process.exit() skips those hooks while the SDK's threads
// still run, so native objects still open are closed synchronously on 'exit'.

const liveClients = new Set(); // WeakRef<native client>: the TSFN keeps open clients alive anyway
const liveServers = new Set(); // native servers while started: strong, as a listening net.Server
let exitHooked = false;

function hookExit() {
  if (exitHooked) return;
  exitHooked = true;
  process.once('exit', () => {
    for (const server of liveServers) server.closeSync();
    liveServers.clear();
    for (const ref of liveClients) ref.deref()?.closeSync();
    liveClients.clear();
  });
}

const exitRegistry = {
  addClient(native) {
    hookExit();
    const ref = new WeakRef(native);
    liveClients.add(ref);
    return ref;
  },
  removeClient(ref) {
    liveClients.delete(ref);
  },
  addServer(native) {
    hookExit();
    liveServers.add(native);
  },
  removeServer(native) {
    liveServers.delete(native);
  },
};

module.exports = { kNative, kReady, jsonArg, optJsonArg, optionsArg, stringArg, parse, quiet, exitRegistry };
