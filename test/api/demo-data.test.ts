import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoDataIfEmpty } from '../../src/seed/demo-data.js';
import { startHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

type Slot = { bookable: boolean; contractorCount: number };
const bookable = (body: { days: { slots: Slot[] }[] }) =>
  body.days.flatMap((d) => d.slots).filter((s) => s.bookable && s.contractorCount > 0).length;
const tokenOf = (url: string) => url.split('/').pop()!;

// `npm start` at any hour: just after midnight, mid-morning on a Sunday, and late evening (London).
describe.each([
  ['just after midnight', '2026-11-23T00:05:00Z'],
  ['a Sunday morning in summer time', '2026-06-14T09:30:00Z'],
  ['late evening', '2026-11-23T21:40:00Z'],
])('demo data loaded %s', (_when, iso) => {
  it('gives every demo lead and every demo quote at least 10 bookable slots', async () => {
    await h.reset();
    const now = new Date(iso);
    h.clock.now = now;
    const demo = await loadDemoDataIfEmpty(h.db.db, h.config, { info: () => {} }, now);
    expect(demo!.leads).toHaveLength(5);
    expect(demo!.leads.filter((l) => l.quoteLink).length).toBeGreaterThanOrEqual(4);
    for (const lead of demo!.leads) {
      const res = await h.app.inject(`/api/customer/jobs/${tokenOf(lead.jobLink)}/availability`);
      expect(res.statusCode, `${lead.customer}: ${res.body}`).toBe(200);
      expect(bookable(res.json()), `${lead.customer} (job link)`).toBeGreaterThanOrEqual(10);
      if (!lead.quoteLink) continue;
      const q = await h.app.inject(`/api/q/${tokenOf(lead.quoteLink)}/availability`);
      expect(q.statusCode, q.body).toBe(200);
      expect(bookable(q.json()), `${lead.customer} (quote)`).toBeGreaterThanOrEqual(10);
    }
  });
});
