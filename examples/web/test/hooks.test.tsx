import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { ApiError, type Backend } from '../src/api/client';
import { BackendProvider, NotifierProvider, useBackend, useNotifier } from '../src/context';
import { useCallApi } from '../src/hooks/useCallApi';
import { useCallLogs } from '../src/hooks/useCallLogs';
import { useContactsApi } from '../src/hooks/useContactsApi';
import { useNumbersApi } from '../src/hooks/useNumbersApi';
import { useTelnyxSettings } from '../src/hooks/useTelnyxSettings';
import { RecordingBackend } from './support/recordingBackend';

function wrapperFor(be: Backend) {
  return ({ children }: { children: ReactNode }) => (
    <NotifierProvider>
      <BackendProvider backend={be}>{children}</BackendProvider>
    </NotifierProvider>
  );
}

describe('REST hooks', () => {
  it('useContactsApi puts the filter in the query string and reloads after a change', async () => {
    const be = new RecordingBackend();
    be.answers['POST /api/contacts/'] = { id: 'n' };
    const { result } = renderHook(() => useContactsApi({ search: ' ada ', category: 'lead', favorites: true }), { wrapper: wrapperFor(be) });
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(be.paths()).toEqual(['/api/contacts/?search=ada&category=lead&favorites=true']);
    await act(async () => {
      await result.current.create({ name: 'A', phone: '+14155550123', email: '', category: 'lead', is_favorite: false });
    });
    await waitFor(() => expect(be.paths()).toHaveLength(2));
    expect(be.log.find((l) => l.method === 'POST')!.body).toMatchObject({ name: 'A', phone: '+14155550123' });
  });

  it('useNumbersApi finds the default number', async () => {
    const be = new RecordingBackend();
    be.answers['GET /api/numbers/'] = [
      { id: '1', number: '+15550100001', name: 'a', status: 'active', is_default: false },
      { id: '2', number: '+15550100002', name: 'b', status: 'active', is_default: true },
    ];
    const { result } = renderHook(() => useNumbersApi(), { wrapper: wrapperFor(be) });
    await waitFor(() => expect(result.current.numbers).toHaveLength(2));
    expect(result.current.defaultNumber!.id).toBe('2');
    await act(async () => {
      await result.current.setDefault('1');
    });
    expect(be.paths('POST')).toEqual(['/api/numbers/1/set-default']);
  });

  it('useTelnyxSettings sends back only the editable fields', async () => {
    const be = new RecordingBackend();
    const stored = {
      api_key: '****abcd',
      api_v2_key: '',
      webhook_url: 'https://x/webhooks/call',
      connection_id: 'c1',
      public_key: '',
      auto_record: false,
      demo_mode: true,
      mode: 'demo',
      api_base: 'https://api.telnyx.com/v2',
      updated_at: '2026-01-01T00:00:00Z',
    };
    be.answers['GET /api/telnyx/settings'] = stored;
    be.answers['POST /api/telnyx/settings'] = { ...stored, auto_record: true };
    const { result } = renderHook(() => useTelnyxSettings(), { wrapper: wrapperFor(be) });
    await waitFor(() => expect(result.current.settings.connection_id).toBe('c1'));
    be.answers['GET /api/telnyx/settings'] = { ...stored, auto_record: true }; // what the server stores
    await act(async () => {
      await result.current.save({ ...result.current.settings, auto_record: true, connection_id: ' c2 ' });
    });
    const post = be.log.find((l) => l.method === 'POST')!;
    expect(post.body).toEqual({
      api_key: '****abcd',
      api_v2_key: '',
      webhook_url: 'https://x/webhooks/call',
      connection_id: 'c2',
      public_key: '',
      auto_record: true,
      recording_channels: 'dual',
      demo_mode: true,
    });
    await waitFor(() => expect(result.current.settings.auto_record).toBe(true));
  });

  it('useCallLogs uses /logs without a filter, /logs/search with one, and reloads on data changes', async () => {
    const be = new RecordingBackend();
    const { result, rerender } = renderHook(
      ({ query, status }) => ({ logs: useCallLogs({ query, status, pageSize: 10 }), backend: useBackend() }),
      { wrapper: wrapperFor(be), initialProps: { query: '', status: '' } },
    );
    await waitFor(() => expect(result.current.logs.loading).toBe(false));
    expect(be.paths()).toContain('/api/calls/logs?limit=10&offset=0');
    expect(be.paths()).toContain('/api/calls/stats/summary');
    rerender({ query: '555', status: 'busy' });
    await waitFor(() => expect(be.paths()).toContain('/api/calls/logs/search?query=555&status=busy&limit=10&offset=0'));
    expect(result.current.logs.exportHref).toBe('/api/calls/logs/export?query=555&status=busy');
    const n = be.paths().length;
    act(() => result.current.backend.bumpData());
    await waitFor(() => expect(be.paths().length).toBeGreaterThan(n));
  });

  it('errors from loads reach the notifier', async () => {
    const be = new RecordingBackend();
    be.fail['GET /api/numbers/'] = new ApiError(503, 'storage unavailable');
    const { result } = renderHook(() => ({ numbers: useNumbersApi(), notifier: useNotifier() }), { wrapper: wrapperFor(be) });
    await waitFor(() => expect(result.current.notifier.toasts).toHaveLength(1));
    expect(result.current.notifier.toasts[0]).toMatchObject({ kind: 'error', message: 'Could not load phone numbers: storage unavailable (503)' });
    expect(result.current.numbers.error).toBe('storage unavailable');
  });

  it('useCallApi sends the documented requests', async () => {
    const be = new RecordingBackend();
    const { result } = renderHook(() => useCallApi(), { wrapper: wrapperFor(be) });
    const api = result.current;
    await api.dial({ to_number: '+14155550123' });
    await api.dial({ to_number: '+14155550123', from_number: '+15550100001' });
    await api.setMuted('c/1', true);
    await api.setOnHold('c1', false);
    await api.sendDtmf('c1', '5');
    await api.startRecording('c1');
    await api.stopRecording('c1');
    await api.transfer('c1', '+14155550100');
    await api.hangup('c1');
    await api.status('c1');
    expect(be.log.map((l) => [l.method, l.path, l.body])).toEqual([
      ['POST', '/api/telnyx/dial', { to_number: '+14155550123' }],
      ['POST', '/api/telnyx/dial', { to_number: '+14155550123', from_number: '+15550100001' }],
      ['POST', '/api/telnyx/calls/c%2F1/mute', { muted: true }],
      ['POST', '/api/telnyx/calls/c1/hold', { on_hold: false }],
      ['POST', '/api/telnyx/calls/c1/dtmf', { digits: '5' }],
      ['POST', '/api/telnyx/calls/c1/recording/start', {}],
      ['POST', '/api/telnyx/calls/c1/recording/stop', {}],
      ['POST', '/api/telnyx/calls/c1/transfer', { to_number: '+14155550100' }],
      ['POST', '/api/telnyx/hangup/c1', undefined],
      ['GET', '/api/call-status/status/c1', undefined],
    ]);
  });
});
