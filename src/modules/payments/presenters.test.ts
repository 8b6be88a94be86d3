import { describe, expect, it } from 'vitest';
import { leaks, rowWith } from '../../../test/helpers/rows.js';
import { presentPayment } from './presenters.js';

describe('payment presenter', () => {
  it('names its fields: a column added later, the receipt path and a spent client secret stay out', () => {
    const out = presentPayment(rowWith({ id: 'p1', kind: 'card', status: 'succeeded', clientSecret: 'pi_secret', receiptPath: '/x' }));
    expect(leaks(out)).toBe(false);
    expect(JSON.stringify(out)).not.toMatch(/pi_secret|receiptPath/);
  });
});
