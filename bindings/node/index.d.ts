// Type definitions for callwire (Node). Records use the REST API's field
// names (snake_case) as they cross the C ABI; constructor options are
// camelCase. See docs/node.md.

/// <reference types="node" />

import { EventEmitter } from 'node:events';

// ---- records ---------------------------------------------------------------------

export type CallStatus = 'dialing' | 'ringing' | 'active' | 'completed' | 'busy' | 'no_answer' | 'canceled' | 'failed';
export type TerminalCallStatus = 'completed' | 'busy' | 'no_answer' | 'canceled' | 'failed';
export type Direction = 'outbound' | 'inbound';
export type ContactCategory = 'lead' | 'client' | 'follow_up' | 'other';
/** Call.machine_greeting: the result of call.machine[.premium].greeting.ended (a future result passes as a string). */
export type MachineGreeting = '' | 'beep_detected' | 'ended' | 'not_sure' | 'no_beep_detected' | (string & {});

/** One call, as stored in the call log and sent with every event. Times are ISO-8601 UTC. */
export interface Call {
  call_id: string;
  call_control_id: string;
  call_leg_id?: string;
  call_session_id?: string;
  connection_id?: string;
  to_number: string;
  from_number: string;
  direction: Direction;
  status: CallStatus;
  /** The status as a sentence for people ("The line was busy.", "Failed: …"), derived by the SDK. */
  status_text: string;
  created_at: string;
  updated_at?: string;
  ringing_at?: string | null;
  answered_at?: string | null;
  ended_at?: string | null;
  /** Whole seconds from answer to end; 0 if never answered. */
  duration: number;
  hangup_cause: string;
  hangup_source?: string;
  failure_reason?: string;
  /** The answering machine detection's result: human, machine, not_sure; premium human_residence, human_business, machine, silence, fax_detected. */
  machine_detection?: string;
  /** How a machine's greeting ended; '' when no greeting event came (a person, or a mode that does not report it). */
  machine_greeting?: MachineGreeting;
  contact_id: string | null;
  contact_name: string | null;
  /** The user who placed the call; null for calls placed without one. */
  agent_id?: string | null;
  recording_id: string | null;
  /** A recording is in progress (for a call dialled with record_from_answer: from its answer). */
  recording?: boolean;
  /** The recording is paused (pauseRecording, until resume, stop or start). */
  recording_paused?: boolean;
  muted: boolean;
  on_hold: boolean;
  demo: boolean;
  /** The dial asked Telnyx to record from the answer (autoRecord / the settings' auto_record, or the dial's record). */
  record_from_answer?: boolean;
  /** Why a recording of the call failed (call.recording.error): "Telnyx could not save the recording: <reason>"; '' when none did. */
  recording_error?: string;
  [field: string]: unknown;
}

export interface Contact {
  id: string;
  name: string;
  /** E.164 */
  phone: string;
  email: string;
  category: ContactCategory;
  is_favorite: boolean;
  notes: string;
  created_at: string;
  updated_at: string;
}

export interface NewContact {
  name: string;
  phone: string;
  email?: string;
  category?: ContactCategory;
  is_favorite?: boolean;
  notes?: string;
}

export type ContactPatch = Partial<NewContact>;

export interface ContactFilter {
  search?: string;
  category?: ContactCategory;
  favoritesOnly?: boolean;
  limit?: number;
  offset?: number;
}

/** A user's role. */
export type UserRole = 'admin' | 'agent';
/** A user's presence. */
export type UserStatus = 'available' | 'busy' | 'wrap_up' | 'away' | 'offline';

/** An account of the team (storage.users). Never holds a password or its hash. */
export interface User {
  id: string;
  /** As entered; unique ignoring ASCII case. */
  email: string;
  name: string;
  role: UserRole;
  status: UserStatus;
  /** The caller-ID number (a PhoneNumber id) this user dials from. */
  default_number_id: string | null;
  /** A disabled user cannot sign in. */
  disabled: boolean;
  /** Raised by revokeTokens, a password change and disabling: older tokens stop working. */
  token_version: number;
  created_at: string;
  updated_at: string;
  /** null until the first sign-in. */
  last_login_at: string | null;
}

export interface NewUser {
  email: string;
  name: string;
  /** 8 to 1024 bytes of UTF-8; hashed with Argon2id, never stored or answered. */
  password: string;
  /** Default 'agent'. */
  role?: UserRole;
  default_number_id?: string;
}

export interface UserPatch {
  email?: string;
  name?: string;
  role?: UserRole;
  /** '' clears it. */
  default_number_id?: string;
  /** true revokes the user's tokens. */
  disabled?: boolean;
}

/** The statuses a user sets themself (setStatus); the others follow calls and sockets. */
export type OwnUserStatus = 'available' | 'away';

export interface LogFilter {
  search?: string;
  status?: CallStatus;
  /** ISO-8601 lower bound of created_at */
  from?: string;
  /** ISO-8601 upper bound of created_at */
  to?: string;
  limit?: number;
  offset?: number;
}

export interface PageFilter {
  limit?: number;
  offset?: number;
}

export interface Stats {
  total_calls: number;
  completed_calls: number;
  /** failed + busy + no_answer + canceled */
  failed_calls: number;
  /** dialing + ringing + active */
  active_calls: number;
  /** seconds, over completed calls */
  average_duration: number;
  /** answered / ended, 0..1 */
  answer_rate: number;
  total_duration: number;
  by_status: Record<string, number>;
  /** "YYYY-MM-DD" → count */
  per_day: Record<string, number>;
  [field: string]: unknown;
}

export interface Recording {
  id: string;
  call_id: string;
  call_control_id?: string;
  telnyx_recording_id?: string;
  url: string;
  duration: number;
  format: string;
  channels: string;
  created_at: string;
  /** The call's agent_id, copied when the recording was attached. */
  agent_id?: string | null;
  /** Why Telnyx did not delete it when asked (Client.deleteRecording), a sentence; '' otherwise. */
  remote_delete_error?: string;
  [field: string]: unknown;
}

export interface PhoneNumber {
  id: string;
  /** E.164 */
  number: string;
  name: string;
  status: string;
  is_default: boolean;
  created_at: string;
}

export interface NewPhoneNumber {
  number: string;
  name?: string;
  is_default?: boolean;
}

/** Each party on its own channel (Telnyx's default), or both mixed on one. */
export type RecordingChannels = 'single' | 'dual';

/** Provider settings; secrets are masked ("****abcd") unless asked for in clear. */
export interface Settings {
  api_key: string;
  api_v2_key: string;
  webhook_url: string;
  connection_id: string;
  public_key: string;
  api_base: string;
  auto_record: boolean;
  /** How recordings are made: 'dual' (Telnyx's default, in force until saved otherwise) or 'single'; '' when never saved. */
  recording_channels: RecordingChannels | '';
  demo_mode: boolean;
  updated_at?: string;
  [field: string]: unknown;
}

/** The client's effective settings: Settings plus the mode it runs in. */
export interface ClientSettings extends Settings {
  mode: 'demo' | 'live';
}

export interface StorageInfo {
  backend: 'sqlite' | 'mongodb' | string;
  location: string;
  schema_version: number;
  tables: Array<{ name: string; indexes: unknown[] }>;
  [field: string]: unknown;
}

/** What ingestWebhook() decided; answer Telnyx with http_status. */
export interface IngestResult {
  http_status: number;
  duplicate: boolean;
  event_type: string;
  call_id: string;
  message: string;
}

// ---- errors ----------------------------------------------------------------------

export type ErrorCode =
  | 'CW_EINVAL'
  | 'CW_ENOTFOUND'
  | 'CW_ECONFLICT'
  | 'CW_EUNAUTHORIZED'
  | 'CW_ETOOLARGE'
  | 'CW_ERATELIMITED'
  | 'CW_ECARRIER'
  | 'CW_EUNAVAILABLE'
  | 'CW_ESTORAGE'
  | 'CW_ETIMEOUT'
  | 'CW_ETLS'
  | 'CW_ECLOSED'
  | 'CW_EINTERNAL'
  | 'CW_EMALFORMED'
  | 'CW_EVERSION'
  | 'CW_ENOMEM'
  | 'CW_EFORBIDDEN';

export type ErrorDomain = 'sdk' | 'carrier' | 'storage' | 'tls';

/** Every failure of the package. */
export class CallwireError extends Error {
  constructor(
    message: string,
    details?: {
      code?: ErrorCode;
      domain?: ErrorDomain;
      detail?: string;
      httpStatus?: number;
      carrierCode?: string;
      result?: IngestResult;
    },
  );
  readonly name: 'CallwireError';
  /** The C ABI status name, e.g. 'CW_ENOTFOUND'. */
  code: ErrorCode;
  /** The numeric status (codes[code]), e.g. -2. */
  status: number;
  domain: ErrorDomain;
  /**
   * The raw text behind `message` (cw_error.detail), for logs and for the developer only — never
   * show it to end users: for storage errors what the database said (the driver's message, the
   * file path), for carrier errors Telnyx's errors[0].detail; '' when there is nothing more.
   * `message` itself is safe to show: storage errors give a plain sentence
   * ('This number is already in your list.').
   */
  detail: string;
  /** Carrier errors: the HTTP status Telnyx answered (0 if none came). */
  httpStatus?: number;
  /** Carrier errors: Telnyx errors[0].code, e.g. '90018'. */
  carrierCode?: string;
  /** ingestWebhook() failures: the result to answer Telnyx with. */
  result?: IngestResult;
}

/** Every status code by name: { CW_OK: 0, CW_EINVAL: -1, … }. */
export const codes: Readonly<Record<'CW_OK' | ErrorCode, number>>;

// ---- storage ---------------------------------------------------------------------

export interface StorageOptions {
  /** MongoDB database name; default: from the URL, else "telnyx_calling". */
  database?: string;
  /** Server selection / busy timeout in ms; default 10000. */
  timeoutMs?: number;
  /** Default 8. */
  maxConnections?: number;
}

export interface Contacts {
  create(contact: NewContact): Promise<Contact>;
  get(id: string): Promise<Contact>;
  list(filter?: ContactFilter | null): Promise<Contact[]>;
  update(id: string, patch: ContactPatch): Promise<Contact>;
  remove(id: string): Promise<void>;
  toggleFavorite(id: string): Promise<Contact>;
}

export interface Logs {
  get(callId: string): Promise<Call>;
  /** Calls, newest first. */
  list(filter?: LogFilter | null): Promise<Call[]>;
  /** list() with filter.search = text. */
  search(text: string, filter?: Omit<LogFilter, 'search'> | null): Promise<Call[]>;
  stats(filter?: LogFilter | null): Promise<Stats>;
  /** CSV text, header line first, CRLF line ends. */
  exportCsv(filter?: LogFilter | null): Promise<string>;
}

export interface Numbers {
  list(): Promise<PhoneNumber[]>;
  create(number: string | NewPhoneNumber): Promise<PhoneNumber>;
  remove(id: string): Promise<void>;
  setDefault(id: string): Promise<PhoneNumber>;
}

export interface SettingsStore {
  /** Secrets masked unless { masked: false }. */
  get(options?: { masked?: boolean }): Promise<Settings>;
  /** Saves the fields present; a masked secret sent back keeps the stored one. Resolves masked. */
  save(settings: Partial<Omit<Settings, 'updated_at'>>): Promise<Settings>;
}

export interface Recordings {
  list(filter?: PageFilter | null): Promise<Recording[]>;
  /** The recordings of one call, oldest first. */
  listForCall(callId: string): Promise<Recording[]>;
  /** Removes the stored record only (Telnyx keeps its copy; Client.removeRecording removes it there too). */
  remove(recordingId: string): Promise<void>;
}

/** The team's accounts; storage calls, not the REST API's rules of who may make them. */
export interface Users {
  /** CW_ECONFLICT when the email is taken (ignoring case), CW_EINVAL for a short password, a bad email or role. */
  create(user: NewUser): Promise<User>;
  /** CW_ENOTFOUND for an unknown id. */
  get(id: string): Promise<User>;
  /** By email ignoring ASCII case; null when no account has it. */
  findByEmail(email: string): Promise<User | null>;
  /** Oldest first. */
  list(): Promise<User[]>;
  update(id: string, patch: UserPatch): Promise<User>;
  remove(id: string): Promise<void>;
  setStatus(id: string, status: OwnUserStatus): Promise<User>;
  /** Also raises token_version. */
  setPassword(id: string, newPassword: string): Promise<User>;
  /** false for a wrong password and for an unknown id alike. */
  checkPassword(id: string, password: string): Promise<boolean>;
  /** The User (last_login_at now), or null alike for an unknown email, a wrong password and a disabled account. */
  authenticate(email: string, password: string): Promise<User | null>;
  revokeTokens(id: string): Promise<User>;
}

export class Storage {
  /** "sqlite:///abs/path.db" or "mongodb://…" / "mongodb+srv://…"; opens in the background. */
  constructor(url: string, options?: StorageOptions);
  static open(url: string, options?: StorageOptions): Promise<Storage>;
  /** Resolves with this storage once open; rejects when opening failed. */
  readonly ready: Promise<Storage>;
  readonly closed: boolean;
  readonly contacts: Contacts;
  readonly logs: Logs;
  readonly numbers: Numbers;
  readonly settings: SettingsStore;
  readonly recordings: Recordings;
  readonly users: Users;
  info(): Promise<StorageInfo>;
  /** Lets go of the storage (clients made from it keep using it). Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

// ---- client ----------------------------------------------------------------------

export interface ClientOptions {
  /** Telnyx API key; none (and none saved): demo mode. */
  apiKey?: string;
  /** Default https://api.telnyx.com/v2 (plain http only to loopback). */
  apiBase?: string;
  connectionId?: string;
  webhookUrl?: string;
  /** Base64 Ed25519 key that verifies webhooks. */
  publicKey?: string;
  /** Extra trusted CAs (PEM file) for the carrier's TLS. */
  caFile?: string;
  /** Demo mode even with a key. */
  forceDemo?: boolean;
  /** Do not require webhook signatures (development only). */
  insecureWebhooks?: boolean;
  /** Demo time acceleration: 10 = ten times faster. Default 1. */
  demoSpeed?: number;
  /** Where demo recordings go; default beside the SQLite file. */
  recordingsDir?: string;
  /** Record every call. */
  autoRecord?: boolean;
  /** How long hangup() waits for the carrier's hangup; default 5000. */
  hangupWaitMs?: number;
  /** Default 1. */
  ioThreads?: number;
  /** Default 2. */
  workerThreads?: number;
}

export interface DialOptions {
  /** Caller-ID number; default: the default number in storage. */
  from?: string;
  record?: boolean;
  /** A Telnyx mode, or true (detect) / false (disabled). */
  answeringMachineDetection?: boolean | AmdMode;
  /** The detection's thresholds (whole numbers, 0 or more; only with a mode). */
  answeringMachineDetectionConfig?: AmdConfig;
  connectionId?: string;
  contactId?: string;
  /** The user who places the call (a user id); CW_EINVAL when no user has it. */
  agentId?: string;
}

/** Telnyx's answering machine detection modes. */
export type AmdMode = 'disabled' | 'detect' | 'detect_beep' | 'detect_words' | 'greeting_end' | 'premium';

/** Thresholds of answeringMachineDetectionConfig (Telnyx's answering_machine_detection_config); each is sent only when set. */
export interface AmdConfig {
  totalAnalysisTimeMillis?: number;
  afterGreetingSilenceMillis?: number;
  betweenWordsSilenceMillis?: number;
  greetingDurationMillis?: number;
  initialSilenceMillis?: number;
  maximumNumberOfWords?: number;
  maximumWordLengthMillis?: number;
  silenceThreshold?: number;
  greetingTotalAnalysisTimeMillis?: number;
  greetingSilenceDurationMillis?: number;
}

/** A Telnyx language of the speak action. */
export type SpeakLanguage =
  | 'arb' | 'cmn-CN' | 'cy-GB' | 'da-DK' | 'de-DE' | 'en-AU' | 'en-GB' | 'en-GB-WLS' | 'en-IN' | 'en-US'
  | 'es-ES' | 'es-MX' | 'es-US' | 'fr-CA' | 'fr-FR' | 'hi-IN' | 'is-IS' | 'it-IT' | 'ja-JP' | 'ko-KR'
  | 'nb-NO' | 'nl-NL' | 'pl-PL' | 'pt-BR' | 'pt-PT' | 'ro-RO' | 'ru-RU' | 'sv-SE' | 'tr-TR';

export interface SpeakOptions {
  /**
   * 'female' (the default) or 'male': Telnyx's basic voices, en-US plain text only. Otherwise a
   * provider voice '<Provider>.<Model>.<VoiceId>' of AWS, Azure, ElevenLabs, Telnyx, Minimax, Rime
   * or Resemble, e.g. 'AWS.Polly.Joanna-Neural', 'Azure.en-CA-ClaraNeural'.
   */
  voice?: string;
  /** en-US by default for male/female; a provider voice speaks its own when absent. */
  language?: SpeakLanguage;
  payloadType?: 'text' | 'ssml';
}

export type CallUpdateType = 'call.created' | 'call.updated' | 'call.ended';

/** What a client publishes each time a call changes (the C++ CallUpdate). */
export interface CallUpdate {
  type: CallUpdateType;
  call: Call;
}

export type WebhookHeaders =
  | Record<string, string | string[] | undefined>
  | Iterable<readonly [string, string]>;

export interface ClientEvents {
  'call.created': [call: Call];
  'call.updated': [call: Call];
  'call.ended': [call: Call];
  update: [update: CallUpdate];
  /** The update stream has ended: the client was closed (or failed to start). */
  close: [];
}

export class Client extends EventEmitter {
  /** Starts a client on storage in the background; demo mode when no Telnyx key is configured. */
  constructor(storage: Storage, options?: ClientOptions);
  static open(storage: Storage, options?: ClientOptions): Promise<Client>;
  /** Resolves with this client once it runs; rejects when starting failed. */
  readonly ready: Promise<Client>;
  /** true in demo mode; undefined until ready. */
  readonly demo: boolean | undefined;
  readonly mode: 'demo' | 'live' | undefined;
  readonly closed: boolean;

  dial(to: string, options?: DialOptions): Promise<Call>;
  hangup(callId: string): Promise<Call>;
  sendDtmf(callId: string, digits: string): Promise<Call>;
  startRecording(callId: string): Promise<Call>;
  stopRecording(callId: string): Promise<Call>;
  /** Pauses the recording of an active call: the call's recording_paused is true until resumed, stopped or restarted. */
  pauseRecording(callId: string): Promise<Call>;
  resumeRecording(callId: string): Promise<Call>;
  /**
   * Speaks `text` (at most 3,000 characters; SSML with payload_type 'ssml') on an active call.
   * CW_EINVAL naming the field for what Telnyx would refuse, CW_ECONFLICT when the call is not
   * active, CW_ECARRIER when the carrier refuses. The call does not change.
   */
  speak(callId: string, text: string, options?: SpeakOptions): Promise<Call>;
  /** Plays the MP3 or WAV file at an http:// or https:// URL on an active call (e.g. a voicemail drop). */
  startPlayback(callId: string, audioUrl: string): Promise<Call>;
  /** Stops the audio playing and clears the queued files. */
  stopPlayback(callId: string): Promise<Call>;
  /**
   * The recording with a `url` that works now. Telnyx's recording URLs expire 10 minutes after
   * the webhook that carried them: a live recording gets a fresh one from Telnyx, stored; a demo
   * recording is answered as stored. CW_ENOTFOUND for an unknown id, CW_EUNAVAILABLE without a
   * Telnyx key or when Telnyx is unreachable, CW_ECARRIER when it refuses.
   */
  refreshRecording(recordingId: string): Promise<Recording>;
  /**
   * Removes a recording here and at Telnyx (DELETE /v2/recordings/{id}); a 404 there (already
   * gone) deletes it here too. While Telnyx does not delete it, the recording is kept with
   * `remote_delete_error` set and this rejects — CW_EUNAVAILABLE (Telnyx cannot now) or
   * CW_ECARRIER (it refuses, e.g. 401) — with that sentence as the message. A demo recording is
   * deleted here only, with its WAV file. CW_ENOTFOUND for an unknown id.
   * `storage.recordings.remove` removes the stored record only.
   */
  removeRecording(recordingId: string): Promise<void>;
  transfer(callId: string, to: string): Promise<Call>;
  setMuted(callId: string, muted: boolean): Promise<Call>;
  setOnHold(callId: string, onHold: boolean): Promise<Call>;
  getCall(callId: string): Promise<Call>;
  activeCalls(): Promise<Call[]>;
  stats(): Promise<Stats>;
  settings(): Promise<ClientSettings>;
  /** Re-reads the saved settings; resolves with the mode now in force. */
  reloadSettings(): Promise<'demo' | 'live'>;
  /** Rejects with a CallwireError whose .result holds the IngestResult for non-200 outcomes. */
  ingestWebhook(body: Buffer | Uint8Array | ArrayBuffer | string, headers?: WebhookHeaders): Promise<IngestResult>;

  /** Every call update from now until close(). */
  updates(): AsyncIterableIterator<CallUpdate>;
  /** Stops the client; resolves once every update was delivered. Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;

  on<K extends keyof ClientEvents>(event: K, listener: (...args: ClientEvents[K]) => void): this;
  once<K extends keyof ClientEvents>(event: K, listener: (...args: ClientEvents[K]) => void): this;
  off<K extends keyof ClientEvents>(event: K, listener: (...args: ClientEvents[K]) => void): this;
  addListener<K extends keyof ClientEvents>(event: K, listener: (...args: ClientEvents[K]) => void): this;
  removeListener<K extends keyof ClientEvents>(event: K, listener: (...args: ClientEvents[K]) => void): this;
  emit<K extends keyof ClientEvents>(event: K, ...args: ClientEvents[K]): boolean;
}

// ---- server ----------------------------------------------------------------------

export interface ServerOptions {
  /** Default "127.0.0.1". */
  host?: string;
  /** 0 (default): a free port. */
  port?: number;
  /** Mount the REST API, /health and /metrics; default true. */
  restApi?: boolean;
  /** Serve this folder at /. */
  staticDir?: string;
  corsOrigins?: string | string[];
  /** HS256 bearer tokens on /api and /ws. */
  jwtSecret?: string;
  /** Allow a non-loopback host without jwtSecret. */
  allowPublicWithoutAuth?: boolean;
  /** Bytes; default 1 MiB. */
  bodyLimit?: number;
  threads?: number;
  workerThreads?: number;
  /** Host names clients may use besides loopback ones and the bound address (others get 421); ".example.com" allows subdomains, "*" any. */
  allowedHosts?: string | string[];
  /** GET /metrics needs `Authorization: Bearer <metricsToken>`; without it only loopback clients may read them. */
  metricsToken?: string;
}

export class Server {
  constructor(client: Client, options?: ServerOptions);
  /** Binds and serves; resolves with the bound port. */
  start(): Promise<number>;
  /** The bound port once started, else null. */
  readonly port: number | null;
  /** "http://host:port" once started, else null. */
  readonly url: string | null;
  /** Stops serving and frees the server. Idempotent; a stopped server cannot start again. */
  stop(): Promise<void>;
  /** Let the process exit while the server runs. */
  unref(): this;
  ref(): this;
  [Symbol.asyncDispose](): Promise<void>;
}

// ---- utilities -------------------------------------------------------------------

/** "+1 (212) 555-1234" → "+12125551234"; throws CallwireError CW_EINVAL. */
export function normalizePhone(number: string): string;
/** -2 → "CW_ENOTFOUND"; "CW_UNKNOWN" for codes it does not know. */
export function statusName(code: number): string;
export function isTerminal(status: CallStatus | string): status is TerminalCallStatus;

// ---- logging ---------------------------------------------------------------------

/** The library's log levels, lowest first; as a threshold, 'off' lets nothing through. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'off';
/** cw_log_level numbers by name. */
export const LOG_LEVELS: Readonly<Record<LogLevel, number>>;

/** One record of the library's log. */
export interface LogRecord {
  level: Exclude<LogLevel, 'off'>;
  /** When the library logged it. */
  time: Date;
  /** The part of the library: "http", "ws", "client", "auth", "sqlite", … */
  component: string;
  message: string;
  /** The HTTP request of a Server it belongs to (its X-Request-Id); '' when none. */
  requestId: string;
}

/**
 * Sends every record at `level` and above to `handler`, on this JavaScript thread (records
 * made on the library's threads are queued, so they arrive shortly after); `null` restores the
 * library's own lines on stderr at `level`. Process-wide: the last call, from any worker thread,
 * wins. The handler does not keep the process alive; one that throws becomes an uncaught
 * exception. Throws CallwireError CW_EINVAL for an unknown level or a handler that is not a
 * function.
 */
export function setLogHandler(level: LogLevel, handler: ((record: LogRecord) => void) | null): void;
export const TERMINAL_STATUSES: readonly TerminalCallStatus[];
export const LIVE_STATUSES: readonly ('dialing' | 'ringing' | 'active')[];
/** The loaded C library's version, e.g. "0.1.0". */
export const version: string;
export const versionNumber: number;
/** The callwire.h version the addon was built with. */
export const headerVersion: string;
