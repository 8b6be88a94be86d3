import type { Breakdown } from '../modules/matching/index.js';
import { gini, mean, percentile, share } from './metrics.js';
import { solveReference, type RefRequest } from './reference.js';
import type { ScheduledRun } from './scheduled.js';

export type ScheduledReport = {
  requests: number;
  fill: { product: number; best: number };
  miles: { productMean: number; productP90: number; bestMean: number; bestP90: number; visits: number };
  fairness: { productGini: number; bestGini: number; productShareNone: number; bestShareNone: number; contractors: number };
  expertShare: { product: number; best: number };
  nonNearest: { share: number; count: number; byComponent: Partial<Record<keyof Breakdown, number>> };
  teams: { product: number };
  /** Single-contractor holds, and how many took the top of their ranking (all, when holds follow SPEC). */
  topOfRanking: { holds: number; top: number };
  unservedReasons: Record<string, number>;
};

/**
 * Sets the product's run beside the exact reference: the most customers servable within their
 * windows (fill), and the fewest miles for the customers the product served, in the slots it gave
 * them, with the same visits (miles and fairness).
 */
export async function compareWithReference(run: ScheduledRun, requestCount: number): Promise<ScheduledReport> {
  const best = await solveReference(run.reference, run.capacity, 'fill');

  const servedSlots = new Map<string, { date: string; slot: string; visits: number }>();
  for (const p of run.picks) servedSlots.set(p.requestId, { date: p.date, slot: p.slot, visits: p.visits });
  const sameSlots: RefRequest[] = [...servedSlots].map(([id, s]) => {
    const o = run.optionsBySlot.get(`${id}|${s.date}/${s.slot}`)!;
    return { id, options: [{ date: s.date, slot: s.slot, visits: s.visits > 1 ? o.visits : [o.single] }] };
  });
  const bestMiles = await solveReference(sameSlots, run.capacity, 'miles');

  // Fairness over everyone who could have taken at least one of these customers.
  const pool = new Set(run.reference.flatMap((r) => r.options.flatMap((o) => o.visits.flat().map((c) => c.contractorId))));
  const jobsPer = (ids: string[]) => {
    const n = new Map([...pool].map((id) => [id, 0]));
    for (const id of ids) n.set(id, (n.get(id) ?? 0) + 1);
    return [...n.values()];
  };
  const productJobs = jobsPer(run.picks.map((p) => p.contractorId));
  const bestJobs = jobsPer(bestMiles.assignments.map((a) => a.contractorId));

  const notNearest = run.picks.filter((p) => p.deciding);
  const byComponent: ScheduledReport['nonNearest']['byComponent'] = {};
  for (const p of notNearest) byComponent[p.deciding!] = (byComponent[p.deciding!] ?? 0) + 1;
  const reasons: Record<string, number> = {};
  for (const u of run.unserved) reasons[u.reason] = (reasons[u.reason] ?? 0) + 1;

  return {
    requests: requestCount,
    fill: { product: share(servedSlots.size, requestCount), best: share(best.served, requestCount) },
    miles: {
      productMean: mean(run.picks.map((p) => p.miles)),
      productP90: percentile(
        run.picks.map((p) => p.miles),
        90,
      ),
      bestMean: mean(bestMiles.assignments.map((a) => a.miles)),
      bestP90: percentile(
        bestMiles.assignments.map((a) => a.miles),
        90,
      ),
      visits: run.picks.length,
    },
    fairness: {
      productGini: gini(productJobs),
      bestGini: gini(bestJobs),
      productShareNone: share(productJobs.filter((n) => n === 0).length, pool.size),
      bestShareNone: share(bestJobs.filter((n) => n === 0).length, pool.size),
      contractors: pool.size,
    },
    expertShare: {
      product: share(run.picks.filter((p) => run.expertFor(p.requestId, p.visit, p.visits, p.contractorId)).length, run.picks.length),
      best: share(
        bestMiles.assignments.filter((a) => run.expertFor(a.requestId, a.visit, servedSlots.get(a.requestId)!.visits, a.contractorId))
          .length,
        bestMiles.assignments.length,
      ),
    },
    nonNearest: { share: share(notNearest.length, run.picks.length), count: notNearest.length, byComponent },
    teams: { product: new Set(run.picks.filter((p) => p.visits > 1).map((p) => p.requestId)).size },
    topOfRanking: {
      holds: run.picks.filter((p) => p.topOfRanking !== null).length,
      top: run.picks.filter((p) => p.topOfRanking).length,
    },
    unservedReasons: reasons,
  };
}
