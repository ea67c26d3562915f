// Server: the reference server (webhooks at /webhooks/call, the REST API,
// /health, /metrics, the /ws/calls WebSocket and an optional static folder)
// for a client, run from Node on the SDK's own network threads.
'use strict';

const binding = require('./binding.js');
const { call, closed, invalid } = require('./errors.js');
const { kNative, kReady, optionsArg, quiet, exitRegistry } = require('./internal.js');
const { Client } = require('./client.js');

class Server {
  #host;
  #port = null;
  #stopping = null;

  /**
   * A server for `client`, not listening until start(). options: {host
   * ('127.0.0.1'), port (0: a free one), restApi (true), staticDir,
   * corsOrigins (string or array), jwtSecret, allowPublicWithoutAuth,
   * bodyLimit, threads, workerThreads, allowedHosts (string or array: Host
   * names besides loopback and the bound address; others get 421),
   * metricsToken (guards /metrics; without it only this machine reads them)}.
   */
  constructor(client, options) {
    if (!(client instanceof Client)) throw invalid('client must be a callwire Client');
    const opts = { ...optionsArg(options) };
    if (Array.isArray(opts.corsOrigins)) opts.corsOrigins = opts.corsOrigins.join(',');
    if (Array.isArray(opts.allowedHosts)) opts.allowedHosts = opts.allowedHosts.join(',');
    this.#host = typeof opts.host === 'string' ? opts.host : '127.0.0.1';
    this[kNative] = new binding.NativeServer();
    this[kReady] = quiet(
      call(async () => {
        await client[kReady];
        await this[kNative].open(client[kNative], opts);
      }),
    );
  }

  /** Binds and starts serving; resolves with the bound port. A started server keeps the process alive (see unref()). */
  async start() {
    return call(async () => {
      if (this.#stopping !== null) throw closed('server');
      await this[kReady];
      if (this.#stopping !== null) throw closed('server');
      this.#port = await this[kNative].start();
      exitRegistry.addServer(this[kNative]);
      return this.#port;
    });
  }

  /** The bound port once started, else null. */
  get port() {
    return this.#port;
  }

  /** "http://127.0.0.1:PORT" once started, else null. */
  get url() {
    if (this.#port === null) return null;
    const host = this.#host.includes(':') ? `[${this.#host}]` : this.#host;
    return `http://${host}:${this.#port}`;
  }

  /** Stops accepting, finishes requests in flight, closes WebSockets and frees the server. Idempotent. */
  stop() {
    if (this.#stopping === null) {
      this.#stopping = call(async () => {
        try {
          await this[kReady];
        } catch {
          return; // never opened
        }
        exitRegistry.removeServer(this[kNative]);
        await this[kNative].stop();
      });
    }
    return this.#stopping;
  }

  /** Let the process exit while the server runs (as net.Server#unref). */
  unref() {
    this[kNative].unref();
    return this;
  }

  ref() {
    this[kNative].ref();
    return this;
  }
}

module.exports = { Server };
