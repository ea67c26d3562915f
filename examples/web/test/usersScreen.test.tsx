// UsersScreen: the list, add, role, disable/enable, reset password, and the
// server's sentences when it refuses.
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AccountProvider, type Account } from '../src/account';
import { ApiError, type Method } from '../src/api/client';
import type { Session, User } from '../src/api/types';
import { Toasts } from '../src/components/common';
import { BackendProvider, NotifierProvider } from '../src/context';
import { UsersScreen } from '../src/screens/UsersScreen';
import { user } from './support/fakeServer';
import { RecordingBackend } from './support/recordingBackend';

afterEach(cleanup);

const admin = user({ id: 'u-admin', email: 'grace@example.com', name: 'Grace Admin', role: 'admin' });
const agent = user({ id: 'u-agent', email: 'ada@example.com', name: 'Ada Agent', status: 'busy' });
const parked = user({ id: 'u-old', email: 'old@example.com', name: 'Old Timer', status: 'offline', disabled: true });

/** /api/users/* in memory, with the server's rules that matter here. */
class UsersBackend extends RecordingBackend {
  users: User[] = [structuredClone(admin), structuredClone(agent), structuredClone(parked)];
  override async request<T>(method: Method, path: string, body?: unknown): Promise<T> {
    this.log.push({ method, path, body });
    const b = body as Record<string, unknown>;
    if (method === 'GET' && path === '/api/users/') return structuredClone(this.users) as T;
    if (method === 'POST' && path === '/api/users/') {
      if (this.users.some((u) => u.email === b.email)) throw new ApiError(409, 'An account with this email already exists.');
      if (String(b.password).length < 8) throw new ApiError(422, 'password: must be at least 8 characters long');
      const u = user({ id: `u-${this.users.length + 1}`, email: String(b.email), name: String(b.name), role: b.role as User['role'], status: 'offline' });
      this.users.push(u);
      return structuredClone(u) as T;
    }
    const m = path.match(/^\/api\/users\/([^/]+)(\/password)?$/);
    const u = m && this.users.find((x) => x.id === decodeURIComponent(m[1]!));
    if (!u) throw new ApiError(404, 'no such user');
    if (method === 'PUT') {
      const after = { ...u, ...(b as Partial<User>) };
      const admins = this.users.filter((x) => x.id !== u.id && x.role === 'admin' && !x.disabled).length;
      if (admins === 0 && (after.role !== 'admin' || after.disabled)) {
        throw new ApiError(409, 'The team needs at least one administrator who can sign in.');
      }
      Object.assign(u, b);
      return structuredClone(u) as T;
    }
    if (method === 'POST' && m![2]) {
      if (u.id === admin.id) {
        if (b.old_password !== 'current pw') throw new ApiError(403, 'The current password is not right.');
        return { access_token: 'new-token', token_type: 'bearer', expires_in: 43200, user: structuredClone(u) } as T;
      }
      return { user: structuredClone(u) } as T;
    }
    throw new Error(`unexpected ${method} ${path}`);
  }
}

function tree(be: UsersBackend, account: Partial<Account> = {}, visible = true) {
  const full: Account = { me: { kind: 'user', role: 'admin', sign_in_required: true, user: admin }, ...account };
  return (
    <AccountProvider account={full}>
      <NotifierProvider>
        <BackendProvider backend={be}>
          <UsersScreen visible={visible} />
          <Toasts />
        </BackendProvider>
      </NotifierProvider>
    </AccountProvider>
  );
}

function show(be: UsersBackend, account: Partial<Account> = {}) {
  return render(tree(be, account));
}

const row = (email: string) => screen.getAllByTestId('user-row').find((r) => r.dataset.email === email)!;

async function rows() {
  await waitFor(() => expect(screen.getAllByTestId('user-row')).toHaveLength(3));
}

describe('UsersScreen', () => {
  it('lists name, email, role, status and whether the account is disabled', async () => {
    show(new UsersBackend());
    await rows();
    const a = row('ada@example.com');
    expect(within(a).getByText('Ada Agent')).toBeTruthy();
    expect((within(a).getByLabelText('Role of Ada Agent') as HTMLSelectElement).value).toBe('agent');
    expect(within(a).getByTestId('user-status').textContent).toBe('On a call');
    expect(a.dataset.disabled).toBe('false');
    const o = row('old@example.com');
    expect(within(o).getByTestId('user-disabled').textContent).toBe('Disabled');
    expect(within(o).getByRole('button', { name: 'Enable Old Timer' })).toBeTruthy();
    expect(within(row('grace@example.com')).getByText('You')).toBeTruthy();
  });

  it('adds a user, and shows the sentence when the server refuses', async () => {
    const be = new UsersBackend();
    show(be);
    await rows();
    fireEvent.click(screen.getByTestId('add-user'));
    const form = await screen.findByTestId('add-user-form');
    const fill = (label: string, value: string) => fireEvent.change(within(form).getByLabelText(label), { target: { value } });
    fill('Name', 'Bob Agent');
    fill('Email', 'ada@example.com');
    fill('Password', 'long enough');
    await act(async () => {
      fireEvent.submit(form);
    });
    await waitFor(() => expect(within(form).getByTestId('add-user-error').textContent).toBe('An account with this email already exists.'));

    fill('Email', ' bob@example.com ');
    fill('Password', 'short');
    await act(async () => {
      fireEvent.submit(form);
    });
    await waitFor(() => expect(within(form).getByTestId('add-user-error').textContent).toBe('password: must be at least 8 characters long'));

    fill('Password', 'long enough');
    fireEvent.change(within(form).getByLabelText('Role'), { target: { value: 'admin' } });
    await act(async () => {
      fireEvent.submit(form);
    });
    await waitFor(() => expect(screen.getAllByTestId('user-row')).toHaveLength(4));
    expect(be.log.filter((l) => l.method === 'POST').at(-1)!.body).toEqual({
      email: 'bob@example.com',
      name: 'Bob Agent',
      password: 'long enough',
      role: 'admin',
    });
    expect(screen.queryByTestId('add-user-form')).toBeNull();
    await screen.findByText('Bob Agent added; they can sign in now');
  });

  it('changes a role; refused, it says why and shows the role the server kept', async () => {
    const be = new UsersBackend();
    const updateUser = vi.fn();
    show(be, { updateUser });
    await rows();
    await act(async () => {
      fireEvent.change(within(row('ada@example.com')).getByLabelText('Role of Ada Agent'), { target: { value: 'admin' } });
    });
    await waitFor(() => expect((within(row('ada@example.com')).getByLabelText('Role of Ada Agent') as HTMLSelectElement).value).toBe('admin'));
    expect(be.log.find((l) => l.method === 'PUT')).toMatchObject({ path: '/api/users/u-agent', body: { role: 'admin' } });
    expect(updateUser).not.toHaveBeenCalled();

    // Back to one administrator, then the last one tries to become an agent.
    be.users.find((u) => u.id === 'u-agent')!.role = 'agent';
    await act(async () => {
      fireEvent.click(screen.getByTestId('users-refresh'));
    });
    await waitFor(() => expect((within(row('ada@example.com')).getByLabelText('Role of Ada Agent') as HTMLSelectElement).value).toBe('agent'));
    await act(async () => {
      fireEvent.change(within(row('grace@example.com')).getByLabelText('Role of Grace Admin'), { target: { value: 'agent' } });
    });
    await waitFor(() => expect(screen.getByTestId('users-error').textContent).toBe('The team needs at least one administrator who can sign in.'));
    await waitFor(() => expect((within(row('grace@example.com')).getByLabelText('Role of Grace Admin') as HTMLSelectElement).value).toBe('admin'));
  });

  it("tells the header when one's own role changes", async () => {
    const be = new UsersBackend();
    be.users.find((u) => u.id === 'u-agent')!.role = 'admin';
    const updateUser = vi.fn();
    show(be, { updateUser });
    await rows();
    await act(async () => {
      fireEvent.change(within(row('grace@example.com')).getByLabelText('Role of Grace Admin'), { target: { value: 'agent' } });
    });
    await waitFor(() => expect(updateUser).toHaveBeenCalledWith(expect.objectContaining({ id: 'u-admin', role: 'agent' })));
  });

  it('disables and enables, but not oneself', async () => {
    const be = new UsersBackend();
    show(be);
    await rows();
    expect((within(row('grace@example.com')).getByTestId('user-toggle-disabled') as HTMLButtonElement).disabled).toBe(true);
    await act(async () => {
      fireEvent.click(within(row('ada@example.com')).getByRole('button', { name: 'Disable Ada Agent' }));
    });
    await waitFor(() => expect(row('ada@example.com').dataset.disabled).toBe('true'));
    expect(be.log.filter((l) => l.method === 'PUT').at(-1)).toMatchObject({ path: '/api/users/u-agent', body: { disabled: true } });
    await screen.findByText('Ada Agent is disabled and signed out');
    await act(async () => {
      fireEvent.click(within(row('old@example.com')).getByRole('button', { name: 'Enable Old Timer' }));
    });
    await waitFor(() => expect(row('old@example.com').dataset.disabled).toBe('false'));
    expect(be.log.filter((l) => l.method === 'PUT').at(-1)!.body).toEqual({ disabled: false });
  });

  it("resets another user's password with new_password only", async () => {
    const be = new UsersBackend();
    const adopt = vi.fn();
    show(be, { adopt });
    await rows();
    fireEvent.click(within(row('ada@example.com')).getByRole('button', { name: 'Reset the password of Ada Agent' }));
    const form = await screen.findByTestId('password-form');
    expect(within(form).queryByLabelText('Current password')).toBeNull();
    fireEvent.change(within(form).getByLabelText('New password'), { target: { value: 'brand new pw' } });
    await act(async () => {
      fireEvent.submit(form);
    });
    await waitFor(() => expect(screen.queryByTestId('password-form')).toBeNull());
    expect(be.log.filter((l) => l.method === 'POST').at(-1)).toEqual({
      method: 'POST',
      path: '/api/users/u-agent/password',
      body: { new_password: 'brand new pw' },
    });
    expect(adopt).not.toHaveBeenCalled();
    await screen.findByText("Ada Agent's password is changed; their sessions have ended");
  });

  it('changes one\'s own password with the current one, and takes the new session', async () => {
    const be = new UsersBackend();
    const adopt = vi.fn((s: Session) => s);
    show(be, { adopt });
    await rows();
    fireEvent.click(within(row('grace@example.com')).getByRole('button', { name: 'Reset the password of Grace Admin' }));
    const form = await screen.findByTestId('password-form');
    fireEvent.change(within(form).getByLabelText('Current password'), { target: { value: 'wrong' } });
    fireEvent.change(within(form).getByLabelText('New password'), { target: { value: 'brand new pw' } });
    await act(async () => {
      fireEvent.submit(form);
    });
    await waitFor(() => expect(within(form).getByTestId('password-error').textContent).toBe('The current password is not right.'));
    fireEvent.change(within(form).getByLabelText('Current password'), { target: { value: 'current pw' } });
    await act(async () => {
      fireEvent.submit(form);
    });
    await waitFor(() => expect(adopt).toHaveBeenCalledTimes(1));
    expect(adopt.mock.calls[0]![0].access_token).toBe('new-token');
    expect(be.log.filter((l) => l.method === 'POST').at(-1)!.body).toEqual({ new_password: 'brand new pw', old_password: 'current pw' });
  });

  it('fetches the list again each time it is shown', async () => {
    const be = new UsersBackend();
    const { rerender } = show(be);
    await rows();
    const gets = () => be.log.filter((l) => l.method === 'GET').length;
    const before = gets();
    rerender(tree(be, {}, false));
    await act(async () => undefined);
    expect(gets()).toBe(before);
    rerender(tree(be, {}, true));
    await waitFor(() => expect(gets()).toBeGreaterThan(before));
  });
});
