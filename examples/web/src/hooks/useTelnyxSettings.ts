// useTelnyxSettings — provider settings (GET/POST /api/telnyx/settings).
// Secrets come back masked; sending a masked value back unchanged keeps it.
import { useCallback } from 'react';
import type { TelnyxSettings } from '../api/types';
import { useBackend } from '../context';
import { useResource } from './useResource';

export const EMPTY_SETTINGS: TelnyxSettings = {
  api_key: '',
  api_v2_key: '',
  webhook_url: '',
  connection_id: '',
  public_key: '',
  auto_record: false,
  recording_channels: 'dual',
  demo_mode: false,
};

export function useTelnyxSettings() {
  const { backend, bumpData } = useBackend();
  const res = useResource<TelnyxSettings>(
    () => backend.request<TelnyxSettings>('GET', '/api/telnyx/settings'),
    EMPTY_SETTINGS,
    'settings',
    'settings',
  );
  const { setData } = res;
  const save = useCallback(
    async (values: TelnyxSettings): Promise<TelnyxSettings> => {
      // Only the editable fields; read-only ones (mode, updated_at, …) stay out.
      const body: TelnyxSettings = {
        api_key: values.api_key,
        api_v2_key: values.api_v2_key,
        webhook_url: values.webhook_url.trim(),
        connection_id: values.connection_id.trim(),
        public_key: values.public_key.trim(),
        auto_record: values.auto_record,
        recording_channels: values.recording_channels,
        demo_mode: values.demo_mode,
      };
      const saved = await backend.request<TelnyxSettings>('POST', '/api/telnyx/settings', body);
      setData(() => ({ ...EMPTY_SETTINGS, ...(saved ?? values) }));
      bumpData();
      return saved;
    },
    [backend, setData, bumpData],
  );
  return { settings: { ...EMPTY_SETTINGS, ...res.data }, loading: res.loading, error: res.error, reload: res.reload, save };
}
