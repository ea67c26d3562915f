// A stand-in for callwire-server's accounts, behind a stubbed fetch: tokens
// it issued are accepted until revoked; everything else is answered by
// `routes` (keyed "METHOD /path" without the query) or as an empty list.
import { vi } from 'vitest';
import type { Me, Session, User } from '../../src/api/types';

export interface Seen {
  method: string;
  path: string;
  token: string | null;
  body: unknown;
}

export function user(over: Partial<User> = {}): User {
  return {
    id: 'u-agent',
    email: 'agent@example.com',
    name: 'Ada Agent',
    role: 'agent',
    status: 'available',
    disabled: false,
    default_number_id: null,
    ...over,
  };
}

const b64 = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');

/** A JWT-shaped token (unsigned: only the server here reads it). */
export function fakeJwt(sub: string, exp: number, n: number): string {
  return `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub, exp, n })}.sig`;
}

export class FakeServer {
  users = new Map<string, { user: User; password: string }>();
  /** Tokens the server accepts, and whose they are ('' for a service token). */
  valid = new Map<string, string>();
  seen: Seen[] = [];
  /** Answers for routes behind the token check. */
  routes: Record<string, (s: Seen) => [number, unknown]> = {};
  /** Answers before anything else (a server that answers differently). */
  overrides: Record<string, (s: Seen) => [number, unknown]> = {};
  signInRequired = true;
  /** Seconds; tokens it issues expire this long after Date.now(). */
  lifetime = 3600;
  private issued = 0;
  readonly fetch = vi.fn(async (input: string, init: RequestInit = {}) => this.answer(input, init));

  constructor() {
    vi.stubGlobal('fetch', this.fetch);
  }

  addUser(u: User, password: string): void {
    this.users.set(u.email, { user: u, password });
  }

  issue(userId: string): string {
    const token = fakeJwt(userId, Math.floor(Date.now() / 1000) + this.lifetime, ++this.issued);
    this.valid.set(token, userId);
    return token;
  }

  /** Every token of the user stops working (logout, disable, password change). */
  revoke(userId: string): void {
    for (const [t, id] of [...this.valid]) if (id === userId) this.valid.delete(t);
  }

  requests(method?: string): string[] {
    return this.seen.filter((s) => !method || s.method === method).map((s) => `${s.method} ${s.path}`);
  }

  private async answer(input: string, init: RequestInit): Promise<Response> {
    const url = new URL(input, 'http://callwire.test');
    const method = (init.method ?? 'GET').toUpperCase();
    const auth = (init.headers as Record<string, string> | undefined)?.Authorization ?? null;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : null;
    const s: Seen = { method, path: url.pathname + url.search, token, body: init.body ? JSON.parse(String(init.body)) : undefined };
    this.seen.push(s);
    const [status, body] = this.route(s, url.pathname);
    return new Response(body === undefined ? '' : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  }

  private route(s: Seen, path: string): [number, unknown] {
    const override = this.overrides[`${s.method} ${path}`];
    if (override) return override(s);
    if (path === '/health') return [200, { status: 'ok', mode: 'demo', storage: 'sqlite', version: '0.1.0' }];
    if (s.method === 'POST' && path === '/api/auth/login') {
      const { email, password } = s.body as { email: string; password: string };
      const u = this.users.get(email.toLowerCase());
      if (!u || u.password !== password || u.user.disabled) return [401, { detail: 'The email or the password is not right.' }];
      const session: Session = { access_token: this.issue(u.user.id), token_type: 'bearer', expires_in: this.lifetime, user: u.user };
      return [200, session];
    }
    let who: User | null = null;
    if (this.signInRequired) {
      if (!s.token) return [401, { detail: 'Not authenticated' }];
      const id = this.valid.get(s.token);
      if (id === undefined) return [401, { detail: 'Invalid token: the session has ended; sign in again' }];
      who = [...this.users.values()].find((x) => x.user.id === id)?.user ?? null;
    }
    if (s.method === 'GET' && path === '/api/auth/me') {
      const me: Me = who
        ? { kind: 'user', role: who.role, sign_in_required: true, user: who }
        : this.signInRequired
          ? { kind: 'service', role: 'admin', sign_in_required: true, user: null }
          : { kind: 'local', role: 'admin', sign_in_required: false, user: null };
      return [200, me];
    }
    if (s.method === 'POST' && path === '/api/auth/logout') {
      if (!who) return [409, { detail: 'A service token cannot be signed out; change JWT_SECRET to revoke it.' }];
      this.revoke(who.id);
      return [200, { signed_out: true }];
    }
    if (s.method === 'PUT' && path === '/api/users/me/status') {
      if (!who) return [409, { detail: 'Only a signed-in user has a status.' }];
      const status = (s.body as { status: string }).status;
      if (status !== 'available' && status !== 'away') return [422, { detail: 'status: must be available or away' }];
      who.status = status;
      return [200, who];
    }
    const handler = this.routes[`${s.method} ${path}`];
    if (handler) return handler(s);
    return [200, []];
  }
}
