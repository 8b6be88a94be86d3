import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import {
  bookableRange,
  bookableSlots,
  type BookingRules,
  eligibleContractorSlots,
  findAvailability,
  type Slot,
  type SlotRequest,
} from '../modules/availability/index.js';
import { checkout, holdSlot } from '../modules/bookings/index.js';
import { haversineMiles } from '../modules/geo/index.js';
import { createJob, type JobSpec, loadJobSpec, visitsByTrade } from '../modules/jobs/index.js';
import { type Breakdown, decidingComponent, type ScoredCandidate } from '../modules/matching/index.js';
import { AppError, statusOf } from '../shared/errors.js';
import type { Candidate, RefOption, RefRequest } from './reference.js';
import type { SimRequest } from './requests.js';

/** What the product did for one visit of one customer. */
export type SimPick = {
  requestId: string;
  date: string;
  slot: Slot;
  visit: number;
  visits: number;
  contractorId: string;
  miles: number;
  nearestMiles: number;
  /** When the pick was not the nearest eligible contractor: the component that outweighed the miles. */
  deciding: keyof Breakdown | null;
  /**
   * Single-contractor holds: whether the hold took the top of its ranking. Customers come one at
   * a time and each hold ranks afresh, so everyone ranked is free and SPEC's "best-scoring
   * eligible contractor" is the first; null for a team, whose visits are chosen together.
   */
  topOfRanking: boolean | null;
};

export type ScheduledRun = {
  /** Each customer's window: the slots of the first three days on which anything was offered to them. */
  windows: SlotRequest[][];
  picks: SimPick[];
  unserved: { requestId: string; reason: string }[];
  /** Per request: what the reference may choose from, on the state before the first customer. */
  reference: RefRequest[];
  /** Per request and slot, the single-contractor and per-visit candidate lists (to rebuild an option). */
  optionsBySlot: Map<string, { single: Candidate[]; visits: Candidate[][] }>;
  capacity: (contractorId: string, date: string) => number;
  /** Whether this contractor is expert in every primary task of this visit of this request. */
  expertFor: (requestId: string, visit: number, visits: number, contractorId: string) => boolean;
};

type EligibleRow = { contractor_id: string; distance_miles: number; date: string; slot: Slot };

async function eligibleBySlot(db: Db, spec: JobSpec, window: SlotRequest[], now: Date) {
  const res = await db.execute<EligibleRow>(
    sql`select contractor_id, distance_miles, date::text as date, slot from (${eligibleContractorSlots(spec, window, { jobId: null, sessionId: null }, now)}) e`,
  );
  const out = new Map<string, Candidate[]>();
  for (const r of res.rows) {
    const key = `${r.date}/${r.slot}`;
    out.set(key, [...(out.get(key) ?? []), { contractorId: r.contractor_id, miles: r.distance_miles }]);
  }
  return out;
}

/**
 * Replays customers one after another through the real use cases at one instant. Each looks at
 * the whole bookable range, takes the first three days on which anything is offered as their
 * window (six slots), and holds the offered slot nearest the one they wanted, then checks out.
 * The reference gets, per customer, every contractor they could have had in each slot of their
 * window on `initial`: a copy of the database taken before the first customer.
 */
export async function runScheduled(
  db: Db,
  initial: Db,
  requests: SimRequest[],
  rules: BookingRules,
  now: Date,
  holdTtlSeconds: number,
): Promise<ScheduledRun> {
  const settings = { rules, ttlSeconds: holdTtlSeconds, now };
  const range = bookableRange(now, rules);
  const allSlots = bookableSlots(range.first, range.last, now, rules);

  const coords = new Map(
    (await db.execute<{ id: string; latitude: number; longitude: number }>(sql`select id, latitude, longitude from contractors`)).rows.map(
      (r) => [r.id, r],
    ),
  );
  const milesTo = (spec: JobSpec, id: string) => haversineMiles(spec, coords.get(id)!);

  const specs: (JobSpec & { jobId: string })[] = [];
  const windows: SlotRequest[][] = [];
  const picks: SimPick[] = [];
  const unserved: ScheduledRun['unserved'] = [];
  for (const q of requests) {
    const { id } = await createJob(db, { postcode: q.postcode, requirements: q.requirements }, null);
    const spec = { ...(await loadJobSpec(db, id)), jobId: id };
    specs.push(spec);
    const sessionId = `sim-${q.id}`;
    const days = await findAvailability(db, spec, {}, { jobId: spec.jobId, sessionId }, rules, now);
    const offeredDays = days.days
      .filter((d) => d.slots.some((x) => x.contractorCount > 0))
      .slice(0, 3)
      .map((d) => d.date);
    const window = allSlots.filter((w) => offeredDays.includes(w.date));
    windows.push(window);
    const offered = days.days.flatMap((d) =>
      d.slots.filter((x) => x.contractorCount > 0 && offeredDays.includes(d.date)).map((x) => ({ date: d.date, slot: x.slot })),
    );
    const index = (o: { date: string; slot: Slot }) => window.findIndex((w) => w.date === o.date && w.slot === o.slot);
    const choice = offered.sort((a, b) => Math.abs(index(a) - q.preferred) - Math.abs(index(b) - q.preferred) || index(a) - index(b))[0];
    if (!choice) {
      unserved.push({ requestId: q.id, reason: 'nothing offered in 28 days' });
      continue;
    }
    try {
      const { claims } = await holdSlot(db, { spec, sessionId, ...choice }, settings);
      const { bookings } = await checkout(db, spec, sessionId, settings);
      for (const b of bookings) {
        const claim = claims.find((c) => c.visit === b.visit);
        const scored = ((claim?.contractorId === b.contractorId ? claim.candidates : null) ?? []) as ScoredCandidate[];
        const withMiles = scored.map((c) => ({ ...c, miles: milesTo(spec, c.contractorId) }));
        const nearest = withMiles.reduce<(typeof withMiles)[number] | undefined>((n, c) => (!n || c.miles < n.miles ? c : n), undefined);
        const picked = withMiles.find((c) => c.contractorId === b.contractorId);
        const miles = milesTo(spec, b.contractorId);
        const notNearest = !!nearest && !!picked && miles > nearest.miles + 1e-6;
        picks.push({
          requestId: q.id,
          date: b.date,
          slot: b.slot,
          visit: b.visit,
          visits: bookings.length,
          contractorId: b.contractorId,
          miles,
          nearestMiles: nearest?.miles ?? miles,
          deciding: notNearest ? decidingComponent(picked, nearest) : null,
          topOfRanking: bookings.length === 1 ? scored[0]?.contractorId === b.contractorId : null,
        });
      }
    } catch (err) {
      if (!(err instanceof AppError) || statusOf(err) !== 409) throw err;
      unserved.push({ requestId: q.id, reason: err.code });
    }
  }

  const optionsBySlot = new Map<string, { single: Candidate[]; visits: Candidate[][] }>();
  const reference: RefRequest[] = [];
  for (const [i, spec] of specs.entries()) {
    const window = windows[i]!;
    const single = window.length ? await eligibleBySlot(initial, spec, window, now) : new Map<string, Candidate[]>();
    const visits = visitsByTrade(spec);
    const perVisit =
      visits.length > 1 && window.length ? await Promise.all(visits.map((v) => eligibleBySlot(initial, v, window, now))) : [];
    const options: RefOption[] = [];
    for (const w of window) {
      const key = `${w.date}/${w.slot}`;
      const entry = { single: single.get(key) ?? [], visits: perVisit.map((m) => m.get(key) ?? []) };
      optionsBySlot.set(`${requests[i]!.id}|${key}`, entry);
      // The product's rule: one contractor when someone qualifies for everything, else a team by trade.
      const lists = entry.single.length ? [entry.single] : entry.visits;
      if (lists.length && lists.every((l) => l.length)) options.push({ date: w.date, slot: w.slot, visits: lists });
    }
    reference.push({ id: requests[i]!.id, options });
  }
  const caps = await initial.execute<{ id: string; max: number; date: string | null; open: number }>(sql`
    select c.id, c.max_concurrent_jobs as max, b.date::text as date, count(b.id)::int as open
    from contractors c left join bookings b on b.contractor_id = c.id and b.status in ('pending_confirmation','confirmed','in_progress')
    group by c.id, c.max_concurrent_jobs, b.date`);
  const maxOf = new Map<string, number>();
  const openOn = new Map<string, number>();
  for (const row of caps.rows) {
    maxOf.set(row.id, row.max);
    if (row.date) openOn.set(`${row.id}|${row.date}`, row.open);
  }
  const capacity = (c: string, date: string) => (maxOf.get(c) ?? 0) - (openOn.get(`${c}|${date}`) ?? 0);

  const expertRows = await db.execute<{ contractor_id: string; task_id: string }>(
    sql`select contractor_id, task_id from contractor_skills where confidence = 'expert'`,
  );
  const experts = new Set(expertRows.rows.map((r) => `${r.contractor_id}|${r.task_id}`));
  const specOf = new Map(requests.map((q, i) => [q.id, specs[i]!]));
  const expertFor = (requestId: string, visit: number, visits: number, contractorId: string) => {
    const spec = specOf.get(requestId)!;
    const tasks = (visits > 1 ? visitsByTrade(spec)[visit]! : spec).tasks.filter((t) => t.isPrimary);
    return tasks.every((t) => experts.has(`${contractorId}|${t.taskId}`));
  };
  return { windows, picks, unserved, reference, optionsBySlot, capacity, expertFor };
}
