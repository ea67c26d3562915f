// The live calls of the whole app (one WebSocket for every screen).
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Call } from './api/types';
import { useBackend } from './context';
import { useWebhookCalls, type StreamStatus } from './hooks/useWebhookCalls';

interface LiveCalls {
  calls: Record<string, Call>;
  status: StreamStatus;
  attempts: number;
  upsert(call: Call): void;
  /** The calls the UI follows (polled while the socket is down). */
  setWatch(ids: string[]): void;
}

const LiveCallsContext = createContext<LiveCalls | null>(null);

export function LiveCallsProvider({ children }: { children: ReactNode }) {
  const { backend, bumpData, session } = useBackend();
  const [watch, setWatchState] = useState<string[]>([]);
  const recordingSeen = useRef(new Map<string, string>());

  const onCallEnded = useCallback(
    (call: Call) => {
      recordingSeen.current.set(call.call_id, call.recording_id ?? '');
      // Logs, stats and recordings change when a call ends; a recording is
      // saved a moment later, so look again shortly after.
      bumpData();
      setTimeout(bumpData, 1500);
      setTimeout(bumpData, 4000);
    },
    [bumpData],
  );

  // A socket refused at the upgrade says nothing of why: ask a REST route,
  // whose 401 (an expired or revoked token) opens the sign-in. One at a time.
  const probing = useRef(false);
  const onConnectFailed = useCallback(() => {
    if (backend.kind !== 'server' || probing.current) return;
    probing.current = true;
    backend
      .request('GET', '/api/auth/me')
      .catch(() => undefined)
      .finally(() => {
        probing.current = false;
      });
  }, [backend]);

  const live = useWebhookCalls(backend, { watch, onCallEnded, session, onConnectFailed });

  // A recording attached to an ended call (call.updated after the end).
  useEffect(() => {
    let changed = false;
    for (const c of Object.values(live.calls)) {
      const seen = recordingSeen.current.get(c.call_id);
      if (seen !== undefined && (c.recording_id ?? '') !== seen) {
        recordingSeen.current.set(c.call_id, c.recording_id ?? '');
        changed = true;
      }
    }
    if (changed) bumpData();
  }, [live.calls, bumpData]);

  const setWatch = useCallback((ids: string[]) => {
    setWatchState((prev) => (prev.join(',') === ids.join(',') ? prev : ids));
  }, []);

  const value = useMemo(
    () => ({ calls: live.calls, status: live.status, attempts: live.attempts, upsert: live.upsert, setWatch }),
    [live.calls, live.status, live.attempts, live.upsert, setWatch],
  );
  return <LiveCallsContext.Provider value={value}>{children}</LiveCallsContext.Provider>;
}

export function useLiveCalls(): LiveCalls {
  const v = useContext(LiveCallsContext);
  if (!v) throw new Error('useLiveCalls outside LiveCallsProvider');
  return v;
}
