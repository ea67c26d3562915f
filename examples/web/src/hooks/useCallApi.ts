// useCallApi — placing and controlling calls (POST /api/telnyx/…).
// Every command answers the whole Call, which the caller merges into the
// live calls (useWebhookCalls().upsert).
import { useMemo } from 'react';
import { qs } from '../api/client';
import type { Call, CallStats, DialRequest, DialResponse } from '../api/types';
import { useBackend } from '../context';

export interface CallApi {
  dial(req: DialRequest): Promise<DialResponse>;
  hangup(callId: string): Promise<Call>;
  status(callId: string): Promise<Call>;
  active(): Promise<Call[]>;
  stats(): Promise<CallStats>;
  setMuted(callId: string, muted: boolean): Promise<Call>;
  setOnHold(callId: string, onHold: boolean): Promise<Call>;
  sendDtmf(callId: string, digits: string): Promise<Call>;
  startRecording(callId: string): Promise<Call>;
  stopRecording(callId: string): Promise<Call>;
  transfer(callId: string, toNumber: string): Promise<Call>;
}

export function useCallApi(): CallApi {
  const { backend } = useBackend();
  return useMemo(() => {
    const id = (callId: string) => encodeURIComponent(callId);
    const control = <T,>(callId: string, what: string, body: unknown = {}) =>
      backend.request<T>('POST', `/api/telnyx/calls/${id(callId)}/${what}`, body);
    return {
      dial: (req) => {
        const body: DialRequest = { to_number: req.to_number };
        if (req.from_number) body.from_number = req.from_number;
        return backend.request<DialResponse>('POST', '/api/telnyx/dial', body);
      },
      hangup: (callId) => backend.request<Call>('POST', `/api/telnyx/hangup/${id(callId)}`),
      status: (callId) => backend.request<Call>('GET', `/api/call-status/status/${id(callId)}`),
      active: () => backend.request<Call[]>('GET', '/api/call-status/active'),
      stats: () => backend.request<CallStats>('GET', `/api/call-status/stats${qs({})}`),
      setMuted: (callId, muted) => control<Call>(callId, 'mute', { muted }),
      setOnHold: (callId, onHold) => control<Call>(callId, 'hold', { on_hold: onHold }),
      sendDtmf: (callId, digits) => control<Call>(callId, 'dtmf', { digits }),
      startRecording: (callId) => control<Call>(callId, 'recording/start'),
      stopRecording: (callId) => control<Call>(callId, 'recording/stop'),
      transfer: (callId, toNumber) => control<Call>(callId, 'transfer', { to_number: toNumber }),
    } satisfies CallApi;
  }, [backend]);
}
