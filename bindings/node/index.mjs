// ES module entry: `import { Storage, Client, Server } from 'callwire'`.
// The implementation is the CommonJS one (lib/index.js): one addon instance,
// one set of classes, whichever way the package is loaded.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const callwire = require('./lib/index.js');

export const {
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
  version,
  versionNumber,
  headerVersion,
} = callwire;
export default callwire;
