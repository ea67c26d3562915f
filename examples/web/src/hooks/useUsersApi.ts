// useUsersApi — the team's accounts (administrators): GET/POST /api/users/,
// PUT /api/users/{id}, POST /api/users/{id}/password.
import { useMemo } from 'react';
import type { Role, Session, User } from '../api/types';
import { useBackend } from '../context';
import { presenceTick } from '../liveCalls';
import { useResource } from './useResource';

export interface NewUserInput {
  email: string;
  name: string;
  password: string;
  role: Role;
}

export interface UserChange {
  role?: Role;
  disabled?: boolean;
  name?: string;
  email?: string;
}

/** POST /api/users/{id}/password answers a new Session to a user changing their own, `{user}` to an administrator. */
export type PasswordAnswer = Session | { user: User };

export function isSession(a: PasswordAnswer): a is Session {
  return 'access_token' in a && typeof a.access_token === 'string';
}

/** The list, and when its fetch began (presenceTick): statuses heard over the socket after that are newer. */
interface Team {
  users: User[];
  fetchedAt: number;
}
const NO_TEAM: Team = { users: [], fetchedAt: 0 };

/**
 * `reloadKey`: the list is fetched again whenever it changes (the screen was
 * shown again, the socket reconnected). `enabled` false: nothing is fetched
 * (an agent would get 403).
 */
export function useUsersApi(reloadKey = '', enabled = true) {
  const { backend } = useBackend();
  const res = useResource<Team>(
    async () => {
      if (!enabled) return NO_TEAM;
      const fetchedAt = presenceTick();
      const users = await backend.request<User[]>('GET', '/api/users/');
      return { users: Array.isArray(users) ? users : [], fetchedAt };
    },
    NO_TEAM,
    `users:${enabled}:${reloadKey}`,
    'users',
  );
  const { setData } = res;

  const actions = useMemo(() => {
    const put = (u: User) =>
      setData((t) => ({
        ...t,
        users: t.users.some((x) => x.id === u.id) ? t.users.map((x) => (x.id === u.id ? u : x)) : [...t.users, u],
      }));
    const id = (userId: string) => encodeURIComponent(userId);
    return {
      async add(input: NewUserInput): Promise<User> {
        const u = await backend.request<User>('POST', '/api/users/', input);
        put(u);
        return u;
      },
      async change(userId: string, patch: UserChange): Promise<User> {
        const u = await backend.request<User>('PUT', `/api/users/${id(userId)}`, patch);
        put(u);
        return u;
      },
      async setPassword(userId: string, newPassword: string, oldPassword?: string): Promise<PasswordAnswer> {
        const body: Record<string, string> = { new_password: newPassword };
        if (oldPassword !== undefined) body.old_password = oldPassword;
        const a = await backend.request<PasswordAnswer>('POST', `/api/users/${id(userId)}/password`, body);
        put(a.user);
        return a;
      },
    };
  }, [backend, setData]);

  return { users: res.data.users, fetchedAt: res.data.fetchedAt, loading: res.loading, error: res.error, reload: res.reload, ...actions };
}
