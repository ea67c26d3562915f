// SessionController: who the tab is signed in as, and what a 401 does.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../src/api/client';
import { LOCAL_ME, SessionController, type SessionState } from '../src/api/session';
import { TOKEN_KEY, TokenStore } from '../src/api/token';
import { FakeServer, user } from './support/fakeServer';

let server: FakeServer;
const agent = user();

beforeEach(() => {
  server = new FakeServer();
  server.addUser(agent, 'correct horse');
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

function controller(token: string | null = null) {
  const c = new SessionController({ store: new TokenStore(token) });
  return c;
}

function ready(c: SessionController): Extract<SessionState, { phase: 'ready' }> {
  const st = c.getState();
  if (st.phase !== 'ready') throw new Error(`not ready: ${JSON.stringify(st)}`);
  return st;
}

describe('SessionController at start', () => {
  it('shows the sign-in when the server wants one and there is no token', async () => {
    const c = controller();
    await c.start();
    expect(c.getState()).toEqual({ phase: 'sign-in', notice: null });
  });

  it("says why when the tab's token stopped working, and forgets it", async () => {
    sessionStorage.setItem(TOKEN_KEY, 'stale');
    const c = controller('stale');
    await c.start();
    expect(c.getState()).toEqual({ phase: 'sign-in', notice: 'Invalid token: the session has ended; sign in again' });
    expect(sessionStorage.getItem(TOKEN_KEY)).toBeNull();
  });

  it('goes straight in with a token the server takes', async () => {
    const token = server.issue(agent.id);
    const c = controller(token);
    await c.start();
    const st = ready(c);
    expect(st.me.kind).toBe('user');
    expect(st.me.user!.email).toBe('agent@example.com');
    expect(server.seen[0]!.token).toBe(token);
  });

  it('runs as the local administrator on a server without sign-in, and on one from before accounts', async () => {
    server.signInRequired = false;
    const c = controller();
    await c.start();
    expect(ready(c).me).toEqual(LOCAL_ME);

    server.overrides['GET /api/auth/me'] = () => [404, { detail: 'Not Found' }];
    const c2 = controller();
    await c2.start();
    expect(ready(c2).me).toEqual(LOCAL_ME);
  });

  it('says what went wrong otherwise', async () => {
    server.overrides['GET /api/auth/me'] = () => [503, { detail: 'Sign-in cannot be checked right now; try again.' }];
    const c = controller();
    await c.start();
    expect(c.getState()).toEqual({ phase: 'failed', detail: 'Sign-in cannot be checked right now; try again. (503)' });
  });
});

describe('SessionController signing in and out', () => {
  it('signs in, keeps the token in sessionStorage, and sends it with every request', async () => {
    const c = controller();
    await c.start();
    await c.signIn('agent@example.com', 'correct horse');
    const st = ready(c);
    expect(st.me.user!.id).toBe(agent.id);
    const token = sessionStorage.getItem(TOKEN_KEY);
    expect(token).toBeTruthy();
    await c.backend.request('GET', '/api/contacts/');
    expect(server.seen.at(-1)!.token).toBe(token);
    expect(c.backend.href('/recordings/r.wav')).toBe(`/recordings/r.wav?token=${encodeURIComponent(token!)}`);
  });

  it("rejects with the server's sentence for a wrong password", async () => {
    const c = controller();
    await c.start();
    const e = (await c.signIn('agent@example.com', 'wrong').catch((x: unknown) => x)) as ApiError;
    expect(e.status).toBe(401);
    expect(e.detail).toBe('The email or the password is not right.');
    expect(c.getState().phase).toBe('sign-in');
  });

  it('signs out: POST /api/auth/logout with the token, then forgets it', async () => {
    const c = controller();
    await c.start();
    await c.signIn('agent@example.com', 'correct horse');
    const token = sessionStorage.getItem(TOKEN_KEY)!;
    await c.signOut();
    expect(server.requests('POST').at(-1)).toBe('POST /api/auth/logout');
    expect(server.seen.at(-1)!.token).toBe(token);
    expect(server.valid.has(token)).toBe(false);
    expect(sessionStorage.getItem(TOKEN_KEY)).toBeNull();
    expect(c.getState()).toEqual({ phase: 'sign-in', notice: 'You signed out.' });
  });

  it('forgets a service token on sign-out without asking the server', async () => {
    server.valid.set('svc', '');
    const c = controller('svc');
    await c.start();
    expect(ready(c).me.kind).toBe('service');
    await c.signOut();
    expect(server.requests('POST')).toEqual([]);
    expect(sessionStorage.getItem(TOKEN_KEY)).toBeNull();
  });
});

describe('SessionController and a 401 while the app is in use', () => {
  async function signedIn() {
    const c = controller();
    await c.start();
    await c.signIn('agent@example.com', 'correct horse');
    return c;
  }

  it('holds the request, asks for a sign-in over the app, and sends it again after', async () => {
    const c = await signedIn();
    const before = ready(c);
    server.routes['POST /api/telnyx/dial'] = () => [200, { call_id: 'c1', status: 'dialing' }];
    server.revoke(agent.id);

    const dial = c.backend.request<{ call_id: string }>('POST', '/api/telnyx/dial', { to_number: '+14155550123' });
    await vi.waitFor(() => expect(ready(c).renew).toEqual({ detail: 'Invalid token: the session has ended; sign in again' }));
    expect(sessionStorage.getItem(TOKEN_KEY)).toBeNull();

    await c.signIn('agent@example.com', 'correct horse');
    expect((await dial).call_id).toBe('c1');
    const after = ready(c);
    expect(after.renew).toBeNull();
    expect(after.generation).toBe(before.generation); // the same app, still mounted
    expect(after.epoch).toBeGreaterThan(before.epoch); // the socket reconnects with the new token
    const dials = server.seen.filter((s) => s.path === '/api/telnyx/dial');
    expect(dials).toHaveLength(2);
    expect(dials[1]!.token).toBe(sessionStorage.getItem(TOKEN_KEY));
    expect(dials[1]!.body).toEqual({ to_number: '+14155550123' });
  });

  it('sends every waiting request again after one sign-in', async () => {
    const c = await signedIn();
    server.revoke(agent.id);
    const a = c.backend.request('GET', '/api/contacts/');
    const b = c.backend.request('GET', '/api/numbers/');
    await vi.waitFor(() => expect(ready(c).renew).not.toBeNull());
    await c.signIn('agent@example.com', 'correct horse');
    await expect(a).resolves.toEqual([]);
    await expect(b).resolves.toEqual([]);
  });

  it('mounts the app afresh when someone else signs in, and gives up what was waiting', async () => {
    server.addUser(user({ id: 'u-2', email: 'bob@example.com', name: 'Bob' }), 'bob password');
    const c = await signedIn();
    const before = ready(c);
    server.revoke(agent.id);
    const waiting = c.backend.request('POST', '/api/telnyx/dial', { to_number: '+14155550123' }).catch((e: unknown) => e);
    await vi.waitFor(() => expect(ready(c).renew).not.toBeNull());
    await c.signIn('bob@example.com', 'bob password');
    const e = (await waiting) as ApiError;
    expect(e.detail).toBe('Someone else signed in; what was under way was not sent.');
    expect(ready(c).generation).toBe(before.generation + 1);
    expect(server.seen.filter((s) => s.path === '/api/telnyx/dial')).toHaveLength(1);
  });

  it('gives up what was waiting on sign-out', async () => {
    const c = await signedIn();
    server.revoke(agent.id);
    const waiting = c.backend.request('GET', '/api/contacts/').catch((e: unknown) => e);
    await vi.waitFor(() => expect(ready(c).renew).not.toBeNull());
    await c.signOut();
    expect(((await waiting) as ApiError).detail).toBe('Signed out.');
    expect(c.getState().phase).toBe('sign-in');
  });

  it('asks the server when the token expires, and shows the sign-in if it is refused', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    server.lifetime = 60;
    const c = await signedIn();
    expect(ready(c).renew).toBeNull();
    server.revoke(agent.id); // what the server does once exp has passed
    await vi.advanceTimersByTimeAsync(60_000 + 30_000 + 1_000);
    expect(server.requests('GET').at(-1)).toBe('GET /api/auth/me');
    expect(ready(c).renew).toEqual({ detail: 'Invalid token: the session has ended; sign in again' });
  });

  it('keeps a token the server still takes after its exp, and looks again later', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    server.lifetime = 60;
    const c = await signedIn();
    const atStart = server.requests('GET').length;
    await vi.advanceTimersByTimeAsync(91_000);
    const probes = () => server.requests('GET').slice(atStart).filter((r) => r === 'GET /api/auth/me').length;
    expect(probes()).toBe(1);
    expect(ready(c).renew).toBeNull();
    await vi.advanceTimersByTimeAsync(29_000);
    expect(probes()).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(probes()).toBe(2);
    c.dispose();
  });
});
