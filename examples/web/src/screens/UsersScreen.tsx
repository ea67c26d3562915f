// UsersScreen — the team's accounts, for administrators: the list (name,
// email, role, status, disabled), add a user, change a role, disable or
// enable, reset a password. The server's sentences are shown as they are
// ("The team needs at least one administrator who can sign in.").
import { useEffect, useState, type FormEvent } from 'react';
import { useAccount } from '../account';
import { ApiError, UNREACHABLE } from '../api/client';
import type { Role, User } from '../api/types';
import { ROLE_LABELS, userStatusLabel } from '../components/AccountMenu';
import { Avatar, EmptyState, Modal } from '../components/common';
import { Icon } from '../components/Icon';
import { useNotifier } from '../context';
import { isSession, useUsersApi, type NewUserInput } from '../hooks/useUsersApi';
import { usePresence, withPresence } from '../liveCalls';

/** The server's sentence for a failed request, without the status code. */
export function sentence(e: unknown): string {
  if (e instanceof ApiError) return e.status === 0 ? UNREACHABLE : e.detail;
  return e instanceof Error ? e.message : String(e);
}

const ROLES: Role[] = ['agent', 'admin'];

export function UsersScreen({ visible = true }: { visible?: boolean }) {
  // Statuses arrive live (agent.updated over the socket); the list is
  // fetched again every time the screen is shown and after the socket
  // reconnects, when updates may have been missed.
  const [shown, setShown] = useState(0);
  useEffect(() => {
    if (visible) setShown((n) => n + 1);
  }, [visible]);
  const presence = usePresence();
  const api = useUsersApi(`${shown}:${presence.connections}`);
  const users = api.users.map((u) => withPresence(u, presence.agents, api.fetchedAt));
  const account = useAccount();
  const { notify } = useNotifier();
  const [problem, setProblem] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [resetting, setResetting] = useState<User | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  const myId = account.me.user?.id ?? null;

  /** Runs a change of one row; a failure shows the server's sentence above the list. */
  const run = async (userId: string, what: () => Promise<unknown>) => {
    setPending(userId);
    setProblem(null);
    try {
      await what();
    } catch (e) {
      setProblem(sentence(e));
      api.reload();
    } finally {
      setPending(null);
    }
  };

  const changeRole = (u: User, role: Role) =>
    run(u.id, async () => {
      const updated = await api.change(u.id, { role });
      notify('success', `${updated.name} is now ${role === 'admin' ? 'an administrator' : 'an agent'}`);
      // One's own role: the header and the tabs follow (an agent has no Users screen).
      if (u.id === myId) account.updateUser?.(updated);
    });

  const setDisabled = (u: User, disabled: boolean) =>
    run(u.id, async () => {
      const updated = await api.change(u.id, { disabled });
      notify('success', disabled ? `${updated.name} is disabled and signed out` : `${updated.name} can sign in again`);
    });

  return (
    <div className="screen users-screen">
      <div className="screen-head">
        <h1 className="screen-title">Users</h1>
        <div className="head-actions">
          <button type="button" className="btn" onClick={api.reload} aria-label="Refresh the list" title="Refresh the list" data-testid="users-refresh">
            <Icon name="refresh" size={18} />
          </button>
          <button type="button" className="btn btn-primary" onClick={() => setAdding(true)} data-testid="add-user">
            <Icon name="plus" size={18} /> Add user
          </button>
        </div>
      </div>

      {problem && (
        <div className="banner banner-error" role="alert" data-testid="users-error">
          <Icon name="alert" size={18} />
          <span>{problem}</span>
          <button type="button" className="icon-btn small" aria-label="Dismiss" onClick={() => setProblem(null)}>
            <Icon name="x" size={16} />
          </button>
        </div>
      )}

      {users.length === 0 && !api.loading ? (
        <EmptyState icon="users" title={api.error ? 'The users could not be loaded' : 'No users yet'} />
      ) : (
        <ul className="user-list" aria-label="Users" aria-busy={api.loading} data-testid="user-list">
          {users.map((u) => {
            const me = u.id === myId;
            return (
              <li
                key={u.id}
                className={`user ${u.disabled ? 'is-disabled' : ''}`}
                data-testid="user-row"
                data-user-id={u.id}
                data-email={u.email}
                data-status={u.status}
                data-disabled={u.disabled ? 'true' : 'false'}
              >
                <Avatar name={u.name} size={40} />
                <div className="user-main">
                  <div className="contact-line">
                    <span className="contact-name">{u.name}</span>
                    {me && <span className="tag">You</span>}
                    {u.disabled && (
                      <span className="tag tag-disabled" data-testid="user-disabled">
                        Disabled
                      </span>
                    )}
                  </div>
                  <div className="contact-sub">
                    <span className="muted">{u.email}</span>
                  </div>
                </div>
                <span className={`pill pill-user pill-user-${u.status}`} data-testid="user-status">
                  {userStatusLabel(u.status)}
                </span>
                <div className="user-actions">
                  <label htmlFor={`role-${u.id}`} className="sr-only">
                    Role of {u.name}
                  </label>
                  <select
                    id={`role-${u.id}`}
                    className="role-select"
                    value={u.role}
                    disabled={pending === u.id}
                    onChange={(e) => void changeRole(u, e.target.value as Role)}
                    data-testid="user-role"
                  >
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {ROLE_LABELS[r]}
                      </option>
                    ))}
                  </select>
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => setResetting(u)}
                    disabled={pending === u.id}
                    aria-label={`Reset the password of ${u.name}`}
                    data-testid="user-reset-password"
                  >
                    Reset password
                  </button>
                  <button
                    type="button"
                    className={`btn btn-small ${u.disabled ? '' : 'btn-danger-soft'}`}
                    onClick={() => void setDisabled(u, !u.disabled)}
                    disabled={pending === u.id || me}
                    title={me ? 'You cannot disable your own account' : undefined}
                    aria-label={`${u.disabled ? 'Enable' : 'Disable'} ${u.name}`}
                    data-testid="user-toggle-disabled"
                  >
                    {u.disabled ? 'Enable' : 'Disable'}
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      )}

      <Modal open={adding} title="Add a user" labelId="user-add-title" onClose={() => setAdding(false)}>
        {adding && (
          <AddUserForm
            onCancel={() => setAdding(false)}
            onSubmit={async (input) => {
              const u = await api.add(input);
              notify('success', `${u.name} added; they can sign in now`);
              setProblem(null);
              setAdding(false);
            }}
          />
        )}
      </Modal>

      <Modal open={resetting !== null} title="Reset password" labelId="user-password-title" onClose={() => setResetting(null)}>
        {resetting && (
          <PasswordForm
            user={resetting}
            own={resetting.id === myId}
            onCancel={() => setResetting(null)}
            onSubmit={async (next, old) => {
              const answer = await api.setPassword(resetting.id, next, old);
              // One's own: the old tokens stopped working, the answer is a new session.
              if (isSession(answer)) account.adopt?.(answer);
              notify(
                'success',
                resetting.id === myId ? 'Your password is changed' : `${resetting.name}'s password is changed; their sessions have ended`,
              );
              setResetting(null);
            }}
          />
        )}
      </Modal>
    </div>
  );
}

function AddUserForm({ onSubmit, onCancel }: { onSubmit: (u: NewUserInput) => Promise<void>; onCancel: () => void }) {
  const [v, setV] = useState<NewUserInput>({ email: '', name: '', password: '', role: 'agent' });
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const set = <K extends keyof NewUserInput>(k: K, value: NewUserInput[K]) => setV((x) => ({ ...x, [k]: value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    setError(null);
    try {
      await onSubmit({ ...v, email: v.email.trim(), name: v.name.trim() });
    } catch (err) {
      setError(sentence(err));
      setSaving(false);
    }
  };

  return (
    <form className="form" onSubmit={submit} data-testid="add-user-form" noValidate>
      <div className="field">
        <label htmlFor="new-user-name">Name</label>
        <input id="new-user-name" type="text" autoComplete="off" value={v.name} onChange={(e) => set('name', e.target.value)} required autoFocus />
      </div>
      <div className="field">
        <label htmlFor="new-user-email">Email</label>
        <input id="new-user-email" type="email" autoComplete="off" value={v.email} onChange={(e) => set('email', e.target.value)} required />
      </div>
      <div className="field">
        <label htmlFor="new-user-password">Password</label>
        <input
          id="new-user-password"
          type="password"
          autoComplete="new-password"
          value={v.password}
          onChange={(e) => set('password', e.target.value)}
          aria-describedby="new-user-password-hint"
          required
        />
        <p className="hint" id="new-user-password-hint">
          At least 8 characters. Give it to them yourself; they can change it after signing in.
        </p>
      </div>
      <div className="field">
        <label htmlFor="new-user-role">Role</label>
        <select id="new-user-role" value={v.role} onChange={(e) => set('role', e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
      </div>
      <p className="field-error" role="alert" data-testid="add-user-error">
        {error}
      </p>
      <div className="form-actions">
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={saving || !v.email.trim() || !v.name.trim() || !v.password}>
          {saving ? 'Adding…' : 'Add user'}
        </button>
      </div>
    </form>
  );
}

function PasswordForm({
  user,
  own,
  onSubmit,
  onCancel,
}: {
  user: User;
  own: boolean;
  onSubmit: (next: string, old?: string) => Promise<void>;
  onCancel: () => void;
}) {
  const [next, setNext] = useState('');
  const [old, setOld] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    setError(null);
    try {
      await onSubmit(next, own ? old : undefined);
    } catch (err) {
      setError(sentence(err));
      setSaving(false);
    }
  };

  return (
    <form className="form" onSubmit={submit} data-testid="password-form" noValidate>
      <p className="muted">
        {own
          ? 'Your other sessions end; this one carries on.'
          : `${user.name} (${user.email}) is signed out everywhere and signs in with the new password.`}
      </p>
      {own && (
        <div className="field">
          <label htmlFor="old-password">Current password</label>
          <input id="old-password" type="password" autoComplete="current-password" value={old} onChange={(e) => setOld(e.target.value)} required autoFocus />
        </div>
      )}
      <div className="field">
        <label htmlFor="new-password">New password</label>
        <input
          id="new-password"
          type="password"
          autoComplete="new-password"
          value={next}
          onChange={(e) => setNext(e.target.value)}
          aria-describedby="new-password-hint"
          required
          autoFocus={!own}
        />
        <p className="hint" id="new-password-hint">
          At least 8 characters.
        </p>
      </div>
      <p className="field-error" role="alert" data-testid="password-error">
        {error}
      </p>
      <div className="form-actions">
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={saving || !next || (own && !old)}>
          {saving ? 'Saving…' : 'Set password'}
        </button>
      </div>
    </form>
  );
}
