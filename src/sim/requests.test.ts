import { describe, expect, it } from 'vitest';
import { TASKS } from '../modules/catalog/index.js';
import { generateRequests } from './requests.js';

const categoryOf = new Map(TASKS.map((t) => [t.id, t.category]));

describe('simulated customers', () => {
  it('are the same for a seed and differ between seeds', () => {
    expect(generateRequests(50, 4, 6)).toEqual(generateRequests(50, 4, 6));
    expect(generateRequests(50, 4, 6)).not.toEqual(generateRequests(50, 5, 6));
  });

  it('standard mix: the stated shares of second trades, expert asks and secondary tasks', () => {
    const qs = generateRequests(4000, 1, 6);
    const share = (f: (q: (typeof qs)[number]) => boolean) => qs.filter(f).length / qs.length;
    const primaries = (q: (typeof qs)[number]) => q.requirements.filter((r) => r.isPrimary);
    expect(share((q) => new Set(primaries(q).map((r) => categoryOf.get(r.taskId))).size > 1)).toBeCloseTo(0.12, 1);
    expect(share((q) => q.requirements[0]!.requiredConfidence === 'expert')).toBeCloseTo(0.12, 1);
    expect(share((q) => q.requirements.some((r) => !r.isPrimary))).toBeCloseTo(0.2, 1);
    for (const q of qs) expect(q.postcode).toMatch(/^(E|EC|N|NW|SE|SW|W|WC)\d/);
  });

  it('single-task mix: one primary task asking for capable, nothing else', () => {
    for (const q of generateRequests(500, 2, 6, 'single-task')) {
      expect(q.requirements).toEqual([{ taskId: expect.any(String), requiredConfidence: 'capable', isPrimary: true }]);
      expect(q.preferred).toBeGreaterThanOrEqual(0);
      expect(q.preferred).toBeLessThan(6);
    }
  });
});
