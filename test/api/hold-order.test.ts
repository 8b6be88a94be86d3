import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haversineMiles, outcodeTable } from '../../src/modules/geo/index.js';
import { makeContractor, makeJob, DAY, startHarness, type Harness, type JobHandle } from '../helpers/harness.js';

/**
 * SPEC: "the system picks the best-scoring eligible contractor". handy_hold walks the kept
 * ranking; the query for "which candidates are free" must not decide the order. Its plan depends
 * on table statistics and planner settings: here cursor_tuple_fraction=1 (a full-fetch plan, as
 * PostgreSQL chose in npm run simulate once slot_claims had grown) makes it a hash anti-join,
 * which yields rows in hash order. Migration 0017 trusted that order and holds took an arbitrary
 * free contractor (the simulation: 118 % more miles than the reference instead of 26.5 %).
 */
let h: Harness;
let before: string | undefined;
beforeAll(async () => {
  before = process.env.PGOPTIONS;
  process.env.PGOPTIONS = '-c cursor_tuple_fraction=1';
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
  if (before === undefined) delete process.env.PGOPTIONS;
  else process.env.PGOPTIONS = before;
});

const hold = (job: JobHandle, sessionId: string) =>
  h.app.inject({ method: 'POST', url: `/api/customer/jobs/${job.token}/holds`, payload: { sessionId, date: DAY, slot: 'am' } });
const claims = async () =>
  (
    await h.db.pool.query(
      `select c.contractor_id, c.session_id, coalesce(c.candidates, r.candidates) as candidates
       from slot_claims c left join matching_rankings r on r.id = c.ranking_id`,
    )
  ).rows;

describe('the hold follows the ranking', () => {
  it('customers one after another each get the best-scoring contractor still free, in the ranking order', async () => {
    // Equal in everything but distance, so the ranking is nearest first. "Which candidates are
    // free" is answered by a query the planner may turn into a hash anti-join (it does here), which
    // yields rows in hash order: the hold must walk the ranking, not trust the query's order.
    const sw11 = outcodeTable().get('SW11')!;
    const places = [...outcodeTable()]
      .map(([code, point]) => ({ code, miles: haversineMiles(sw11, point) }))
      .filter((p) => p.miles < 9)
      .sort((a, b) => a.miles - b.miles)
      .filter((p, i, all) => i === 0 || p.miles - all[i - 1]!.miles > 0.05)
      .slice(0, 40)
      .map((p) => `${p.code} 1AA`);
    for (const postcode of places) await makeContractor(h, { postcode, radiusMiles: 20, maxConcurrentJobs: 9 });
    const taken: string[] = [];
    for (let i = 0; i < places.length; i++) {
      expect((await hold(await makeJob(h), `session-order-${i}`)).statusCode).toBe(201);
      const claim = (await claims()).find((c) => c.session_id === `session-order-${i}`)!;
      const free = (claim.candidates as { contractorId: string; matchScore: number; distanceMiles: number }[]).filter(
        (c) => !taken.includes(c.contractorId),
      );
      const best = free.reduce((a, b) =>
        b.matchScore > a.matchScore || (b.matchScore === a.matchScore && b.distanceMiles < a.distanceMiles) ? b : a,
      );
      expect(claim.contractor_id).toBe(best.contractorId);
      taken.push(claim.contractor_id);
    }
    const all = await claims();
    const distances = places.map((_, i) => {
      const c = all.find((x) => x.session_id === `session-order-${i}`)!;
      return (c.candidates as { contractorId: string; distanceMiles: number }[]).find((x) => x.contractorId === c.contractor_id)!
        .distanceMiles;
    });
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
  });
});
