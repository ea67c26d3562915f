// The header's account: who is signed in (name, role), their status — a
// picker for available / away, read-only while the server sets it (busy on a
// call, wrap-up after one, offline) — and Sign out. Nothing without sign-in.
import { useState } from 'react';
import { useAccount } from '../account';
import { OWN_STATUSES, type Role, type UserStatus } from '../api/types';
import { useNotifier } from '../context';
import { Avatar } from './common';
import { Icon } from './Icon';

export const USER_STATUS_LABELS: Record<UserStatus, string> = {
  available: 'Available',
  away: 'Away',
  busy: 'On a call',
  wrap_up: 'Wrap-up',
  offline: 'Offline',
};

export const ROLE_LABELS: Record<Role, string> = { admin: 'Administrator', agent: 'Agent' };

export function userStatusLabel(s: string): string {
  return USER_STATUS_LABELS[s as UserStatus] ?? s;
}

/** Statuses the server sets from calls: not to be changed by hand while they last. */
function setByCalls(s: UserStatus): boolean {
  return s === 'busy' || s === 'wrap_up';
}

export function AccountMenu() {
  const { me, signOut, setStatus } = useAccount();
  const { notifyError } = useNotifier();
  const [saving, setSaving] = useState(false);
  const [leaving, setLeaving] = useState(false);
  if (me.kind === 'local') return null;

  const out = signOut && (
    <button
      type="button"
      className="btn btn-small account-out"
      onClick={() => {
        setLeaving(true);
        void signOut();
      }}
      disabled={leaving}
      aria-label="Sign out"
      title={me.kind === 'service' ? 'Forget the service token in this tab (it stays valid on the server)' : 'Sign out'}
      data-testid="sign-out"
    >
      <Icon name="logOut" size={16} />
      <span className="account-out-text">Sign out</span>
    </button>
  );

  if (me.kind === 'service' || !me.user) {
    return (
      <div className="account" data-testid="account" data-kind={me.kind}>
        <span className="account-avatar service" aria-hidden="true">
          <Icon name="shield" size={16} />
        </span>
        <span className="account-who">
          <span className="account-name">Service token</span>
          <span className="account-role">{ROLE_LABELS[me.role]}</span>
        </span>
        {out}
      </div>
    );
  }

  const u = me.user;
  const own = OWN_STATUSES.includes(u.status);
  const change = async (s: UserStatus) => {
    if (!setStatus || s === u.status) return;
    setSaving(true);
    try {
      await setStatus(s);
    } catch (e) {
      notifyError(e, 'Could not change your status');
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="account" data-testid="account" data-kind="user" data-status={u.status}>
      <Avatar name={u.name} size={32} />
      <span className="account-who">
        <span className="account-name" data-testid="account-name">
          {u.name}
        </span>
        <span className="account-role" data-testid="account-role">
          {ROLE_LABELS[u.role]}
        </span>
      </span>
      <span className={`presence presence-${u.status}`} aria-hidden="true" />
      <label htmlFor="my-status" className="sr-only">
        Your status
      </label>
      <select
        id="my-status"
        className="status-select"
        data-testid="my-status"
        value={u.status}
        disabled={saving || !setStatus || setByCalls(u.status)}
        title={setByCalls(u.status) ? 'Set by your calls; it changes back on its own' : undefined}
        onChange={(e) => void change(e.target.value as UserStatus)}
      >
        {OWN_STATUSES.map((s) => (
          <option key={s} value={s}>
            {USER_STATUS_LABELS[s]}
          </option>
        ))}
        {!own && (
          <option value={u.status} disabled>
            {userStatusLabel(u.status)}
          </option>
        )}
      </select>
      {out}
    </div>
  );
}
