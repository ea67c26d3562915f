// Durations, times and labels.
import type { CallStatus, ContactCategory } from '../api/types';

/** Seconds as a clock: 5 → "0:05", 65 → "1:05", 3723 → "1:02:03". */
export function formatDuration(totalSeconds: number | null | undefined): string {
  const s = Math.max(0, Math.floor(Number.isFinite(totalSeconds as number) ? (totalSeconds as number) : 0));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const ss = String(sec).padStart(2, '0');
  if (h > 0) return `${h}:${String(m).padStart(2, '0')}:${ss}`;
  return `${m}:${ss}`;
}

/** Seconds in words for screen readers and summaries: 65 → "1 min 5 s". */
export function formatDurationWords(totalSeconds: number | null | undefined): string {
  const s = Math.max(0, Math.round(Number(totalSeconds) || 0));
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const parts: string[] = [];
  if (h) parts.push(`${h} h`);
  if (m) parts.push(`${m} min`);
  if (sec) parts.push(`${sec} s`);
  return parts.join(' ');
}

/** Parses an ISO time; NaN when missing or invalid. */
export function parseTime(iso: string | null | undefined): number {
  if (!iso) return NaN;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : NaN;
}

/** Whole seconds from `startIso` to `nowMs`, never negative; 0 when unknown. */
export function elapsedSeconds(startIso: string | null | undefined, nowMs: number): number {
  const start = parseTime(startIso);
  if (!Number.isFinite(start)) return 0;
  return Math.max(0, Math.floor((nowMs - start) / 1000));
}

const timeFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateFmt = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

/** "14:05" today, "Nov 26, 14:05" on other days. */
export function formatWhen(iso: string | null | undefined, nowMs = Date.now()): string {
  const t = parseTime(iso);
  if (!Number.isFinite(t)) return '';
  const d = new Date(t);
  const now = new Date(nowMs);
  const sameDay =
    d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth() && d.getDate() === now.getDate();
  return sameDay ? timeFmt.format(d) : `${dateFmt.format(d)}, ${timeFmt.format(d)}`;
}

export const STATUS_LABELS: Record<CallStatus, string> = {
  dialing: 'Dialing',
  ringing: 'Ringing',
  active: 'Active',
  completed: 'Completed',
  busy: 'Busy',
  no_answer: 'No answer',
  canceled: 'Canceled',
  failed: 'Failed',
};

export function statusLabel(status: string | null | undefined): string {
  return (status && STATUS_LABELS[status as CallStatus]) || status || 'Unknown';
}

export const CATEGORY_LABELS: Record<ContactCategory, string> = {
  lead: 'Lead',
  client: 'Client',
  follow_up: 'Follow-up',
  other: 'Other',
};

export function categoryLabel(c: string | null | undefined): string {
  return (c && CATEGORY_LABELS[c as ContactCategory]) || c || 'Other';
}

/** Up to two initials for an avatar: "Ada Lovelace" → "AL". */
export function initials(name: string | null | undefined): string {
  const words = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '#';
  const first = words[0]![0] ?? '';
  const last = words.length > 1 ? (words[words.length - 1]![0] ?? '') : '';
  return (first + last).toUpperCase();
}
