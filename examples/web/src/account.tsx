// Who is using the softphone (GET /api/auth/me), for the header and the
// screens that depend on the role.
import { createContext, useContext, type ReactNode } from 'react';
import { LOCAL_ME } from './api/session';
import type { Me, Session, User, UserStatus } from './api/types';

export interface Account {
  me: Me;
  /** Present when there is a session to end (sign-in is on). */
  signOut?: () => Promise<void>;
  /** PUT /api/users/me/status (signed-in users only). */
  setStatus?: (status: UserStatus) => Promise<User>;
  /** GET /api/auth/me again (after changing one's own account). */
  refresh?: () => Promise<Me>;
  /** A new session for the same user (one's own password change answers one). */
  adopt?: (session: Session) => void;
  /** The signed-in user's record changed (status, role). */
  updateUser?: (user: User) => void;
}

const AccountContext = createContext<Account>({ me: LOCAL_ME });

export function AccountProvider({ account, children }: { account: Account; children: ReactNode }) {
  return <AccountContext.Provider value={account}>{children}</AccountContext.Provider>;
}

export function useAccount(): Account {
  return useContext(AccountContext);
}

/** Administrators manage users; the local administrator of a server without sign-in has nobody to manage. */
export function managesUsers(me: Me): boolean {
  return me.kind !== 'local' && me.role === 'admin';
}

/**
 * Changing what the whole team shares — the Telnyx settings, the caller-ID
 * numbers, deleting contacts and recordings — is for administrators: users
 * with the admin role, service tokens and the local administrator of a
 * server without sign-in. An agent's requests for them answer 403, so an
 * agent is not offered them.
 */
export function administers(me: Me): boolean {
  return me.role === 'admin';
}
