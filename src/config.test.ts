import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { SPEC_WEIGHTS } from './modules/matching/score.js';

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
  it('reads the message channel settings and refuses half-configured providers', () => {
    const c = loadConfig({
      TWILIO_WHATSAPP_TEMPLATES: 'quote_sent=HX0123456789abcdef0123456789abcdef, default=HXfedcba9876543210fedcba9876543210',
      MESSAGE_FALLBACK_ORDER: 'sms,email',
    });
    expect(c.whatsappTemplates).toEqual({
      quote_sent: 'HX0123456789abcdef0123456789abcdef',
      default: 'HXfedcba9876543210fedcba9876543210',
    });
    expect(c.fallbackOrder).toEqual(['sms', 'email']);
    expect(c.MESSAGE_MAX_ATTEMPTS).toBe(8);
    expect(() => loadConfig({ MESSAGE_FALLBACK_ORDER: 'email,pigeon' })).toThrow(/MESSAGE_FALLBACK_ORDER/);
    expect(() => loadConfig({ TWILIO_ACCOUNT_SID: 'AC123' })).toThrow(/TWILIO_AUTH_TOKEN/);
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: '123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345' })).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: 'nonsense' })).toThrow(/TELEGRAM_BOT_TOKEN/);
  });

  it('takes matching points from MATCH_WEIGHTS, SPEC numbers by default', () => {
    expect(loadConfig({}).scoreWeights).toEqual(SPEC_WEIGHTS);
    const c = loadConfig({ MATCH_WEIGHTS: 'skill_expert_unasked=0, proximity_per_mile=2.5' });
    expect(c.scoreWeights).toEqual({ ...SPEC_WEIGHTS, skillExpertUnasked: 0, proximityPerMile: 2.5 });
    expect(() => loadConfig({ MATCH_WEIGHTS: 'charm=10' })).toThrow(/MATCH_WEIGHTS/);
    expect(() => loadConfig({ MATCH_WEIGHTS: 'proximity=-1' })).toThrow(/MATCH_WEIGHTS/);
  });
});
