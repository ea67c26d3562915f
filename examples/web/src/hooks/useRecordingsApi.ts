// useRecordingsApi — recordings (GET /api/recordings/, by call, refresh, delete).
import { useMemo } from 'react';
import type { Recording } from '../api/types';
import { useBackend } from '../context';
import { useResource } from './useResource';

export function useRecordingsApi() {
  const { backend, bumpData } = useBackend();
  const res = useResource<Recording[]>(
    () => backend.request<Recording[]>('GET', '/api/recordings/'),
    [],
    'recordings',
    'recordings',
  );
  const byCallId = useMemo(() => {
    const m = new Map<string, Recording[]>();
    for (const r of res.data) m.set(r.call_id, [...(m.get(r.call_id) ?? []), r]);
    return m;
  }, [res.data]);

  const actions = useMemo(
    () => ({
      forCall: (callId: string) => backend.request<Recording[]>('GET', `/api/recordings/${encodeURIComponent(callId)}`),
      /** The recording with a URL that works now (Telnyx's expire 10 minutes after the call). */
      refresh: (recordingId: string) =>
        backend.request<Recording>('POST', `/api/recordings/${encodeURIComponent(recordingId)}/refresh`),
      /** Deletes it here and at Telnyx; when Telnyx keeps it the server keeps it too, marked with
       * remote_delete_error, and this rejects with the server's sentence. Lists reload either way. */
      async remove(recordingId: string): Promise<void> {
        try {
          await backend.request<unknown>('DELETE', `/api/recordings/${encodeURIComponent(recordingId)}`);
        } finally {
          bumpData();
        }
      },
      /** The URL to give an <audio> element. */
      src: (r: Recording) => backend.href(r.url),
    }),
    [backend, bumpData],
  );

  return { recordings: res.data, byCallId, loading: res.loading, error: res.error, reload: res.reload, ...actions };
}
