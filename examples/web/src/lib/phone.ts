// Phone numbers in the UI: as-you-type formatting for the dialer, E.164
// normalisation before a dial (the server accepts E.164 only), and display
// formatting of stored numbers.
//
// The formatter is deliberately small: North American numbers (+1, or ten
// national digits) get "(415) 555-0123"; other countries get the country code
// followed by groups of digits. It never drops or reorders what was typed.

/** Country calling codes of one and two digits; anything else is three digits. */
const CC1 = new Set(['1', '7']);
const CC2 = new Set([
  '20', '27', '30', '31', '32', '33', '34', '36', '39', '40', '41', '43', '44', '45', '46', '47', '48', '49',
  '51', '52', '53', '54', '55', '56', '57', '58', '60', '61', '62', '63', '64', '65', '66', '81', '82', '84',
  '86', '90', '91', '92', '93', '94', '95', '98',
]);

/** Keeps what a dial string may hold: digits, and one leading "+". */
export function sanitizeNumber(input: string): string {
  const trimmed = input.trim();
  const plus = trimmed.startsWith('+');
  const digits = trimmed.replace(/\D/g, '');
  return (plus ? '+' : '') + digits;
}

/** Keeps digits, "*", "#" and one leading "+" (what the keypad can type). */
export function sanitizeDialInput(input: string): string {
  const trimmed = input.trim();
  const plus = trimmed.startsWith('+');
  const rest = trimmed.replace(/[^0-9*#]/g, '');
  return (plus ? '+' : '') + rest;
}

/** The country calling code at the start of international digits. */
export function countryCodeOf(digits: string): string {
  if (digits.length === 0) return '';
  if (CC1.has(digits[0]!)) return digits[0]!;
  if (digits.length >= 2 && CC2.has(digits.slice(0, 2))) return digits.slice(0, 2);
  return digits.slice(0, 3);
}

/** "(415) 555-0123", built up digit by digit. At most ten digits. */
function formatNanp(d: string): string {
  if (d.length <= 3) return d;
  if (d.length <= 6) return `(${d.slice(0, 3)}) ${d.slice(3)}`;
  return `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6, 10)}`;
}

/** Groups of three, the last group taking four when it would leave one alone. */
function groupDigits(d: string): string {
  const groups: string[] = [];
  let i = 0;
  while (d.length - i > 4) {
    groups.push(d.slice(i, i + 3));
    i += 3;
  }
  if (i < d.length) groups.push(d.slice(i));
  return groups.join(' ');
}

/**
 * Formats a partial or complete number as the user types it.
 * "4155550123" → "(415) 555-0123"; "+14155550123" → "+1 (415) 555-0123";
 * "+442079460958" → "+44 207 946 0958". Strings with "*" or "#" (DTMF) and
 * over-long inputs are returned sanitized but unformatted.
 */
export function formatAsYouType(input: string): string {
  const s = sanitizeDialInput(input);
  if (s === '' || s === '+') return s;
  if (/[*#]/.test(s)) return s;
  if (s.startsWith('+')) {
    const digits = s.slice(1);
    if (digits.length > 15) return s;
    const cc = countryCodeOf(digits);
    const national = digits.slice(cc.length);
    if (national === '') return `+${cc}`;
    if (cc === '1') return `+1 ${formatNanp(national)}`;
    return `+${cc} ${groupDigits(national)}`;
  }
  if (s.length <= 10) return formatNanp(s);
  if (s.length === 11 && s.startsWith('1')) return `1 ${formatNanp(s.slice(1))}`;
  return s;
}

export type E164Result = { ok: true; e164: string } | { ok: false; error: string };

/**
 * Normalises dialer input to E.164. "00" is the international prefix; ten
 * national digits (or eleven starting with 1) are taken as North American.
 */
export function toE164(input: string): E164Result {
  let s = sanitizeNumber(input);
  if (s.startsWith('00')) s = '+' + s.slice(2);
  if (s === '' || s === '+') return { ok: false, error: 'Enter a phone number' };
  if (!s.startsWith('+')) {
    if (s.length === 10) s = '+1' + s;
    else if (s.length === 11 && s.startsWith('1')) s = '+' + s;
    else return { ok: false, error: 'Add the country code, e.g. +44…' };
  }
  const digits = s.slice(1);
  if (digits.startsWith('0')) return { ok: false, error: 'A country code cannot start with 0' };
  if (digits.length < 7) return { ok: false, error: 'This number is too short' };
  if (digits.length > 15) return { ok: false, error: 'This number is too long (15 digits at most)' };
  return { ok: true, e164: s };
}

/** True for "+" followed by 7–15 digits, the first not 0. */
export function isE164(s: string): boolean {
  return /^\+[1-9]\d{6,14}$/.test(s);
}

/** Display form of a stored number; anything unparsable comes back as given. */
export function formatPhone(number: string | null | undefined): string {
  if (!number) return '';
  if (!isE164(number)) return number;
  return formatAsYouType(number);
}

/** Digits only, for matching numbers written in different ways. */
export function digitsOf(s: string): string {
  return s.replace(/\D/g, '');
}
