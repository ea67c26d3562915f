// CallLogsScreen's recordings: a live call's recording is played from a fresh
// URL (Telnyx's expire 10 minutes after the call), a demo call's as stored.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { AccountProvider } from '../src/account';
import { ApiError, type Backend, type Method } from '../src/api/client';
import type { Call, Me, Recording } from '../src/api/types';
import { BackendProvider, NotifierProvider, useNotifier } from '../src/context';
import { CallLogsScreen } from '../src/screens/CallLogsScreen';
import { user } from './support/fakeServer';
import { RecordingBackend } from './support/recordingBackend';

function call(id: string, demo: boolean): Call {
  return {
    call_id: id,
    to_number: '+14155550123',
    from_number: '+15550100001',
    status: 'completed',
    direction: 'outbound',
    created_at: '2026-11-26T10:00:00Z',
    duration: 12,
    recording_id: `rec-${id}`,
    demo,
  } as Call;
}

function recording(callId: string, url: string): Recording {
  return { id: `rec-${callId}`, call_id: callId, url, duration: 12, format: 'mp3', created_at: '2026-11-26T10:00:12Z' } as Recording;
}

// The server's answers for one screen; a refresh gives the URL a new query.
class FakeBackend extends RecordingBackend {
  refreshFails = false;
  constructor(calls: Call[], private recordings: Recording[]) {
    super();
    this.answers['GET /api/calls/logs'] = calls;
    this.answers['GET /api/recordings/'] = recordings;
  }
  override async request<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const refresh = path.match(/^\/api\/recordings\/([^/]+)\/refresh$/);
    if (!refresh || method !== 'POST') return super.request<T>(method, path, body);
    this.log.push({ method, path, body });
    if (this.refreshFails) throw new ApiError(503, 'refresh recording: Telnyx is unreachable');
    const r = this.recordings.find((x) => x.id === refresh[1])!;
    return { ...r, url: `${r.url}?fresh=1` } as T;
  }
}

function Toasts() {
  const { toasts } = useNotifier();
  return (
    <ul>
      {toasts.map((t, i) => (
        <li key={i}>{t.message}</li>
      ))}
    </ul>
  );
}

function show(be: Backend, me?: Me) {
  const screenTree = (
    <NotifierProvider>
      <BackendProvider backend={be}>
        <CallLogsScreen onCall={() => {}} />
        <Toasts />
      </BackendProvider>
    </NotifierProvider>
  );
  render(me ? <AccountProvider account={{ me }}>{screenTree}</AccountProvider> : screenTree);
}

async function play(callId: string) {
  const row = await waitFor(() => {
    const r = document.querySelector(`[data-call-id="${callId}"]`);
    if (!r) throw new Error('no row yet');
    return r as HTMLElement;
  });
  await waitFor(() => expect(row.querySelector('[data-testid="recording-toggle"]')).not.toBeNull());
  fireEvent.click(row.querySelector('[data-testid="recording-toggle"]')!);
  return row;
}

describe('CallLogsScreen recordings', () => {
  afterEach(cleanup);

  it('asks for a fresh URL before playing a live call recording', async () => {
    const be = new FakeBackend([call('live', false)], [recording('live', 'https://telnyx.example/r.mp3')]);
    show(be);
    const row = await play('live');
    await waitFor(() =>
      expect(row.querySelector('audio')?.getAttribute('src')).toBe('https://telnyx.example/r.mp3?fresh=1'),
    );
    expect(be.paths('POST')).toEqual(['/api/recordings/rec-live/refresh']);
  });

  it('plays a demo recording as stored, without a refresh', async () => {
    const be = new FakeBackend([call('demo', true)], [recording('demo', '/recordings/rec-demo.wav')]);
    show(be);
    const row = await play('demo');
    await waitFor(() => expect(row.querySelector('audio')?.getAttribute('src')).toBe('/recordings/rec-demo.wav'));
    expect(be.paths('POST')).toEqual([]);
  });

  it('shows a failed recording with its reason', async () => {
    const failed = { ...call('lost', false), recording_id: null, recording_error: 'Telnyx could not save the recording: Internal server error' } as Call;
    const be = new FakeBackend([failed, call('fine', true)], [recording('fine', '/recordings/rec-fine.wav')]);
    show(be);
    const tag = await waitFor(() => {
      const t = document.querySelector('[data-call-id="lost"] [data-testid="recording-error"]');
      if (!t) throw new Error('no tag yet');
      return t as HTMLElement;
    });
    expect(tag.textContent).toContain('Recording failed');
    expect(tag.getAttribute('title')).toBe('Telnyx could not save the recording: Internal server error');
    await waitFor(() => expect(document.querySelector('[data-call-id="fine"]')).not.toBeNull());
    expect(document.querySelector('[data-call-id="fine"] [data-testid="recording-error"]')).toBeNull();
  });

  it('deletes a recording, and shows why while Telnyx keeps it', async () => {
    const later = 'Telnyx could not delete the recording now (HTTP 503 Service unavailable), so it is kept here; delete it again later.';
    const be = new FakeBackend([call('live', false)], [recording('live', 'https://telnyx.example/r.mp3')]);
    be.fail['DELETE /api/recordings/rec-live'] = new ApiError(503, later);
    show(be);
    const row = await play('live');
    await waitFor(() => expect(row.querySelector('[data-testid="recording-delete"]')).not.toBeNull());
    // What the server answers once it kept the recording, marked.
    be.answers['GET /api/recordings/'] = [{ ...recording('live', 'https://telnyx.example/r.mp3'), remote_delete_error: later }];
    fireEvent.click(row.querySelector('[data-testid="recording-delete"]')!);
    await waitFor(() => expect(screen.getByText(`The recording was not deleted: ${later} (503)`)).toBeTruthy());
    await waitFor(() => expect(row.querySelector('[data-testid="recording-delete-error"]')?.textContent).toBe(later));
    // The audio still plays from the fresh URL.
    expect(row.querySelector('audio')?.getAttribute('src')).toBe('https://telnyx.example/r.mp3?fresh=1');

    delete be.fail['DELETE /api/recordings/rec-live'];
    be.answers['GET /api/recordings/'] = [];
    fireEvent.click(row.querySelector('[data-testid="recording-delete"]')!);
    await waitFor(() => expect(screen.getByText('Recording deleted')).toBeTruthy());
    expect(be.paths('DELETE')).toEqual(['/api/recordings/rec-live', '/api/recordings/rec-live']);
  });

  it('says so when the fresh URL cannot be had, and keeps the stored one', async () => {
    const be = new FakeBackend([call('live', false)], [recording('live', 'https://telnyx.example/r.mp3')]);
    be.refreshFails = true;
    show(be);
    const row = await play('live');
    await waitFor(() => expect(screen.getByText(/Could not get a fresh link to the recording/)).toBeTruthy());
    expect(row.querySelector('audio')?.getAttribute('src')).toBe('https://telnyx.example/r.mp3');
  });
});

describe('CallLogsScreen for administrators and agents', () => {
  afterEach(cleanup);

  const grace = user({ id: 'u-admin', email: 'grace@example.com', name: 'Grace Admin', role: 'admin' });
  const ada = user({ id: 'u-agent', email: 'ada@example.com', name: 'Ada Agent' });
  const adminMe: Me = { kind: 'user', role: 'admin', sign_in_required: true, user: grace };
  const agentMe: Me = { kind: 'user', role: 'agent', sign_in_required: true, user: ada };
  const placed = (id: string, agent: string | null): Call => ({ ...call(id, true), recording_id: null, agent_id: agent });

  function backend() {
    const be = new RecordingBackend();
    be.answers['GET /api/calls/logs'] = [placed('c-ada', 'u-agent'), placed('c-grace', 'u-admin'), placed('c-sdk', null), placed('c-gone', 'u-removed')];
    be.answers['GET /api/users/'] = [grace, ada];
    be.answers['GET /api/calls/stats/summary'] = { total_calls: 4, completed_calls: 4, failed_calls: 0, average_duration: 12 };
    return be;
  }
  const agentOf = (id: string) => within(document.querySelector(`[data-call-id="${id}"]`) as HTMLElement).getByTestId('log-agent').textContent;

  it('shows who placed each call, and narrows the list, the stats and the export to one user', async () => {
    const be = backend();
    show(be, adminMe);
    await waitFor(() => expect(agentOf('c-ada')).toBe('Ada Agent'));
    expect(agentOf('c-grace')).toBe('Grace Admin');
    expect(agentOf('c-sdk')).toBe('—');
    expect(agentOf('c-gone')).toBe('Unknown user');
    const filter = screen.getByLabelText('Placed by') as HTMLSelectElement;
    expect([...filter.options].map((o) => o.textContent)).toEqual(['All', 'Ada Agent', 'Grace Admin']);
    expect(filter.value).toBe('');
    expect(be.paths()).toContain('/api/calls/logs?limit=25&offset=0');

    fireEvent.change(filter, { target: { value: 'u-agent' } });
    await waitFor(() => expect(be.paths()).toContain('/api/calls/logs?agent_id=u-agent&limit=25&offset=0'));
    expect(be.paths()).toContain('/api/calls/stats/summary?agent_id=u-agent');
    expect(screen.getByTestId('export-csv').getAttribute('href')).toBe('/api/calls/logs/export?agent_id=u-agent');

    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'completed' } });
    await waitFor(() =>
      expect(be.paths()).toContain('/api/calls/logs/search?status=completed&agent_id=u-agent&limit=25&offset=0'),
    );
    expect(screen.getByTestId('export-csv').getAttribute('href')).toBe('/api/calls/logs/export?status=completed&agent_id=u-agent');
  });

  it('gives agents neither the filter nor the names, and does not ask for the users', async () => {
    const be = backend();
    show(be, agentMe);
    await waitFor(() => expect(screen.getAllByTestId('log-row')).toHaveLength(4));
    expect(screen.queryByLabelText('Placed by')).toBeNull();
    expect(screen.queryAllByTestId('log-agent')).toHaveLength(0);
    expect(be.paths().some((p) => p.startsWith('/api/users'))).toBe(false);
    expect(be.paths().every((p) => !p.includes('agent_id'))).toBe(true);
  });

  it('is as before without sign-in (the local administrator)', async () => {
    const be = backend();
    show(be);
    await waitFor(() => expect(screen.getAllByTestId('log-row')).toHaveLength(4));
    expect(screen.queryByLabelText('Placed by')).toBeNull();
    expect(be.paths().some((p) => p.startsWith('/api/users'))).toBe(false);
  });
});
