// useCallLogs — call history: GET /api/calls/logs (no filter) or
// GET /api/calls/logs/search?query=&status= , paginated with limit/offset,
// plus GET /api/calls/stats/summary. Reloads when a call ends. `agentId`
// (administrators) narrows the list, the stats and the export to the calls
// one user placed (?agent_id=); an agent's are narrowed by the server anyway.
import { useCallback, useEffect, useRef, useState } from 'react';
import { qs } from '../api/client';
import type { Call, CallStats } from '../api/types';
import { useBackend, useNotifier } from '../context';

export interface LogFilter {
  query?: string;
  status?: string;
  /** Only the calls this user placed (administrators); '' or absent: everyone's. */
  agentId?: string;
  pageSize?: number;
}

export function logsPath(filter: LogFilter, offset: number): string {
  const limit = filter.pageSize ?? 25;
  const query = filter.query?.trim() ?? '';
  const status = filter.status ?? '';
  const agent_id = filter.agentId ?? '';
  if (!query && !status) return `/api/calls/logs${qs({ agent_id, limit, offset })}`;
  return `/api/calls/logs/search${qs({ query, status, agent_id, limit, offset })}`;
}

export function statsPath(filter: LogFilter): string {
  return `/api/calls/stats/summary${qs({ agent_id: filter.agentId })}`;
}

/** The CSV export of what the list shows (the same filter, every page). */
export function exportPath(filter: LogFilter): string {
  return `/api/calls/logs/export${qs({ query: filter.query?.trim(), status: filter.status, agent_id: filter.agentId })}`;
}

export function useCallLogs(filter: LogFilter = {}) {
  const { backend, dataVersion } = useBackend();
  const { notifyError } = useNotifier();
  const pageSize = filter.pageSize ?? 25;
  const [logs, setLogs] = useState<Call[]>([]);
  const [stats, setStats] = useState<CallStats | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [pages, setPages] = useState(1);
  const key = logsPath(filter, 0);
  const lastKey = useRef(key);

  // A new filter starts again from the first page.
  useEffect(() => {
    if (lastKey.current !== key) {
      lastKey.current = key;
      setPages(1);
    }
  }, [key]);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    const f = { query: filter.query, status: filter.status, agentId: filter.agentId, pageSize: pageSize * pages };
    Promise.all([
      backend.request<Call[]>('GET', logsPath(f, 0)),
      backend.request<CallStats>('GET', statsPath(f)).catch(() => null),
    ])
      .then(([rows, s]) => {
        if (cancelled) return;
        const list = Array.isArray(rows) ? rows : [];
        setLogs(list);
        setHasMore(list.length >= pageSize * pages);
        setStats(s);
        setError(null);
      })
      .catch((e: unknown) => {
        if (cancelled) return;
        setError(e instanceof Error ? e.message : String(e));
        notifyError(e, 'Could not load call logs');
      })
      .finally(() => {
        if (!cancelled) setLoading(false);
      });
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, pages, dataVersion, backend, notifyError]);

  const loadMore = useCallback(() => setPages((p) => p + 1), []);
  // The export takes the same filter as the list.
  const csvPath = exportPath(filter);
  const exportCsv = useCallback(() => backend.requestText(csvPath), [backend, csvPath]);
  return { logs, stats, loading, error, hasMore, loadMore, exportCsv, exportHref: backend.href(csvPath) };
}
