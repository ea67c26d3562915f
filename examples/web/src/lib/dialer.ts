// The dialer's own state: what is typed, which call it follows, and the
// statuses that call has gone through (the progress shown under the number).
import type { CallStatus } from '../api/types';
import { formatAsYouType, sanitizeDialInput } from './phone';
import { isTerminal } from './calls';

export interface DialerState {
  /** What was typed, sanitized ("+14155550123"). */
  input: string;
  /** The call the dialer follows, if any. */
  callId: string | null;
  /** Statuses seen for that call, in the order they were seen. */
  progress: CallStatus[];
  /** DTMF digits sent during the call. */
  dtmf: string;
  /** Local speaker toggle (the softphone plays no audio itself). */
  speaker: boolean;
  /** Set while the dial request is in flight. */
  placing: boolean;
}

export const initialDialerState: DialerState = {
  input: '',
  callId: null,
  progress: [],
  dtmf: '',
  speaker: false,
  placing: false,
};

export type DialerAction =
  | { type: 'key'; key: string }
  | { type: 'backspace' }
  | { type: 'clear' }
  | { type: 'set'; value: string }
  | { type: 'placing' }
  | { type: 'placeFailed' }
  | { type: 'started'; callId: string; status: CallStatus }
  | { type: 'status'; callId: string; status: CallStatus }
  | { type: 'dtmf'; digits: string }
  | { type: 'speaker' }
  | { type: 'reset' };

export const MAX_INPUT = 20;

export function dialerReducer(state: DialerState, action: DialerAction): DialerState {
  switch (action.type) {
    case 'key': {
      if (!/^[0-9*#+]$/.test(action.key)) return state;
      if (action.key === '+' && state.input !== '') return state;
      if (state.input.length >= MAX_INPUT) return state;
      return { ...state, input: state.input + action.key };
    }
    case 'backspace':
      return { ...state, input: state.input.slice(0, -1) };
    case 'clear':
      return { ...state, input: '' };
    case 'set':
      return { ...state, input: sanitizeDialInput(action.value).slice(0, MAX_INPUT) };
    case 'placing':
      return { ...state, placing: true };
    case 'placeFailed':
      return { ...state, placing: false };
    case 'started':
      return {
        ...state,
        placing: false,
        callId: action.callId,
        progress: [action.status],
        dtmf: '',
        speaker: false,
      };
    case 'status': {
      if (action.callId !== state.callId) return state;
      if (state.progress.includes(action.status)) return state;
      // A terminal status ends the progress; nothing comes after it.
      if (state.progress.some((s) => isTerminal(s))) return state;
      return { ...state, progress: [...state.progress, action.status] };
    }
    case 'dtmf':
      return { ...state, dtmf: (state.dtmf + action.digits).slice(-24) };
    case 'speaker':
      return { ...state, speaker: !state.speaker };
    case 'reset':
      return { ...state, callId: null, progress: [], dtmf: '', speaker: false, placing: false };
    default:
      return state;
  }
}

/** The number as shown in the display. */
export function displayInput(state: DialerState): string {
  return formatAsYouType(state.input);
}

/** Keypad letters, as on a phone. */
export const KEYPAD: ReadonlyArray<{ key: string; letters: string }> = [
  { key: '1', letters: '' },
  { key: '2', letters: 'ABC' },
  { key: '3', letters: 'DEF' },
  { key: '4', letters: 'GHI' },
  { key: '5', letters: 'JKL' },
  { key: '6', letters: 'MNO' },
  { key: '7', letters: 'PQRS' },
  { key: '8', letters: 'TUV' },
  { key: '9', letters: 'WXYZ' },
  { key: '*', letters: '' },
  { key: '0', letters: '+' },
  { key: '#', letters: '' },
];
