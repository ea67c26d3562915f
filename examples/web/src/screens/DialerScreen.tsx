// DialerScreen — keypad, caller-ID picker, call progress and in-call controls.
import { useCallback, useEffect, useMemo, useReducer, useRef, useState, type KeyboardEvent } from 'react';
import type { Call, CallStatus, Contact } from '../api/types';
import { Avatar, StatusPill, useNow } from '../components/common';
import { Icon } from '../components/Icon';
import { useBackend, useNotifier } from '../context';
import { useCallApi } from '../hooks/useCallApi';
import { useContactsApi } from '../hooks/useContactsApi';
import { useNumbersApi } from '../hooks/useNumbersApi';
import { useLiveCalls } from '../liveCalls';
import { isTerminal } from '../lib/calls';
import { dialerReducer, displayInput, initialDialerState, KEYPAD } from '../lib/dialer';
import { formatDuration, statusLabel } from '../lib/format';
import { digitsOf, formatPhone, toE164 } from '../lib/phone';
import { qs } from '../api/client';

export interface DialRequest {
  number: string;
  name?: string;
  /** Place the call at once (else only fill in the number). */
  call: boolean;
  nonce: number;
}

const STEPS: { key: string; label: string; match: (s: CallStatus) => boolean }[] = [
  { key: 'dialing', label: 'Dialing', match: (s) => s === 'dialing' },
  { key: 'ringing', label: 'Ringing', match: (s) => s === 'ringing' },
  { key: 'active', label: 'Active', match: (s) => s === 'active' },
  { key: 'ended', label: 'Ended', match: (s) => isTerminal(s) },
];

interface QuickEntry {
  key: string;
  name: string | null;
  number: string;
  favorite: boolean;
}

function useQuickDial(contacts: Contact[], dataVersion: number) {
  const { backend } = useBackend();
  const [recent, setRecent] = useState<Call[]>([]);
  useEffect(() => {
    let cancelled = false;
    backend
      .request<Call[]>('GET', `/api/calls/logs${qs({ limit: 20, offset: 0 })}`)
      .then((rows) => !cancelled && setRecent(Array.isArray(rows) ? rows : []))
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [backend, dataVersion]);

  return useMemo(() => {
    const byDigits = new Map(contacts.map((c) => [digitsOf(c.phone), c]));
    const out: QuickEntry[] = [];
    const seen = new Set<string>();
    for (const call of recent) {
      const d = digitsOf(call.to_number);
      if (!d || seen.has(d)) continue;
      seen.add(d);
      const c = byDigits.get(d);
      out.push({ key: `r-${d}`, name: c?.name ?? call.contact_name ?? null, number: call.to_number, favorite: !!c?.is_favorite });
      if (out.length >= 4) break;
    }
    for (const c of contacts) {
      if (out.length >= 6) break;
      const d = digitsOf(c.phone);
      if (seen.has(d)) continue;
      if (!c.is_favorite && out.length >= 3) continue;
      seen.add(d);
      out.push({ key: `c-${c.id}`, name: c.name, number: c.phone, favorite: c.is_favorite });
    }
    return out.slice(0, 6);
  }, [recent, contacts]);
}

export function DialerScreen({ dialRequest, visible }: { dialRequest: DialRequest | null; visible: boolean }) {
  const [state, dispatch] = useReducer(dialerReducer, initialDialerState);
  const [fromNumber, setFromNumber] = useState('');
  const [inputError, setInputError] = useState<string | null>(null);
  const [showKeypad, setShowKeypad] = useState(true);
  const [transferOpen, setTransferOpen] = useState(false);
  const [transferTo, setTransferTo] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [localRecording, setLocalRecording] = useState(false);
  const api = useCallApi();
  const { notifyError, notify } = useNotifier();
  const { dataVersion } = useBackend();
  const { numbers, defaultNumber, loading: numbersLoading } = useNumbersApi();
  const { contacts } = useContactsApi();
  const live = useLiveCalls();
  const quick = useQuickDial(contacts, dataVersion);
  const inputRef = useRef<HTMLInputElement>(null);

  const call: Call | null = state.callId ? (live.calls[state.callId] ?? null) : null;
  const status: CallStatus | null = call?.status ?? (state.callId ? 'dialing' : null);
  const inCall = !!state.callId && !!status && !isTerminal(status);
  const ended = !!state.callId && !!status && isTerminal(status);
  const answered = status === 'active';
  const now = useNow(answered, 500);

  // The default caller-ID number, preselected once the numbers are loaded.
  useEffect(() => {
    if (!numbers.length) return;
    if (!fromNumber || !numbers.some((n) => n.number === fromNumber)) setFromNumber(defaultNumber?.number ?? numbers[0]!.number);
  }, [numbers, defaultNumber, fromNumber]);

  // Follow the call: poll it only if the socket goes down.
  const { setWatch } = live;
  useEffect(() => {
    setWatch(state.callId ? [state.callId] : []);
  }, [state.callId, setWatch]);

  // The running timer counts from answered_at — unless that lies ahead of our
  // clock (clock skew, or a sped-up demo clock): then from when we saw it.
  const activeBase = useRef<{ callId: string; at: number } | null>(null);
  if (answered && state.callId && activeBase.current?.callId !== state.callId) {
    const seen = Date.now();
    const at = Date.parse(call?.answered_at ?? '');
    activeBase.current = { callId: state.callId, at: Number.isFinite(at) && at <= seen ? at : seen };
  }

  // Record each status the call goes through.
  useEffect(() => {
    if (state.callId && status) dispatch({ type: 'status', callId: state.callId, status });
  }, [state.callId, status]);

  const contactFor = useCallback(
    (number: string) => contacts.find((c) => digitsOf(c.phone) === digitsOf(number)) ?? null,
    [contacts],
  );

  const placeCall = useCallback(
    async (raw: string) => {
      if (state.placing || inCall) return;
      const parsed = toE164(raw);
      if (!parsed.ok) {
        setInputError(parsed.error);
        inputRef.current?.focus();
        return;
      }
      setInputError(null);
      dispatch({ type: 'placing' });
      try {
        const res = await api.dial({ to_number: parsed.e164, from_number: fromNumber || undefined });
        const c = contactFor(parsed.e164);
        live.upsert({
          call_id: res.call_id,
          status: res.status ?? 'dialing',
          to_number: res.to_number ?? parsed.e164,
          from_number: res.from_number ?? fromNumber,
          contact_name: c?.name ?? null,
        });
        dispatch({ type: 'started', callId: res.call_id, status: res.status ?? 'dialing' });
        setLocalRecording(false);
        setShowKeypad(false);
      } catch (e) {
        dispatch({ type: 'placeFailed' });
        notifyError(e, 'Call failed');
      }
    },
    [state.placing, inCall, api, fromNumber, contactFor, live, notifyError],
  );

  // A call asked for from another screen (Contacts, Call Logs).
  const lastNonce = useRef(0);
  useEffect(() => {
    if (!dialRequest || dialRequest.nonce === lastNonce.current) return;
    lastNonce.current = dialRequest.nonce;
    if (inCall) {
      notify('info', 'Hang up the current call first');
      return;
    }
    dispatch({ type: 'reset' });
    dispatch({ type: 'set', value: dialRequest.number });
    setInputError(null);
    if (dialRequest.call) void placeCall(dialRequest.number);
    else setTimeout(() => inputRef.current?.focus(), 0);
  }, [dialRequest, inCall, placeCall, notify]);

  const run = async (what: string, fn: () => Promise<Call>) => {
    setBusy(what);
    try {
      const updated = await fn();
      if (updated && updated.call_id) live.upsert(updated);
    } catch (e) {
      notifyError(e, `Could not ${what}`);
    } finally {
      setBusy(null);
    }
  };

  const pressKey = (key: string) => {
    if (inCall && state.callId) {
      if (!answered) return;
      dispatch({ type: 'dtmf', digits: key });
      const id = state.callId;
      api.sendDtmf(id, key).then(
        (c) => c && c.call_id && live.upsert(c),
        (e) => notifyError(e, 'Could not send the tone'),
      );
      return;
    }
    if (ended) dispatch({ type: 'reset' });
    dispatch({ type: 'key', key });
    setInputError(null);
  };

  const hangup = () => state.callId && run('hang up', () => api.hangup(state.callId!));

  // Typing digits on a keyboard while focus is on the call panel sends tones.
  const onPanelKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    const target = e.target as HTMLElement;
    if (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA') return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (/^[0-9*#]$/.test(e.key)) {
      e.preventDefault();
      pressKey(e.key);
    } else if (e.key === 'Backspace' && !inCall) {
      e.preventDefault();
      dispatch({ type: 'backspace' });
    }
  };

  const typedE164 = state.input ? toE164(state.input) : null;
  const typedContact = typedE164 && typedE164.ok ? contactFor(typedE164.e164) : null;
  const shownName = call?.contact_name ?? (call ? contactFor(call.to_number)?.name : null) ?? null;
  const shownNumber = call?.to_number ?? '';
  const liveSeconds = answered && activeBase.current ? Math.max(0, Math.floor((now - activeBase.current.at) / 1000)) : 0;
  const finalSeconds = call?.duration ?? 0;
  const statusText = !status
    ? ''
    : status === 'active'
      ? formatDuration(liveSeconds)
      : status === 'dialing'
        ? 'Dialing…'
        : status === 'ringing'
          ? 'Ringing…'
          : `Call ended · ${statusLabel(status)}${finalSeconds ? ` · ${formatDuration(finalSeconds)}` : ''}`;
  // Call.recording is a callwire extension; without it, go by our own commands.
  const recording = typeof call?.recording === 'boolean' ? call.recording : localRecording;

  return (
    <div className="dialer-layout" onKeyDown={onPanelKeyDown}>
      <section className="card dialer" aria-label="Dialer">
        {!state.callId ? (
          <form
            className="dial-form"
            onSubmit={(e) => {
              e.preventDefault();
              void placeCall(state.input);
            }}
          >
            <div className="field from-field">
              <label htmlFor="from-number">Call from</label>
              <select
                id="from-number"
                value={fromNumber}
                onChange={(e) => setFromNumber(e.target.value)}
                disabled={numbersLoading && !numbers.length}
              >
                {!numbers.length && <option value="">{numbersLoading ? 'Loading numbers…' : 'Default number'}</option>}
                {numbers.map((n) => (
                  <option key={n.id} value={n.number}>
                    {n.name ? `${n.name} · ` : ''}
                    {formatPhone(n.number)}
                    {n.is_default ? ' (default)' : ''}
                  </option>
                ))}
              </select>
            </div>
            <div className="number-display">
              <label htmlFor="dial-number" className="sr-only">
                Phone number
              </label>
              <input
                id="dial-number"
                ref={inputRef}
                className="number-input"
                type="tel"
                inputMode="tel"
                autoComplete="tel"
                placeholder="Enter a number"
                value={displayInput(state)}
                aria-invalid={!!inputError}
                aria-describedby={inputError ? 'dial-error' : undefined}
                onChange={(e) => {
                  dispatch({ type: 'set', value: e.target.value });
                  setInputError(null);
                }}
                autoFocus={visible}
              />
              {state.input && (
                <button
                  type="button"
                  className="icon-btn backspace"
                  aria-label="Delete last digit"
                  onClick={() => dispatch({ type: 'backspace' })}
                  onDoubleClick={() => dispatch({ type: 'clear' })}
                >
                  <Icon name="backspace" />
                </button>
              )}
            </div>
            <p id="dial-error" className="field-error" role={inputError ? 'alert' : undefined}>
              {inputError ?? typedContact?.name ?? '\u00a0'}
            </p>
            <Keypad onKey={pressKey} />
            <button
              type="submit"
              className="call-btn"
              aria-label="Call"
              data-testid="call-button"
              disabled={state.placing}
            >
              <Icon name="phone" size={28} />
            </button>
          </form>
        ) : (
          <div className="in-call" data-testid="call-panel" data-status={status ?? ''} data-call-id={state.callId}>
            <div className="call-head">
              <Avatar name={shownName ?? '#'} size={72} />
              <h2 className="call-name">{shownName ?? formatPhone(shownNumber)}</h2>
              {shownName && <p className="call-number">{formatPhone(shownNumber)}</p>}
              <p className="call-from">from {formatPhone(call?.from_number ?? fromNumber)}</p>
              <p className={`call-status status-${status}`} data-testid="call-status" aria-live="polite">
                {statusText}
              </p>
              {call && isTerminal(call.status) && call.status_text && (
                <p className="call-outcome" data-testid="call-status-text">
                  {call.status_text}
                </p>
              )}
              <div className="badges-row">
                {call?.muted && <span className="tag">Muted</span>}
                {call?.on_hold && <span className="tag">On hold</span>}
                {recording && <span className="tag tag-rec">● Recording</span>}
                {call?.recording_error && (
                  <span className="tag tag-rec-failed" title={call.recording_error} data-testid="recording-error">
                    Recording failed
                  </span>
                )}
                {state.speaker && <span className="tag">Speaker</span>}
              </div>
            </div>
            <ol className="progress" aria-label="Call progress" data-testid="call-progress">
              {STEPS.map((step) => {
                const reached = state.progress.some(step.match);
                const current = status ? step.match(status) : false;
                return (
                  <li key={step.key} data-step={step.key} data-reached={reached} className={`${reached ? 'reached' : ''} ${current ? 'current' : ''}`} aria-current={current ? 'step' : undefined}>
                    <span className="dot" />
                    <span>{step.key === 'ended' && ended ? statusLabel(status) : step.label}</span>
                  </li>
                );
              })}
            </ol>
            {inCall && (
              <>
                {showKeypad ? (
                  <div className="dtmf">
                    <p className="dtmf-digits" aria-live="polite" data-testid="dtmf-digits">
                      {state.dtmf || (answered ? 'Tones are sent as you press' : 'Keypad works once answered')}
                    </p>
                    <Keypad onKey={pressKey} disabled={!answered} />
                  </div>
                ) : (
                  <div className="controls" role="group" aria-label="Call controls">
                    <ToggleButton icon={call?.muted ? 'micOff' : 'mic'} label="Mute" pressed={!!call?.muted} disabled={busy === 'mute'} onClick={() => run('mute', () => api.setMuted(state.callId!, !call?.muted))} />
                    <ToggleButton icon="keypad" label="Keypad" pressed={false} onClick={() => setShowKeypad(true)} />
                    <ToggleButton icon="speaker" label="Speaker" pressed={state.speaker} onClick={() => dispatch({ type: 'speaker' })} />
                    <ToggleButton icon="pause" label="Hold" pressed={!!call?.on_hold} disabled={busy === 'hold' || !answered} onClick={() => run('hold', () => api.setOnHold(state.callId!, !call?.on_hold))} />
                    <ToggleButton
                      icon="record"
                      label="Record"
                      pressed={recording}
                      disabled={busy === 'record' || !answered}
                      onClick={() =>
                        run('record', async () => {
                          const c = recording ? await api.stopRecording(state.callId!) : await api.startRecording(state.callId!);
                          setLocalRecording(!recording);
                          return c;
                        })
                      }
                    />
                    <ToggleButton icon="transfer" label="Transfer" pressed={transferOpen} disabled={!answered} onClick={() => setTransferOpen((v) => !v)} />
                  </div>
                )}
                {showKeypad && (
                  <button type="button" className="link-btn" onClick={() => setShowKeypad(false)}>
                    Hide keypad
                  </button>
                )}
                {transferOpen && !showKeypad && (
                  <form
                    className="transfer-form"
                    onSubmit={(e) => {
                      e.preventDefault();
                      const t = toE164(transferTo);
                      if (!t.ok) {
                        notify('error', `Transfer: ${t.error}`);
                        return;
                      }
                      void run('transfer', () => api.transfer(state.callId!, t.e164)).then(() => setTransferOpen(false));
                    }}
                  >
                    <label htmlFor="transfer-to">Transfer to</label>
                    <input id="transfer-to" type="tel" value={transferTo} placeholder="+1 415 555 0100" onChange={(e) => setTransferTo(e.target.value)} />
                    <button type="submit" className="btn">
                      Transfer
                    </button>
                  </form>
                )}
                <button type="button" className="hangup-btn" aria-label="Hang up" data-testid="hangup-button" onClick={hangup} disabled={busy === 'hang up'}>
                  <Icon name="phone" size={28} className="hangup-icon" />
                </button>
              </>
            )}
            {ended && (
              <div className="ended-actions">
                <button type="button" className="btn" onClick={() => void placeCall(shownNumber)} disabled={state.placing}>
                  <Icon name="phone" size={18} /> Call again
                </button>
                <button
                  type="button"
                  className="btn btn-primary"
                  autoFocus
                  onClick={() => {
                    dispatch({ type: 'reset' });
                    dispatch({ type: 'clear' });
                    setShowKeypad(true);
                    setTransferOpen(false);
                  }}
                >
                  New call
                </button>
              </div>
            )}
          </div>
        )}
      </section>

      <section className="card quick" aria-labelledby="quick-title">
        <h2 id="quick-title" className="card-title">
          Quick dial
        </h2>
        {quick.length === 0 ? (
          <p className="hint">Your favorites and recent calls appear here.</p>
        ) : (
          <ul className="quick-list">
            {quick.map((q) => (
              <li key={q.key}>
                <Avatar name={q.name ?? '#'} size={36} />
                <div className="quick-text">
                  <span className="quick-name">
                    {q.name ?? formatPhone(q.number)}
                    {q.favorite && <Icon name="star" size={12} filled className="fav-mini" />}
                  </span>
                  {q.name && <span className="quick-number">{formatPhone(q.number)}</span>}
                </div>
                <button
                  type="button"
                  className="icon-btn call-mini"
                  aria-label={`Call ${q.name ?? formatPhone(q.number)}`}
                  disabled={inCall || state.placing}
                  onClick={() => {
                    dispatch({ type: 'reset' });
                    dispatch({ type: 'set', value: q.number });
                    void placeCall(q.number);
                  }}
                >
                  <Icon name="phone" size={18} />
                </button>
              </li>
            ))}
          </ul>
        )}
        {call && isTerminal(call.status) && (call.status_text || call.hangup_cause) && (
          <p className="hint">
            Last call: <StatusPill status={call.status} />{' '}
            {call.status_text ?? call.hangup_cause?.replace(/_/g, ' ')}
          </p>
        )}
      </section>
    </div>
  );
}

function Keypad({ onKey, disabled = false }: { onKey: (k: string) => void; disabled?: boolean }) {
  return (
    <div className="keypad" role="group" aria-label="Keypad">
      {KEYPAD.map(({ key, letters }) => (
        <button
          key={key}
          type="button"
          className="key"
          disabled={disabled}
          aria-label={letters && letters !== '+' ? `${key} ${letters}` : key}
          data-key={key}
          onClick={() => onKey(key)}
          onContextMenu={(e) => {
            if (key === '0') {
              e.preventDefault();
              onKey('+');
            }
          }}
        >
          <span className="key-digit">{key}</span>
          <span className="key-letters">{letters || '\u00a0'}</span>
        </button>
      ))}
    </div>
  );
}

function ToggleButton({
  icon,
  label,
  pressed,
  onClick,
  disabled,
}: {
  icon: Parameters<typeof Icon>[0]['name'];
  label: string;
  pressed: boolean;
  onClick: () => void;
  disabled?: boolean;
}) {
  return (
    <button type="button" className={`ctl ${pressed ? 'on' : ''}`} aria-pressed={pressed} onClick={onClick} disabled={disabled} data-testid={`ctl-${label.toLowerCase()}`}>
      <span className="ctl-icon">
        <Icon name={icon} size={22} filled={icon === 'record'} className={icon === 'record' ? 'rec-icon' : undefined} />
      </span>
      <span className="ctl-label">{label}</span>
    </button>
  );
}
