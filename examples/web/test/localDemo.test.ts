import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../src/api/client';
import { LocalDemoBackend } from '../src/api/localDemo';
import type { Call, Contact, PhoneNumber, Recording, TelnyxSettings } from '../src/api/types';
import { ringbackWav } from '../src/lib/wav';

let be: LocalDemoBackend;
beforeEach(() => {
  vi.useFakeTimers();
  be = new LocalDemoBackend({ storage: null, makeUrl: () => 'blob:test' });
});
afterEach(() => vi.useRealTimers());

async function flush(ms = 0) {
  await vi.advanceTimersByTimeAsync(ms);
}

describe('LocalDemoBackend', () => {
  it('is seeded with contacts and caller-ID numbers, one default', async () => {
    const p = be.request<Contact[]>('GET', '/api/contacts/');
    await flush();
    expect((await p).length).toBeGreaterThanOrEqual(3);
    const n = be.request<PhoneNumber[]>('GET', '/api/numbers/');
    await flush();
    const numbers = await n;
    expect(numbers.length).toBeGreaterThanOrEqual(2);
    expect(numbers.filter((x) => x.is_default)).toHaveLength(1);
  });

  it('runs a call through dialing → ringing → active → completed and streams it', async () => {
    const frames: string[] = [];
    const sock = be.openCallStream();
    sock.onmessage = (ev) => frames.push(String(ev.data));
    await flush();
    expect(JSON.parse(frames[0]!)).toEqual({ type: 'snapshot', calls: [] });

    const dial = be.request<{ call_id: string; status: string }>('POST', '/api/telnyx/dial', { to_number: '+14155550123' });
    await flush();
    const { call_id, status } = await dial;
    expect(status).toBe('dialing');
    await flush(300);
    await flush(2000);
    const st = be.request<Call>('GET', `/api/call-status/status/${call_id}`);
    await flush();
    expect((await st).status).toBe('active');
    await flush(3000);
    const hang = be.request<Call>('POST', `/api/telnyx/hangup/${call_id}`);
    await flush();
    const ended = await hang;
    expect(ended.status).toBe('completed');
    expect(ended.duration).toBe(3);
    const statuses = frames.slice(1).map((f) => JSON.parse(f).call.status);
    expect(statuses).toEqual(['dialing', 'ringing', 'active', 'completed']);
    expect(JSON.parse(frames.at(-1)!).type).toBe('call.ended');
  });

  it('follows the scenarios of the last four digits', async () => {
    const d = be.request<{ call_id: string }>('POST', '/api/telnyx/dial', { to_number: '+14155550000' });
    await flush();
    const { call_id } = await d;
    await flush(2000);
    const st = be.request<Call>('GET', `/api/call-status/status/${call_id}`);
    await flush();
    expect((await st).status).toBe('busy');
  });

  it('records when auto-record is on, and serves the recording', async () => {
    const s = be.request('POST', '/api/telnyx/settings', { auto_record: true });
    await flush();
    await s;
    const d = be.request<{ call_id: string }>('POST', '/api/telnyx/dial', { to_number: '+14155550123' });
    await flush();
    const { call_id } = await d;
    await flush(2000);
    await flush(4000);
    const h = be.request<Call>('POST', `/api/telnyx/hangup/${call_id}`);
    await flush();
    const call = await h;
    expect(call.recording_id).toBeTruthy();
    const r = be.request<Recording[]>('GET', `/api/recordings/${call_id}`);
    await flush();
    const recs = await r;
    expect(recs).toHaveLength(1);
    expect(recs[0]!.url).toBe('blob:test');
    expect(recs[0]!.duration).toBe(4);
  });

  it('rejects commands on ended calls and bad numbers with API errors', async () => {
    const bad = be.request('POST', '/api/telnyx/dial', { to_number: '12' }).catch((e) => e);
    await flush();
    const e1 = (await bad) as ApiError;
    expect(e1).toBeInstanceOf(ApiError);
    expect(e1.status).toBe(422);
    const nf = be.request('POST', '/api/telnyx/hangup/nope').catch((e) => e);
    await flush();
    expect(((await nf) as ApiError).status).toBe(404);
  });

  it('has the recording channels setting, dual until saved, as the server', async () => {
    const g = be.request<TelnyxSettings>('GET', '/api/telnyx/settings');
    await flush();
    expect((await g).recording_channels).toBe('dual');
    const s = be.request<TelnyxSettings>('POST', '/api/telnyx/settings', { recording_channels: 'single' });
    await flush();
    expect((await s).recording_channels).toBe('single');
    const bad = be.request('POST', '/api/telnyx/settings', { recording_channels: 'stereo' }).catch((e) => e);
    await flush();
    expect(((await bad) as ApiError).status).toBe(422);
    const again = be.request<TelnyxSettings>('GET', '/api/telnyx/settings');
    await flush();
    expect((await again).recording_channels).toBe('single');
  });

  it('keeps a masked secret that is sent back unchanged', async () => {
    let p = be.request<TelnyxSettings>('POST', '/api/telnyx/settings', { api_key: 'KEY0123456789abcd' });
    await flush();
    const saved = await p;
    expect(saved.api_key).toBe('****abcd');
    p = be.request<TelnyxSettings>('POST', '/api/telnyx/settings', { ...saved, webhook_url: 'https://x/webhooks/call' });
    await flush();
    expect((await p).api_key).toBe('****abcd');
    p = be.request<TelnyxSettings>('POST', '/api/telnyx/settings', { api_key: 'NEWKEY-999999zzzz' });
    await flush();
    expect((await p).api_key).toBe('****zzzz');
  });

  it('filters contacts and moves the default number', async () => {
    const favs = be.request<Contact[]>('GET', '/api/contacts/?favorites=true');
    await flush();
    expect((await favs).every((c) => c.is_favorite)).toBe(true);
    const search = be.request<Contact[]>('GET', '/api/contacts/?search=grace');
    await flush();
    expect((await search).map((c) => c.name)).toEqual(['Grace Hopper']);
    const list = be.request<PhoneNumber[]>('GET', '/api/numbers/');
    await flush();
    const other = (await list).find((n) => !n.is_default)!;
    const sd = be.request('POST', `/api/numbers/${other.id}/set-default`);
    await flush();
    await sd;
    const again = be.request<PhoneNumber[]>('GET', '/api/numbers/');
    await flush();
    expect((await again).find((n) => n.is_default)!.id).toBe(other.id);
  });

  it('exports CSV', async () => {
    const d = be.request('POST', '/api/telnyx/dial', { to_number: '+14155550123' });
    await flush();
    await d;
    const csv = await be.requestText('/api/calls/logs/export');
    expect(csv.split('\n')[0]).toMatch(/^call_id,to_number,from_number/);
    expect(csv).toContain('+14155550123');
  });
});

describe('ringbackWav', () => {
  it('writes a valid 8 kHz mono 16-bit WAV', () => {
    const wav = ringbackWav(1);
    const v = new DataView(wav.buffer);
    const s = (o: number) => String.fromCharCode(...wav.slice(o, o + 4));
    expect(s(0)).toBe('RIFF');
    expect(s(8)).toBe('WAVE');
    expect(v.getUint32(24, true)).toBe(8000);
    expect(v.getUint16(22, true)).toBe(1);
    expect(v.getUint32(40, true)).toBe(16000);
    expect(wav.length).toBe(44 + 16000);
  });
});
