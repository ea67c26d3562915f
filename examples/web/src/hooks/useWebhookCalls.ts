// useWebhookCalls — live calls from the /ws/calls WebSocket.
//
// On connect the server sends {"type":"snapshot","calls":[…]} and then
// {"type":"call.updated"|"call.created"|"call.ended","call":{…}} messages,
// and {"type":"agent.updated","agent":User} whenever a user's status changes
// (handed to onAgentUpdated; not part of the calls). A socket the server
// closes with 1008 (the session ended, the role changed) waits for
// onSessionEnded — the app asks who it is — before it reconnects.
// The socket reconnects with exponential backoff (with jitter). While it is
// open nothing is polled; only while it is closed are the calls in `watch`
// polled with GET /api/call-status/status/{id}, until they end (not before
// the first connection attempt has failed).
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { Backend, SocketLike } from '../api/client';
import type { Call, User } from '../api/types';
import { backoffDelay, callsReducer, initialCallsState, isTerminal, parseStreamMessage } from '../lib/calls';

export type StreamStatus = 'connecting' | 'open' | 'closed';

export interface WebhookCallsOptions {
  /** Call ids to poll while the socket is down (the calls the UI shows). */
  watch?: string[];
  /** Polling interval while disconnected. */
  pollMs?: number;
  /** Reconnect backoff. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Called for every call that reaches a terminal status. */
  onCallEnded?: (call: Call) => void;
  /** Set false to stay disconnected (tests). */
  enabled?: boolean;
  /** The socket reconnects at once when this changes (a new token after a sign-in). */
  session?: number;
  /** Called when a connection closes without having opened (a refused token shows up only as that). */
  onConnectFailed?: () => void;
  /** Called each time a connection opens, before any of its messages. */
  onOpen?: () => void;
  /** Called for every agent.updated message: a user's presence changed. */
  onAgentUpdated?: (user: User) => void;
  /**
   * Called when the server closes an open socket with 1008 (policy): the
   * user's session ended or their role changed. The reconnect waits until
   * the promise settles (a sign-in, or the new role taken).
   */
  onSessionEnded?: () => Promise<unknown> | void;
}

/** The close code the server uses when a socket may not stay open (session ended, role changed, too slow). */
export const CLOSE_POLICY = 1008;

function closeCode(ev: unknown): number | null {
  const code = ev && typeof ev === 'object' ? (ev as { code?: unknown }).code : undefined;
  return typeof code === 'number' ? code : null;
}

export interface WebhookCalls {
  calls: Record<string, Call>;
  status: StreamStatus;
  /** Consecutive failed connection attempts (0 while open). */
  attempts: number;
  /** Merges a Call from a REST answer (dial, mute, hangup…). */
  upsert(call: Call): void;
}

export function useWebhookCalls(backend: Backend, options: WebhookCallsOptions = {}): WebhookCalls {
  const { watch = [], pollMs = 2000, backoffBaseMs = 500, backoffMaxMs = 15000, enabled = true, session = 0 } = options;
  const [state, dispatch] = useReducer(callsReducer, initialCallsState);
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const [attempts, setAttempts] = useState(0);
  // True from the first close until the next open: the only time we poll.
  const [down, setDown] = useState(false);
  const onEnded = useRef(options.onCallEnded);
  onEnded.current = options.onCallEnded;
  const onConnectFailed = useRef(options.onConnectFailed);
  onConnectFailed.current = options.onConnectFailed;
  const onOpen = useRef(options.onOpen);
  onOpen.current = options.onOpen;
  const onAgent = useRef(options.onAgentUpdated);
  onAgent.current = options.onAgentUpdated;
  const onSessionEnded = useRef(options.onSessionEnded);
  onSessionEnded.current = options.onSessionEnded;
  const endedSeen = useRef(new Set<string>());
  const watchRef = useRef(watch);
  watchRef.current = watch;
  const callsRef = useRef(state.calls);
  callsRef.current = state.calls;

  // Tell the app once per call that it ended (to reload logs).
  useEffect(() => {
    for (const c of Object.values(state.calls)) {
      if (isTerminal(c.status) && !endedSeen.current.has(c.call_id)) {
        endedSeen.current.add(c.call_id);
        onEnded.current?.(c);
      }
    }
    if (Object.keys(state.calls).length > 200) dispatch({ type: 'prune', keep: 100 });
  }, [state.calls]);

  // The socket, with reconnects.
  useEffect(() => {
    if (!enabled) {
      setStatus('closed');
      setDown(true);
      return;
    }
    let stopped = false;
    let sock: SocketLike | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let failures = 0;

    const connect = () => {
      if (stopped) return;
      setStatus('connecting');
      let opened = false;
      try {
        sock = backend.openCallStream();
      } catch {
        scheduleReconnect();
        return;
      }
      sock.onopen = () => {
        opened = true;
        failures = 0;
        setAttempts(0);
        setStatus('open');
        setDown(false);
        onOpen.current?.();
      };
      sock.onmessage = (ev) => {
        const msg = parseStreamMessage(ev.data);
        if (!msg) return;
        if (msg.type === 'agent.updated') {
          onAgent.current?.(msg.agent);
          return;
        }
        if (msg.type !== 'snapshot') {
          dispatch({ type: 'message', message: msg });
          return;
        }
        // A watched call missing from the snapshot ended while we were away:
        // ask once for its final state (this is not polling).
        const keep = watchRef.current;
        const inSnapshot = new Set(msg.calls.map((c) => c.call_id));
        dispatch({ type: 'message', message: msg, keep });
        for (const id of keep) {
          const known = callsRef.current[id];
          if (inSnapshot.has(id) || (known && isTerminal(known.status))) continue;
          backend
            .request<Call>('GET', `/api/call-status/status/${encodeURIComponent(id)}`)
            .then((call) => call && call.call_id && dispatch({ type: 'upsert', call }))
            .catch(() => undefined);
        }
      };
      sock.onerror = () => {
        /* onclose follows */
      };
      sock.onclose = (ev) => {
        if (stopped) return;
        sock = null;
        const check = onSessionEnded.current;
        if (opened && closeCode(ev) === CLOSE_POLICY && check) {
          // Reconnecting now would meet the same refusal: first find out why.
          failures = 0;
          setAttempts(0);
          setStatus('closed');
          setDown(true);
          let settled: Promise<unknown>;
          try {
            settled = Promise.resolve(check());
          } catch {
            settled = Promise.resolve();
          }
          settled.catch(() => undefined).then(() => scheduleReconnect());
          return;
        }
        if (!opened) {
          failures += 1;
          onConnectFailed.current?.();
        } else failures = 0;
        setAttempts(failures);
        setStatus('closed');
        setDown(true);
        scheduleReconnect();
      };
    };

    const scheduleReconnect = () => {
      if (stopped) return;
      const delay = backoffDelay(failures, backoffBaseMs, backoffMaxMs);
      timer = setTimeout(connect, delay);
    };

    connect();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (sock) {
        sock.onclose = null;
        sock.onmessage = null;
        sock.close();
      }
    };
  }, [backend, enabled, backoffBaseMs, backoffMaxMs, session]);

  // Polling fallback: only while the socket is not open.
  const liveWatch = watch.filter((id) => {
    const c = state.calls[id];
    return !c || !isTerminal(c.status);
  });
  const watchKey = liveWatch.join(',');
  useEffect(() => {
    if (!down || watchKey === '') return;
    let cancelled = false;
    const ids = watchKey.split(',');
    const poll = async () => {
      for (const id of ids) {
        try {
          const call = await backend.request<Call>('GET', `/api/call-status/status/${encodeURIComponent(id)}`);
          if (!cancelled && call && call.call_id) dispatch({ type: 'upsert', call });
        } catch {
          /* the server is down too; try again next tick */
        }
      }
    };
    void poll();
    const t = setInterval(poll, pollMs);
    return () => {
      cancelled = true;
      clearInterval(t);
    };
  }, [down, watchKey, backend, pollMs]);

  const upsert = useCallback((call: Call) => dispatch({ type: 'upsert', call }), []);
  return { calls: state.calls, status, attempts, upsert };
}
