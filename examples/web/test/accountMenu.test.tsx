// The header's account: name, role, the status picker and Sign out.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AccountProvider, type Account } from '../src/account';
import { ApiError } from '../src/api/client';
import { LOCAL_ME } from '../src/api/session';
import type { Me, User } from '../src/api/types';
import { Toasts } from '../src/components/common';
import { AccountMenu } from '../src/components/AccountMenu';
import { NotifierProvider } from '../src/context';
import { user } from './support/fakeServer';

afterEach(cleanup);

const meOf = (u: User): Me => ({ kind: 'user', role: u.role, sign_in_required: true, user: u });

function show(account: Account) {
  return render(
    <AccountProvider account={account}>
      <NotifierProvider>
        <AccountMenu />
        <Toasts />
      </NotifierProvider>
    </AccountProvider>,
  );
}

const select = () => screen.getByLabelText('Your status') as HTMLSelectElement;

describe('AccountMenu', () => {
  it('shows nothing on a server without sign-in', () => {
    const { container } = show({ me: LOCAL_ME });
    expect(container.querySelector('[data-testid=account]')).toBeNull();
  });

  it('shows the name and role, and sets available or away', async () => {
    const setStatus = vi.fn(async (status: string) => user({ status: status as User['status'] }));
    show({ me: meOf(user()), setStatus, signOut: vi.fn() });
    expect(screen.getByTestId('account-name').textContent).toBe('Ada Agent');
    expect(screen.getByTestId('account-role').textContent).toBe('Agent');
    expect(select().value).toBe('available');
    expect([...select().options].map((o) => o.textContent)).toEqual(['Available', 'Away']);
    await act(async () => {
      fireEvent.change(select(), { target: { value: 'away' } });
    });
    expect(setStatus).toHaveBeenCalledWith('away');
  });

  it('shows a status the server sets from calls read-only', () => {
    show({ me: meOf(user({ status: 'busy' })), setStatus: vi.fn(), signOut: vi.fn() });
    expect(select().disabled).toBe(true);
    expect(select().selectedOptions[0]!.textContent).toBe('On a call');
    cleanup();
    show({ me: meOf(user({ status: 'wrap_up' })), setStatus: vi.fn(), signOut: vi.fn() });
    expect(select().disabled).toBe(true);
    expect(select().selectedOptions[0]!.textContent).toBe('Wrap-up');
  });

  it('shows offline, and lets the user pick available from it', async () => {
    const setStatus = vi.fn(async () => user());
    show({ me: meOf(user({ status: 'offline' })), setStatus, signOut: vi.fn() });
    expect(select().disabled).toBe(false);
    expect(select().selectedOptions[0]!.textContent).toBe('Offline');
    expect(select().selectedOptions[0]!.disabled).toBe(true);
    await act(async () => {
      fireEvent.change(select(), { target: { value: 'available' } });
    });
    expect(setStatus).toHaveBeenCalledWith('available');
  });

  it("says so when the status cannot be changed", async () => {
    const setStatus = vi.fn(async () => {
      throw new ApiError(503, 'Sign-in cannot be checked right now; try again.');
    });
    show({ me: meOf(user()), setStatus, signOut: vi.fn() });
    await act(async () => {
      fireEvent.change(select(), { target: { value: 'away' } });
    });
    await screen.findByText('Could not change your status: Sign-in cannot be checked right now; try again. (503)');
    expect(select().disabled).toBe(false);
  });

  it('signs out', async () => {
    const signOut = vi.fn(async () => undefined);
    show({ me: meOf(user({ role: 'admin', name: 'Grace Admin' })), signOut });
    expect(screen.getByTestId('account-role').textContent).toBe('Administrator');
    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    await waitFor(() => expect(signOut).toHaveBeenCalledTimes(1));
  });

  it('names a service token, without a status', () => {
    show({ me: { kind: 'service', role: 'admin', sign_in_required: true, user: null }, signOut: vi.fn() });
    expect(screen.getByText('Service token')).toBeTruthy();
    expect(screen.queryByLabelText('Your status')).toBeNull();
    expect(screen.getByRole('button', { name: 'Sign out' }).title).toMatch(/stays valid on the server/);
  });
});
