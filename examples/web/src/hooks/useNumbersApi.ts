// useNumbersApi — caller-ID numbers (GET/POST /api/numbers/, set-default, delete).
import { useMemo } from 'react';
import type { PhoneNumber } from '../api/types';
import { useBackend } from '../context';
import { useResource } from './useResource';

export function useNumbersApi() {
  const { backend, bumpData } = useBackend();
  const res = useResource<PhoneNumber[]>(
    () => backend.request<PhoneNumber[]>('GET', '/api/numbers/'),
    [],
    'numbers',
    'phone numbers',
  );
  const defaultNumber = res.data.find((n) => n.is_default) ?? res.data[0] ?? null;

  const actions = useMemo(
    () => ({
      async add(number: string, name: string): Promise<PhoneNumber> {
        const n = await backend.request<PhoneNumber>('POST', '/api/numbers/', { number, name });
        bumpData();
        return n;
      },
      async setDefault(id: string): Promise<void> {
        await backend.request<unknown>('POST', `/api/numbers/${encodeURIComponent(id)}/set-default`);
        bumpData();
      },
      async remove(id: string): Promise<void> {
        await backend.request<unknown>('DELETE', `/api/numbers/${encodeURIComponent(id)}`);
        bumpData();
      },
    }),
    [backend, bumpData],
  );

  return { numbers: res.data, defaultNumber, loading: res.loading, error: res.error, reload: res.reload, ...actions };
}
