// Presence over the socket: agent.updated moves the header's own status and
// the Users screen's rows without a refresh.
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../src/App';
import type { User } from '../src/api/types';
import { withPresence } from '../src/liveCalls';
import { FakeServer, user } from './support/fakeServer';
import { DrivenSocket, stubWebSocket } from './support/fakeSocket';
import { signIn } from './support/signIn';

let server: FakeServer;
const grace = () => server.users.get('grace@example.com')!.user;
const ada = () => server.users.get('ada@example.com')!.user;

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

const row = (email: string) => screen.getAllByTestId('user-row').find((r) => r.dataset.email === email)!;
const statusOf = (email: string) => within(row(email)).getByTestId('user-status').textContent;
const usersFetched = () => server.seen.filter((s) => s.method === 'GET' && s.path === '/api/users/').length;

async function adminOnUsers() {
  window.history.replaceState(null, '', '/#users');
  render(<App />);
  await screen.findByTestId('signin-screen');
  await signIn('grace@example.com', 'admin password');
  await waitFor(() => expect(screen.getAllByTestId('user-row')).toHaveLength(2));
  await waitFor(() => expect(DrivenSocket.all.length).toBeGreaterThan(0));
  await DrivenSocket.last.open();
}

describe('presence over the socket', () => {
  it("moves the Users screen's rows as agent.updated arrives, with no new fetch", async () => {
    await adminOnUsers();
    const fetched = usersFetched();
    expect(statusOf('ada@example.com')).toBe('Available');
    for (const [status, label] of [
      ['busy', 'On a call'],
      ['wrap_up', 'Wrap-up'],
      ['available', 'Available'],
      ['offline', 'Offline'],
    ] as const) {
      await DrivenSocket.last.send({ type: 'agent.updated', agent: { ...ada(), status } });
      await waitFor(() => expect(statusOf('ada@example.com')).toBe(label));
      expect(row('ada@example.com').dataset.status).toBe(status);
    }
    expect(usersFetched()).toBe(fetched);
  });

  it("moves the header's own status, and leaves it for someone else's", async () => {
    await adminOnUsers();
    const mine = () => (screen.getByLabelText('Your status') as HTMLSelectElement).value;
    expect(mine()).toBe('available');
    await DrivenSocket.last.send({ type: 'agent.updated', agent: { ...grace(), status: 'busy' } });
    await waitFor(() => expect(mine()).toBe('busy'));
    expect((screen.getByLabelText('Your status') as HTMLSelectElement).disabled).toBe(true); // set by calls
    await DrivenSocket.last.send({ type: 'agent.updated', agent: { ...ada(), status: 'away' } });
    await waitFor(() => expect(statusOf('ada@example.com')).toBe('Away'));
    expect(mine()).toBe('busy');
    await DrivenSocket.last.send({ type: 'agent.updated', agent: { ...grace(), status: 'wrap_up' } });
    await waitFor(() => expect(mine()).toBe('wrap_up'));
    await DrivenSocket.last.send({ type: 'agent.updated', agent: { ...grace(), status: 'available' } });
    await waitFor(() => expect(mine()).toBe('available'));
    expect((screen.getByLabelText('Your status') as HTMLSelectElement).disabled).toBe(false);
  });

  it('fetches the list again after a reconnect, and takes what it says over older updates', async () => {
    await adminOnUsers();
    await DrivenSocket.last.send({ type: 'agent.updated', agent: { ...ada(), status: 'busy' } });
    await waitFor(() => expect(statusOf('ada@example.com')).toBe('On a call'));
    const fetched = usersFetched();
    const meAsked = server.seen.filter((s) => s.path === '/api/auth/me').length;
    // The socket drops; meanwhile the call ends and the wrap-up passes unheard.
    ada().status = 'available';
    const first = DrivenSocket.last;
    await first.closeWith(1006);
    await waitFor(() => expect(DrivenSocket.last).not.toBe(first), { timeout: 3000 });
    await DrivenSocket.last.open();
    await waitFor(() => expect(usersFetched()).toBe(fetched + 1));
    await waitFor(() => expect(statusOf('ada@example.com')).toBe('Available'));
    // One's own status is asked again too.
    expect(server.seen.filter((s) => s.path === '/api/auth/me').length).toBe(meAsked + 1);
  });
});

describe('withPresence', () => {
  const u = user({ id: 'x', status: 'available' }) as User;
  it('takes the status heard after the fetch began, not one heard before', () => {
    const heard = { x: { user: { ...u, status: 'busy' as const }, at: 5 } };
    expect(withPresence(u, heard, 4).status).toBe('busy');
    expect(withPresence(u, heard, 6).status).toBe('available');
    expect(withPresence(u, {}, 0)).toBe(u);
  });
});
