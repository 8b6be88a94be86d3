import { describe, expect, it } from 'vitest';
import { retryDelaySeconds, retryScheduleSeconds, routesFor } from './routing.js';

describe('routesFor', () => {
  const all = { email: 'a@b.uk', phone: '+447700900111', telegramChatId: '42' };
  it('puts the preferred channel first, then the fallback order', () => {
    expect(routesFor(all, 'telegram', ['email', 'whatsapp', 'sms', 'telegram']).map((r) => r.channel)).toEqual([
      'telegram',
      'email',
      'whatsapp',
      'sms',
    ]);
  });
  it('skips channels with no address', () => {
    expect(routesFor({ phone: '+447700900111' }, 'email', ['email', 'whatsapp', 'sms'])).toEqual([
      { channel: 'whatsapp', recipient: '+447700900111' },
      { channel: 'sms', recipient: '+447700900111' },
    ]);
  });
  it('honours the channels a message may use', () => {
    expect(routesFor(all, 'email', ['email', 'sms'], ['sms', 'telegram']).map((r) => r.channel)).toEqual(['sms']);
  });
  it('is empty when nothing can reach the person', () => {
    expect(routesFor({}, null, ['email', 'sms'])).toEqual([]);
  });
});

describe('retry backoff', () => {
  it('grows exponentially with jitter within +/-20 %', () => {
    const o = { baseSeconds: 30, factor: 3.5 };
    expect(retryDelaySeconds(1, o, () => 0)).toBeCloseTo(24);
    expect(retryDelaySeconds(1, o, () => 1)).toBeCloseTo(36);
    expect(retryDelaySeconds(3, o, () => 0.5)).toBeCloseTo(30 * 3.5 ** 2);
  });
  it('by default retries 7 times over roughly a day', () => {
    const s = retryScheduleSeconds(8, { baseSeconds: 30, factor: 3.5 });
    expect(s).toHaveLength(7);
    const hours = s.reduce((a, b) => a + b, 0) / 3600;
    expect(hours).toBeGreaterThan(18);
    expect(hours).toBeLessThan(30);
  });
});
