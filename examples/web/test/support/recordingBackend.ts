// A Backend for tests: logs every request and answers from `answers` (or
// throws from `fail`), keyed by "METHOD /path" without the query string.
import { type ApiError, type Backend, type Method, type SocketLike } from '../../src/api/client';

export class RecordingBackend implements Backend {
  readonly kind = 'server' as const;
  log: { method: Method; path: string; body?: unknown }[] = [];
  answers: Record<string, unknown> = {};
  fail: Record<string, ApiError> = {};
  async request<T>(method: Method, path: string, body?: unknown): Promise<T> {
    this.log.push({ method, path, body });
    const key = `${method} ${path.split('?')[0]}`;
    if (this.fail[key]) throw this.fail[key];
    return (this.answers[key] ?? []) as T;
  }
  async requestText(): Promise<string> {
    return '';
  }
  openCallStream(): SocketLike {
    throw new Error('not used');
  }
  href(p: string) {
    return p;
  }
  paths(method: Method = 'GET') {
    return this.log.filter((l) => l.method === method).map((l) => l.path);
  }
}
