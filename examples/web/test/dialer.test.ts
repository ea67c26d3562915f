import { describe, expect, it } from 'vitest';
import { dialerReducer, displayInput, initialDialerState, MAX_INPUT, type DialerAction } from '../src/lib/dialer';

const run = (actions: DialerAction[], s = initialDialerState) => actions.reduce(dialerReducer, s);

describe('dialerReducer', () => {
  it('types keys and formats the display', () => {
    const s = run([...'4155550123'].map((key) => ({ type: 'key', key }) as DialerAction));
    expect(s.input).toBe('4155550123');
    expect(displayInput(s)).toBe('(415) 555-0123');
  });
  it('allows + only first, and ignores other keys', () => {
    const s = run([
      { type: 'key', key: '+' },
      { type: 'key', key: '4' },
      { type: 'key', key: '+' },
      { type: 'key', key: 'a' },
      { type: 'key', key: '4' },
    ]);
    expect(s.input).toBe('+44');
  });
  it('backspaces, clears, and caps the length', () => {
    let s = run([{ type: 'set', value: '+1 (415) 555-0123' }]);
    expect(s.input).toBe('+14155550123');
    s = dialerReducer(s, { type: 'backspace' });
    expect(s.input).toBe('+1415555012');
    s = dialerReducer(s, { type: 'clear' });
    expect(s.input).toBe('');
    s = run(Array.from({ length: 40 }, () => ({ type: 'key', key: '9' }) as DialerAction));
    expect(s.input.length).toBe(MAX_INPUT);
  });
  it('records the progress of the followed call once per status', () => {
    let s = run([{ type: 'placing' }, { type: 'started', callId: 'c1', status: 'dialing' }]);
    expect(s.placing).toBe(false);
    s = run(
      [
        { type: 'status', callId: 'c1', status: 'dialing' },
        { type: 'status', callId: 'c1', status: 'ringing' },
        { type: 'status', callId: 'other', status: 'active' },
        { type: 'status', callId: 'c1', status: 'ringing' },
        { type: 'status', callId: 'c1', status: 'active' },
        { type: 'status', callId: 'c1', status: 'completed' },
        { type: 'status', callId: 'c1', status: 'failed' },
      ],
      s,
    );
    expect(s.progress).toEqual(['dialing', 'ringing', 'active', 'completed']);
  });
  it('keeps DTMF digits and the speaker toggle per call', () => {
    let s = run([
      { type: 'started', callId: 'c1', status: 'dialing' },
      { type: 'dtmf', digits: '1' },
      { type: 'dtmf', digits: '#' },
      { type: 'speaker' },
    ]);
    expect(s.dtmf).toBe('1#');
    expect(s.speaker).toBe(true);
    s = dialerReducer(s, { type: 'started', callId: 'c2', status: 'dialing' });
    expect(s.dtmf).toBe('');
    expect(s.speaker).toBe(false);
    s = dialerReducer(s, { type: 'reset' });
    expect(s.callId).toBeNull();
    expect(s.progress).toEqual([]);
  });
  it('clears the placing flag when the dial fails', () => {
    const s = run([{ type: 'placing' }, { type: 'placeFailed' }]);
    expect(s.placing).toBe(false);
    expect(s.callId).toBeNull();
  });
});
