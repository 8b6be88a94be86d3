import { and, eq, sql } from 'drizzle-orm';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { declineOffer, expireOffers, startDispatch } from '../modules/dispatch/index.js';
import { AppError, statusOf } from '../shared/errors.js';
import { acceptUrgentOffer } from '../flows/accept-urgent-offer.js';
import { offerRecipients, offers, urgentDispatches } from '../modules/dispatch/schema.js';
import { createJob } from '../modules/jobs/index.js';
import { rng } from '../seed/rng.js';
import { mean, percentile, share } from './metrics.js';
import { generateRequests } from './requests.js';

/**
 * The response model: a contractor accepts an offer with probability 0.9 x exp(-miles / 4)
 * (about 0.7 at 1 mile, 0.33 at 4, 0.12 at 8), answering after 15 s plus an exponential delay
 * (mean 45 s for a targeted offer, 120 s for a broadcast); an answer later than the offer's
 * expiry never comes. Whoever does not accept declines.
 */
const MODEL = { base: 0.9, milesScale: 4, minDelay: 15, targetedMean: 45, broadcastMean: 120 };
export const RESPONSE_MODEL = 'accept 0.9 x exp(-miles/4), reply after 15 s + Exp(45 s) targeted / Exp(120 s) broadcast';

type Event = { at: number; seq: number; run: () => Promise<void> };

export type UrgentReport = {
  jobs: number;
  onShift: number;
  model: string;
  acceptedShare: number;
  medianSeconds: number;
  p90Seconds: number;
  meanSeconds: number;
  broadcastShare: number;
  unfilledShare: number;
  nobodyToOffer: number;
};

/**
 * A seeded day of urgent jobs (single-trade, London, arriving 08:00-16:00) through the real
 * dispatch: targeted offers, declines, expiries, the broadcast and the first accept, on a
 * simulated clock. Events run in time order; each use case gets that instant as `now`.
 */
export async function runUrgent(db: Db, config: Config, o: { jobs: number; seed: number; day: Date }): Promise<UrgentReport> {
  const r = rng(o.seed * 104729 + 3);
  // Urgent work is one task (a leak, a lock): the first primary task of each generated customer.
  const requests = generateRequests(o.jobs, o.seed + 1000, 1).map((q) => ({ ...q, requirements: q.requirements.slice(0, 1) }));
  const dayStart = new Date(o.day);
  dayStart.setUTCHours(8, 0, 0, 0); // London is on GMT in November
  const queue: Event[] = [];
  let seq = 0;
  const at = (t: number, run: () => Promise<void>) => queue.push({ at: t, seq: seq++, run });
  const deps = (t: number) => ({ config, now: new Date(t) });
  const milesOf = new Map<string, number>();
  const scheduled = new Set<string>();
  const expiring = new Set<string>();
  const accepts = (miles: number) => r.next() < MODEL.base * Math.exp(-miles / MODEL.milesScale);
  const delay = (meanSeconds: number) => (MODEL.minDelay - meanSeconds * Math.log(1 - r.next())) * 1000;
  const quietly = async (f: () => Promise<unknown>) => {
    try {
      await f();
    } catch (err) {
      if (!(err instanceof AppError) || statusOf(err) >= 500) throw err; // refused answers are part of the day
    }
  };

  /** Every open offer nobody has been scheduled to answer yet gets its (model) answer. */
  async function answerNewOffers(dispatchId: string, jobLat: number, jobLng: number) {
    // Sorted by seeded contractor ids, so the random draws come in the same order on every run.
    const open = (
      await db
        .select()
        .from(offers)
        .where(and(eq(offers.dispatchId, dispatchId), eq(offers.status, 'offered')))
    ).sort((a, b) => a.kind.localeCompare(b.kind) || (a.contractorId ?? '').localeCompare(b.contractorId ?? ''));
    for (const offer of open) {
      const people =
        offer.kind === 'targeted'
          ? [offer.contractorId!]
          : (await db.select({ id: offerRecipients.contractorId }).from(offerRecipients).where(eq(offerRecipients.offerId, offer.id)))
              .map((x) => x.id)
              .sort();
      for (const contractorId of people) {
        const key = `${offer.id}|${contractorId}`;
        if (scheduled.has(key)) continue;
        scheduled.add(key);
        const miles = await distance(contractorId, jobLat, jobLng);
        const when = offer.createdAt.getTime() + delay(offer.kind === 'targeted' ? MODEL.targetedMean : MODEL.broadcastMean);
        if (when >= offer.expiresAt.getTime()) continue;
        const yes = accepts(miles);
        at(when, async () => {
          await quietly(() =>
            yes
              ? acceptUrgentOffer(db, offer.id, contractorId, deps(when))
              : declineOffer(db, offer.id, contractorId, 'sim: declined', deps(when)),
          );
          await answerNewOffers(dispatchId, jobLat, jobLng);
        });
      }
      if (expiring.has(offer.id)) continue;
      expiring.add(offer.id);
      at(offer.expiresAt.getTime(), async () => {
        await expireOffers(db, deps(offer.expiresAt.getTime()));
        await answerNewOffers(dispatchId, jobLat, jobLng);
      });
    }
  }
  async function distance(contractorId: string, lat: number, lng: number) {
    const key = `${contractorId}|${lat}|${lng}`;
    if (!milesOf.has(key)) {
      const res = await db.execute<{ d: number }>(sql`select 2 * 3958.7613 * asin(sqrt(power(sin(radians(latitude - ${lat}) / 2), 2)
        + cos(radians(${lat})) * cos(radians(latitude)) * power(sin(radians(longitude - ${lng}) / 2), 2))) as d from contractors where id = ${contractorId}`);
      milesOf.set(key, res.rows[0]!.d);
    }
    return milesOf.get(key)!;
  }

  const arrivals = requests.map(() => dayStart.getTime() + Math.floor(r.next() * 8 * 3600_000)).sort((a, b) => a - b);
  const dispatchIds: string[] = [];
  for (const [i, q] of requests.entries()) {
    at(arrivals[i]!, async () => {
      const job = await createJob(db, { postcode: q.postcode, requirements: q.requirements.slice(0, 1) }, null);
      const { dispatch } = await startDispatch(db, { jobId: job.id }, deps(arrivals[i]!));
      dispatchIds.push(dispatch.id);
      const [coords] = (
        await db.execute<{ latitude: number; longitude: number }>(sql`select latitude, longitude from jobs where id = ${job.id}`)
      ).rows;
      await answerNewOffers(dispatch.id, coords!.latitude, coords!.longitude);
    });
  }
  while (queue.length) {
    queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
    await queue.shift()!.run();
  }

  const rows = (await db.select().from(urgentDispatches)).filter((d) => dispatchIds.includes(d.id));
  const all = await db.select().from(offers);
  const broadcastFor = new Set(all.filter((x) => x.kind === 'broadcast').map((x) => x.dispatchId));
  const waits = rows
    .filter((d) => d.status === 'assigned')
    .map((d) => {
      const acceptedAt = all.find((x) => x.dispatchId === d.id && x.status === 'accepted')!.respondedAt!;
      return (acceptedAt.getTime() - d.createdAt.getTime()) / 1000;
    });
  const onShift = (
    await db.execute<{ n: number }>(sql`select count(*)::int as n from contractors where on_shift and reactive_mode and is_active`)
  ).rows[0]!.n;
  return {
    jobs: rows.length,
    onShift,
    model: RESPONSE_MODEL,
    acceptedShare: share(waits.length, rows.length),
    medianSeconds: percentile(waits, 50),
    p90Seconds: percentile(waits, 90),
    meanSeconds: mean(waits),
    broadcastShare: share(rows.filter((d) => broadcastFor.has(d.id)).length, rows.length),
    unfilledShare: share(rows.filter((d) => d.status === 'unfilled').length, rows.length),
    nobodyToOffer: rows.filter((d) => d.status === 'unfilled' && !all.some((x) => x.dispatchId === d.id)).length,
  };
}
