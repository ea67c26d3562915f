// SettingsScreen — Telnyx settings (secrets shown masked) and caller-ID numbers.
// Agents see them read-only: saving and the numbers' changes are for administrators.
import { useEffect, useState, type FormEvent } from 'react';
import { administers, useAccount } from '../account';
import type { Health, RecordingChannels, TelnyxSettings } from '../api/types';
import { Switch } from '../components/common';
import { Icon } from '../components/Icon';
import { useBackend, useNotifier } from '../context';
import { useNumbersApi } from '../hooks/useNumbersApi';
import { useTelnyxSettings } from '../hooks/useTelnyxSettings';
import { useLiveCalls } from '../liveCalls';
import { formatPhone, toE164 } from '../lib/phone';

export function SettingsScreen({ health }: { health: Health | null }) {
  const { me } = useAccount();
  const readOnly = !administers(me);
  return (
    <div className="screen settings">
      <h1 className="screen-title">Settings</h1>
      {readOnly && (
        <p className="notice" data-testid="settings-read-only">
          <Icon name="shield" size={16} /> Only an administrator can change these settings and the phone numbers.
        </p>
      )}
      <div className="settings-grid">
        <TelnyxSettingsCard readOnly={readOnly} />
        <div className="settings-side">
          <NumbersCard readOnly={readOnly} />
          <AboutCard health={health} />
        </div>
      </div>
    </div>
  );
}

function TelnyxSettingsCard({ readOnly }: { readOnly: boolean }) {
  const { settings, loading, save } = useTelnyxSettings();
  const { notify, notifyError } = useNotifier();
  const [form, setForm] = useState<TelnyxSettings>(settings);
  const [saving, setSaving] = useState(false);
  const [dirty, setDirty] = useState(false);

  // Load into the form until the user starts editing.
  const settingsKey = JSON.stringify(settings);
  useEffect(() => {
    if (!dirty) setForm(settings);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settingsKey]);

  const set = <K extends keyof TelnyxSettings>(k: K, v: TelnyxSettings[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    setDirty(true);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (form.webhook_url && !/^https?:\/\//i.test(form.webhook_url.trim())) {
      notify('error', 'The webhook URL must start with https:// (or http:// for local tests)');
      return;
    }
    setSaving(true);
    try {
      const saved = await save(form);
      setForm({ ...form, ...(saved ?? {}) });
      setDirty(false);
      notify('success', 'Settings saved');
    } catch (err) {
      notifyError(err, 'Could not save the settings');
    } finally {
      setSaving(false);
    }
  };

  const secret = (key: 'api_key' | 'api_v2_key', label: string, hint: string) => (
    <div className="field">
      <label htmlFor={`set-${key}`}>{label}</label>
      <input
        id={`set-${key}`}
        type="text"
        className="mono"
        autoComplete="off"
        spellCheck={false}
        value={form[key]}
        placeholder="Not set"
        aria-describedby={`set-${key}-hint`}
        // A masked value is replaced, not edited: select it all on focus.
        onFocus={(e) => {
          if (form[key].includes('*')) e.currentTarget.select();
        }}
        onChange={(e) => set(key, e.target.value)}
      />
      <p className="hint" id={`set-${key}-hint`}>
        {hint}
      </p>
    </div>
  );

  return (
    <section className="card" aria-labelledby="telnyx-title">
      <h2 id="telnyx-title" className="card-title">
        Telnyx
      </h2>
      <form className="form" onSubmit={submit} aria-busy={loading} data-testid="settings-form">
        <fieldset className="plain-fieldset" disabled={readOnly}>
          {secret('api_key', 'API key', 'Stored on the server and shown masked. Leave it unchanged to keep it.')}
          {secret('api_v2_key', 'API v2 key', 'Used for Call Control. Shown masked.')}
          <div className="field">
            <label htmlFor="set-webhook_url">Webhook URL</label>
            <input
              id="set-webhook_url"
              type="url"
              inputMode="url"
              placeholder="https://example.com/webhooks/call"
              value={form.webhook_url}
              onChange={(e) => set('webhook_url', e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="set-connection_id">Connection ID</label>
            <input id="set-connection_id" type="text" className="mono" value={form.connection_id} onChange={(e) => set('connection_id', e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="set-public_key">Public key</label>
            <textarea
              id="set-public_key"
              rows={2}
              className="mono"
              spellCheck={false}
              placeholder="Base64 Ed25519 key used to verify webhooks"
              value={form.public_key}
              onChange={(e) => set('public_key', e.target.value)}
            />
          </div>
          <Switch
            id="set-auto_record"
            label="Record calls automatically"
            description="Every answered call is recorded; recordings appear in Call logs."
            checked={form.auto_record}
            onChange={(v) => set('auto_record', v)}
          />
          <div className="field">
            <label htmlFor="set-recording_channels">Recording channels</label>
            <select
              id="set-recording_channels"
              value={form.recording_channels}
              onChange={(e) => set('recording_channels', e.target.value as RecordingChannels)}
            >
              <option value="dual">Dual — each party on its own channel (Telnyx default)</option>
              <option value="single">Single — both parties mixed</option>
            </select>
          </div>
          <Switch
            id="set-demo_mode"
            label="Demo mode"
            description="Simulate calls even when a Telnyx key is set."
            checked={form.demo_mode}
            onChange={(v) => set('demo_mode', v)}
          />
        </fieldset>
        {!readOnly && (
          <div className="form-actions">
            {dirty && (
              <button
                type="button"
                className="btn"
                onClick={() => {
                  setForm(settings);
                  setDirty(false);
                }}
              >
                Discard
              </button>
            )}
            <button type="submit" className="btn btn-primary" disabled={saving || !dirty} data-testid="save-settings">
              {saving ? 'Saving…' : 'Save settings'}
            </button>
          </div>
        )}
      </form>
    </section>
  );
}

function NumbersCard({ readOnly }: { readOnly: boolean }) {
  const api = useNumbersApi();
  const { notify, notifyError } = useNotifier();
  const [number, setNumber] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = toE164(number);
    if (!parsed.ok) {
      setError(parsed.error);
      return;
    }
    setError(null);
    try {
      await api.add(parsed.e164, name.trim());
      notify('success', `${formatPhone(parsed.e164)} added`);
      setNumber('');
      setName('');
    } catch (err) {
      notifyError(err, 'Could not add the number');
    }
  };

  return (
    <section className="card" aria-labelledby="numbers-title">
      <h2 id="numbers-title" className="card-title">
        Phone numbers
      </h2>
      <p className="hint">
        Caller-ID numbers for outbound calls. The default is preselected in the dialer.
        {readOnly && ' An administrator adds and removes them.'}
      </p>
      <ul className="number-list" data-testid="number-list">
        {api.numbers.map((n) => (
          <li key={n.id} className="number-row" data-default={n.is_default}>
            <div className="number-text">
              <span className="number-value">{formatPhone(n.number)}</span>
              <span className="muted">
                {n.name}
                {n.status && n.status !== 'active' ? ` · ${n.status}` : ''}
              </span>
            </div>
            {n.is_default ? (
              <span className="tag tag-default">Default</span>
            ) : readOnly ? null : (
              <button
                type="button"
                className="btn btn-small"
                aria-label={`Make ${formatPhone(n.number)} the default`}
                onClick={() =>
                  api.setDefault(n.id).then(
                    () => notify('success', `${formatPhone(n.number)} is now the default`),
                    (e) => notifyError(e, 'Could not set the default'),
                  )
                }
              >
                Set default
              </button>
            )}
            {!readOnly && (
              <button
                type="button"
                className="icon-btn danger"
                aria-label={`Remove ${formatPhone(n.number)}`}
                onClick={() => api.remove(n.id).catch((e) => notifyError(e, 'Could not remove the number'))}
              >
                <Icon name="trash" size={16} />
              </button>
            )}
          </li>
        ))}
        {api.numbers.length === 0 && !api.loading && <li className="hint">No numbers yet.</li>}
      </ul>
      {!readOnly && (
        <form className="add-number" onSubmit={add} noValidate>
          <div className="field">
            <label htmlFor="new-number">Number</label>
            <input
              id="new-number"
              type="tel"
              placeholder="+1 415 555 0100"
              value={number}
              aria-invalid={!!error}
              aria-describedby={error ? 'new-number-error' : undefined}
              onChange={(e) => setNumber(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="new-number-name">Name</label>
            <input id="new-number-name" type="text" placeholder="Sales line" value={name} onChange={(e) => setName(e.target.value)} />
          </div>
          <button type="submit" className="btn">
            <Icon name="plus" size={16} /> Add number
          </button>
          {error && (
            <p className="field-error" id="new-number-error" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
    </section>
  );
}

function AboutCard({ health }: { health: Health | null }) {
  const { backend } = useBackend();
  const live = useLiveCalls();
  return (
    <section className="card" aria-labelledby="about-title">
      <h2 id="about-title" className="card-title">
        Server
      </h2>
      <dl className="about">
        <div>
          <dt>Mode</dt>
          <dd>{backend.kind === 'local-demo' ? 'Local demo (in this browser)' : health?.mode === 'demo' ? 'Demo (simulated calls)' : 'Live'}</dd>
        </div>
        {health?.storage && (
          <div>
            <dt>Storage</dt>
            <dd>{health.storage}</dd>
          </div>
        )}
        {health?.version && (
          <div>
            <dt>Version</dt>
            <dd>{health.version}</dd>
          </div>
        )}
        <div>
          <dt>Live updates</dt>
          <dd data-testid="stream-status">{live.status === 'open' ? 'Connected' : live.status === 'connecting' ? 'Connecting…' : 'Reconnecting…'}</dd>
        </div>
      </dl>
    </section>
  );
}
