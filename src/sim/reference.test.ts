import { describe, expect, it } from 'vitest';
import { rng } from '../seed/rng.js';
import { solveReference, type RefRequest } from './reference.js';

/** Every way to serve the requests, tried one by one: the answer the solver must match. */
function bruteForce(requests: RefRequest[], cap: (c: string, d: string) => number, objective: 'fill' | 'miles') {
  let best = { served: -1, miles: Infinity };
  const slotUse = new Map<string, number>();
  const dateUse = new Map<string, number>();
  const take = (k: string, m: Map<string, number>, d: number) => m.set(k, (m.get(k) ?? 0) + d);
  const visit = (r: number, served: number, miles: number) => {
    if (r === requests.length) {
      if (served > best.served || (served === best.served && miles < best.miles - 1e-9)) best = { served, miles };
      return;
    }
    if (objective === 'fill') visit(r + 1, served, miles); // leave request r unserved
    for (const opt of requests[r]!.options) {
      const assign = (v: number, used: Set<string>, m: number) => {
        if (v === opt.visits.length) return visit(r + 1, served + 1, miles + m);
        for (const c of opt.visits[v]!) {
          const ks = `${c.contractorId}|${opt.date}|${opt.slot}`;
          const kd = `${c.contractorId}|${opt.date}`;
          if (used.has(c.contractorId) || (slotUse.get(ks) ?? 0) >= 1 || (dateUse.get(kd) ?? 0) >= cap(c.contractorId, opt.date)) continue;
          take(ks, slotUse, 1);
          take(kd, dateUse, 1);
          assign(v + 1, new Set([...used, c.contractorId]), m + c.miles);
          take(ks, slotUse, -1);
          take(kd, dateUse, -1);
        }
      };
      assign(0, new Set(), 0);
    }
  };
  visit(0, 0, 0);
  return best;
}

function randomCase(seed: number): { requests: RefRequest[]; cap: (c: string, d: string) => number } {
  const r = rng(seed);
  const people = ['a', 'b', 'c', 'd'];
  const caps = new Map(people.map((p) => [p, r.int(1, 2)]));
  const requests: RefRequest[] = Array.from({ length: r.int(1, 5) }, (_, i) => ({
    id: `r${i}`,
    options: r.sample(['d1|am', 'd1|pm', 'd2|am'], r.int(1, 2)).map((s) => {
      const [date, slot] = s.split('|') as [string, string];
      return {
        date,
        slot,
        visits: Array.from({ length: r.chance(0.25) ? 2 : 1 }, () =>
          r.sample(people, r.int(0, 3)).map((p) => ({ contractorId: p, miles: r.int(0, 90) / 10 })),
        ),
      };
    }),
  }));
  return { requests, cap: (c) => caps.get(c)! };
}

describe('the reference solver', () => {
  it('finds the most requests servable, then the fewest miles, like brute force on 150 small cases', async () => {
    for (let seed = 1; seed <= 150; seed++) {
      const { requests, cap } = randomCase(seed);
      const got = await solveReference(requests, cap, 'fill');
      const want = bruteForce(requests, cap, 'fill');
      expect(got.served, `seed ${seed}`).toBe(want.served);
      expect(got.totalMiles, `seed ${seed}`).toBeCloseTo(want.miles, 6);
    }
  });

  it('finds the fewest miles when every request must be served in its slot, like brute force', async () => {
    let checked = 0;
    for (let seed = 1; seed <= 200 && checked < 60; seed++) {
      const { requests, cap } = randomCase(seed);
      const fixed = requests.map((q) => ({ ...q, options: q.options.slice(0, 1) }));
      const want = bruteForce(fixed, cap, 'miles');
      if (want.served !== fixed.length) continue; // infeasible: not a case the simulation produces
      const got = await solveReference(fixed, cap, 'miles');
      expect(got.served).toBe(fixed.length);
      expect(got.totalMiles, `seed ${seed}`).toBeCloseTo(want.miles, 6);
      const perSlot = new Set(got.assignments.map((a) => `${a.contractorId}|${a.date}|${a.slot}`));
      expect(perSlot.size).toBe(got.assignments.length);
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
  });
});
