// The app with sign-in: the sign-in screen when the server wants one, the
// server's sentences for failures, and a 401 in use that keeps what was typed.
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TOKEN_KEY } from '../src/api/token';
import { App } from '../src/App';
import { SignInScreen } from '../src/screens/SignInScreen';
import { ApiError } from '../src/api/client';
import { FakeServer, user } from './support/fakeServer';

let server: FakeServer;
let sockets: string[];

beforeEach(() => {
  window.history.replaceState(null, '', '/');
  server = new FakeServer();
  server.addUser(user(), 'correct horse');
  server.routes['POST /api/telnyx/dial'] = (s) => {
    const to = (s.body as { to_number: string }).to_number;
    return [200, { call_id: 'c1', status: 'dialing', to_number: to, from_number: '+15550100001' }];
  };
  sockets = [];
  vi.stubGlobal(
    'WebSocket',
    class {
      onopen = null;
      onmessage = null;
      onclose = null;
      onerror = null;
      constructor(url: string) {
        sockets.push(url);
      }
      close() {}
    },
  );
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  sessionStorage.clear();
  localStorage.clear();
});

async function signIn(email: string, password: string, within_: HTMLElement = document.body) {
  const form = within(within_).getByTestId('signin-form');
  fireEvent.change(within(form).getByLabelText('Email'), { target: { value: email } });
  fireEvent.change(within(form).getByLabelText('Password'), { target: { value: password } });
  await act(async () => {
    fireEvent.submit(form);
  });
}

describe('App with sign-in', () => {
  it('asks to sign in, shows the sentence for a wrong password, then opens the softphone', async () => {
    render(<App />);
    await screen.findByTestId('signin-screen');
    expect(screen.queryByRole('tablist')).toBeNull();

    await signIn('agent@example.com', 'wrong');
    await waitFor(() => expect(screen.getByTestId('signin-error').textContent).toBe('The email or the password is not right.'));
    expect((screen.getByLabelText('Password') as HTMLInputElement).value).toBe('');
    expect((screen.getByLabelText('Email') as HTMLInputElement).value).toBe('agent@example.com');

    await signIn('agent@example.com', 'correct horse');
    await screen.findByRole('tablist');
    expect(screen.queryByRole('tab', { name: 'Users' })).toBeNull(); // agents manage no users
    const token = sessionStorage.getItem(TOKEN_KEY)!;
    expect(token).toBeTruthy();
    expect(window.location.href).not.toContain(token);
    await waitFor(() => expect(sockets.at(-1)).toContain(`/ws/calls?token=${encodeURIComponent(token)}`));
    const listed = server.seen.filter((s) => s.path.startsWith('/api/numbers/'));
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((s) => s.token === token)).toBe(true);
  });

  it('keeps what was typed when the session ends, and places the call after the sign-in', async () => {
    render(<App />);
    await screen.findByTestId('signin-screen');
    await signIn('agent@example.com', 'correct horse');
    const number = (await screen.findByLabelText('Phone number')) as HTMLInputElement;
    fireEvent.change(number, { target: { value: '4155550123' } });
    const shownNumber = number.value;
    const socketsBefore = sockets.length;

    server.revoke('u-agent'); // an administrator reset the password, or signed the agent out
    await act(async () => {
      fireEvent.click(screen.getByTestId('call-button'));
    });
    const overlay = await screen.findByTestId('signin-overlay');
    expect(within(overlay).getByTestId('signin-notice').textContent).toBe('Invalid token: the session has ended; sign in again');
    expect((within(overlay).getByLabelText('Email') as HTMLInputElement).value).toBe('agent@example.com');
    // The app is still there behind it, inert, with the number as typed.
    expect(document.querySelector('.app-frame')!.hasAttribute('inert')).toBe(true);
    expect((screen.getByLabelText('Phone number') as HTMLInputElement).value).toBe(shownNumber);

    await signIn('agent@example.com', 'correct horse', overlay);
    await waitFor(() => expect(screen.queryByTestId('signin-overlay')).toBeNull());
    await screen.findByTestId('call-panel');
    const dials = server.seen.filter((s) => s.path === '/api/telnyx/dial');
    expect(dials).toHaveLength(2);
    expect(dials[1]!.body).toEqual({ to_number: '+14155550123' });
    expect(document.querySelector('.app-frame')!.hasAttribute('inert')).toBe(false);
    // The live-call socket comes back with the new token.
    await waitFor(() => expect(sockets.length).toBeGreaterThan(socketsBefore));
    expect(sockets.at(-1)).toContain(encodeURIComponent(sessionStorage.getItem(TOKEN_KEY)!));
  });

  it('goes back to the sign-in page when the user signs out from the overlay', async () => {
    render(<App />);
    await screen.findByTestId('signin-screen');
    await signIn('agent@example.com', 'correct horse');
    await screen.findByLabelText('Phone number');
    server.revoke('u-agent');
    fireEvent.change(screen.getByLabelText('Phone number'), { target: { value: '4155550123' } });
    await act(async () => {
      fireEvent.click(screen.getByTestId('call-button'));
    });
    const overlay = await screen.findByTestId('signin-overlay');
    await act(async () => {
      fireEvent.click(within(overlay).getByRole('button', { name: 'Sign out' }));
    });
    await screen.findByTestId('signin-screen');
    expect(screen.getByTestId('signin-notice').textContent).toBe('You signed out.');
    expect(screen.queryByRole('tablist')).toBeNull();
  });

  it('shows the user in the header, changes their status, and signs out', async () => {
    render(<App />);
    await screen.findByTestId('signin-screen');
    await signIn('agent@example.com', 'correct horse');
    expect((await screen.findByTestId('account-name')).textContent).toBe('Ada Agent');
    await act(async () => {
      fireEvent.change(screen.getByLabelText('Your status'), { target: { value: 'away' } });
    });
    await waitFor(() => expect((screen.getByLabelText('Your status') as HTMLSelectElement).value).toBe('away'));
    const put = server.seen.find((s) => s.method === 'PUT')!;
    expect(put.path).toBe('/api/users/me/status');
    expect(put.body).toEqual({ status: 'away' });

    const token = sessionStorage.getItem(TOKEN_KEY)!;
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    });
    await screen.findByTestId('signin-screen');
    expect(server.requests('POST').at(-1)).toBe('POST /api/auth/logout');
    expect(server.valid.has(token)).toBe(false);
    expect(sessionStorage.getItem(TOKEN_KEY)).toBeNull();
  });

  it('gives administrators the Users screen, and takes it away when they become an agent', async () => {
    server.addUser(user({ id: 'u-admin', email: 'grace@example.com', name: 'Grace Admin', role: 'admin' }), 'admin password');
    server.routes['GET /api/users/'] = () => [200, [...server.users.values()].map((u) => u.user)];
    server.routes['PUT /api/users/u-admin'] = (s) => {
      const u = server.users.get('grace@example.com')!.user;
      Object.assign(u, s.body);
      return [200, u];
    };
    window.history.replaceState(null, '', '/#users');
    render(<App />);
    await screen.findByTestId('signin-screen');
    await signIn('grace@example.com', 'admin password');
    const tab = await screen.findByRole('tab', { name: 'Users' });
    expect(tab.getAttribute('aria-selected')).toBe('true');
    await waitFor(() => expect(screen.getAllByTestId('user-row')).toHaveLength(2));
    expect(screen.getByTestId('account-role').textContent).toBe('Administrator');

    const mine = screen.getAllByTestId('user-row').find((r) => r.dataset.email === 'grace@example.com')!;
    await act(async () => {
      fireEvent.change(within(mine).getByLabelText('Role of Grace Admin'), { target: { value: 'agent' } });
    });
    await waitFor(() => expect(screen.queryByRole('tab', { name: 'Users' })).toBeNull());
    expect(screen.getByTestId('account-role').textContent).toBe('Agent');
    expect(screen.getByRole('tab', { name: 'Dialer' }).getAttribute('aria-selected')).toBe('true');
  });

  it('takes a service token from ?token= and keeps it out of the address bar', async () => {
    server.valid.set('svc-token', '');
    window.history.replaceState(null, '', '/?token=svc-token#contacts');
    render(<App />);
    await screen.findByRole('tablist');
    expect(window.location.search).toBe('');
    expect(window.location.hash).toBe('#contacts');
    expect(sessionStorage.getItem(TOKEN_KEY)).toBe('svc-token');
    expect(screen.getByRole('tab', { name: 'Users' })).toBeTruthy(); // a service token acts as an administrator
    expect(server.seen.find((s) => s.path === '/api/auth/me')!.token).toBe('svc-token');
  });

  it('opens straight into the softphone on a server without sign-in', async () => {
    server.signInRequired = false;
    render(<App />);
    await screen.findByRole('tablist');
    expect(screen.queryByTestId('signin-screen')).toBeNull();
    expect(sessionStorage.getItem(TOKEN_KEY)).toBeNull();
    expect(server.seen.every((s) => s.token === null)).toBe(true);
    expect(screen.queryByTestId('account')).toBeNull();
    expect(screen.queryByRole('tab', { name: 'Users' })).toBeNull();
  });
});

describe('SignInScreen', () => {
  it("shows the server's sentence for too many failed sign-ins", async () => {
    const onSignIn = vi.fn(async () => {
      throw new ApiError(429, 'Too many failed sign-ins; try again in 15 minutes.');
    });
    render(<SignInScreen onSignIn={onSignIn} />);
    await signIn(' agent@example.com ', 'pw');
    expect(onSignIn).toHaveBeenCalledWith('agent@example.com', 'pw');
    await waitFor(() => expect(screen.getByTestId('signin-error').textContent).toBe('Too many failed sign-ins; try again in 15 minutes.'));
    expect(screen.getByRole('alert').textContent).toBe('Too many failed sign-ins; try again in 15 minutes.');
  });

  it('says so when the server cannot be reached', async () => {
    render(<SignInScreen onSignIn={async () => Promise.reject(new ApiError(0, 'Cannot reach the callwire server'))} />);
    await signIn('a@b.c', 'pw');
    await waitFor(() => expect(screen.getByTestId('signin-error').textContent).toBe('Cannot reach the callwire server'));
  });

  it('cannot be sent empty, and focuses the password when the email is known', () => {
    render(<SignInScreen onSignIn={async () => undefined} email="agent@example.com" overlay />);
    expect(document.activeElement).toBe(screen.getByLabelText('Password'));
    expect((screen.getByTestId('signin-submit') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole('dialog', { name: 'Sign in again' })).toBeTruthy();
  });
});
