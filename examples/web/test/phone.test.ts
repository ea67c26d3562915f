import { describe, expect, it } from 'vitest';
import { countryCodeOf, digitsOf, formatAsYouType, formatPhone, isE164, sanitizeDialInput, sanitizeNumber, toE164 } from '../src/lib/phone';

describe('formatAsYouType', () => {
  it('builds a North American number up digit by digit', () => {
    const typed = '4155550123';
    const steps = [...typed].map((_, i) => formatAsYouType(typed.slice(0, i + 1)));
    expect(steps).toEqual([
      '4',
      '41',
      '415',
      '(415) 5',
      '(415) 55',
      '(415) 555',
      '(415) 555-0',
      '(415) 555-01',
      '(415) 555-012',
      '(415) 555-0123',
    ]);
  });

  it('formats +1 numbers with the country code', () => {
    expect(formatAsYouType('+')).toBe('+');
    expect(formatAsYouType('+1')).toBe('+1');
    expect(formatAsYouType('+1415')).toBe('+1 415');
    expect(formatAsYouType('+14155')).toBe('+1 (415) 5');
    expect(formatAsYouType('+14155550123')).toBe('+1 (415) 555-0123');
  });

  it('formats an eleven-digit national number starting with 1', () => {
    expect(formatAsYouType('14155550123')).toBe('1 (415) 555-0123');
  });

  it('groups international numbers after their country code', () => {
    expect(formatAsYouType('+44')).toBe('+44');
    expect(formatAsYouType('+4420')).toBe('+44 20');
    expect(formatAsYouType('+442079460958')).toBe('+44 207 946 0958');
    expect(formatAsYouType('+4930123456')).toBe('+49 301 234 56');
    expect(formatAsYouType('+353861234567')).toBe('+353 861 234 567');
  });

  it('re-formats what was pasted with separators', () => {
    expect(formatAsYouType('(415) 555-0123')).toBe('(415) 555-0123');
    expect(formatAsYouType(' +1 415.555.0123 ')).toBe('+1 (415) 555-0123');
    expect(formatAsYouType('+1 (415) 555-01')).toBe('+1 (415) 555-01');
  });

  it('leaves DTMF strings and over-long input unformatted', () => {
    expect(formatAsYouType('*72#')).toBe('*72#');
    expect(formatAsYouType('123456789012')).toBe('123456789012');
    expect(formatAsYouType('+1234567890123456')).toBe('+1234567890123456');
  });

  it('is idempotent', () => {
    for (const s of ['4155550123', '+442079460958', '+14155', '+353861234567', '41']) {
      const once = formatAsYouType(s);
      expect(formatAsYouType(once)).toBe(once);
    }
  });
});

describe('toE164', () => {
  it('accepts international numbers', () => {
    expect(toE164('+1 (415) 555-0123')).toEqual({ ok: true, e164: '+14155550123' });
    expect(toE164('+44 20 7946 0958')).toEqual({ ok: true, e164: '+442079460958' });
  });
  it('treats 00 as the international prefix', () => {
    expect(toE164('0044 20 7946 0958')).toEqual({ ok: true, e164: '+442079460958' });
  });
  it('takes ten national digits as North American', () => {
    expect(toE164('(415) 555-0123')).toEqual({ ok: true, e164: '+14155550123' });
    expect(toE164('1 415 555 0123')).toEqual({ ok: true, e164: '+14155550123' });
  });
  it('says why a number is rejected', () => {
    expect(toE164('')).toEqual({ ok: false, error: 'Enter a phone number' });
    expect(toE164('12345')).toMatchObject({ ok: false, error: expect.stringMatching(/country code/) });
    expect(toE164('+12345')).toMatchObject({ ok: false, error: expect.stringMatching(/too short/) });
    expect(toE164('+1234567890123456')).toMatchObject({ ok: false, error: expect.stringMatching(/too long/) });
    expect(toE164('+0123456789')).toMatchObject({ ok: false, error: expect.stringMatching(/cannot start with 0/) });
  });
});

describe('helpers', () => {
  it('sanitizes', () => {
    expect(sanitizeNumber(' +1 (415) 555-0123 ')).toBe('+14155550123');
    expect(sanitizeNumber('41+5')).toBe('415');
    expect(sanitizeDialInput('+1*2#a')).toBe('+1*2#');
    expect(digitsOf('+1 (415)')).toBe('1415');
  });
  it('finds country codes', () => {
    expect(countryCodeOf('14155550123')).toBe('1');
    expect(countryCodeOf('442079460958')).toBe('44');
    expect(countryCodeOf('353861234567')).toBe('353');
    expect(countryCodeOf('')).toBe('');
  });
  it('checks E.164', () => {
    expect(isE164('+14155550123')).toBe(true);
    expect(isE164('14155550123')).toBe(false);
    expect(isE164('+123456')).toBe(false);
    expect(isE164('+1234567')).toBe(true);
    expect(isE164('+1234567890123456')).toBe(false);
  });
  it('formats stored numbers for display', () => {
    expect(formatPhone('+14155550123')).toBe('+1 (415) 555-0123');
    expect(formatPhone('anonymous')).toBe('anonymous');
    expect(formatPhone(null)).toBe('');
  });
});
