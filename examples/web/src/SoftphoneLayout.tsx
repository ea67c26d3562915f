// SoftphoneLayout — header, tabs (Dialer, Contacts, Call Logs, Users for
// administrators, Settings) and the screens. Screens stay mounted when hidden so a call in progress
// keeps its state while you look at contacts or logs.
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { managesUsers, useAccount } from './account';
import type { Health } from './api/types';
import { AccountMenu } from './components/AccountMenu';
import { Toasts, useNow } from './components/common';
import { Icon, type IconName } from './components/Icon';
import { useBackend } from './context';
import { useLiveCalls } from './liveCalls';
import { isTerminal } from './lib/calls';
import { elapsedSeconds, formatDuration, statusLabel } from './lib/format';
import { formatPhone } from './lib/phone';
import { CallLogsScreen } from './screens/CallLogsScreen';
import { ContactsScreen } from './screens/ContactsScreen';
import { DialerScreen, type DialRequest } from './screens/DialerScreen';
import { SettingsScreen } from './screens/SettingsScreen';
import { UsersScreen } from './screens/UsersScreen';

export type TabId = 'dialer' | 'contacts' | 'logs' | 'users' | 'settings';
interface Tab {
  id: TabId;
  label: string;
  icon: IconName;
}
const TAB_DIALER: Tab = { id: 'dialer', label: 'Dialer', icon: 'keypad' };
const TAB_USERS: Tab = { id: 'users', label: 'Users', icon: 'shield' };
const TABS_FOR_ALL: Tab[] = [
  TAB_DIALER,
  { id: 'contacts', label: 'Contacts', icon: 'users' },
  { id: 'logs', label: 'Call Logs', icon: 'clock' },
  { id: 'settings', label: 'Settings', icon: 'settings' },
];
/** Users goes before Settings, for administrators of a server with sign-in. */
const TABS_FOR_ADMINS: Tab[] = [...TABS_FOR_ALL.slice(0, 3), TAB_USERS, ...TABS_FOR_ALL.slice(3)];

function tabFromHash(tabs: Tab[]): TabId {
  const h = window.location.hash.replace('#', '');
  return tabs.find((t) => t.id === h)?.id ?? 'dialer';
}

export function SoftphoneLayout({ health, onLeaveLocalDemo }: { health: Health | null; onLeaveLocalDemo?: () => void }) {
  const { me } = useAccount();
  const tabs = managesUsers(me) ? TABS_FOR_ADMINS : TABS_FOR_ALL;
  const [tab, setTabState] = useState<TabId>(() => tabFromHash(tabs));
  const [dialRequest, setDialRequest] = useState<DialRequest | null>(null);
  const tabRefs = useRef<Record<string, HTMLButtonElement | null>>({});
  const { backend } = useBackend();
  const live = useLiveCalls();

  const setTab = useCallback((t: TabId, focus = false) => {
    setTabState(t);
    if (window.location.hash !== `#${t}`) window.history.replaceState(null, '', `#${t}`);
    if (focus) tabRefs.current[t]?.focus();
  }, []);

  useEffect(() => {
    const onHash = () => setTabState(tabFromHash(tabs));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [tabs]);

  // A tab that is no longer there (the role changed): back to the dialer.
  useEffect(() => {
    if (!tabs.some((t) => t.id === tab)) setTab('dialer');
  }, [tabs, tab, setTab]);

  const requestCall = useCallback(
    (number: string, name?: string) => {
      setDialRequest({ number, name, call: true, nonce: Date.now() + Math.random() });
      setTab('dialer');
    },
    [setTab],
  );

  // Arrow keys move between tabs (WAI-ARIA tabs pattern).
  const onTabKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = tabs.findIndex((t) => t.id === tab);
    let j = -1;
    if (e.key === 'ArrowRight') j = (i + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') j = (i - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = tabs.length - 1;
    if (j >= 0) {
      e.preventDefault();
      setTab(tabs[j]!.id, true);
    }
  };

  const ongoing = Object.values(live.calls).find((c) => !isTerminal(c.status)) ?? null;
  const now = useNow(!!ongoing && ongoing.status === 'active');
  const localDemo = backend.kind === 'local-demo';
  const serverDemo = !localDemo && health?.mode === 'demo';
  const streamDown = !localDemo && live.status === 'closed' && live.attempts >= 2;

  return (
    <div className="app">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <div className="brand">
          <span className="logo" aria-hidden="true">
            <Icon name="phone" size={18} />
          </span>
          <span className="brand-name">callwire</span>
          {serverDemo && (
            <span className="badge badge-demo" data-testid="demo-badge" title="The server simulates calls: no real calls are placed">
              Demo
            </span>
          )}
          {localDemo && (
            <span className="badge badge-local" data-testid="local-demo-badge" title="Everything runs in this browser">
              Local demo
            </span>
          )}
          {!localDemo && health?.mode === 'live' && <span className="badge badge-live">Live</span>}
        </div>
        <div className="topbar-right">
          <span className={`conn conn-${live.status}`} role="status" data-testid="connection" data-state={live.status}>
            <span className="conn-dot" aria-hidden="true" />
            <span className="conn-text">{live.status === 'open' ? 'Connected' : live.status === 'connecting' ? 'Connecting…' : 'Reconnecting…'}</span>
          </span>
          {localDemo && onLeaveLocalDemo && (
            <button type="button" className="btn btn-small" onClick={onLeaveLocalDemo}>
              Retry server
            </button>
          )}
          <AccountMenu />
        </div>
      </header>

      <nav className="tabs-wrap" aria-label="Sections">
        <div className="tabs" role="tablist" aria-label="Softphone" onKeyDown={onTabKey}>
          {tabs.map((t) => (
            <button
              key={t.id}
              ref={(el) => {
                tabRefs.current[t.id] = el;
              }}
              id={`tab-${t.id}`}
              type="button"
              role="tab"
              aria-selected={tab === t.id}
              aria-controls={`panel-${t.id}`}
              tabIndex={tab === t.id ? 0 : -1}
              className={`tab ${tab === t.id ? 'on' : ''}`}
              onClick={() => setTab(t.id)}
            >
              <Icon name={t.icon} size={20} />
              <span>{t.label}</span>
            </button>
          ))}
        </div>
      </nav>

      {streamDown && (
        <div className="banner banner-warn" role="status">
          <Icon name="wifiOff" size={18} /> Live updates are disconnected; reconnecting. Calls in progress are checked every few seconds.
        </div>
      )}
      {ongoing && tab !== 'dialer' && (
        <button type="button" className="ongoing" onClick={() => setTab('dialer')} data-testid="ongoing-call">
          <span className="ongoing-dot" aria-hidden="true" />
          {statusLabel(ongoing.status)} · {ongoing.contact_name ?? formatPhone(ongoing.to_number)}
          {ongoing.status === 'active' && ` · ${formatDuration(elapsedSeconds(ongoing.answered_at, now))}`}
          <span className="ongoing-go">Return to call</span>
        </button>
      )}

      <main id="main" className="main" tabIndex={-1}>
        {tabs.map((t) => (
          <div
            key={t.id}
            id={`panel-${t.id}`}
            role="tabpanel"
            aria-labelledby={`tab-${t.id}`}
            hidden={tab !== t.id}
            className="panel"
          >
            {t.id === 'dialer' && <DialerScreen dialRequest={dialRequest} visible={tab === 'dialer'} />}
            {t.id === 'contacts' && <ContactsScreen onCall={requestCall} />}
            {t.id === 'logs' && <CallLogsScreen onCall={requestCall} />}
            {t.id === 'users' && <UsersScreen visible={tab === 'users'} />}
            {t.id === 'settings' && <SettingsScreen health={health} />}
          </div>
        ))}
      </main>
      <Toasts />
    </div>
  );
}
