import { describe, expect, it } from 'vitest';
import { categoryLabel, elapsedSeconds, formatDuration, formatDurationWords, initials, statusLabel } from '../src/lib/format';

describe('formatDuration', () => {
  it('formats as a clock', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(5)).toBe('0:05');
    expect(formatDuration(59)).toBe('0:59');
    expect(formatDuration(60)).toBe('1:00');
    expect(formatDuration(65)).toBe('1:05');
    expect(formatDuration(600)).toBe('10:00');
    expect(formatDuration(3599)).toBe('59:59');
    expect(formatDuration(3600)).toBe('1:00:00');
    expect(formatDuration(3723)).toBe('1:02:03');
    expect(formatDuration(36000 + 61)).toBe('10:01:01');
  });
  it('floors fractions and clamps bad input to zero', () => {
    expect(formatDuration(12.9)).toBe('0:12');
    expect(formatDuration(-4)).toBe('0:00');
    expect(formatDuration(null)).toBe('0:00');
    expect(formatDuration(undefined)).toBe('0:00');
    expect(formatDuration(Number.NaN)).toBe('0:00');
  });
});

describe('formatDurationWords', () => {
  it('spells durations out', () => {
    expect(formatDurationWords(0)).toBe('0 s');
    expect(formatDurationWords(42)).toBe('42 s');
    expect(formatDurationWords(60)).toBe('1 min');
    expect(formatDurationWords(65)).toBe('1 min 5 s');
    expect(formatDurationWords(3723)).toBe('1 h 2 min 3 s');
  });
});

describe('elapsedSeconds', () => {
  const t0 = '2026-11-26T10:00:00.000Z';
  const ms = Date.parse(t0);
  it('counts whole seconds since a time', () => {
    expect(elapsedSeconds(t0, ms)).toBe(0);
    expect(elapsedSeconds(t0, ms + 999)).toBe(0);
    expect(elapsedSeconds(t0, ms + 1000)).toBe(1);
    expect(elapsedSeconds(t0, ms + 125_400)).toBe(125);
  });
  it('never goes negative (clock skew) and is 0 when unknown', () => {
    expect(elapsedSeconds(t0, ms - 5000)).toBe(0);
    expect(elapsedSeconds(null, ms)).toBe(0);
    expect(elapsedSeconds('not a time', ms)).toBe(0);
  });
});

describe('labels', () => {
  it('labels statuses and categories', () => {
    expect(statusLabel('no_answer')).toBe('No answer');
    expect(statusLabel('weird')).toBe('weird');
    expect(categoryLabel('follow_up')).toBe('Follow-up');
    expect(categoryLabel(undefined)).toBe('Other');
  });
  it('makes initials', () => {
    expect(initials('Ada Lovelace')).toBe('AL');
    expect(initials('grace')).toBe('G');
    expect(initials('Jean Paul Sartre')).toBe('JS');
    expect(initials('')).toBe('#');
  });
});
