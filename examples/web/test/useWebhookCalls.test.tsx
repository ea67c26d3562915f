import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Backend, Method, SocketLike } from '../src/api/client';
import type { Call } from '../src/api/types';
import { useWebhookCalls } from '../src/hooks/useWebhookCalls';

class FakeSocket implements SocketLike {
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  closed = false;
  open() {
    this.onopen?.({});
  }
  send(obj: unknown) {
    this.onmessage?.({ data: JSON.stringify(obj) });
  }
  drop() {
    this.onerror?.({});
    this.onclose?.({});
  }
  close() {
    this.closed = true;
  }
}

class FakeBackend implements Backend {
  readonly kind = 'server' as const;
  sockets: FakeSocket[] = [];
  requests: string[] = [];
  statusOf: Record<string, Call> = {};
  async request<T>(method: Method, path: string): Promise<T> {
    this.requests.push(`${method} ${path}`);
    const id = decodeURIComponent(path.split('/').pop()!);
    return this.statusOf[id] as T;
  }
  async requestText(): Promise<string> {
    return '';
  }
  openCallStream(): SocketLike {
    const s = new FakeSocket();
    this.sockets.push(s);
    return s;
  }
  href(p: string) {
    return p;
  }
  get last() {
    return this.sockets[this.sockets.length - 1]!;
  }
  polls() {
    return this.requests.filter((r) => r.includes('/api/call-status/status/')).length;
  }
}

const call = (id: string, status: Call['status'], extra: Partial<Call> = {}): Call => ({
  call_id: id,
  to_number: '+14155550123',
  from_number: '+15550100001',
  status,
  ...extra,
});

describe('useWebhookCalls', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(1); // backoff at its upper bound
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('applies the snapshot and updates', () => {
    const be = new FakeBackend();
    const { result } = renderHook(() => useWebhookCalls(be));
    expect(result.current.status).toBe('connecting');
    act(() => be.last.open());
    expect(result.current.status).toBe('open');
    act(() => be.last.send({ type: 'snapshot', calls: [call('a', 'ringing')] }));
    expect(result.current.calls.a!.status).toBe('ringing');
    act(() => be.last.send({ type: 'call.updated', call: call('a', 'active') }));
    expect(result.current.calls.a!.status).toBe('active');
    act(() => be.last.send({ type: 'call.ended', call: call('a', 'completed', { duration: 7 }) }));
    expect(result.current.calls.a!.duration).toBe(7);
  });

  it('reconnects with exponential backoff after failures', () => {
    const be = new FakeBackend();
    renderHook(() => useWebhookCalls(be, { backoffBaseMs: 100, backoffMaxMs: 1000 }));
    expect(be.sockets).toHaveLength(1);
    act(() => be.last.drop()); // failure 1 → 200 ms (base·2¹ at the upper bound)
    act(() => vi.advanceTimersByTime(199));
    expect(be.sockets).toHaveLength(1);
    act(() => vi.advanceTimersByTime(1));
    expect(be.sockets).toHaveLength(2);
    act(() => be.last.drop()); // failure 2 → 400 ms
    act(() => vi.advanceTimersByTime(399));
    expect(be.sockets).toHaveLength(2);
    act(() => vi.advanceTimersByTime(1));
    expect(be.sockets).toHaveLength(3);
    act(() => be.last.drop()); // 800
    act(() => vi.advanceTimersByTime(800));
    act(() => be.last.drop()); // capped at 1000
    act(() => vi.advanceTimersByTime(999));
    expect(be.sockets).toHaveLength(4);
    act(() => vi.advanceTimersByTime(1));
    expect(be.sockets).toHaveLength(5);
  });

  it('resets the backoff after a successful connection', () => {
    const be = new FakeBackend();
    const { result } = renderHook(() => useWebhookCalls(be, { backoffBaseMs: 100, backoffMaxMs: 1000 }));
    act(() => be.last.drop());
    act(() => vi.advanceTimersByTime(200));
    act(() => be.last.open());
    expect(result.current.attempts).toBe(0);
    act(() => be.last.drop()); // was open: first retry at base (100 ms)
    expect(result.current.status).toBe('closed');
    act(() => vi.advanceTimersByTime(100));
    expect(be.sockets).toHaveLength(3);
  });

  it('does not poll while connected, polls watched calls while disconnected', async () => {
    const be = new FakeBackend();
    be.statusOf.a = call('a', 'active');
    const { result, rerender } = renderHook(({ watch }) => useWebhookCalls(be, { watch, pollMs: 1000, backoffBaseMs: 60_000, backoffMaxMs: 60_000 }), {
      initialProps: { watch: [] as string[] },
    });
    act(() => be.last.open());
    act(() => be.last.send({ type: 'snapshot', calls: [call('a', 'ringing')] }));
    rerender({ watch: ['a'] });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(10_000);
    });
    expect(be.polls()).toBe(0);

    act(() => be.last.drop());
    await act(async () => {
      await vi.advanceTimersByTimeAsync(10);
    });
    expect(be.polls()).toBe(1); // at once
    expect(result.current.calls.a!.status).toBe('active');
    await act(async () => {
      await vi.advanceTimersByTimeAsync(3000);
    });
    expect(be.polls()).toBe(4);

    // The call ends: polling stops.
    be.statusOf.a = call('a', 'completed', { duration: 3 });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1000);
    });
    expect(result.current.calls.a!.status).toBe('completed');
    const n = be.polls();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(5000);
    });
    expect(be.polls()).toBe(n);
  });

  it('stops polling when the socket is back', async () => {
    const be = new FakeBackend();
    be.statusOf.a = call('a', 'active');
    renderHook(() => useWebhookCalls(be, { watch: ['a'], pollMs: 1000, backoffBaseMs: 2000, backoffMaxMs: 2000 }));
    act(() => be.last.drop());
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1500);
    });
    expect(be.polls()).toBe(2);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(600); // reconnect at 2000 ms
    });
    act(() => be.last.open());
    act(() => be.last.send({ type: 'snapshot', calls: [call('a', 'active')] }));
    const n = be.polls();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(10_000);
    });
    expect(be.polls()).toBe(n);
  });

  it('asks once for a watched call a snapshot leaves out', async () => {
    const be = new FakeBackend();
    be.statusOf.a = call('a', 'completed', { duration: 9 });
    const { result } = renderHook(() => useWebhookCalls(be, { watch: ['a'], backoffBaseMs: 60_000 }));
    act(() => be.last.open());
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    act(() => be.last.send({ type: 'snapshot', calls: [] }));
    await act(async () => {
      await vi.advanceTimersByTimeAsync(10);
    });
    expect(result.current.calls.a!.status).toBe('completed');
    expect(be.polls()).toBe(1);
  });

  it('reports each ended call once', () => {
    const be = new FakeBackend();
    const ended: string[] = [];
    renderHook(() => useWebhookCalls(be, { onCallEnded: (c) => ended.push(c.call_id) }));
    act(() => be.last.open());
    act(() => be.last.send({ type: 'call.updated', call: call('a', 'active') }));
    act(() => be.last.send({ type: 'call.ended', call: call('a', 'completed') }));
    act(() => be.last.send({ type: 'call.ended', call: call('a', 'completed') }));
    expect(ended).toEqual(['a']);
  });

  it('closes the socket on unmount and does not reconnect', () => {
    const be = new FakeBackend();
    const { unmount } = renderHook(() => useWebhookCalls(be));
    act(() => be.last.open());
    unmount();
    expect(be.last.closed).toBe(true);
    act(() => vi.advanceTimersByTime(60_000));
    expect(be.sockets).toHaveLength(1);
  });

  it('reconnects at once when the session changes (a new token), keeping the calls it knows', () => {
    const be = new FakeBackend();
    const { result, rerender } = renderHook(({ session }) => useWebhookCalls(be, { session }), { initialProps: { session: 1 } });
    act(() => be.last.open());
    act(() => be.last.send({ type: 'snapshot', calls: [call('a', 'active')] }));
    const first = be.last;
    rerender({ session: 2 });
    expect(first.closed).toBe(true);
    expect(be.sockets).toHaveLength(2);
    expect(result.current.calls.a!.status).toBe('active');
    act(() => be.last.open());
    expect(result.current.status).toBe('open');
  });

  it('reports a connection that closes without having opened, not one that drops after opening', () => {
    const be = new FakeBackend();
    const failed = vi.fn();
    renderHook(() => useWebhookCalls(be, { onConnectFailed: failed }));
    act(() => be.last.drop());
    expect(failed).toHaveBeenCalledTimes(1);
    act(() => {
      vi.advanceTimersByTime(1000);
    });
    act(() => be.last.open());
    act(() => be.last.drop());
    expect(failed).toHaveBeenCalledTimes(1);
  });

  it('hands agent.updated to onAgentUpdated, apart from the calls, and reports each opening', () => {
    const be = new FakeBackend();
    const heard: string[] = [];
    const opened = vi.fn();
    const { result } = renderHook(() =>
      useWebhookCalls(be, { onAgentUpdated: (u) => heard.push(`${u.id}:${u.status}`), onOpen: opened, backoffBaseMs: 100 }),
    );
    act(() => be.last.open());
    expect(opened).toHaveBeenCalledTimes(1);
    act(() => be.last.send({ type: 'snapshot', calls: [call('a', 'active')] }));
    act(() => be.last.send({ type: 'agent.updated', agent: { id: 'u1', status: 'busy' } }));
    act(() => be.last.send({ type: 'agent.updated', agent: { id: 'u1', status: 'wrap_up' } }));
    expect(heard).toEqual(['u1:busy', 'u1:wrap_up']);
    expect(Object.keys(result.current.calls)).toEqual(['a']);
    act(() => be.last.drop());
    act(() => vi.advanceTimersByTime(100));
    act(() => be.last.open());
    expect(opened).toHaveBeenCalledTimes(2);
  });

  it('waits for onSessionEnded before reconnecting a socket the server closed with 1008', async () => {
    const be = new FakeBackend();
    let settle!: () => void;
    const ended = vi.fn(() => new Promise<void>((r) => (settle = r)));
    const failed = vi.fn();
    const { result } = renderHook(() => useWebhookCalls(be, { onSessionEnded: ended, onConnectFailed: failed, backoffBaseMs: 100 }));
    act(() => be.last.open());
    act(() => be.last.onclose?.({ code: 1008, reason: 'the session has ended; sign in again' }));
    expect(ended).toHaveBeenCalledTimes(1);
    expect(failed).not.toHaveBeenCalled();
    expect(result.current.status).toBe('closed');
    expect(result.current.attempts).toBe(0);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(60_000);
    });
    expect(be.sockets).toHaveLength(1); // still finding out
    await act(async () => {
      settle();
      await vi.advanceTimersByTimeAsync(0);
    });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(100);
    });
    expect(be.sockets).toHaveLength(2);
  });

  it('reconnects after 1008 even when the check fails; other codes do not ask', async () => {
    const be = new FakeBackend();
    const ended = vi.fn(() => Promise.reject(new Error('unreachable')));
    renderHook(() => useWebhookCalls(be, { onSessionEnded: ended, backoffBaseMs: 100 }));
    act(() => be.last.open());
    act(() => be.last.onclose?.({ code: 1008 }));
    await act(async () => {
      await vi.advanceTimersByTimeAsync(100);
    });
    expect(be.sockets).toHaveLength(2);
    act(() => be.last.open());
    act(() => be.last.onclose?.({ code: 1006 }));
    await act(async () => {
      await vi.advanceTimersByTimeAsync(100);
    });
    expect(be.sockets).toHaveLength(3);
    expect(ended).toHaveBeenCalledTimes(1);
  });
});
