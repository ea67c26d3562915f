// How the UI talks to callwire: a Backend is either the real server (HTTP +
// the /ws/calls WebSocket) or the in-browser simulation of local demo mode.
// Both answer the same paths with the same JSON, so hooks and screens do not
// know which one they use.

/** An error answer of the API: `{"detail": "..."}` with a 4xx/5xx status; status 0 when the server cannot be reached. */
export class ApiError extends Error {
  readonly status: number;
  readonly detail: string;
  constructor(status: number, detail: string) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.detail = detail;
  }
}

/** The message to show for any error thrown by an API call. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 0) return e.detail;
    return `${e.detail} (${e.status})`;
  }
  if (e instanceof Error) return e.message;
  return String(e);
}

/** The part of a WebSocket that useWebhookCalls uses; the browser's WebSocket fits it. */
export interface SocketLike {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  close(): void;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface Backend {
  readonly kind: 'server' | 'local-demo';
  /** Sends a JSON request; resolves with the parsed answer, rejects with ApiError. */
  request<T>(method: Method, path: string, body?: unknown): Promise<T>;
  /** GET of a text answer (CSV export). */
  requestText(path: string): Promise<string>;
  /** Opens the live call stream (/ws/calls). */
  openCallStream(): SocketLike;
  /** An URL the browser can open directly (links, <audio src>), with the token when one is set. */
  href(path: string): string;
}

/** Turns an error body into a message: FastAPI's `detail` (string or list of {msg}), else the status text. */
export function detailOf(body: unknown, fallback: string): string {
  if (body && typeof body === 'object' && 'detail' in body) {
    const d = (body as { detail: unknown }).detail;
    if (typeof d === 'string' && d) return d;
    if (Array.isArray(d)) {
      const msgs = d
        .map((x) => (x && typeof x === 'object' && 'msg' in x ? String((x as { msg: unknown }).msg) : String(x)))
        .filter(Boolean);
      if (msgs.length) return msgs.join('; ');
    }
  }
  if (body && typeof body === 'object' && 'message' in body) {
    const m = (body as { message: unknown }).message;
    if (typeof m === 'string' && m) return m;
  }
  return fallback;
}

export const UNREACHABLE = 'Cannot reach the callwire server';

/**
 * What HttpBackend does with a 401 answer (the token is missing, expired or
 * revoked): `renew` is told which token the request carried and resolves once
 * a new one may be tried — after the user signed in again — or rejects with
 * the error to give up with. The request is then sent again: a 401 comes from
 * the server's authentication, before any handler ran, so nothing happened
 * and sending it again is safe.
 */
export type RenewToken = (error: ApiError, used: string | null) => Promise<void>;

export interface HttpBackendOptions {
  baseUrl?: string;
  /** The bearer token, or where to read it before every request. */
  token?: string | null | (() => string | null);
  /** Called for a 401; without it a 401 is thrown like any other error. */
  onUnauthorized?: RenewToken;
}

/** A request is sent at most this many times when each answer is 401. */
const MAX_SIGN_INS_PER_REQUEST = 3;

/** Paths whose 401 means something else than "sign in again". */
function ownsItsUnauthorized(path: string): boolean {
  return path.startsWith('/api/auth/login');
}

/** The real server, on the page's own origin (or `baseUrl`). */
export class HttpBackend implements Backend {
  readonly kind = 'server' as const;
  private readonly base: string;
  private readonly tokenOf: () => string | null;
  private readonly onUnauthorized: RenewToken | null;

  constructor(options: HttpBackendOptions = {}) {
    this.base = (options.baseUrl ?? '').replace(/\/$/, '');
    const t = options.token;
    this.tokenOf = typeof t === 'function' ? t : () => t ?? null;
    this.onUnauthorized = options.onUnauthorized ?? null;
  }

  /** The token requests carry now. */
  get token(): string | null {
    return this.tokenOf();
  }

  private headers(json: boolean, token: string | null): Record<string, string> {
    const h: Record<string, string> = { Accept: 'application/json' };
    if (json) h['Content-Type'] = 'application/json';
    if (token) h.Authorization = `Bearer ${token}`;
    return h;
  }

  /** Sends; on a 401, waits for a new token (onUnauthorized) and sends again. */
  private async send(method: Method, path: string, body?: unknown, accept?: string): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      const token = this.tokenOf();
      try {
        return await this.sendOnce(method, path, token, body, accept);
      } catch (e) {
        const renewable =
          e instanceof ApiError &&
          e.status === 401 &&
          this.onUnauthorized !== null &&
          attempt < MAX_SIGN_INS_PER_REQUEST &&
          !ownsItsUnauthorized(path);
        if (!renewable) throw e;
        await this.onUnauthorized!(e, token);
      }
    }
  }

  private async sendOnce(method: Method, path: string, token: string | null, body?: unknown, accept?: string): Promise<Response> {
    let res: Response;
    try {
      const headers = this.headers(body !== undefined, token);
      if (accept) headers.Accept = accept;
      res = await fetch(this.base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, UNREACHABLE);
    }
    if (!res.ok) {
      let parsed: unknown = null;
      const text = await res.text().catch(() => '');
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        parsed = null;
      }
      const fallback =
        res.status === 502 || res.status === 504
          ? UNREACHABLE
          : res.statusText || `Request failed with status ${res.status}`;
      throw new ApiError(res.status, detailOf(parsed, fallback));
    }
    return res;
  }

  async request<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const res = await this.send(method, path, body);
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(res.status, `The server sent an answer that is not JSON for ${path}`);
    }
  }

  async requestText(path: string): Promise<string> {
    const res = await this.send('GET', path, undefined, 'text/csv, text/plain, */*');
    return res.text();
  }

  openCallStream(): SocketLike {
    const loc = window.location;
    const origin = this.base || `${loc.protocol}//${loc.host}`;
    const url = new URL('/ws/calls', origin);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const token = this.tokenOf();
    if (token) url.searchParams.set('token', token);
    return new WebSocket(url.toString()) as unknown as SocketLike;
  }

  href(path: string): string {
    const token = this.tokenOf();
    if (!token || /^[a-z]+:/i.test(path)) return this.base + path;
    const sep = path.includes('?') ? '&' : '?';
    return `${this.base}${path}${sep}token=${encodeURIComponent(token)}`;
  }
}

/** Query string from an object, leaving out empty values. */
export function qs(params: Record<string, string | number | boolean | null | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}
