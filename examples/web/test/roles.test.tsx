// Role-aware controls: an agent is not offered what only answers 403 for
// them (saving settings, the numbers' changes, deleting contacts); an
// administrator and the local administrator of a server without sign-in get
// everything, as before.
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../src/App';
import type { Contact, PhoneNumber } from '../src/api/types';
import { formatPhone } from '../src/lib/phone';
import { FakeServer, user } from './support/fakeServer';
import { stubWebSocket } from './support/fakeSocket';
import { signIn } from './support/signIn';

let server: FakeServer;

const numbers: PhoneNumber[] = [
  { id: 'n1', number: '+13125550100', name: 'Chicago', status: 'active', is_default: true },
  { id: 'n2', number: '+14155550100', name: 'San Francisco', status: 'active', is_default: false },
];
const contacts: Contact[] = [{ id: 'k1', name: 'Katherine Johnson', phone: '+17575550101', category: 'client', is_favorite: false }];

beforeEach(() => {
  server = new FakeServer();
  server.addUser(user({ id: 'u-admin', email: 'grace@example.com', name: 'Grace Admin', role: 'admin' }), 'admin password');
  server.addUser(user({ id: 'u-agent', email: 'ada@example.com', name: 'Ada Agent' }), 'agent password');
  server.routes['GET /api/numbers/'] = () => [200, numbers];
  server.routes['GET /api/contacts/'] = () => [200, contacts];
  server.routes['GET /api/telnyx/settings'] = () => [
    200,
    { api_key: 'KEY****1234', api_v2_key: '', webhook_url: 'https://example.com/webhooks/call', connection_id: 'conn-1', public_key: '', auto_record: false, demo_mode: true },
  ];
  stubWebSocket();
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

async function open(hash: string, who?: { email: string; password: string }) {
  window.history.replaceState(null, '', `/#${hash}`);
  render(<App />);
  if (who) {
    await screen.findByTestId('signin-screen');
    await signIn(who.email, who.password);
  }
  await screen.findByRole('tablist');
}

const panel = (id: string) => document.getElementById(`panel-${id}`)!;

async function settingsLoaded() {
  const p = panel('settings');
  await waitFor(() => expect((within(p).getByLabelText('Connection ID') as HTMLInputElement).value).toBe('conn-1'));
  await within(p).findByText('San Francisco');
  return p;
}

describe('an agent', () => {
  const ada = { email: 'ada@example.com', password: 'agent password' };

  it('sees the settings read-only: no saving, no changes to the numbers', async () => {
    await open('settings', ada);
    const p = await settingsLoaded();
    expect(within(p).getByTestId('settings-read-only').textContent).toContain('Only an administrator can change');
    for (const label of ['API key', 'Webhook URL', 'Connection ID', 'Public key']) {
      expect(within(p).getByLabelText(label).matches(':disabled')).toBe(true);
    }
    expect(within(p).getByRole('switch', { name: 'Record calls automatically' }).matches(':disabled')).toBe(true);
    expect(within(p).queryByTestId('save-settings')).toBeNull();
    expect(within(p).getByText('Default')).toBeTruthy();
    expect(within(p).queryByRole('button', { name: /Make .* the default/ })).toBeNull();
    expect(within(p).queryByRole('button', { name: /^Remove / })).toBeNull();
    expect(within(p).queryByRole('button', { name: 'Add number' })).toBeNull();
  });

  it('edits and stars contacts but is not offered deleting them', async () => {
    await open('contacts', ada);
    const row = await within(panel('contacts')).findByTestId('contact-row');
    expect(within(row).getByRole('button', { name: 'Edit Katherine Johnson' })).toBeTruthy();
    expect(within(row).getByRole('button', { name: 'Favorite Katherine Johnson' })).toBeTruthy();
    expect(within(row).queryByRole('button', { name: 'Delete Katherine Johnson' })).toBeNull();
  });
});

describe.each([
  ['an administrator', { email: 'grace@example.com', password: 'admin password' }],
  ['the local administrator (no sign-in)', undefined],
])('%s', (_name, who) => {
  beforeEach(() => {
    if (!who) server.signInRequired = false;
  });

  it('gets the settings, the numbers and deleting contacts as before', async () => {
    await open('settings', who);
    const p = await settingsLoaded();
    expect(within(p).queryByTestId('settings-read-only')).toBeNull();
    expect(within(p).getByLabelText('Connection ID').matches(':disabled')).toBe(false);
    expect(within(p).getByTestId('save-settings')).toBeTruthy();
    expect(within(p).getByRole('button', { name: `Make ${formatPhone('+14155550100')} the default` })).toBeTruthy();
    expect(within(p).getAllByRole('button', { name: /^Remove / })).toHaveLength(2);
    expect(within(p).getByRole('button', { name: 'Add number' })).toBeTruthy();

    // The Contacts panel is mounted, hidden, behind Settings.
    const row = await within(panel('contacts')).findByTestId('contact-row');
    expect(within(row).getByRole('button', { name: 'Delete Katherine Johnson', hidden: true })).toBeTruthy();
  });
});
