import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, detailOf, errorMessage, HttpBackend, qs, UNREACHABLE } from '../src/api/client';
import { readToken, tokenExpiry, TokenStore, TOKEN_KEY } from '../src/api/token';
import { logsPath } from '../src/hooks/useCallLogs';

function mockFetch(status: number, body: string, statusText = '') {
  const fn = vi.fn(async () => new Response(body, { status, statusText, headers: { 'Content-Type': 'application/json' } }));
  vi.stubGlobal('fetch', fn);
  return fn;
}

afterEach(() => {
  vi.unstubAllGlobals();
  localStorage.clear();
  sessionStorage.clear();
});

describe('HttpBackend', () => {
  it('sends JSON with the bearer token and parses the answer', async () => {
    const fn = mockFetch(200, '{"call_id":"x","status":"dialing"}');
    const be = new HttpBackend({ token: 'tok' });
    const res = await be.request<{ call_id: string }>('POST', '/api/telnyx/dial', { to_number: '+14155550123' });
    expect(res.call_id).toBe('x');
    const [url, init] = fn.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/telnyx/dial');
    expect(init.method).toBe('POST');
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer tok');
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
    expect(init.body).toBe('{"to_number":"+14155550123"}');
  });

  it('turns {"detail": …} error answers into ApiError', async () => {
    mockFetch(422, '{"detail":"to_number: phone number is too short"}');
    const err = (await new HttpBackend().request('POST', '/api/telnyx/dial', {}).catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(422);
    expect(err.detail).toBe('to_number: phone number is too short');
    expect(errorMessage(err)).toBe('to_number: phone number is too short (422)');
  });

  it('falls back to the status text when the body is not JSON', async () => {
    mockFetch(500, 'oops', 'Internal Server Error');
    const err = (await new HttpBackend().request('GET', '/api/x').catch((e: unknown) => e)) as ApiError;
    expect(err.detail).toBe('Internal Server Error');
  });

  it('reports an unreachable server as status 0', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    const err = (await new HttpBackend().request('GET', '/api/numbers/').catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(0);
    expect(err.detail).toBe(UNREACHABLE);
    expect(errorMessage(err)).toBe(UNREACHABLE);
  });

  it('treats a proxy 502 as unreachable', async () => {
    mockFetch(502, '', 'Bad Gateway');
    const err = (await new HttpBackend().request('GET', '/api/numbers/').catch((e: unknown) => e)) as ApiError;
    expect(err.detail).toBe(UNREACHABLE);
  });

  it('adds the token to links, but not to absolute URLs', () => {
    const be = new HttpBackend({ token: 'a b' });
    expect(be.href('/api/calls/logs/export')).toBe('/api/calls/logs/export?token=a%20b');
    expect(be.href('/x?y=1')).toBe('/x?y=1&token=a%20b');
    expect(be.href('https://s3.example/rec.mp3')).toBe('https://s3.example/rec.mp3');
    expect(new HttpBackend().href('/recordings/r.wav')).toBe('/recordings/r.wav');
  });
});

describe('helpers', () => {
  it('reads FastAPI details', () => {
    expect(detailOf({ detail: 'Not found' }, 'x')).toBe('Not found');
    expect(detailOf({ detail: [{ msg: 'field required' }, { msg: 'bad' }] }, 'x')).toBe('field required; bad');
    expect(detailOf({ message: 'm' }, 'x')).toBe('m');
    expect(detailOf(null, 'fallback')).toBe('fallback');
  });
  it('builds query strings without empty values', () => {
    expect(qs({ search: 'ada', category: '', favorites: false, limit: 5, x: undefined })).toBe('?search=ada&limit=5');
    expect(qs({})).toBe('');
  });
  it('picks the logs endpoint', () => {
    expect(logsPath({}, 0)).toBe('/api/calls/logs?limit=25&offset=0');
    expect(logsPath({ query: ' ada ', pageSize: 10 }, 20)).toBe('/api/calls/logs/search?query=ada&limit=10&offset=20');
    expect(logsPath({ status: 'busy' }, 0)).toBe('/api/calls/logs/search?status=busy&limit=25&offset=0');
  });
  it('reads the token from ?token=, keeps it in sessionStorage and removes it from the URL', () => {
    window.history.replaceState(null, '', '/?token=abc#logs');
    expect(readToken()).toBe('abc');
    expect(window.location.search).toBe('');
    expect(window.location.hash).toBe('#logs');
    expect(sessionStorage.getItem(TOKEN_KEY)).toBe('abc');
    expect(localStorage.getItem(TOKEN_KEY)).toBeNull();
    expect(readToken()).toBe('abc');
  });
});

describe('the token store', () => {
  it('moves a token an older version kept in localStorage to sessionStorage', () => {
    window.history.replaceState(null, '', '/');
    localStorage.setItem(TOKEN_KEY, 'old');
    expect(readToken()).toBe('old');
    expect(localStorage.getItem(TOKEN_KEY)).toBeNull();
    expect(sessionStorage.getItem(TOKEN_KEY)).toBe('old');
  });

  it('prefers ?token= over a stored token, and has none without either', () => {
    sessionStorage.setItem(TOKEN_KEY, 'stored');
    window.history.replaceState(null, '', '/?token=fresh');
    expect(readToken()).toBe('fresh');
    sessionStorage.clear();
    window.history.replaceState(null, '', '/');
    expect(readToken()).toBeNull();
  });

  it('keeps the token in memory and sessionStorage, tells listeners, and forgets it on clear', () => {
    const store = new TokenStore('a');
    expect(sessionStorage.getItem(TOKEN_KEY)).toBe('a');
    const heard: (string | null)[] = [];
    const off = store.subscribe((t) => heard.push(t));
    store.set('b');
    store.set('b');
    expect(store.get()).toBe('b');
    expect(sessionStorage.getItem(TOKEN_KEY)).toBe('b');
    store.clear();
    expect(store.get()).toBeNull();
    expect(sessionStorage.getItem(TOKEN_KEY)).toBeNull();
    off();
    store.set('c');
    expect(heard).toEqual(['b', null]);
  });

  it('still works when storage throws', () => {
    const broken = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => undefined,
    } as unknown as Storage;
    const store = new TokenStore(null, broken);
    store.set('x');
    expect(store.get()).toBe('x');
  });

  it("reads a JWT's exp, and null for anything else", () => {
    const b64 = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
    expect(tokenExpiry(`${b64({ alg: 'HS256' })}.${b64({ sub: 'u1', exp: 1893456000 })}.sig`)).toBe(1893456000);
    expect(tokenExpiry(`${b64({ alg: 'HS256' })}.${b64({ sub: 'u1' })}.sig`)).toBeNull();
    expect(tokenExpiry('not-a-jwt')).toBeNull();
    expect(tokenExpiry('a.%%%.c')).toBeNull();
  });
});

describe('HttpBackend and a 401', () => {
  function answers(...list: [number, string][]) {
    const fn = vi.fn(async () => {
      const [status, body] = list.shift() ?? [500, '{"detail":"no more answers"}'];
      return new Response(body, { status, headers: { 'Content-Type': 'application/json' } });
    });
    vi.stubGlobal('fetch', fn);
    return fn;
  }
  const authOf = (fn: ReturnType<typeof answers>, i: number) =>
    ((fn.mock.calls[i] as unknown as [string, RequestInit])[1].headers as Record<string, string>).Authorization;

  it('waits for a new token and sends the request again with it', async () => {
    const fn = answers([401, '{"detail":"Invalid token: the session has ended; sign in again"}'], [200, '{"call_id":"c1"}']);
    let token = 'old';
    const renew = vi.fn(async (e: ApiError, used: string | null) => {
      expect(e.status).toBe(401);
      expect(e.detail).toBe('Invalid token: the session has ended; sign in again');
      expect(used).toBe('old');
      token = 'new';
    });
    const be = new HttpBackend({ token: () => token, onUnauthorized: renew });
    const res = await be.request<{ call_id: string }>('POST', '/api/telnyx/dial', { to_number: '+14155550123' });
    expect(res.call_id).toBe('c1');
    expect(renew).toHaveBeenCalledTimes(1);
    expect(fn).toHaveBeenCalledTimes(2);
    expect(authOf(fn, 0)).toBe('Bearer old');
    expect(authOf(fn, 1)).toBe('Bearer new');
    expect((fn.mock.calls[1] as unknown as [string, RequestInit])[1].body).toBe('{"to_number":"+14155550123"}');
  });

  it('gives up with the error renew rejects with', async () => {
    answers([401, '{"detail":"Not authenticated"}']);
    const be = new HttpBackend({
      token: null,
      onUnauthorized: async () => {
        throw new ApiError(401, 'Signed out');
      },
    });
    const err = (await be.request('GET', '/api/contacts/').catch((e: unknown) => e)) as ApiError;
    expect(err.detail).toBe('Signed out');
  });

  it('sends a request at most three times', async () => {
    const fn = answers([401, '{"detail":"a"}'], [401, '{"detail":"b"}'], [401, '{"detail":"c"}'], [200, '[]']);
    const renew = vi.fn(async () => undefined);
    const err = (await new HttpBackend({ onUnauthorized: renew }).request('GET', '/api/contacts/').catch((e: unknown) => e)) as ApiError;
    expect(err.detail).toBe('c');
    expect(fn).toHaveBeenCalledTimes(3);
    expect(renew).toHaveBeenCalledTimes(2);
  });

  it('does not ask for a sign-in when the sign-in itself answers 401', async () => {
    answers([401, '{"detail":"The email or the password is not right."}']);
    const renew = vi.fn(async () => undefined);
    const be = new HttpBackend({ onUnauthorized: renew });
    const err = (await be.request('POST', '/api/auth/login', { email: 'a@b.c', password: 'x' }).catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(401);
    expect(err.detail).toBe('The email or the password is not right.');
    expect(renew).not.toHaveBeenCalled();
  });

  it('throws a 401 as is without onUnauthorized', async () => {
    answers([401, '{"detail":"Not authenticated"}']);
    const err = (await new HttpBackend().request('GET', '/api/contacts/').catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(401);
  });

  it('renews for CSV downloads too, and puts the current token on links and the WebSocket', async () => {
    answers([401, '{"detail":"Invalid token: expired"}'], [200, 'a,b\n']);
    let token = 't1';
    const be = new HttpBackend({
      token: () => token,
      onUnauthorized: async () => {
        token = 't2';
      },
    });
    expect(await be.requestText('/api/calls/logs/export')).toBe('a,b\n');
    expect(be.href('/recordings/r.wav')).toBe('/recordings/r.wav?token=t2');
    const opened: string[] = [];
    vi.stubGlobal(
      'WebSocket',
      class {
        constructor(url: string) {
          opened.push(url);
        }
      },
    );
    be.openCallStream();
    expect(opened[0]).toMatch(/\/ws\/calls\?token=t2$/);
  });
});
