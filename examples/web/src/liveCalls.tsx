// The live calls of the whole app (one WebSocket for every screen), and the
// team's presence the same socket brings (agent.updated).
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useAccount } from './account';
import type { Call, User } from './api/types';
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

/** A user's record as the latest agent.updated had it, and when it came (presenceTick). */
export interface HeardUser {
  user: User;
  at: number;
}

export interface Presence {
  /** The latest agent.updated of each user, by id. */
  agents: Readonly<Record<string, HeardUser>>;
  /** Counts the socket's openings: after a reconnect, updates may have been missed meanwhile. */
  connections: number;
}

const PresenceContext = createContext<Presence>({ agents: {}, connections: 0 });

let ticks = 0;
/** A clock that only goes up: orders agent.updated messages against list fetches. */
export function presenceTick(): number {
  return ++ticks;
}

/** `u` with the status heard over the socket, when that came after `fetchedAt` (the list's fetch began). */
export function withPresence(u: User, agents: Presence['agents'], fetchedAt: number): User {
  const heard = agents[u.id];
  return heard && heard.at > fetchedAt && heard.user.status !== u.status ? { ...u, status: heard.user.status } : u;
}

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

  // Presence: every agent.updated is kept for the screens (the Users list),
  // and one's own goes to the header. After a reconnect one's own status is
  // asked again (a change may have come while the socket was down).
  const account = useAccount();
  const accountRef = useRef(account);
  accountRef.current = account;
  const [presence, setPresence] = useState<Presence>({ agents: {}, connections: 0 });
  const opened = useRef(0);
  const checked = useRef(false);
  const onOpen = useCallback(() => {
    opened.current += 1;
    if (opened.current > 1 && !checked.current) accountRef.current.refresh?.().catch(() => undefined);
    checked.current = false;
    setPresence((p) => ({ ...p, connections: p.connections + 1 }));
  }, []);
  // The server closed the socket with 1008: the session ended (logout, a
  // password change, disabled, removed) or the role changed. GET
  // /api/auth/me says which: its 401 opens the sign-in (and resolves once
  // signed in again), a 200 brings the new role — the tabs and controls
  // follow it. The socket reconnects after, with the rights it has now.
  const onSessionEnded = useCallback(() => {
    const refresh = accountRef.current.refresh;
    if (!refresh) return undefined;
    checked.current = true;
    return refresh();
  }, []);
  const onAgentUpdated = useCallback((user: User) => {
    const at = presenceTick();
    setPresence((p) => ({ ...p, agents: { ...p.agents, [user.id]: { user, at } } }));
    if (accountRef.current.me.user?.id === user.id) accountRef.current.updateUser?.(user);
  }, []);

  const live = useWebhookCalls(backend, {
    watch,
    onCallEnded,
    session,
    onConnectFailed,
    onOpen,
    onAgentUpdated,
    onSessionEnded,
  });

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
  return (
    <LiveCallsContext.Provider value={value}>
      <PresenceContext.Provider value={presence}>{children}</PresenceContext.Provider>
    </LiveCallsContext.Provider>
  );
}

/** The team's presence heard over the socket (empty outside LiveCallsProvider). */
export function usePresence(): Presence {
  return useContext(PresenceContext);
}

export function useLiveCalls(): LiveCalls {
  const v = useContext(LiveCallsContext);
  if (!v) throw new Error('useLiveCalls outside LiveCallsProvider');
  return v;
}
