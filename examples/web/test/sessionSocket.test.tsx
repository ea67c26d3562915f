// A socket the server closes with 1008: the app asks GET /api/auth/me — the
// sign-in when the session was revoked, the new role when only that changed
// — and reconnects after.
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../src/App';
import { TOKEN_KEY } from '../src/api/token';
import { FakeServer, user } from './support/fakeServer';
import { DrivenSocket, stubWebSocket } from './support/fakeSocket';
import { signIn } from './support/signIn';

let server: FakeServer;
const ENDED = 'the session has ended; sign in again';

beforeEach(() => {
  window.history.replaceState(null, '', '/');
  server = new FakeServer();
  server.addUser(user({ id: 'u-admin', email: 'grace@example.com', name: 'Grace Admin', role: 'admin' }), 'admin password');
  server.addUser(user({ id: 'u-agent', email: 'ada@example.com', name: 'Ada Agent' }), 'agent password');
  server.routes['GET /api/users/'] = () => [200, [...server.users.values()].map((u) => structuredClone(u.user))];
  stubWebSocket();
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

const meAsked = () => server.seen.filter((s) => s.path === '/api/auth/me').length;

async function signedIn(email: string, password: string) {
  render(<App />);
  await screen.findByTestId('signin-screen');
  await signIn(email, password);
  await screen.findByRole('tablist');
  await waitFor(() => expect(DrivenSocket.all.length).toBeGreaterThan(0));
  await DrivenSocket.last.open();
}

/** The next socket: the old one is closed and a new one is opened (after the backoff). */
async function reconnected(after: DrivenSocket) {
  await waitFor(() => expect(DrivenSocket.last).not.toBe(after), { timeout: 3000 });
  await DrivenSocket.last.open();
  return DrivenSocket.last;
}

describe('a socket closed with 1008', () => {
  it('revoked: asks /api/auth/me, signs in over the app, reconnects with the new token', async () => {
    await signedIn('ada@example.com', 'agent password');
    const first = DrivenSocket.last;
    const asked = meAsked();
    server.revoke('u-agent'); // an administrator reset the password
    await first.closeWith(1008, ENDED);
    const overlay = await screen.findByTestId('signin-overlay');
    expect(meAsked()).toBe(asked + 1);
    expect(within(overlay).getByTestId('signin-notice').textContent).toBe('Invalid token: the session has ended; sign in again');
    // No reconnect while the session is gone.
    await new Promise((r) => setTimeout(r, 700));
    expect(DrivenSocket.last).toBe(first);

    await signIn('ada@example.com', 'agent password', overlay);
    await waitFor(() => expect(screen.queryByTestId('signin-overlay')).toBeNull());
    const next = await reconnected(first);
    expect(next.url).toContain(`token=${encodeURIComponent(sessionStorage.getItem(TOKEN_KEY)!)}`);
  });

  it('an agent made administrator: the Users tab appears, the socket reconnects', async () => {
    await signedIn('ada@example.com', 'agent password');
    expect(screen.queryByRole('tab', { name: 'Users' })).toBeNull();
    expect(screen.getByTestId('settings-read-only')).toBeTruthy();
    const first = DrivenSocket.last;
    server.users.get('ada@example.com')!.user.role = 'admin';
    await first.closeWith(1008, ENDED);
    await screen.findByRole('tab', { name: 'Users' });
    expect(screen.getByTestId('account-role').textContent).toBe('Administrator');
    expect(screen.queryByTestId('settings-read-only')).toBeNull(); // the controls follow the role too
    expect(screen.queryByTestId('signin-overlay')).toBeNull();
    const asked = meAsked();
    await reconnected(first);
    // The check was made already: the reconnect does not ask again.
    await new Promise((r) => setTimeout(r, 50));
    expect(meAsked()).toBe(asked);
  });

  it('an administrator made agent: the Users tab goes, back to the dialer', async () => {
    window.history.replaceState(null, '', '/#users');
    await signedIn('grace@example.com', 'admin password');
    expect(screen.getByRole('tab', { name: 'Users' }).getAttribute('aria-selected')).toBe('true');
    const first = DrivenSocket.last;
    server.users.get('grace@example.com')!.user.role = 'agent';
    await first.closeWith(1008, ENDED);
    await waitFor(() => expect(screen.queryByRole('tab', { name: 'Users' })).toBeNull());
    expect(screen.getByTestId('account-role').textContent).toBe('Agent');
    expect(screen.getByRole('tab', { name: 'Dialer' }).getAttribute('aria-selected')).toBe('true');
    await reconnected(first);
  });

  it('another close code reconnects without asking', async () => {
    await signedIn('ada@example.com', 'agent password');
    const first = DrivenSocket.last;
    const asked = meAsked();
    await first.closeWith(1006);
    await waitFor(() => expect(DrivenSocket.last).not.toBe(first), { timeout: 3000 });
    expect(meAsked()).toBe(asked);
  });
});
