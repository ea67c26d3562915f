// CallwireError: every failure of the package. .code is the C ABI's status
// name ('CW_ENOTFOUND', …), .domain where it came from ('sdk', 'carrier',
// 'storage', 'tls'); .message is safe to show to end users, .detail
// (cw_error.detail: SQL, paths, driver or Telnyx text) is for logs only;
// carrier errors add .httpStatus and .carrierCode.
'use strict';

const binding = require('./binding.js');

/** Every status code by name: {CW_OK: 0, CW_EINVAL: -1, …}. */
const codes = Object.freeze({ ...binding.codes });

class CallwireError extends Error {
  /**
   * @param {string} message
   * @param {{code?: string, domain?: string, detail?: string, httpStatus?: number, carrierCode?: string, result?: object}} [details]
   */
  constructor(message, details = {}) {
    super(message);
    this.name = 'CallwireError';
    this.code = details.code || 'CW_EINTERNAL';
    this.status = codes[this.code] ?? codes.CW_EINTERNAL;
    this.domain = details.domain || 'sdk';
    this.detail = details.detail ?? '';
    if (this.domain === 'carrier') {
      this.httpStatus = details.httpStatus ?? 0;
      this.carrierCode = details.carrierCode ?? '';
    }
    if (details.result !== undefined) this.result = details.result;
  }
}

/** An SDK-domain error raised by the JavaScript layer itself. */
function sdkError(code, message) {
  return new CallwireError(message, { code, domain: 'sdk' });
}

const invalid = (message) => sdkError('CW_EINVAL', message);
const closed = (what) => sdkError('CW_ECLOSED', `the ${what} is closed`);

/** An error thrown by the addon, as a CallwireError; anything else unchanged. */
function convert(err) {
  if (err instanceof CallwireError) return err;
  if (!(err instanceof Error) || typeof err.code !== 'string' || !err.code.startsWith('CW_')) return err;
  let result;
  if (typeof err.body === 'string' && err.body.length > 0) {
    try {
      result = JSON.parse(err.body);
    } catch {
      result = undefined;
    }
  }
  return new CallwireError(err.message, {
    code: err.code,
    domain: err.domain,
    detail: err.detail,
    httpStatus: err.httpStatus,
    carrierCode: err.carrierCode,
    result,
  });
}

/** Runs fn (which may throw or return a promise) and converts its errors. */
async function call(fn) {
  try {
    return await fn();
  } catch (err) {
    throw convert(err);
  }
}

module.exports = { CallwireError, codes, sdkError, invalid, closed, convert, call };
