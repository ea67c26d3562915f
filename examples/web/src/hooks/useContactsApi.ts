// useContactsApi — the contacts list (GET /api/contacts/) with search,
// category and favorites filters, and its changes.
import { useMemo } from 'react';
import { qs } from '../api/client';
import type { Contact, ContactCategory, ContactInput } from '../api/types';
import { useBackend } from '../context';
import { useResource } from './useResource';

export interface ContactFilter {
  search?: string;
  category?: ContactCategory | '';
  favorites?: boolean;
}

export function useContactsApi(filter: ContactFilter = {}) {
  const { backend, bumpData } = useBackend();
  const path = `/api/contacts/${qs({
    search: filter.search?.trim(),
    category: filter.category,
    favorites: filter.favorites ? 'true' : undefined,
  })}`;
  const res = useResource<Contact[]>(() => backend.request<Contact[]>('GET', path), [], path, 'contacts');

  const actions = useMemo(
    () => ({
      async create(input: ContactInput): Promise<Contact> {
        const c = await backend.request<Contact>('POST', '/api/contacts/', input);
        bumpData();
        return c;
      },
      async update(id: string, input: ContactInput): Promise<Contact> {
        const c = await backend.request<Contact>('PUT', `/api/contacts/${encodeURIComponent(id)}`, input);
        bumpData();
        return c;
      },
      async remove(id: string): Promise<void> {
        await backend.request<unknown>('DELETE', `/api/contacts/${encodeURIComponent(id)}`);
        bumpData();
      },
      async toggleFavorite(id: string): Promise<Contact> {
        const c = await backend.request<Contact>('POST', `/api/contacts/${encodeURIComponent(id)}/favorite`);
        bumpData();
        return c;
      },
    }),
    [backend, bumpData],
  );

  return { contacts: res.data, loading: res.loading, error: res.error, reload: res.reload, ...actions };
}
