// What every screen shares: the backend, notifications, and a "data changed"
// counter that makes lists reload after a call ends or a record changes.
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { errorMessage, type Backend } from './api/client';

export type ToastKind = 'error' | 'success' | 'info';
export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
}

interface Notifier {
  toasts: Toast[];
  notify(kind: ToastKind, message: string): void;
  notifyError(e: unknown, prefix?: string): void;
  dismiss(id: number): void;
}

const NotifierContext = createContext<Notifier | null>(null);

export function NotifierProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());

  const dismiss = useCallback((id: number) => {
    setToasts((t) => t.filter((x) => x.id !== id));
    const timer = timers.current.get(id);
    if (timer) clearTimeout(timer);
    timers.current.delete(id);
  }, []);

  const notify = useCallback(
    (kind: ToastKind, message: string) => {
      const id = next.current++;
      setToasts((t) => {
        // The same message twice in a row is shown once.
        const rest = t.filter((x) => !(x.message === message && x.kind === kind));
        return [...rest.slice(-3), { id, kind, message }];
      });
      timers.current.set(
        id,
        setTimeout(() => dismiss(id), kind === 'error' ? 8000 : 4000),
      );
    },
    [dismiss],
  );

  const notifyError = useCallback(
    (e: unknown, prefix?: string) => notify('error', prefix ? `${prefix}: ${errorMessage(e)}` : errorMessage(e)),
    [notify],
  );

  const value = useMemo(() => ({ toasts, notify, notifyError, dismiss }), [toasts, notify, notifyError, dismiss]);
  return <NotifierContext.Provider value={value}>{children}</NotifierContext.Provider>;
}

export function useNotifier(): Notifier {
  const n = useContext(NotifierContext);
  if (!n) throw new Error('useNotifier outside NotifierProvider');
  return n;
}

interface BackendState {
  backend: Backend;
  /** Bumped when calls end or records change; lists reload on change. */
  dataVersion: number;
  /** Changes with every new token (SessionState.epoch): the socket reconnects, links are rebuilt. */
  session: number;
  bumpData(): void;
}

const BackendContext = createContext<BackendState | null>(null);

export function BackendProvider({ backend, session = 0, children }: { backend: Backend; session?: number; children: ReactNode }) {
  const [dataVersion, setDataVersion] = useState(0);
  const bumpData = useCallback(() => setDataVersion((v) => v + 1), []);
  const value = useMemo(() => ({ backend, dataVersion, bumpData, session }), [backend, dataVersion, bumpData, session]);
  return <BackendContext.Provider value={value}>{children}</BackendContext.Provider>;
}

export function useBackend(): BackendState {
  const b = useContext(BackendContext);
  if (!b) throw new Error('useBackend outside BackendProvider');
  return b;
}
