// Client: places and follows calls (live through Telnyx, or simulated in demo
// mode), and ingests Telnyx webhooks for hosts with their own HTTP server.
//
// Call updates: `client.on('call.updated', call => …)` — also 'call.created',
// 'call.ended' and 'update' ({type, call}, every update) — or
// `for await (const {type, call} of client.updates())`. While any such
// listener or iterator exists the client keeps the process alive; once none
// does, or the client is closed, it does not.
'use strict';

const { EventEmitter } = require('node:events');
const binding = require('./binding.js');
const { call, closed, invalid } = require('./errors.js');
const { kNative, kReady, optionsArg, parse, quiet, exitRegistry } = require('./internal.js');
const { toWire, renameFields } = require('./option_keys.js');
const { Storage } = require('./storage.js');

const CALL_EVENTS = ['call.created', 'call.updated', 'call.ended', 'update'];

/** dial()'s option keys; answeringMachineDetectionConfig's thresholds are camelCase too. */
const DIAL_KEYS = [
  'from',
  'record',
  'answeringMachineDetection',
  'answeringMachineDetectionConfig',
  'connectionId',
  'contactId',
  'agentId',
];
const AMD_CONFIG_KEYS = [
  'totalAnalysisTimeMillis',
  'afterGreetingSilenceMillis',
  'betweenWordsSilenceMillis',
  'greetingDurationMillis',
  'initialSilenceMillis',
  'maximumNumberOfWords',
  'maximumWordLengthMillis',
  'silenceThreshold',
  'greetingTotalAnalysisTimeMillis',
  'greetingSilenceDurationMillis',
];
const SPEAK_KEYS = ['voice', 'language', 'payloadType'];

/** An async iterator over a client's call updates, from its creation on. */
class UpdateStream {
  #queue = [];
  #waiting = null;
  #done = false;
  #detach;

  constructor(detach) {
    this.#detach = detach;
  }

  push(update) {
    if (this.#done) return;
    if (this.#waiting) {
      const resolve = this.#waiting;
      this.#waiting = null;
      resolve({ value: update, done: false });
    } else {
      this.#queue.push(update);
    }
  }

  /** No more updates will come: deliver what is queued, then finish. */
  end() {
    this.#detach = null;
    this.#finish(false);
  }

  #finish(dropQueued) {
    this.#done = true;
    if (dropQueued) this.#queue.length = 0;
    if (this.#waiting && this.#queue.length === 0) {
      const resolve = this.#waiting;
      this.#waiting = null;
      resolve({ value: undefined, done: true });
    }
  }

  next() {
    if (this.#queue.length > 0) return Promise.resolve({ value: this.#queue.shift(), done: false });
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.#waiting = resolve;
    });
  }

  /** Stops listening (a `break` out of for-await calls it). */
  return() {
    const detach = this.#detach;
    this.#detach = null;
    if (detach) detach(this);
    this.#finish(true);
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}

/** Header list for the C ABI from a plain object, a Headers, a Map or [name, value] pairs. */
function headerPairs(headers) {
  if (headers === undefined || headers === null) return [];
  if (typeof headers !== 'object') throw invalid('headers must be an object, a Headers or [name, value] pairs');
  const entries = typeof headers[Symbol.iterator] === 'function' ? Array.from(headers) : Object.entries(headers);
  const pairs = [];
  for (const entry of entries) {
    if (!Array.isArray(entry) || entry.length !== 2) throw invalid('headers must be [name, value] pairs');
    const [name, value] = entry;
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (typeof name !== 'string' || typeof text !== 'string') throw invalid('header names and values must be strings');
    pairs.push([name, text]);
  }
  return pairs;
}

function bodyArg(body) {
  if (typeof body === 'string' || Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  throw invalid('body must be a Buffer, a Uint8Array, an ArrayBuffer or a string');
}

class Client extends EventEmitter {
  #streams = new Set();
  #closing = null;
  #streamEnded = false;
  #endOfStream;
  #resolveEndOfStream;
  #demo;
  #exitRef;

  /**
   * Starts a client on `storage`. Demo mode when no Telnyx key is configured
   * (in options.apiKey or the saved settings). Starting runs in the
   * background: await `client.ready` (or use Client.open()) to see its
   * errors; methods wait for it on their own.
   */
  constructor(storage, options) {
    super();
    if (!(storage instanceof Storage)) throw invalid('storage must be a callwire Storage');
    const opts = optionsArg(options);
    this.#endOfStream = new Promise((resolve) => {
      this.#resolveEndOfStream = resolve;
    });
    this[kNative] = new binding.NativeClient((type, json) => this.#dispatch(type, json));
    this.#exitRef = exitRegistry.addClient(this[kNative]);
    this[kReady] = quiet(
      call(async () => {
        try {
          await storage[kReady];
          const { demo } = await this[kNative].open(storage[kNative], opts);
          this.#demo = demo;
        } catch (err) {
          // Never started: end the event stream now, so listeners do not
          // keep the process alive waiting for events that cannot come.
          quiet(this[kNative].close());
          throw err;
        }
      }),
    );
  }

  // Listener bookkeeping for the event loop: overriding the EventEmitter
  // methods (rather than watching 'newListener') keeps it right even after
  // removeAllListeners(). `on` and `once` go through addListener.
  addListener(name, listener) {
    super.addListener(name, listener);
    if (CALL_EVENTS.includes(name)) this.#updateRef(true);
    return this;
  }

  on(name, listener) {
    return this.addListener(name, listener);
  }

  prependListener(name, listener) {
    super.prependListener(name, listener);
    if (CALL_EVENTS.includes(name)) this.#updateRef(true);
    return this;
  }

  prependOnceListener(name, listener) {
    super.prependOnceListener(name, listener);
    if (CALL_EVENTS.includes(name)) this.#updateRef(true);
    return this;
  }

  removeListener(name, listener) {
    super.removeListener(name, listener);
    this.#updateRef(false);
    return this;
  }

  off(name, listener) {
    return this.removeListener(name, listener);
  }

  removeAllListeners(...names) {
    super.removeAllListeners(...names);
    this.#updateRef(false);
    return this;
  }

  /** Starts a client and resolves once it is ready. */
  static async open(storage, options) {
    return new Client(storage, options).ready;
  }

  /** Resolves with this client once it runs; rejects when starting failed. */
  get ready() {
    return this[kReady].then(() => this);
  }

  /** true in demo mode, false in live mode; undefined until ready. */
  get demo() {
    return this.#demo;
  }

  /** 'demo' or 'live'; undefined until ready. */
  get mode() {
    return this.#demo === undefined ? undefined : this.#demo ? 'demo' : 'live';
  }

  get closed() {
    return this.#closing !== null;
  }

  // ---- calls ------------------------------------------------------------------------

  /**
   * Dials `to` (normalised to E.164) from options.from (default: the default
   * caller-ID number). Resolves at once with the call `dialing`; progress
   * arrives as updates. options: {from, record, answeringMachineDetection,
   * answeringMachineDetectionConfig, connectionId, contactId, agentId}.
   */
  async dial(to, options) {
    try {
      return parse(
        await this.#run('dial', () => {
          const { from, ...rest } = toWire(options, DIAL_KEYS, 'dial options', {
            answeringMachineDetectionConfig: AMD_CONFIG_KEYS,
          });
          const json = Object.keys(rest).length > 0 ? JSON.stringify(rest) : undefined;
          return [to, from, json];
        }),
      );
    } catch (err) {
      throw renameFields(err, [...DIAL_KEYS, ...AMD_CONFIG_KEYS]);
    }
  }

  /** Hangs up and resolves with the final call (waits up to hangupWaitMs for the carrier). */
  async hangup(callId) {
    return parse(await this.#run('hangup', () => [callId]));
  }

  async sendDtmf(callId, digits) {
    return parse(await this.#run('sendDtmf', () => [callId, digits]));
  }

  async startRecording(callId) {
    return parse(await this.#run('startRecording', () => [callId]));
  }

  async stopRecording(callId) {
    return parse(await this.#run('stopRecording', () => [callId]));
  }

  /**
   * Pauses the recording of an active call; the call's recording_paused is then true, until
   * resumeRecording, stopRecording or startRecording.
   */
  async pauseRecording(callId) {
    return parse(await this.#run('pauseRecording', () => [callId]));
  }

  /** Resumes a paused recording; recording_paused is false again. */
  async resumeRecording(callId) {
    return parse(await this.#run('resumeRecording', () => [callId]));
  }

  /**
   * Speaks `text` (at most 3,000 characters) on an active call. options: {voice, language,
   * payloadType} — voice "female" (the default) or "male" speak en-US plain text only; other
   * languages and SSML take a provider voice such as "AWS.Polly.Joanna-Neural". CW_EINVAL,
   * naming the field, for what Telnyx would refuse. The call does not change.
   */
  async speak(callId, text, options) {
    try {
      return parse(
        await this.#run('speak', () => {
          const opts = toWire(options, SPEAK_KEYS, 'speak options');
          return [callId, text, Object.keys(opts).length > 0 ? JSON.stringify(opts) : undefined];
        }),
      );
    } catch (err) {
      throw renameFields(err, SPEAK_KEYS);
    }
  }

  /** Plays the MP3 or WAV file at `audioUrl` (http:// or https://) on an active call. */
  async startPlayback(callId, audioUrl) {
    return parse(await this.#run('startPlayback', () => [callId, audioUrl]));
  }

  /** Stops the audio playing on the call and clears the queued files. */
  async stopPlayback(callId) {
    return parse(await this.#run('stopPlayback', () => [callId]));
  }

  /**
   * The recording with a url that works now: Telnyx's expire 10 minutes after the webhook, so a
   * live recording gets a fresh one from Telnyx (stored); a demo recording is answered as stored.
   */
  async refreshRecording(recordingId) {
    return parse(await this.#run('refreshRecording', () => [recordingId]));
  }

  /**
   * Removes a recording here and at Telnyx; while Telnyx does not delete it, it is kept with
   * remote_delete_error and this rejects (CW_EUNAVAILABLE / CW_ECARRIER) with that sentence.
   * A demo recording is deleted here only, with its WAV file.
   */
  async removeRecording(recordingId) {
    await this.#run('removeRecording', () => [recordingId]);
  }

  async transfer(callId, to) {
    return parse(await this.#run('transfer', () => [callId, to]));
  }

  async setMuted(callId, muted) {
    return parse(await this.#run('setMuted', () => [callId, muted]));
  }

  async setOnHold(callId, onHold) {
    return parse(await this.#run('setOnHold', () => [callId, onHold]));
  }

  async getCall(callId) {
    return parse(await this.#run('getCall', () => [callId]));
  }

  /** Live calls (dialing, ringing, active), newest first. */
  async activeCalls() {
    return parse(await this.#run('activeCalls', () => []));
  }

  async stats() {
    return parse(await this.#run('stats', () => []));
  }

  /** The effective settings (options merged with saved ones), secrets masked, plus `mode`. */
  async settings() {
    return parse(await this.#run('settings', () => []));
  }

  /** Re-reads the saved settings and switches demo/live mode if they changed; resolves with the mode. */
  async reloadSettings() {
    const { demo } = await this.#run('reloadSettings', () => []);
    this.#demo = demo;
    return this.mode;
  }

  /**
   * For hosts with their own HTTP server: verifies, parses, stores and folds
   * one Telnyx webhook from its raw body and headers. Resolves with
   * {http_status, duplicate, event_type, call_id, message}; rejects with a
   * CallwireError (CW_EUNAUTHORIZED, CW_EMALFORMED, CW_EUNAVAILABLE) whose
   * .result holds the same object — answer Telnyx with result.http_status.
   */
  async ingestWebhook(body, headers) {
    return parse(await this.#run('ingestWebhook', () => [bodyArg(body), headerPairs(headers)]));
  }

  // ---- call updates -----------------------------------------------------------------

  /** An async iterator of {type, call} for every call update from now until close(). */
  updates() {
    const stream = new UpdateStream((s) => {
      this.#streams.delete(s);
      this.#updateRef(false);
    });
    if (this.#streamEnded) {
      stream.end();
      return stream;
    }
    this.#streams.add(stream);
    this.#updateRef(true);
    return stream;
  }

  /** Refs the event stream while someone listens, so pending events keep the process alive. */
  #updateRef(adding) {
    if (this.#closing !== null || this.#streamEnded) return;
    const listening = adding || this.#streams.size > 0 || CALL_EVENTS.some((n) => this.listenerCount(n) > 0);
    if (listening) this[kNative].ref();
    else this[kNative].unref();
  }

  #dispatch(type, json) {
    if (type === null) {
      this.#streamEnded = true;
      for (const stream of this.#streams) stream.end();
      this.#streams.clear();
      this.#resolveEndOfStream();
      this.#emitSafely('close');
      return;
    }
    let callRecord;
    try {
      callRecord = JSON.parse(json);
    } catch {
      return; // the C ABI only sends whole JSON objects
    }
    const update = { type, call: callRecord };
    for (const stream of this.#streams) stream.push(update);
    this.#emitSafely(type, callRecord);
    this.#emitSafely('update', update);
  }

  /** A listener that throws becomes an uncaught exception, as with any emitter, without losing the event for others. */
  #emitSafely(name, ...args) {
    try {
      this.emit(name, ...args);
    } catch (err) {
      process.nextTick(() => {
        throw err;
      });
    }
  }

  // ---- lifetime ---------------------------------------------------------------------

  /**
   * Stops the client: timers, carrier and threads. Calls in progress stay in
   * storage and are reconciled at the next start. Resolves once every update
   * has been delivered (then 'close' has been emitted and updates() iterators
   * have finished). Idempotent.
   */
  close() {
    if (this.#closing === null) {
      this.#closing = call(async () => {
        try {
          await this[kReady];
        } catch {
          // never started: close() below still ends the event stream
        }
        exitRegistry.removeClient(this.#exitRef);
        await this[kNative].close();
        await this.#endOfStream;
      });
    }
    return this.#closing;
  }

  #run(name, args) {
    return call(async () => {
      const list = args(); // argument errors first, as CW_EINVAL
      if (this.#closing !== null) throw closed('client');
      await this[kReady]; // a call made before close() is still served
      return this[kNative][name](...list);
    });
  }
}

module.exports = { Client };
