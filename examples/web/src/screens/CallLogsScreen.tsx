// CallLogsScreen — call history with search and status filter, stats,
// recordings played in the page, and CSV export. Administrators of a server
// with sign-in also see who placed each call and may show one user's calls.
import { useMemo, useState, type MouseEvent } from 'react';
import { administers, managesUsers, useAccount } from '../account';
import { CALL_STATUSES, type Call, type Recording, type User } from '../api/types';
import { EmptyState, StatusPill, useDebounced } from '../components/common';
import { Icon } from '../components/Icon';
import { useBackend, useNotifier } from '../context';
import { useCallLogs } from '../hooks/useCallLogs';
import { useRecordingsApi } from '../hooks/useRecordingsApi';
import { useUsersApi } from '../hooks/useUsersApi';
import { formatDuration, formatDurationWords, formatWhen, statusLabel } from '../lib/format';
import { formatPhone } from '../lib/phone';

/** Who placed a call, as the log shows it: the user's name, "—" for nobody. */
export function placedBy(agentId: string | null | undefined, team: ReadonlyMap<string, User>, loaded: boolean): string {
  if (!agentId) return '—';
  const u = team.get(agentId);
  if (u) return u.name;
  return loaded ? 'Unknown user' : '…';
}

export function CallLogsScreen({ onCall }: { onCall: (number: string, name?: string) => void }) {
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState('');
  const [agentFilter, setAgentFilter] = useState('');
  const debounced = useDebounced(query, 300);
  // The team (GET /api/users/, administrators only): the filter's choices and the names in the rows.
  const { me } = useAccount();
  const admin = managesUsers(me);
  const team = useUsersApi('', admin);
  const byId = useMemo(() => new Map(team.users.map((u) => [u.id, u])), [team.users]);
  const sortedTeam = useMemo(() => [...team.users].sort((a, b) => a.name.localeCompare(b.name)), [team.users]);
  const agentId = admin ? agentFilter : '';
  const logs = useCallLogs({ query: debounced, status, agentId, pageSize: 25 });
  const recordings = useRecordingsApi();
  const { backend } = useBackend();
  const { notifyError } = useNotifier();
  const [open, setOpen] = useState<string | null>(null);

  // With a token the link cannot carry the Authorization header: download
  // through fetch instead (also the way local demo mode serves the CSV).
  const onExport = async (e: MouseEvent<HTMLAnchorElement>) => {
    if (backend.kind === 'server' && !logs.exportHref.includes('token=')) return; // plain link
    e.preventDefault();
    try {
      const csv = await logs.exportCsv();
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = 'call-logs.csv';
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (err) {
      notifyError(err, 'Export failed');
    }
  };

  const s = logs.stats;
  return (
    <div className="screen">
      <div className="screen-head">
        <h1 className="screen-title">Call logs</h1>
        <a className="btn" href={logs.exportHref} download="call-logs.csv" onClick={onExport} data-testid="export-csv">
          <Icon name="download" size={18} /> Export CSV
        </a>
      </div>

      {s && (
        <dl className="stats" aria-label="Call statistics">
          <div>
            <dt>Total calls</dt>
            <dd>{s.total_calls}</dd>
          </div>
          <div>
            <dt>Completed</dt>
            <dd>{s.completed_calls}</dd>
          </div>
          <div>
            <dt>Not connected</dt>
            <dd>{s.failed_calls}</dd>
          </div>
          <div>
            <dt>Avg. duration</dt>
            <dd>{formatDuration(s.average_duration)}</dd>
          </div>
        </dl>
      )}

      <div className="toolbar">
        <div className="search">
          <Icon name="search" size={18} />
          <label htmlFor="log-search" className="sr-only">
            Search call logs
          </label>
          <input id="log-search" type="search" placeholder="Search by name or number" value={query} onChange={(e) => setQuery(e.target.value)} />
        </div>
        <div className="field inline">
          <label htmlFor="log-status">Status</label>
          <select id="log-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">All statuses</option>
            {CALL_STATUSES.map((st) => (
              <option key={st} value={st}>
                {statusLabel(st)}
              </option>
            ))}
          </select>
        </div>
        {admin && (
          <div className="field inline">
            <label htmlFor="log-agent">Placed by</label>
            <select id="log-agent" value={agentId} onChange={(e) => setAgentFilter(e.target.value)} data-testid="log-agent-filter">
              <option value="">All</option>
              {sortedTeam.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>

      {logs.logs.length === 0 && !logs.loading ? (
        <EmptyState icon="clock" title={query || status || agentId ? 'No calls match' : 'No calls yet'}>
          {!query && !status && !agentId && <p>Calls you make appear here with their duration and recordings.</p>}
        </EmptyState>
      ) : (
        <ul className="log-list" aria-label="Call history" aria-busy={logs.loading} data-testid="log-list">
          {logs.logs.map((c) => (
            <LogRow
              key={c.call_id}
              call={c}
              recordings={recordings.byCallId.get(c.call_id) ?? []}
              expanded={open === c.call_id}
              onToggle={() => setOpen(open === c.call_id ? null : c.call_id)}
              onCall={onCall}
              agent={admin ? placedBy(c.agent_id, byId, !team.loading || team.users.length > 0) : undefined}
              loadRecordings={recordings.forCall}
              refreshRecording={recordings.refresh}
              removeRecording={recordings.remove}
              src={recordings.src}
            />
          ))}
        </ul>
      )}
      {logs.hasMore && (
        <div className="center">
          <button type="button" className="btn" onClick={logs.loadMore} disabled={logs.loading}>
            {logs.loading ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
    </div>
  );
}

function LogRow({
  call,
  recordings,
  expanded,
  onToggle,
  onCall,
  agent,
  loadRecordings,
  refreshRecording,
  removeRecording,
  src,
}: {
  call: Call;
  recordings: Recording[];
  expanded: boolean;
  onToggle: () => void;
  onCall: (number: string, name?: string) => void;
  /** Who placed it (shown to administrators only). */
  agent?: string;
  loadRecordings: (callId: string) => Promise<Recording[]>;
  refreshRecording: (recordingId: string) => Promise<Recording>;
  removeRecording: (recordingId: string) => Promise<void>;
  src: (r: Recording) => string;
}) {
  const [fetched, setFetched] = useState<Recording[] | null>(null);
  // A live call's recordings with fresh URLs, by id: Telnyx's expire 10 minutes after the call.
  const [fresh, setFresh] = useState<ReadonlyMap<string, Recording>>(new Map());
  const [refreshing, setRefreshing] = useState(false);
  const [deleting, setDeleting] = useState<string | null>(null);
  const { notify, notifyError } = useNotifier();
  // Deleting recordings is the administrators' (the server answers 403 to agents).
  const canDelete = administers(useAccount().me);
  // A fresh URL replaces the stored one; everything else (a delete Telnyx refused) stays current.
  const list = (recordings.length ? recordings : (fetched ?? [])).map((r) => {
    const f = fresh.get(r.id);
    return f ? { ...r, url: f.url } : r;
  });
  const hasRecording = list.length > 0 || !!call.recording_id;
  const name = call.contact_name || null;

  const toggle = async () => {
    onToggle();
    if (expanded) return;
    let known = recordings.length ? recordings : fetched;
    if (known === null) {
      try {
        known = await loadRecordings(call.call_id);
        setFetched(known);
      } catch (e) {
        notifyError(e, 'Could not load the recording');
        setFetched([]);
        return;
      }
    }
    if (call.demo === false && known.length > 0) {
      setRefreshing(true);
      try {
        const got = await Promise.all(known.map((r) => refreshRecording(r.id)));
        setFresh(new Map(got.map((r) => [r.id, r])));
      } catch (e) {
        notifyError(e, 'Could not get a fresh link to the recording');
      } finally {
        setRefreshing(false);
      }
    }
  };

  // Deleted at Telnyx too; while Telnyx keeps it the server keeps it, marked, and says why.
  const remove = async (r: Recording) => {
    setDeleting(r.id);
    try {
      await removeRecording(r.id);
      setFetched((f) => (f ? f.filter((x) => x.id !== r.id) : f));
      notify('success', 'Recording deleted');
    } catch (e) {
      notifyError(e, 'The recording was not deleted');
      // The server kept it, marked: the lists reload (removeRecording), and this row's own copy too.
      if (fetched !== null) {
        try {
          setFetched(await loadRecordings(call.call_id));
        } catch {
          /* the toast said enough */
        }
      }
    } finally {
      setDeleting(null);
    }
  };

  return (
    <li className="log" data-testid="log-row" data-call-id={call.call_id} data-status={call.status} data-agent-id={call.agent_id ?? ''}>
      <div className="log-main">
        <span className={`dir dir-${call.status}`} aria-hidden="true">
          <Icon name={call.status === 'completed' ? 'arrowUpRight' : 'phone'} size={18} />
        </span>
        <span className="log-name">{name ?? formatPhone(call.to_number)}</span>
        <span className="log-sub">
          {name && <span>{formatPhone(call.to_number)} · </span>}
          <span>{formatWhen(call.created_at)}</span>
          <span className="muted log-from"> · from {formatPhone(call.from_number)}</span>
          {agent !== undefined && (
            <span className="log-agent">
              {' · '}
              <span className="sr-only">Placed by </span>
              <Icon name="user" size={12} />{' '}
              <span data-testid="log-agent" title="Placed by">
                {agent}
              </span>
            </span>
          )}
          {hasRecording && <span className="rec-tag"> · ● Recorded</span>}
          {call.recording_error && (
            <span className="rec-tag rec-failed" title={call.recording_error} data-testid="recording-error">
              {' '}
              · Recording failed
            </span>
          )}
        </span>
        <div className="log-meta">
          <span title={call.status_text ?? undefined} data-testid="log-status">
            <StatusPill status={call.status} />
          </span>
          <span className="log-duration" aria-label={`Duration ${formatDurationWords(call.duration)}`} data-testid="log-duration">
            {formatDuration(call.duration)}
          </span>
        </div>
        <div className="row-actions">
          {hasRecording && (
            <button type="button" className={`icon-btn ${expanded ? 'on' : ''}`} aria-expanded={expanded} aria-label={`Play recording of the call to ${name ?? formatPhone(call.to_number)}`} onClick={toggle} data-testid="recording-toggle">
              <Icon name="play" size={16} />
            </button>
          )}
          <button type="button" className="icon-btn call-mini" aria-label={`Call ${name ?? formatPhone(call.to_number)} again`} onClick={() => onCall(call.to_number, name ?? undefined)}>
            <Icon name="phone" size={18} />
          </button>
        </div>
      </div>
      {call.recording_error && expanded && <p className="hint">{call.recording_error}</p>}
      {expanded && (
        <div className="recordings">
          {refreshing ? (
            <p className="hint">Getting a fresh link to the recording…</p>
          ) : list.length === 0 ? (
            <p className="hint">{fetched === null ? 'Loading recording…' : 'The recording is not ready yet.'}</p>
          ) : (
            list.map((r) => (
              <div key={r.id} className="recording">
                <audio controls preload="metadata" src={src(r)} data-testid="recording-audio" aria-label={`Recording, ${formatDurationWords(r.duration)}`}>
                  <a href={src(r)}>Download the recording</a>
                </audio>
                <span className="muted">
                  {r.format?.toUpperCase()} · {formatDuration(r.duration)}
                </span>
                {canDelete && (
                  <button
                    type="button"
                    className="btn btn-small"
                    disabled={deleting === r.id}
                    onClick={() => void remove(r)}
                    data-testid="recording-delete"
                  >
                    {deleting === r.id ? 'Deleting…' : 'Delete'}
                  </button>
                )}
                {r.remote_delete_error && (
                  <p className="hint rec-delete-error" data-testid="recording-delete-error">
                    {r.remote_delete_error}
                  </p>
                )}
              </div>
            ))
          )}
        </div>
      )}
    </li>
  );
}
