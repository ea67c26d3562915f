// The app: find the server (GET /health), then show the softphone — or, when
// the server cannot be reached, say so and offer local demo mode.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { HttpBackend, type Backend } from './api/client';
import { readToken } from './api/token';
import { LocalDemoBackend } from './api/localDemo';
import type { Health } from './api/types';
import { Icon } from './components/Icon';
import { BackendProvider, NotifierProvider } from './context';
import { LiveCallsProvider } from './liveCalls';
import { SoftphoneLayout } from './SoftphoneLayout';

type Conn =
  | { state: 'checking' }
  | { state: 'server'; health: Health }
  | { state: 'unreachable'; reason: string }
  | { state: 'local-demo' };

/** GET /health; resolves with its JSON, rejects with a reason. */
export async function checkHealth(timeoutMs = 5000): Promise<Health> {
  const ctl = new AbortController();
  const t = setTimeout(() => ctl.abort(), timeoutMs);
  try {
    const res = await fetch('/health', { headers: { Accept: 'application/json' }, signal: ctl.signal });
    if (!res.ok) throw new Error(`The server answered ${res.status} ${res.statusText}`.trim());
    const body = (await res.json().catch(() => null)) as Health | null;
    if (!body || typeof body !== 'object') throw new Error('The server did not answer /health with JSON');
    return body;
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw new Error('The server did not answer in time');
    if (e instanceof TypeError) throw new Error('No server answered');
    throw e;
  } finally {
    clearTimeout(t);
  }
}

function wantsLocalDemo(): boolean {
  try {
    return new URL(window.location.href).searchParams.get('demo') === 'local';
  } catch {
    return false;
  }
}

export function App() {
  const [conn, setConn] = useState<Conn>(() => (wantsLocalDemo() ? { state: 'local-demo' } : { state: 'checking' }));
  const token = useMemo(() => readToken(), []);

  const probe = useCallback(() => {
    setConn({ state: 'checking' });
    checkHealth().then(
      (health) => setConn({ state: 'server', health }),
      (e: Error) => setConn({ state: 'unreachable', reason: e.message }),
    );
  }, []);

  useEffect(() => {
    if (conn.state === 'checking') probe();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const backend: Backend | null = useMemo(() => {
    if (conn.state === 'server') return new HttpBackend({ token });
    if (conn.state === 'local-demo') return new LocalDemoBackend();
    return null;
    // Only the kind of connection matters, not the health details.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [conn.state, token]);

  if (conn.state === 'checking') {
    return (
      <div className="splash" role="status" aria-live="polite">
        <span className="logo big" aria-hidden="true">
          <Icon name="phone" size={28} />
        </span>
        <p>Connecting to callwire…</p>
      </div>
    );
  }

  if (conn.state === 'unreachable') {
    return (
      <main className="splash" data-testid="unreachable">
        <div className="card unreachable">
          <span className="logo big warn" aria-hidden="true">
            <Icon name="wifiOff" size={28} />
          </span>
          <h1>Cannot reach the callwire server</h1>
          <p className="muted">
            {conn.reason}. The softphone talks to <code>callwire-server</code> at <code>{window.location.origin}</code>. Start it
            (in demo mode if you have no Telnyx key) and retry, or try the softphone in a local demo that runs entirely in this
            browser.
          </p>
          <div className="form-actions center">
            <button type="button" className="btn" onClick={probe}>
              <Icon name="refresh" size={18} /> Retry
            </button>
            <button type="button" className="btn btn-primary" onClick={() => setConn({ state: 'local-demo' })} data-testid="use-local-demo">
              Use local demo mode
            </button>
          </div>
        </div>
      </main>
    );
  }

  return (
    <NotifierProvider>
      <BackendProvider backend={backend!}>
        <LiveCallsProvider>
          <SoftphoneLayout
            health={conn.state === 'server' ? conn.health : null}
            onLeaveLocalDemo={conn.state === 'local-demo' ? probe : undefined}
          />
        </LiveCallsProvider>
      </BackendProvider>
    </NotifierProvider>
  );
}
