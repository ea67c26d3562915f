// The library's log records, handed to a JavaScript function.
//
//   const { setLogHandler } = require('callwire');
//   setLogHandler('info', (record) => console.error(`${record.level} ${record.component}: ${record.message}`));
//   setLogHandler('info', null);   // back to the library's own lines on stderr
//
// libcallwire_c logs on its own threads; the addon queues each record on a
// thread-safe function, so the handler always runs on this JavaScript
// thread, shortly after the record was made (src/log_handler.h). The handler
// does not keep the process alive. One handler per process: the C library
// has one, so the last setLogHandler() — from any worker thread — wins.
'use strict';

const binding = require('./binding.js');
const { convert, invalid } = require('./errors.js');

/** cw_log_level numbers by name. */
const LOG_LEVELS = Object.freeze({ trace: 0, debug: 1, info: 2, warn: 3, error: 4, off: 5 });

/**
 * Sends every record at `level` and above to `handler(record)`, where record
 * is {level, time (a Date), component, message, requestId ('' when none)};
 * a null handler restores the library's own output (stderr) at `level`.
 * A handler that throws becomes an uncaught exception, as with an emitter.
 */
function setLogHandler(level, handler) {
  const number = typeof level === 'string' ? LOG_LEVELS[level] : undefined;
  if (number === undefined) {
    throw invalid(`level must be one of ${Object.keys(LOG_LEVELS).join(', ')} (got ${String(level)})`);
  }
  if (handler !== null && handler !== undefined && typeof handler !== 'function') {
    throw invalid('the log handler must be a function or null');
  }
  const safe =
    typeof handler === 'function'
      ? (record) => {
          try {
            handler(record);
          } catch (err) {
            process.nextTick(() => {
              throw err;
            });
          }
        }
      : null;
  try {
    binding.setLogHandler(number, safe);
  } catch (err) {
    throw convert(err);
  }
}

module.exports = { setLogHandler, LOG_LEVELS };
