// Local demo mode: the callwire REST API and call stream simulated in the
// browser, for when no server can be reached. Good enough to click through
// every screen; nothing leaves the page. Data is kept in localStorage.
//
// Calls follow the server's demo scenarios, chosen by the destination's last
// four digits: …0000 busy, …0001 no answer, …0002 rejected, …0004 the callee
// hangs up 5 s after answering, anything else answers after ~2 s and stays
// up until hung up.
import { ApiError, type Backend, type Method, type SocketLike } from './client';
import type {
  Call,
  CallStatus,
  Contact,
  ContactCategory,
  PhoneNumber,
  Recording,
  TelnyxSettings,
} from './types';
import { CONTACT_CATEGORIES } from './types';
import { isTerminal } from '../lib/calls';
import { digitsOf, isE164 } from '../lib/phone';
import { ringbackWav } from '../lib/wav';

const STORE_KEY = 'callwire.localDemo.v1';

interface Data {
  contacts: Contact[];
  numbers: PhoneNumber[];
  settings: TelnyxSettings;
  calls: Call[];
  recordings: Omit<Recording, 'url'>[];
}

function uuid(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return crypto.randomUUID();
  return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
    const r = (Math.random() * 16) | 0;
    return (c === 'x' ? r : (r & 0x3) | 0x8).toString(16);
  });
}

function nowIso(clock: () => number): string {
  return new Date(clock()).toISOString();
}

export function seedData(clock: () => number = Date.now): Data {
  const t = nowIso(clock);
  const contact = (name: string, phone: string, email: string, category: ContactCategory, fav: boolean): Contact => ({
    id: uuid(),
    name,
    phone,
    email,
    category,
    is_favorite: fav,
    created_at: t,
    updated_at: t,
  });
  return {
    contacts: [
      contact('Ada Lovelace', '+14155550101', 'ada@example.com', 'client', true),
      contact('Grace Hopper', '+14155550102', 'grace@example.com', 'lead', false),
      contact('Alan Turing', '+442079460958', 'alan@example.org', 'follow_up', true),
      contact('Busy Line', '+14155550000', '', 'other', false),
    ],
    numbers: [
      { id: uuid(), number: '+15550100001', name: 'Main line', status: 'active', is_default: true },
      { id: uuid(), number: '+15550100002', name: 'Sales', status: 'active', is_default: false },
      { id: uuid(), number: '+15550100003', name: 'Support', status: 'active', is_default: false },
    ],
    settings: {
      api_key: '',
      api_v2_key: '',
      webhook_url: '',
      connection_id: 'demo',
      public_key: '',
      auto_record: false,
      recording_channels: 'dual',
      demo_mode: true,
    },
    calls: [],
    recordings: [],
  };
}

function mask(secret: string): string {
  if (!secret) return '';
  if (secret.length <= 8) return '*'.repeat(secret.length);
  return '****' + secret.slice(-4);
}

type Listener = (frame: string) => void;

interface SimTimers {
  timers: ReturnType<typeof setTimeout>[];
  recordingStartedAt: number | null;
  recordedSeconds: number;
}

export interface LocalDemoOptions {
  /** Simulated seconds per real second (tests use large values). */
  speed?: number;
  clock?: () => number;
  storage?: Storage | null;
  /** Creates playable URLs for WAV bytes; defaults to blob: URLs. */
  makeUrl?: (wav: Uint8Array) => string;
}

export class LocalDemoBackend implements Backend {
  readonly kind = 'local-demo' as const;
  private data: Data;
  private readonly listeners = new Set<Listener>();
  private readonly sims = new Map<string, SimTimers>();
  private readonly urls = new Map<string, string>();
  private readonly speed: number;
  private readonly clock: () => number;
  private readonly storage: Storage | null;
  private readonly makeUrl: (wav: Uint8Array) => string;

  constructor(options: LocalDemoOptions = {}) {
    this.speed = options.speed ?? 1;
    this.clock = options.clock ?? Date.now;
    this.storage = options.storage === undefined ? safeLocalStorage() : options.storage;
    this.makeUrl =
      options.makeUrl ??
      ((wav) => URL.createObjectURL(new Blob([wav as BlobPart], { type: 'audio/wav' })));
    this.data = this.load();
    // Calls that were live when the page was closed cannot go on.
    for (const c of this.data.calls) {
      if (!isTerminal(c.status)) {
        Object.assign(c, { status: 'failed', ended_at: nowIso(this.clock), hangup_cause: 'page_reloaded' });
      }
    }
  }

  private load(): Data {
    try {
      const raw = this.storage?.getItem(STORE_KEY);
      if (raw) {
        const d = JSON.parse(raw) as Data;
        if (d && Array.isArray(d.contacts) && Array.isArray(d.numbers) && d.settings) return d;
      }
    } catch {
      /* start over */
    }
    return seedData(this.clock);
  }

  private save(): void {
    try {
      this.storage?.setItem(STORE_KEY, JSON.stringify(this.data));
    } catch {
      /* storage full or disabled: keep it in memory */
    }
  }

  /** Forgets everything and starts from the seed data. */
  reset(): void {
    for (const id of [...this.sims.keys()]) this.stopSim(id);
    this.data = seedData(this.clock);
    this.save();
  }

  // ---- the call stream ----

  openCallStream(): SocketLike {
    const backend = this;
    let open = true;
    const sock: SocketLike = {
      onopen: null,
      onmessage: null,
      onclose: null,
      onerror: null,
      close() {
        if (!open) return;
        open = false;
        backend.listeners.delete(listener);
        setTimeout(() => sock.onclose?.({ code: 1000 }), 0);
      },
    };
    const listener: Listener = (frame) => {
      if (open) sock.onmessage?.({ data: frame });
    };
    setTimeout(() => {
      if (!open) return;
      backend.listeners.add(listener);
      sock.onopen?.({});
      const live = backend.data.calls.filter((c) => !isTerminal(c.status));
      sock.onmessage?.({ data: JSON.stringify({ type: 'snapshot', calls: live }) });
    }, 0);
    return sock;
  }

  private publish(type: 'call.created' | 'call.updated' | 'call.ended', call: Call): void {
    const frame = JSON.stringify({ type, call });
    for (const l of [...this.listeners]) l(frame);
  }

  href(path: string): string {
    return path;
  }

  // ---- requests ----

  async requestText(path: string): Promise<string> {
    const url = new URL(path, 'http://local');
    if (url.pathname === '/api/calls/logs/export') return this.exportCsv();
    throw new ApiError(404, 'Not found');
  }

  async request<T>(method: Method, path: string, body?: unknown): Promise<T> {
    // Answer asynchronously, as a server would.
    await new Promise((r) => setTimeout(r, 0));
    return this.route(method, path, (body ?? {}) as Record<string, unknown>) as T;
  }

  private route(method: Method, path: string, body: Record<string, unknown>): unknown {
    const url = new URL(path, 'http://local');
    const p = url.pathname.replace(/\/+$/, '') || '/';
    const q = url.searchParams;
    let m: RegExpMatchArray | null;

    if (p === '/health') return { status: 'ok', mode: 'demo', storage: 'browser', version: 'local' };

    // numbers
    if (p === '/api/numbers' && method === 'GET') return this.data.numbers;
    if (p === '/api/numbers' && method === 'POST') return this.addNumber(body);
    if ((m = p.match(/^\/api\/numbers\/([^/]+)\/set-default$/)) && method === 'POST') return this.setDefault(m[1]!);
    if ((m = p.match(/^\/api\/numbers\/([^/]+)$/)) && method === 'DELETE') return this.deleteNumber(m[1]!);

    // contacts
    if (p === '/api/contacts' && method === 'GET') return this.listContacts(q);
    if (p === '/api/contacts' && method === 'POST') return this.saveContact(null, body);
    if ((m = p.match(/^\/api\/contacts\/([^/]+)\/favorite$/)) && method === 'POST') return this.toggleFavorite(m[1]!);
    if ((m = p.match(/^\/api\/contacts\/([^/]+)$/))) {
      if (method === 'PUT') return this.saveContact(m[1]!, body);
      if (method === 'DELETE') return this.deleteContact(m[1]!);
      if (method === 'GET') return this.contact(m[1]!);
    }

    // settings
    if (p === '/api/telnyx/settings' && method === 'GET') return this.maskedSettings();
    if (p === '/api/telnyx/settings' && method === 'POST') return this.saveSettings(body);

    // calls
    if (p === '/api/telnyx/dial' && method === 'POST') return this.dial(body);
    if ((m = p.match(/^\/api\/telnyx\/hangup\/([^/]+)$/)) && method === 'POST') return this.hangup(m[1]!);
    if ((m = p.match(/^\/api\/telnyx\/calls\/([^/]+)\/(mute|hold|dtmf|transfer|recording\/start|recording\/stop)$/)) && method === 'POST') {
      return this.command(m[1]!, m[2]!, body);
    }
    if ((m = p.match(/^\/api\/call-status\/status\/([^/]+)$/))) return this.call(m[1]!);
    if (p === '/api/call-status/active') return this.data.calls.filter((c) => !isTerminal(c.status));
    if (p === '/api/call-status/stats' || p === '/api/calls/stats/summary') return this.stats();

    // logs
    if (p === '/api/calls/logs') return this.logs('', '', q);
    if (p === '/api/calls/logs/search') return this.logs(q.get('query') ?? '', q.get('status') ?? '', q);

    // recordings
    if (p === '/api/recordings' && method === 'GET') return this.data.recordings.map((r) => this.withUrl(r));
    if ((m = p.match(/^\/api\/recordings\/([^/]+)$/))) {
      if (method === 'GET') return this.data.recordings.filter((r) => r.call_id === m![1]).map((r) => this.withUrl(r));
      if (method === 'DELETE') return this.deleteRecording(m[1]!);
    }
    if ((m = p.match(/^\/api\/recordings\/([^/]+)\/refresh$/)) && method === 'POST') {
      // Demo recordings never expire: answered as stored, as the server does.
      const rec = this.data.recordings.find((r) => r.id === m![1]);
      if (!rec) throw new ApiError(404, 'Recording not found');
      return this.withUrl(rec);
    }
    throw new ApiError(404, `Not found: ${method} ${p}`);
  }

  // ---- numbers ----

  private addNumber(body: Record<string, unknown>): PhoneNumber {
    const number = String(body.number ?? '').trim();
    if (!isE164(number)) throw new ApiError(422, 'number: must be an E.164 number such as +14155550123');
    if (this.data.numbers.some((n) => n.number === number)) throw new ApiError(409, 'This number is already listed');
    const n: PhoneNumber = {
      id: uuid(),
      number,
      name: String(body.name ?? '').trim() || number,
      status: 'active',
      is_default: this.data.numbers.length === 0,
    };
    this.data.numbers.push(n);
    this.save();
    return n;
  }

  private setDefault(id: string): PhoneNumber {
    const n = this.data.numbers.find((x) => x.id === id);
    if (!n) throw new ApiError(404, 'Phone number not found');
    for (const x of this.data.numbers) x.is_default = x.id === id;
    this.save();
    return n;
  }

  private deleteNumber(id: string): { ok: true } {
    const i = this.data.numbers.findIndex((x) => x.id === id);
    if (i < 0) throw new ApiError(404, 'Phone number not found');
    const [gone] = this.data.numbers.splice(i, 1);
    if (gone!.is_default && this.data.numbers[0]) this.data.numbers[0].is_default = true;
    this.save();
    return { ok: true };
  }

  // ---- contacts ----

  private listContacts(q: URLSearchParams): Contact[] {
    const search = (q.get('search') ?? '').trim().toLowerCase();
    const category = q.get('category') ?? '';
    const favorites = q.get('favorites') === 'true';
    const sd = digitsOf(search);
    return this.data.contacts
      .filter((c) => !category || c.category === category)
      .filter((c) => !favorites || c.is_favorite)
      .filter(
        (c) =>
          !search ||
          c.name.toLowerCase().includes(search) ||
          (c.email ?? '').toLowerCase().includes(search) ||
          (sd !== '' && digitsOf(c.phone).includes(sd)),
      )
      .sort((a, b) => Number(b.is_favorite) - Number(a.is_favorite) || a.name.localeCompare(b.name));
  }

  private contact(id: string): Contact {
    const c = this.data.contacts.find((x) => x.id === id);
    if (!c) throw new ApiError(404, 'Contact not found');
    return c;
  }

  private saveContact(id: string | null, body: Record<string, unknown>): Contact {
    const name = String(body.name ?? '').trim();
    const phone = String(body.phone ?? '').trim();
    const category = String(body.category ?? 'other') as ContactCategory;
    if (!name) throw new ApiError(422, 'name: must not be empty');
    if (!isE164(phone)) throw new ApiError(422, 'phone: must be an E.164 number such as +14155550123');
    if (!CONTACT_CATEGORIES.includes(category)) throw new ApiError(422, 'category: must be lead, client, follow_up or other');
    const t = nowIso(this.clock);
    if (id === null) {
      const c: Contact = {
        id: uuid(),
        name,
        phone,
        email: String(body.email ?? ''),
        category,
        is_favorite: Boolean(body.is_favorite),
        created_at: t,
        updated_at: t,
      };
      this.data.contacts.push(c);
      this.save();
      return c;
    }
    const c = this.contact(id);
    Object.assign(c, {
      name,
      phone,
      email: String(body.email ?? ''),
      category,
      is_favorite: Boolean(body.is_favorite),
      updated_at: t,
    });
    this.save();
    return c;
  }

  private deleteContact(id: string): { ok: true } {
    this.contact(id);
    this.data.contacts = this.data.contacts.filter((c) => c.id !== id);
    this.save();
    return { ok: true };
  }

  private toggleFavorite(id: string): Contact {
    const c = this.contact(id);
    c.is_favorite = !c.is_favorite;
    c.updated_at = nowIso(this.clock);
    this.save();
    return c;
  }

  // ---- settings ----

  private maskedSettings(): TelnyxSettings {
    const s = this.data.settings;
    // Data saved before the setting existed has none: Telnyx's default.
    return { ...s, recording_channels: s.recording_channels ?? 'dual', api_key: mask(s.api_key), api_v2_key: mask(s.api_v2_key) };
  }

  private saveSettings(body: Record<string, unknown>): TelnyxSettings {
    const s = this.data.settings;
    const masked = this.maskedSettings();
    const str = (k: keyof TelnyxSettings) => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
    for (const k of ['api_key', 'api_v2_key'] as const) {
      const v = str(k);
      if (v !== undefined && v !== masked[k]) s[k] = v.trim();
    }
    for (const k of ['webhook_url', 'connection_id', 'public_key'] as const) {
      const v = str(k);
      if (v !== undefined) s[k] = v.trim();
    }
    if (typeof body.auto_record === 'boolean') s.auto_record = body.auto_record;
    if (body.recording_channels !== undefined) {
      if (body.recording_channels !== 'single' && body.recording_channels !== 'dual') {
        throw new ApiError(422, "recording_channels: must be single (both parties mixed on one channel) or dual (each party on its own channel, Telnyx's default), not '" + String(body.recording_channels) + "'");
      }
      s.recording_channels = body.recording_channels;
    }
    if (typeof body.demo_mode === 'boolean') s.demo_mode = body.demo_mode;
    this.save();
    return this.maskedSettings();
  }

  // ---- calls ----

  private call(id: string): Call {
    const c = this.data.calls.find((x) => x.call_id === id);
    if (!c) throw new ApiError(404, 'Call not found');
    return c;
  }

  private update(call: Call, patch: Partial<Call>, type: 'call.updated' | 'call.ended' = 'call.updated'): void {
    Object.assign(call, patch, { updated_at: nowIso(this.clock) });
    this.save();
    this.publish(type, { ...call });
  }

  private dial(body: Record<string, unknown>): { call_id: string; status: CallStatus; to_number: string; from_number: string } {
    const to = String(body.to_number ?? '').trim();
    if (!isE164(to)) throw new ApiError(422, 'to_number: must be an E.164 number such as +14155550123');
    let from = String(body.from_number ?? '').trim();
    if (!from) from = this.data.numbers.find((n) => n.is_default)?.number ?? '';
    if (!from) throw new ApiError(422, 'from_number: no caller-ID number is configured');
    if (!isE164(from)) throw new ApiError(422, 'from_number: must be an E.164 number');
    const contact = this.data.contacts.find((c) => digitsOf(c.phone) === digitsOf(to));
    const t = nowIso(this.clock);
    const call: Call = {
      call_id: uuid(),
      call_control_id: 'v3:local-' + uuid().slice(0, 8),
      call_session_id: uuid(),
      to_number: to,
      from_number: from,
      direction: 'outbound',
      status: 'dialing',
      created_at: t,
      updated_at: t,
      answered_at: null,
      ended_at: null,
      duration: 0,
      hangup_cause: null,
      hangup_source: null,
      contact_id: contact?.id ?? null,
      contact_name: contact?.name ?? null,
      recording_id: null,
      recording: false,
      muted: false,
      on_hold: false,
      demo: true,
    };
    this.data.calls.unshift(call);
    this.save();
    this.publish('call.created', { ...call });
    this.startSim(call);
    return { call_id: call.call_id, status: 'dialing', to_number: to, from_number: from };
  }

  private after(callId: string, simMs: number, fn: () => void): void {
    const sim = this.sims.get(callId);
    if (!sim) return;
    sim.timers.push(setTimeout(fn, simMs / this.speed));
  }

  private startSim(call: Call): void {
    this.sims.set(call.call_id, { timers: [], recordingStartedAt: null, recordedSeconds: 0 });
    const last4 = digitsOf(call.to_number).slice(-4);
    const id = call.call_id;
    this.after(id, 250, () => this.update(call, { status: 'ringing' }));
    if (last4 === '0000') {
      this.after(id, 1500, () => this.end(call, 'busy', 'user_busy', 'callee'));
    } else if (last4 === '0001') {
      this.after(id, 8000, () => this.end(call, 'no_answer', 'timeout', 'callee'));
    } else if (last4 === '0002') {
      this.after(id, 1200, () => this.end(call, 'failed', 'call_rejected', 'callee'));
    } else {
      this.after(id, 2000, () => {
        this.update(call, { status: 'active', answered_at: nowIso(this.clock) });
        if (this.data.settings.auto_record) this.startRecording(call);
        if (last4 === '0004') this.after(id, 5000, () => this.end(call, 'completed', 'normal_clearing', 'callee'));
        // Demo calls end by themselves after ten minutes.
        this.after(id, 600_000, () => this.end(call, 'completed', 'time_limit', 'unknown'));
      });
    }
  }

  private stopSim(id: string): void {
    const sim = this.sims.get(id);
    if (!sim) return;
    for (const t of sim.timers) clearTimeout(t);
    this.sims.delete(id);
  }

  private simSeconds(fromMs: number): number {
    return ((this.clock() - fromMs) / 1000) * this.speed;
  }

  private startRecording(call: Call): void {
    const sim = this.sims.get(call.call_id);
    if (!sim || sim.recordingStartedAt !== null) return;
    sim.recordingStartedAt = this.clock();
    this.update(call, { recording: true });
  }

  private stopRecording(call: Call, publish = true): void {
    const sim = this.sims.get(call.call_id);
    if (!sim || sim.recordingStartedAt === null) return;
    const seconds = Math.max(1, Math.round(this.simSeconds(sim.recordingStartedAt)));
    sim.recordingStartedAt = null;
    const rec: Omit<Recording, 'url'> = {
      id: uuid(),
      call_id: call.call_id,
      duration: seconds,
      format: 'wav',
      created_at: nowIso(this.clock),
    };
    this.data.recordings.unshift(rec);
    const patch: Partial<Call> = { recording: false, recording_id: call.recording_id ?? rec.id };
    if (publish) this.update(call, patch);
    else Object.assign(call, patch);
  }

  private end(call: Call, status: CallStatus, cause: string, source: string): void {
    if (isTerminal(call.status)) return;
    this.stopRecording(call, false);
    this.stopSim(call.call_id);
    const ended = this.clock();
    const answered = call.answered_at ? Date.parse(call.answered_at) : NaN;
    const duration = Number.isFinite(answered) ? Math.max(0, Math.floor(((ended - answered) / 1000) * this.speed)) : 0;
    this.update(
      call,
      { status, ended_at: new Date(ended).toISOString(), duration, hangup_cause: cause, hangup_source: source, recording: false },
      'call.ended',
    );
  }

  private hangup(id: string): Call {
    const call = this.call(id);
    if (isTerminal(call.status)) throw new ApiError(409, 'Call has already ended');
    if (call.status === 'active') this.end(call, 'completed', 'normal_clearing', 'caller');
    else this.end(call, 'canceled', 'originator_cancel', 'caller');
    return { ...call };
  }

  private command(id: string, what: string, body: Record<string, unknown>): Call {
    const call = this.call(id);
    if (isTerminal(call.status)) throw new ApiError(409, 'Call has already ended');
    const needsAnswer = what !== 'mute' && what !== 'hold';
    if (needsAnswer && call.status !== 'active') throw new ApiError(409, 'Call not answered yet');
    switch (what) {
      case 'mute':
        this.update(call, { muted: Boolean(body.muted) });
        break;
      case 'hold':
        this.update(call, { on_hold: Boolean(body.on_hold) });
        break;
      case 'dtmf': {
        const digits = String(body.digits ?? '');
        if (!/^[0-9*#A-Dw]{1,32}$/.test(digits)) throw new ApiError(422, 'digits: 1–32 of 0-9 * # A-D w');
        break;
      }
      case 'transfer': {
        const to = String(body.to_number ?? '');
        if (!isE164(to)) throw new ApiError(422, 'to_number: must be an E.164 number');
        this.after(id, 1500, () => this.end(call, 'completed', 'normal_clearing', 'caller'));
        break;
      }
      case 'recording/start':
        if (this.sims.get(id)?.recordingStartedAt != null) throw new ApiError(409, 'Already recording');
        this.startRecording(call);
        break;
      case 'recording/stop':
        if (this.sims.get(id)?.recordingStartedAt == null) throw new ApiError(409, 'Not recording');
        this.stopRecording(call);
        break;
    }
    return { ...call };
  }

  private stats() {
    const calls = this.data.calls;
    const completed = calls.filter((c) => c.status === 'completed');
    const ended = calls.filter((c) => isTerminal(c.status));
    const by_status: Record<string, number> = {};
    for (const c of calls) by_status[c.status] = (by_status[c.status] ?? 0) + 1;
    const total_duration = completed.reduce((s, c) => s + (c.duration ?? 0), 0);
    return {
      total_calls: calls.length,
      completed_calls: completed.length,
      failed_calls: ended.length - completed.length,
      active_calls: calls.length - ended.length,
      average_duration: completed.length ? total_duration / completed.length : 0,
      answer_rate: ended.length ? ended.filter((c) => c.answered_at).length / ended.length : 0,
      total_duration,
      by_status,
    };
  }

  private logs(query: string, status: string, q: URLSearchParams): Call[] {
    const limit = Math.max(1, Math.min(200, Number(q.get('limit') ?? 50) || 50));
    const offset = Math.max(0, Number(q.get('offset') ?? 0) || 0);
    const needle = query.trim().toLowerCase();
    const nd = digitsOf(needle);
    return this.data.calls
      .filter((c) => !status || c.status === status)
      .filter(
        (c) =>
          !needle ||
          (c.contact_name ?? '').toLowerCase().includes(needle) ||
          (nd !== '' && (digitsOf(c.to_number).includes(nd) || digitsOf(c.from_number).includes(nd))),
      )
      .slice(offset, offset + limit);
  }

  private exportCsv(): string {
    const cols = ['call_id', 'to_number', 'from_number', 'contact_name', 'status', 'created_at', 'answered_at', 'ended_at', 'duration', 'hangup_cause'] as const;
    const esc = (v: unknown) => {
      const s = v === null || v === undefined ? '' : String(v);
      return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    };
    const rows = this.data.calls.map((c) => cols.map((k) => esc(c[k])).join(','));
    return [cols.join(','), ...rows].join('\n') + '\n';
  }

  // ---- recordings ----

  private withUrl(r: Omit<Recording, 'url'>): Recording {
    let url = this.urls.get(r.id);
    if (!url) {
      url = this.makeUrl(ringbackWav(Math.min(r.duration, 20)));
      this.urls.set(r.id, url);
    }
    return { ...r, url };
  }

  private deleteRecording(id: string): { ok: true } {
    const before = this.data.recordings.length;
    this.data.recordings = this.data.recordings.filter((r) => r.id !== id);
    if (this.data.recordings.length === before) throw new ApiError(404, 'Recording not found');
    for (const c of this.data.calls) if (c.recording_id === id) c.recording_id = null;
    this.save();
    return { ok: true };
  }
}

function safeLocalStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
