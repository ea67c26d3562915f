// A stand-in for the browser's WebSocket that tests drive: open it, send it
// the server's messages, close it with a code.
import { act } from '@testing-library/react';
import { vi } from 'vitest';

export class DrivenSocket {
  static all: DrivenSocket[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    DrivenSocket.all.push(this);
  }
  close() {
    this.closed = true;
  }
  static get last(): DrivenSocket {
    return DrivenSocket.all[DrivenSocket.all.length - 1]!;
  }
  /** Opens the socket, with the server's snapshot. */
  async open(calls: unknown[] = []) {
    await act(async () => {
      this.onopen?.({});
      this.onmessage?.({ data: JSON.stringify({ type: 'snapshot', calls }) });
    });
  }
  async send(message: unknown) {
    await act(async () => {
      this.onmessage?.({ data: JSON.stringify(message) });
    });
  }
  /** The server closes it (1008: the session ended or the role changed). */
  async closeWith(code: number, reason = '') {
    await act(async () => {
      this.closed = true;
      this.onclose?.({ code, reason, wasClean: true });
    });
  }
}

/** Replaces the global WebSocket with DrivenSocket; returns the list of sockets opened. */
export function stubWebSocket(): DrivenSocket[] {
  DrivenSocket.all = [];
  vi.stubGlobal('WebSocket', DrivenSocket);
  return DrivenSocket.all;
}
