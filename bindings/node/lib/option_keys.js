// Option keys: the package's option objects are camelCase (dial's
// {answeringMachineDetection, contactId}, speak's {payloadType}, a contact
// filter's {favoritesOnly}); the C ABI's JSON, like the REST API, is
// snake_case. Records (Call, Contact, User, Settings, …) are the same JSON
// document on every surface and keep their snake_case field names.
//
// toWire() turns one option object into its JSON body, refusing keys it does
// not know — a snake_case key that has a camelCase name gets the name in the
// error — and renameFields() rewrites the C library's field names in an error
// message back to the ones the caller wrote.
'use strict';

const { CallwireError, invalid } = require('./errors.js');

/** Marks the errors toWire() makes: they already name keys as the caller wrote them. */
const kCallerNames = Symbol('callwire.callerNames');

function refuse(message) {
  const err = invalid(message);
  err[kCallerNames] = true;
  return err;
}

/** 'answeringMachineDetection' → 'answering_machine_detection'. */
function snakeCase(name) {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * The JSON body of `options` ({} when undefined or null): each key in `keys`
 * (camelCase) under its snake_case name; `nested` maps a key to the keys of an
 * object value converted the same way. CW_EINVAL for anything else.
 */
function toWire(options, keys, what, nested = {}) {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options)) throw refuse(`${what} must be an object`);
  const wire = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (!keys.includes(key)) {
      const camel = keys.find((k) => snakeCase(k) === key);
      throw refuse(
        camel !== undefined
          ? `${what} has no key '${key}'; it is spelled '${camel}'`
          : `${what} has no key '${key}'; the keys are ${keys.join(', ')}`,
      );
    }
    const inner = nested[key];
    wire[snakeCase(key)] =
      inner !== undefined && value !== null && typeof value === 'object' ? toWire(value, inner, `${what}.${key}`) : value;
  }
  return wire;
}

/** `err` with each snake_case name of `keys` in its message replaced by the camelCase one. */
function renameFields(err, keys) {
  if (!(err instanceof CallwireError) || err.code !== 'CW_EINVAL' || err[kCallerNames]) return err;
  let message = err.message;
  for (const key of [...keys].sort((a, b) => b.length - a.length)) {
    const wire = snakeCase(key);
    if (wire !== key) message = message.replace(new RegExp(`\\b${wire}\\b`, 'g'), key);
  }
  if (message === err.message) return err;
  const renamed = new CallwireError(message, err);
  renamed.stack = err.stack;
  return renamed;
}

module.exports = { toWire, renameFields, snakeCase };
