// Loads the compiled addon (build/Release, or build/Debug for a
// CALLWIRE_NODE_DEBUG=1 install) and says what to do when it is missing.
'use strict';

const path = require('node:path');

const root = path.join(__dirname, '..');
const candidates = ['Release', 'Debug'].map((type) => path.join(root, 'build', type, 'callwire.node'));

function load() {
  const errors = [];
  for (const file of candidates) {
    try {
      return require(file);
    } catch (err) {
      if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes(file)) continue;
      errors.push(`${file}: ${err && err.message}`);
    }
  }
  const detail = errors.length > 0 ? `\n${errors.join('\n')}` : '';
  throw new Error(
    `callwire: the native addon could not be loaded${detail}\n` +
      'It is built by `npm install` against the installed callwire C library (libcallwire_c.so); ' +
      'reinstall with CALLWIRE_C_PREFIX set to its install prefix (see docs/node.md).',
  );
}

module.exports = load();
