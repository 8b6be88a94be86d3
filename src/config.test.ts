import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.HOLD_TTL_SECONDS).toBe(300);
    expect(c.BOOKING_WINDOW_DAYS).toBe(28);
    expect(c.slots).toEqual({ am: { start: '08:00', end: '12:00' }, pm: { start: '13:00', end: '17:00' } });
  });
  it('refuses bad values with the variable named', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ SLOT_AM: '12:00-08:00' })).toThrow(/SLOT_AM/);
    expect(() => loadConfig({ SLOT_AM: '08:00-14:00' })).toThrow(/before SLOT_PM/);
    expect(() => loadConfig({ BUSINESS_TIME_ZONE: 'Mars/Olympus' })).toThrow(/BUSINESS_TIME_ZONE/);
    expect(() => loadConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL/);
  });
});
