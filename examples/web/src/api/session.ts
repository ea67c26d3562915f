// Who uses the softphone, and the token that says so (docs/web.md, "Sign-in").
//
// At start GET /api/auth/me answers who the token belongs to: a signed-in
// user, a service token, or — on a server without JWT_SECRET — the one local
// administrator. A 401 there means "sign in" (the sign-in screen, nothing
// else mounted). Later, a 401 from any request (the token expired or was
// revoked) does not unmount the app: the request waits, the sign-in is shown
// over the app, and once the same user has signed in again the request is
// sent again with the new token (HttpBackend's onUnauthorized).
import { ApiError, errorMessage, HttpBackend } from './client';
import { tokenExpiry, TokenStore } from './token';
import type { Me, Session, User, UserStatus } from './types';

export type SessionState =
  /** Asking GET /api/auth/me. */
  | { phase: 'checking' }
  /** No valid token: the sign-in screen alone. `notice` says why (a token that stopped working, a sign-out). */
  | { phase: 'sign-in'; notice: string | null }
  /** GET /api/auth/me failed otherwise (the server went away, 503). */
  | { phase: 'failed'; detail: string }
  | {
      phase: 'ready';
      me: Me;
      /** Set while a request waits for the user to sign in again: the server's sentence for its 401. */
      renew: { detail: string } | null;
      /** Changes when another identity takes over: the app is mounted afresh. */
      generation: number;
      /** Changes with every new token: the live-call socket reconnects with it, links are rebuilt. */
      epoch: number;
    };

/** Me of a server without JWT_SECRET (and of local demo mode): one implicit administrator. */
export const LOCAL_ME: Me = { kind: 'local', role: 'admin', sign_in_required: false, user: null };

/** The server accepts a token this long after its exp (AuthOptions::leeway). */
const SERVER_LEEWAY_MS = 30_000;
/** setTimeout cannot wait longer (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Waiter {
  resolve(): void;
  reject(e: unknown): void;
}

function sameIdentity(a: Me, b: Me): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'user') return !!a.user && !!b.user && a.user.id === b.user.id;
  return true;
}

export class SessionController {
  /** The backend the app uses: its 401s wait for a new sign-in. */
  readonly backend: HttpBackend;
  /** Without the wait: for GET /api/auth/me at start, sign-in and sign-out. */
  private readonly plain: HttpBackend;
  private readonly store: TokenStore;
  private state: SessionState = { phase: 'checking' };
  private readonly listeners = new Set<() => void>();
  private waiters: Waiter[] = [];
  private expiryTimer: ReturnType<typeof setTimeout> | null = null;
  private starts = 0;
  private generation = 0;
  private epoch = 0;

  constructor(options: { store: TokenStore; baseUrl?: string }) {
    this.store = options.store;
    const token = () => this.store.get();
    this.plain = new HttpBackend({ baseUrl: options.baseUrl, token });
    this.backend = new HttpBackend({
      baseUrl: options.baseUrl,
      token,
      onUnauthorized: (e, used) => this.renew(e, used),
    });
  }

  getState = (): SessionState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(next: SessionState): void {
    this.state = next;
    for (const l of [...this.listeners]) l();
  }

  /** Asks the server who this tab's token belongs to. */
  async start(): Promise<void> {
    const run = ++this.starts;
    this.set({ phase: 'checking' });
    const hadToken = this.store.get() !== null;
    try {
      const me = await this.plain.request<Me>('GET', '/api/auth/me');
      if (run !== this.starts) return;
      this.ready(me);
    } catch (e) {
      if (run !== this.starts) return;
      if (e instanceof ApiError && e.status === 401) {
        this.store.clear();
        this.set({ phase: 'sign-in', notice: hadToken ? e.detail : null });
      } else if (e instanceof ApiError && e.status === 404) {
        // A server from before accounts: no sign-in, as before.
        this.ready(LOCAL_ME);
      } else {
        this.set({ phase: 'failed', detail: errorMessage(e) });
      }
    }
  }

  /**
   * POST /api/auth/login. Rejects with the server's ApiError (401 wrong
   * password, 429 too many failures…) for the sign-in screen to show.
   */
  async signIn(email: string, password: string): Promise<void> {
    const session = await this.plain.request<Session>('POST', '/api/auth/login', { email, password });
    this.adopt(session);
  }

  /**
   * Takes a new session: a sign-in, or a user's own password change (whose
   * answer is a new session, the old tokens having stopped working).
   */
  adopt(session: Session): void {
    this.store.set(session.access_token);
    const me: Me = { kind: 'user', role: session.user.role, sign_in_required: true, user: session.user };
    const st = this.state;
    if (st.phase !== 'ready') {
      this.ready(me);
      return;
    }
    const same = sameIdentity(st.me, me);
    const waiting = this.takeWaiters();
    if (same) {
      for (const w of waiting) w.resolve();
    } else {
      const e = new ApiError(401, 'Someone else signed in; what was under way was not sent.');
      for (const w of waiting) w.reject(e);
    }
    if (!same) this.generation++;
    this.set({ phase: 'ready', me, renew: null, generation: this.generation, epoch: ++this.epoch });
    this.scheduleExpiryCheck();
  }

  /**
   * POST /api/auth/logout (a user's tokens stop working everywhere), then the
   * token is forgotten whatever the answer — a service token cannot be signed
   * out on the server and is only forgotten here.
   */
  async signOut(): Promise<void> {
    const st = this.state;
    if (st.phase === 'ready' && st.me.kind === 'user' && this.store.get()) {
      await this.plain.request('POST', '/api/auth/logout').catch(() => undefined);
    }
    this.store.clear();
    this.clearExpiryCheck();
    const e = new ApiError(401, 'Signed out.');
    for (const w of this.takeWaiters()) w.reject(e);
    this.set({ phase: 'sign-in', notice: 'You signed out.' });
  }

  /** Asks GET /api/auth/me again (a role changed); a 401 there asks for a sign-in like any request. */
  async refresh(): Promise<Me> {
    const me = await this.backend.request<Me>('GET', '/api/auth/me');
    this.updateMe(() => me);
    return me;
  }

  /** PUT /api/users/me/status (available or away); the header shows the answer. */
  async setStatus(status: UserStatus): Promise<User> {
    const user = await this.backend.request<User>('PUT', '/api/users/me/status', { status });
    this.updateUser(user);
    return user;
  }

  /** Replaces the signed-in user's record (a status or role change). */
  updateUser(user: User): void {
    this.updateMe((me) => (me.kind === 'user' && me.user?.id === user.id ? { ...me, role: user.role, user } : me));
  }

  dispose(): void {
    this.clearExpiryCheck();
    this.starts++;
  }

  private updateMe(change: (me: Me) => Me): void {
    const st = this.state;
    if (st.phase !== 'ready') return;
    const me = change(st.me);
    if (me !== st.me) this.set({ ...st, me });
  }

  /** From the sign-in screen (or the start) into the app, mounted afresh. */
  private ready(me: Me): void {
    this.set({ phase: 'ready', me, renew: null, generation: ++this.generation, epoch: ++this.epoch });
    this.scheduleExpiryCheck();
  }

  /** HttpBackend's onUnauthorized: wait for a new sign-in. */
  private renew(error: ApiError, used: string | null): Promise<void> {
    const st = this.state;
    if (st.phase !== 'ready') return Promise.reject(error);
    const current = this.store.get();
    // Another request already got a new token: just send again.
    if (current !== null && current !== used) return Promise.resolve();
    if (current !== null) this.store.clear();
    this.clearExpiryCheck();
    if (!st.renew) this.set({ ...st, renew: { detail: error.detail } });
    return new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private takeWaiters(): Waiter[] {
    const w = this.waiters;
    this.waiters = [];
    return w;
  }

  private clearExpiryCheck(): void {
    if (this.expiryTimer !== null) clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
  }

  /**
   * Shortly after the token's exp (plus the server's leeway), asks the
   * server, so an expired session shows the sign-in before the next click
   * rather than at it. `floorMs`: not sooner than this.
   */
  private scheduleExpiryCheck(floorMs = 0): void {
    this.clearExpiryCheck();
    const token = this.store.get();
    const exp = token ? tokenExpiry(token) : null;
    if (exp === null) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(floorMs, exp * 1000 + SERVER_LEEWAY_MS + 1000 - Date.now()));
    this.expiryTimer = setTimeout(() => {
      this.expiryTimer = null;
      if (this.store.get() !== token) return;
      // A 401 here opens the sign-in (renew); a 200 means the server still
      // takes the token (its clock differs): look again in a while.
      this.refresh().then(
        () => {
          if (this.store.get() === token) this.scheduleExpiryCheck(30_000);
        },
        () => undefined,
      );
    }, delay);
  }
}
