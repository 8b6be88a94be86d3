import { describe, expect, it } from 'vitest';
import { normaliseContact, normalisePhone } from './contact.js';

describe('contact normalisation', () => {
  it('treats every way of writing a UK mobile number as one number', () => {
    for (const v of ['07700 900123', '07700-900-123', '+44 7700 900123', '+447700900123', '0044 7700 900123', '(07700) 900123']) {
      expect(normalisePhone(v)).toBe('07700900123');
    }
  });
  it('keeps other countries international', () => {
    expect(normalisePhone('+33 6 12 34 56 78')).toBe('+33612345678');
  });
  it('compares email addresses without case or spaces', () => {
    expect(normaliseContact({ kind: 'email', value: '  Jo@Example.COM ' })).toEqual({ kind: 'email', value: 'jo@example.com' });
  });
});
