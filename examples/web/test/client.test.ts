import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, detailOf, errorMessage, HttpBackend, qs, readToken, UNREACHABLE } from '../src/api/client';
import { logsPath } from '../src/hooks/useCallLogs';

function mockFetch(status: number, body: string, statusText = '') {
  const fn = vi.fn(async () => new Response(body, { status, statusText, headers: { 'Content-Type': 'application/json' } }));
  vi.stubGlobal('fetch', fn);
  return fn;
}

afterEach(() => {
  vi.unstubAllGlobals();
  localStorage.clear();
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
  it('reads the token from ?token= and keeps it', () => {
    window.history.replaceState(null, '', '/?token=abc#logs');
    expect(readToken()).toBe('abc');
    expect(window.location.search).toBe('');
    expect(window.location.hash).toBe('#logs');
    expect(localStorage.getItem('callwire.token')).toBe('abc');
    expect(readToken()).toBe('abc');
  });
});
