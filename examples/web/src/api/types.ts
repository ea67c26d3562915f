// The records of the callwire REST API (docs/web.md, DESIGN.md "REST API").
// Times are ISO-8601 UTC strings; optional values may be null or absent.

export const CALL_STATUSES = [
  'dialing',
  'ringing',
  'active',
  'completed',
  'busy',
  'no_answer',
  'canceled',
  'failed',
] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

export const TERMINAL_STATUSES: readonly CallStatus[] = ['completed', 'busy', 'no_answer', 'canceled', 'failed'];

export interface Call {
  call_id: string;
  call_control_id?: string | null;
  call_leg_id?: string | null;
  call_session_id?: string | null;
  connection_id?: string | null;
  to_number: string;
  from_number: string;
  direction?: 'outbound' | 'inbound' | string;
  status: CallStatus;
  created_at?: string | null;
  updated_at?: string | null;
  /** When the carrier began alerting the far end (the first call.initiated). */
  ringing_at?: string | null;
  answered_at?: string | null;
  ended_at?: string | null;
  duration?: number | null;
  hangup_cause?: string | null;
  hangup_source?: string | null;
  failure_reason?: string | null;
  /** The answering machine detection's result (human, machine, not_sure, …); '' without detection. */
  machine_detection?: string;
  /** How a machine's greeting ended (beep_detected, ended, not_sure, no_beep_detected); '' when no such event came. */
  machine_greeting?: string;
  /** The status as a sentence for people ("The line was busy.", "Failed: …"); the server derives it. */
  status_text?: string | null;
  contact_id?: string | null;
  contact_name?: string | null;
  recording_id?: string | null;
  /** A recording is in progress (callwire extension; may be absent). */
  recording?: boolean;
  /** The recording is paused (recording/pause, until resume, stop or start). */
  recording_paused?: boolean;
  /** The dial asked Telnyx to record from the answer (auto_record, or the dial's record). */
  record_from_answer?: boolean;
  /** Why a recording of the call failed (call.recording.error), a sentence; '' or absent when none did. */
  recording_error?: string;
  muted?: boolean;
  on_hold?: boolean;
  demo?: boolean;
  /** The user who placed it (null: placed without a user — an SDK script, before accounts). */
  agent_id?: string | null;
}

export interface DialRequest {
  to_number: string;
  from_number?: string;
}

export interface DialResponse {
  call_id: string;
  status: CallStatus;
  to_number: string;
  from_number: string;
}

export const CONTACT_CATEGORIES = ['lead', 'client', 'follow_up', 'other'] as const;
export type ContactCategory = (typeof CONTACT_CATEGORIES)[number];

export interface Contact {
  id: string;
  name: string;
  phone: string;
  email?: string | null;
  category: ContactCategory;
  is_favorite: boolean;
  notes?: string | null;
  created_at?: string;
  updated_at?: string;
}

export interface ContactInput {
  name: string;
  phone: string;
  email: string;
  category: ContactCategory;
  is_favorite: boolean;
}

export interface Recording {
  id: string;
  call_id: string;
  url: string;
  duration: number;
  format: string;
  created_at?: string;
  /** Its call's agent_id. */
  agent_id?: string | null;
  /** Why Telnyx did not delete it when asked (it is kept until a delete succeeds); '' or absent otherwise. */
  remote_delete_error?: string;
}

export interface PhoneNumber {
  id: string;
  number: string;
  name: string;
  status: string;
  is_default: boolean;
}

export interface TelnyxSettings {
  api_key: string;
  api_v2_key: string;
  webhook_url: string;
  connection_id: string;
  public_key: string;
  auto_record: boolean;
  /** How recordings are made: each party on its own channel (Telnyx's default) or both mixed. */
  recording_channels: RecordingChannels;
  demo_mode: boolean;
}

export type RecordingChannels = 'single' | 'dual';

export interface CallStats {
  total_calls: number;
  completed_calls: number;
  failed_calls: number;
  active_calls?: number;
  average_duration: number;
  answer_rate?: number;
  total_duration?: number;
  by_status?: Record<string, number>;
}

export interface Health {
  status: string;
  mode: 'demo' | 'live' | string;
  storage?: string;
  version?: string;
}

/** Messages of the /ws/calls WebSocket. */
export type CallStreamMessage =
  | { type: 'snapshot'; calls: Call[] }
  | { type: 'call.updated' | 'call.created' | 'call.ended'; call: Call }
  /** A user's status changed (presence); every socket gets everyone's. */
  | { type: 'agent.updated'; agent: User };

/** Accounts (docs/reference-server.md, "Accounts and roles"). */
export type Role = 'admin' | 'agent';
export const USER_STATUSES = ['available', 'busy', 'wrap_up', 'away', 'offline'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];
/** The statuses a user sets themself; the others follow calls and connections. */
export const OWN_STATUSES: readonly UserStatus[] = ['available', 'away'];

/** An account of the team (the password hash is never returned). */
export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  status: UserStatus;
  default_number_id?: string | null;
  disabled: boolean;
  token_version?: number;
  created_at?: string;
  updated_at?: string;
  last_login_at?: string | null;
}

/** POST /api/auth/login's answer. */
export interface Session {
  access_token: string;
  token_type: 'bearer';
  /** Seconds. */
  expires_in: number;
  user: User;
}

/** GET /api/auth/me: a signed-in user, a service token (no `sub`), or a server without JWT_SECRET. */
export interface Me {
  kind: 'user' | 'service' | 'local';
  role: Role;
  sign_in_required: boolean;
  user: User | null;
}
