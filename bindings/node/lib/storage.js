// Storage: a SQLite file or a MongoDB database, with its contacts, call logs,
// caller-ID numbers, provider settings, recordings and users. Every method returns a
// Promise; the C call behind it runs on the libuv thread pool.
//
// Records are plain objects with the REST API's field names (snake_case), as
// the C ABI exchanges them; option objects (filters) are camelCase, as
// everywhere in the package (lib/option_keys.js).
'use strict';

const binding = require('./binding.js');
const { call, closed } = require('./errors.js');
const { kNative, kReady, jsonArg, optJsonArg, optionsArg, stringArg, parse, quiet } = require('./internal.js');
const { toWire } = require('./option_keys.js');

const CONTACT_FILTER_KEYS = ['search', 'category', 'favoritesOnly', 'limit', 'offset'];

const kRun = Symbol('callwire.run');

class Contacts {
  #storage;
  constructor(storage) {
    this.#storage = storage;
  }
  /** Creates a contact ({name, phone} required); resolves with the stored contact. */
  async create(contact) {
    return parse(await this.#storage[kRun]('contactsCreate', () => [jsonArg(contact, 'contact')]));
  }
  async get(id) {
    return parse(await this.#storage[kRun]('contactsGet', () => [id]));
  }
  /** filter: {search, category, favoritesOnly, limit, offset}. */
  async list(filter) {
    return parse(
      await this.#storage[kRun]('contactsList', () => {
        const wire = toWire(filter, CONTACT_FILTER_KEYS, 'contact filter');
        return [Object.keys(wire).length > 0 ? JSON.stringify(wire) : undefined];
      }),
    );
  }
  /** Changes the fields present in `patch`; resolves with the contact. */
  async update(id, patch) {
    return parse(await this.#storage[kRun]('contactsUpdate', () => [id, jsonArg(patch, 'patch')]));
  }
  async remove(id) {
    await this.#storage[kRun]('contactsRemove', () => [id]);
  }
  async toggleFavorite(id) {
    return parse(await this.#storage[kRun]('contactsToggleFavorite', () => [id]));
  }
}

class Logs {
  #storage;
  constructor(storage) {
    this.#storage = storage;
  }
  async get(callId) {
    return parse(await this.#storage[kRun]('logsGet', () => [callId]));
  }
  /** Calls, newest first. filter: {search, status, from, to, limit, offset}. */
  async list(filter) {
    return parse(await this.#storage[kRun]('logsList', () => [optJsonArg(filter, 'filter')]));
  }
  /** list() with filter.search = text (matches numbers and contact names). */
  async search(text, filter) {
    const f = { ...optionsArg(filter, 'filter'), search: stringArg(text, 'text') };
    return this.list(f);
  }
  async stats(filter) {
    return parse(await this.#storage[kRun]('logsStats', () => [optJsonArg(filter, 'filter')]));
  }
  /** The matching calls as CSV text (header line first, CRLF line ends). */
  async exportCsv(filter) {
    return this.#storage[kRun]('logsExportCsv', () => [optJsonArg(filter, 'filter')]);
  }
}

class Numbers {
  #storage;
  constructor(storage) {
    this.#storage = storage;
  }
  async list() {
    return parse(await this.#storage[kRun]('numbersList', () => []));
  }
  /** create('+13125550100') or create({number, name, is_default}); resolves with the stored number. */
  async create(number) {
    return parse(
      await this.#storage[kRun]('numbersCreate', () => [
        typeof number === 'string' ? JSON.stringify({ number }) : jsonArg(number, 'number'),
      ]),
    );
  }
  async remove(id) {
    await this.#storage[kRun]('numbersRemove', () => [id]);
  }
  async setDefault(id) {
    return parse(await this.#storage[kRun]('numbersSetDefault', () => [id]));
  }
}

class SettingsStore {
  #storage;
  constructor(storage) {
    this.#storage = storage;
  }
  /** The saved provider settings; secrets masked unless {masked: false}. */
  async get(options) {
    const { masked = true } = optionsArg(options);
    return parse(await this.#storage[kRun]('settingsGet', () => [masked]));
  }
  /** Saves the fields present (a masked secret sent back keeps the stored one); resolves with them masked. */
  async save(settings) {
    return parse(await this.#storage[kRun]('settingsSave', () => [jsonArg(settings, 'settings')]));
  }
}

class Recordings {
  #storage;
  constructor(storage) {
    this.#storage = storage;
  }
  /** Newest first. filter: {limit, offset}. */
  async list(filter) {
    return parse(await this.#storage[kRun]('recordingsList', () => [optJsonArg(filter, 'filter')]));
  }
  /** The recordings of one call, oldest first. */
  async listForCall(callId) {
    return parse(await this.#storage[kRun]('recordingsListForCall', () => [callId]));
  }
  /** Removes the stored record only (Telnyx keeps its copy; client.removeRecording removes it there too). */
  async remove(recordingId) {
    await this.#storage[kRun]('recordingsRemove', () => [recordingId]);
  }
}

/**
 * The accounts of the people who sign in to a callwire server (cw_users_*).
 * A user record never holds a password or its hash. create, setPassword,
 * checkPassword and authenticate spend about 25 ms of Argon2id each, on the
 * libuv thread pool.
 */
class Users {
  #storage;
  constructor(storage) {
    this.#storage = storage;
  }
  /** {email, name, password} required, {role: 'admin' | 'agent', default_number_id} optional; resolves with the User. */
  async create(user) {
    return parse(await this.#storage[kRun]('usersCreate', () => [jsonArg(user, 'user')]));
  }
  async get(id) {
    return parse(await this.#storage[kRun]('usersGet', () => [id]));
  }
  /** The user with this email (ignoring ASCII case), or null. */
  async findByEmail(email) {
    return parse(await this.#storage[kRun]('usersFindByEmail', () => [email]));
  }
  /** Every user, oldest first. */
  async list() {
    return parse(await this.#storage[kRun]('usersList', () => []));
  }
  /** Changes the fields present in `patch` ({email, name, role, default_number_id ('' clears it), disabled}). */
  async update(id, patch) {
    return parse(await this.#storage[kRun]('usersUpdate', () => [id, jsonArg(patch, 'patch')]));
  }
  async remove(id) {
    await this.#storage[kRun]('usersRemove', () => [id]);
  }
  /** 'available' or 'away' (busy, wrap_up and offline follow calls and sockets on a running server). */
  async setStatus(id, status) {
    return parse(await this.#storage[kRun]('usersSetStatus', () => [id, status]));
  }
  /** Replaces the password and raises token_version (the user's tokens stop working). */
  async setPassword(id, newPassword) {
    return parse(await this.#storage[kRun]('usersSetPassword', () => [id, newPassword]));
  }
  /** true when `password` is the user's; false otherwise, also for an unknown id. */
  async checkPassword(id, password) {
    return this.#storage[kRun]('usersCheckPassword', () => [id, password]);
  }
  /** Signs in: the User (last_login_at now), or null alike for an unknown email, a wrong password and a disabled account. */
  async authenticate(email, password) {
    return parse(await this.#storage[kRun]('usersAuthenticate', () => [email, password]));
  }
  /** Raises token_version: every token issued to the user so far stops working. */
  async revokeTokens(id) {
    return parse(await this.#storage[kRun]('usersRevokeTokens', () => [id]));
  }
}

class Storage {
  #closing = null;

  /**
   * Opens storage from a URL: "sqlite:///abs/path.db" (created and migrated
   * if needed) or "mongodb://…". Opening runs in the background: await
   * `storage.ready` (or use Storage.open()) to see its errors; methods wait
   * for it on their own.
   */
  constructor(url, options) {
    stringArg(url, 'url');
    const opts = optionsArg(options);
    this[kNative] = new binding.NativeStorage();
    this[kReady] = quiet(call(() => this[kNative].open(url, opts)));
    this.contacts = new Contacts(this);
    this.logs = new Logs(this);
    this.numbers = new Numbers(this);
    this.settings = new SettingsStore(this);
    this.recordings = new Recordings(this);
    this.users = new Users(this);
  }

  /** Opens storage and resolves once it is ready. */
  static async open(url, options) {
    return new Storage(url, options).ready;
  }

  /** Resolves with this storage once it is open; rejects when opening failed. */
  get ready() {
    return this[kReady].then(() => this);
  }

  get closed() {
    return this.#closing !== null;
  }

  /** {backend, location, schema_version, tables: [{name, indexes}]} */
  async info() {
    return parse(await this[kRun]('info', () => []));
  }

  /** Lets go of the storage; clients made from it keep using it until they close. */
  close() {
    if (this.#closing === null) {
      this.#closing = call(async () => {
        try {
          await this[kReady];
        } catch {
          return; // never opened: nothing to close
        }
        await this[kNative].close();
      });
    }
    return this.#closing;
  }

  /** Runs native method `name` with the arguments args() gives, once open. */
  [kRun](name, args) {
    return call(async () => {
      const list = args(); // argument errors first, as CW_EINVAL
      if (this.#closing !== null) throw closed('storage');
      await this[kReady]; // a call made before close() is still served
      return this[kNative][name](...list);
    });
  }
}

module.exports = { Storage };
