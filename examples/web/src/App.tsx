// The app: find the server (GET /health), ask who we are (GET /api/auth/me;
// the sign-in screen when the server requires it), then show the softphone —
// or, when the server cannot be reached, say so and offer local demo mode.
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { Backend } from './api/client';
import { LocalDemoBackend } from './api/localDemo';
import { LOCAL_ME, SessionController } from './api/session';
import { readToken, TokenStore } from './api/token';
import type { Health } from './api/types';
import { AccountProvider, type Account } from './account';
import { Icon } from './components/Icon';
import { BackendProvider, NotifierProvider } from './context';
import { LiveCallsProvider } from './liveCalls';
import { SignInScreen } from './screens/SignInScreen';
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

function Splash({ text }: { text: string }) {
  return (
    <div className="splash" role="status" aria-live="polite">
      <span className="logo big" aria-hidden="true">
        <Icon name="phone" size={28} />
      </span>
      <p>{text}</p>
    </div>
  );
}

/** The softphone itself, for any backend and account. */
function Softphone({
  backend,
  account,
  session,
  health,
  onLeaveLocalDemo,
}: {
  backend: Backend;
  account: Account;
  session: number;
  health: Health | null;
  onLeaveLocalDemo?: () => void;
}) {
  return (
    <AccountProvider account={account}>
      <NotifierProvider>
        <BackendProvider backend={backend} session={session}>
          <LiveCallsProvider>
            <SoftphoneLayout health={health} onLeaveLocalDemo={onLeaveLocalDemo} />
          </LiveCallsProvider>
        </BackendProvider>
      </NotifierProvider>
    </AccountProvider>
  );
}

const LOCAL_ACCOUNT: Account = { me: LOCAL_ME };

/** Against callwire-server: who we are first, then the softphone. */
function ServerApp({ health }: { health: Health }) {
  const controller = useMemo(() => new SessionController({ store: new TokenStore(readToken()) }), []);
  const state = useSyncExternalStore(controller.subscribe, controller.getState);

  useEffect(() => {
    void controller.start();
    return () => controller.dispose();
  }, [controller]);

  const signIn = useCallback((email: string, password: string) => controller.signIn(email, password), [controller]);
  const signOut = useCallback(() => controller.signOut(), [controller]);
  const me = state.phase === 'ready' ? state.me : null;
  const account = useMemo<Account | null>(
    () =>
      me && {
        me,
        signOut: me.kind === 'local' ? undefined : signOut,
        setStatus: me.kind === 'user' ? (status) => controller.setStatus(status) : undefined,
        refresh: () => controller.refresh(),
        adopt: (s) => controller.adopt(s),
        updateUser: (u) => controller.updateUser(u),
      },
    [me, controller, signOut],
  );

  if (state.phase === 'checking') return <Splash text="Connecting to callwire…" />;
  if (state.phase === 'sign-in') return <SignInScreen onSignIn={signIn} notice={state.notice} />;
  if (state.phase === 'failed') {
    return (
      <main className="splash" data-testid="session-failed">
        <div className="card unreachable">
          <span className="logo big warn" aria-hidden="true">
            <Icon name="wifiOff" size={28} />
          </span>
          <h1>Cannot tell who is signed in</h1>
          <p className="muted">{state.detail}</p>
          <div className="form-actions center">
            <button type="button" className="btn" onClick={() => void controller.start()}>
              <Icon name="refresh" size={18} /> Retry
            </button>
          </div>
        </div>
      </main>
    );
  }
  return (
    <>
      {/* Behind the sign-in, the app stays mounted (and inert): nothing typed is lost. */}
      <div className="app-frame" inert={state.renew !== null}>
        <Softphone key={state.generation} backend={controller.backend} account={account!} session={state.epoch} health={health} />
      </div>
      {state.renew && (
        <SignInScreen
          overlay
          onSignIn={signIn}
          notice={state.renew.detail}
          email={state.me.user?.email ?? ''}
          onSignOut={() => void signOut()}
        />
      )}
    </>
  );
}

export function App() {
  const [conn, setConn] = useState<Conn>(() => (wantsLocalDemo() ? { state: 'local-demo' } : { state: 'checking' }));

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

  const localBackend = useMemo(() => (conn.state === 'local-demo' ? new LocalDemoBackend() : null), [conn.state]);

  if (conn.state === 'checking') return <Splash text="Connecting to callwire…" />;

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

  if (conn.state === 'server') return <ServerApp health={conn.health} />;
  return <Softphone backend={localBackend!} account={LOCAL_ACCOUNT} session={0} health={null} onLeaveLocalDemo={probe} />;
}
