import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../db/client.js';
import { createUser } from '../modules/auth/index.js';
import { addDays, localToday, slotInstants, type SlotWindows } from '../modules/availability/index.js';
import { bookings, jobMatchingHistory, slotClaims } from '../modules/bookings/schema.js';
import { TASKS, type CertificationType } from '../modules/catalog/index.js';
import { profileCompletionScore } from '../modules/contractors/index.js';
import {
  contractorAvailabilityDates,
  contractorCertifications,
  contractors,
  contractorSkills,
  contractorWeeklyAvailability,
} from '../modules/contractors/schema.js';
import { outcodeTable } from '../modules/geo/index.js';
import { jobs, jobTaskRequirements } from '../modules/jobs/schema.js';
import { hashToken, newToken } from '../shared/tokens.js';
import { rng, type Rng } from './rng.js';

type Options = {
  count: number;
  seed: number;
  zone: string;
  windows: SlotWindows;
  /** Sign-ins for the first few contractors: contractor1@handy.local, ... */
  accounts?: { howMany: number; password: string };
  now?: Date;
  /**
   * Contractor ids drawn from the seed too (the simulation needs the same ids run after run, as
   * ranking ties end on the id). Off by default so seeding twice with one seed cannot collide.
   */
  seededIds?: boolean;
};

// London-heavy, plus other big cities: outward-code prefixes from the vendored centroid table.
const AREAS: [RegExp, number][] = [
  [/^(E|EC|N|NW|SE|SW|W|WC)\d/, 45],
  [/^(CR|BR|HA|UB|TW|KT|SM|IG|RM|EN|DA)\d/, 15],
  [/^M\d/, 8],
  [/^B\d/, 8],
  [/^LS\d/, 5],
  [/^BS\d/, 5],
  [/^G\d/, 4],
  [/^EH\d/, 3],
  [/^L\d/, 3],
  [/^CF\d/, 2],
  [/^NE\d/, 2],
];
const CATEGORY_WEIGHTS: [string, number][] = [
  ['General', 25],
  ['Plumbing', 20],
  ['Carpentry', 20],
  ['Decorating', 15],
  ['Electrical', 12],
  ['Garden', 8],
];
const FIRST = [
  'James',
  'Olivia',
  'Mohammed',
  'Amelia',
  'Oliver',
  'Isla',
  'Harry',
  'Ava',
  'Jack',
  'Mia',
  'George',
  'Sophia',
  'Noah',
  'Grace',
  'Leo',
  'Priya',
  'Tomasz',
  'Chloe',
  'Kwame',
  'Aisha',
  'Connor',
  'Zofia',
  'Dev',
  'Ellie',
];
const LAST = [
  'Smith',
  'Jones',
  'Taylor',
  'Brown',
  'Williams',
  'Wilson',
  'Patel',
  'Khan',
  'Evans',
  'Thomas',
  'Roberts',
  'Walker',
  'Wright',
  'Nowak',
  'Okafor',
  'Murphy',
  'Hughes',
  'Green',
  'Hall',
  'Singh',
];
const SCHEDULES: [number[], string, string, number][] = [
  [[1, 2, 3, 4, 5], '08:00', '17:00', 55],
  [[1, 2, 3, 4, 5, 6], '07:30', '17:30', 15],
  [[1, 2, 3, 4, 5], '08:00', '12:30', 8],
  [[1, 3, 5], '12:30', '18:00', 7],
  [[2, 3, 4, 5, 6], '08:00', '17:00', 10],
  [[1, 2, 3, 4, 5, 6, 7], '08:00', '17:00', 5],
];
const CERT_FOR_CATEGORY: Partial<Record<string, [CertificationType, number]>> = {
  Plumbing: ['gas_safe', 0.35],
  Electrical: ['part_p', 0.6],
};

function chunked<T>(rows: T[], size = 1000): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
async function insertAll(db: Queryable, table: Parameters<Db['insert']>[0], rows: object[]) {
  for (const part of chunked(rows)) if (part.length) await db.insert(table).values(part as never);
}

/** A version-4-shaped UUID from the seeded generator. */
function seededUuid(r: Rng): string {
  const hex = Array.from({ length: 32 }, () => r.int(0, 15).toString(16));
  hex[12] = '4';
  hex[16] = ((r.int(0, 3) | 8) >>> 0).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function makePostcode(r: Rng, outcode: string) {
  const letters = 'ABDEFGHJLNPQRSTUWXYZ';
  return `${outcode} ${r.int(1, 9)}${r.pick([...letters])}${r.pick([...letters])}`;
}

/**
 * Creates `count` realistic contractors with skills, schedules, certifications, a past of
 * completed (rated) and cancelled jobs, and some upcoming bookings. Deterministic for a seed.
 */
export async function generateContractors(db: Db, o: Options) {
  const r = rng(o.seed);
  const now = o.now ?? new Date();
  const today = localToday(now, o.zone);
  const table = outcodeTable();
  const pools = AREAS.map(([re, w]) => [[...table.keys()].filter((k) => re.test(k)), w] as const).filter(([p]) => p.length);
  const tasksByCat = new Map<string, typeof TASKS>();
  for (const t of TASKS) tasksByCat.set(t.category, [...(tasksByCat.get(t.category) ?? []), t]);

  const rows = {
    contractors: [] as object[],
    skills: [] as object[],
    weekly: [] as object[],
    overrides: [] as object[],
    certs: [] as object[],
  };
  const rows2 = { jobs: [] as object[], reqs: [] as object[], claims: [] as object[], bookings: [] as object[], history: [] as object[] };
  const accounts: { id: string; name: string; n: number }[] = [];

  const idRng = rng(o.seed ^ 0x5eed);
  for (let i = 0; i < o.count; i++) {
    const id = o.seededIds ? seededUuid(idRng) : randomUUID();
    const outcode = r.pick(r.weighted(pools));
    const point = table.get(outcode)!;
    const first = r.pick(FIRST);
    const last = r.pick(LAST);
    const name = `${first} ${last}`;
    const main = r.weighted(CATEGORY_WEIGHTS);
    const cats = r.chance(0.5) ? [main, r.weighted(CATEGORY_WEIGHTS)] : [main];
    const certRule = cats.map((c) => CERT_FOR_CATEGORY[c]).find(Boolean);
    const certs: CertificationType[] = certRule && r.chance(certRule[1]) ? [certRule[0]] : [];
    const skillTasks = new Map<string, { confidence: 'expert' | 'capable'; years: number }>();
    cats.forEach((cat, n) => {
      const pool = tasksByCat.get(cat)!.filter((t) => !t.requiredCertification || certs.includes(t.requiredCertification));
      for (const t of r.sample(pool, r.int(n === 0 ? 4 : 2, n === 0 ? 10 : 4))) {
        skillTasks.set(t.id, { confidence: r.chance(n === 0 ? 0.5 : 0.2) ? 'expert' : 'capable', years: r.int(1, 25) });
      }
    });
    const [days, start, end] = r.weighted(SCHEDULES.map(([d, s, e, w]) => [[d, s, e] as const, w]));
    const phone = r.chance(0.92) ? `07${r.int(100000000, 999999999)}` : null;
    const bio = r.chance(0.85) ? `${first} has ${r.int(2, 25)} years in ${cats.join(' and ').toLowerCase()} work.` : null;
    const email = `${first}.${last}.${i + 1}@example.co.uk`.toLowerCase();
    const score = profileCompletionScore({
      name,
      phone,
      email,
      postcode: outcode,
      bio,
      skillCount: skillTasks.size,
      weeklyDays: days.length,
      certificationCount: certs.length,
    });
    const reactive = r.chance(0.35);
    rows.contractors.push({
      id,
      name,
      phone,
      email,
      bio,
      postcode: makePostcode(r, outcode),
      outcode,
      latitude: point.latitude,
      longitude: point.longitude,
      radiusMiles: r.pick([5, 8, 10, 10, 15, 20]),
      maxConcurrentJobs: r.int(2, 5),
      isActive: r.chance(0.96),
      reactiveMode: reactive,
      onShift: reactive && r.chance(0.5),
      onShiftChangedAt: now,
      profileCompletionScore: score,
    });
    for (const d of days) rows.weekly.push({ contractorId: id, weekday: d, startTime: start, endTime: end });
    if (r.chance(0.3))
      rows.overrides.push({ contractorId: id, date: addDays(today, r.int(1, 28)), isAvailable: false, startTime: null, endTime: null });
    for (const c of certs) {
      rows.certs.push({
        contractorId: id,
        type: c,
        number: `${c.toUpperCase()}-${r.int(100000, 999999)}`,
        authority: c === 'gas_safe' ? 'Gas Safe Register' : 'NICEIC',
        region: 'England',
        expiresOn: addDays(today, r.int(60, 900)),
      });
    }

    // A past of completed (mostly rated) and a few cancelled jobs feeds performance and reliability.
    const taskIds = [...skillTasks.keys()];
    const lastDone = new Map<string, { n: number; at: Date }>();
    for (let k = r.int(0, 12); k > 0; k--) {
      const taskId = r.pick(taskIds);
      const date = addDays(today, -r.int(3, 330));
      const slot = r.chance(0.5) ? 'am' : 'pm';
      const jobId = randomUUID();
      const bookingId = randomUUID();
      const { startsAt, endsAt } = slotInstants(date, slot, { zone: o.zone, windows: o.windows });
      const roll = r.next();
      const status = roll < 0.06 ? 'cancelled' : 'completed';
      const cause = roll < 0.04 ? 'contractor' : roll < 0.05 ? 'no_show' : 'customer';
      const rating =
        status === 'completed' && r.chance(0.8)
          ? r.weighted([
              [5, 55],
              [4, 30],
              [3, 10],
              [2, 3],
              [1, 2],
            ])
          : null;
      rows2.jobs.push({
        id: jobId,
        postcode: makePostcode(r, outcode),
        outcode,
        latitude: point.latitude,
        longitude: point.longitude,
        customerTokenHash: hashToken(newToken()),
        createdAt: new Date(startsAt.getTime() - 5 * 86_400_000),
      });
      rows2.reqs.push({ jobId, taskId, requiredConfidence: 'capable', isPrimary: true });
      rows2.bookings.push({
        id: bookingId,
        jobId,
        contractorId: id,
        claimId: null,
        date,
        slot,
        startsAt,
        endsAt,
        status,
        paymentStatus: 'paid',
        source: 'customer',
        cancellationCause: status === 'cancelled' ? cause : null,
        statusReason: status === 'cancelled' ? 'Demo history' : null,
        customerRating: rating,
        completedAt: status === 'completed' ? endsAt : null,
        cancelledAt: status === 'cancelled' ? startsAt : null,
      });
      rows2.history.push({
        bookingId,
        jobId,
        contractorId: id,
        matchScore: r.int(55, 95),
        breakdown: {},
        reasons: [],
        wasSelected: true,
        jobCompleted: status === 'completed',
        customerRating: rating,
      });
      if (status === 'completed') {
        const prev = lastDone.get(taskId);
        lastDone.set(taskId, { n: (prev?.n ?? 0) + 1, at: !prev || prev.at < endsAt ? endsAt : prev.at });
      }
    }
    for (const [taskId, s] of skillTasks) {
      const done = lastDone.get(taskId);
      rows.skills.push({
        contractorId: id,
        taskId,
        confidence: s.confidence,
        yearsExperience: s.years,
        completedCount: done?.n ?? 0,
        lastPerformedAt: done?.at ?? null,
      });
    }

    // Some already have an upcoming confirmed booking on one of their working days.
    if (r.chance(0.4)) {
      const date = addDays(today, r.int(2, 27));
      const weekday = new Date(`${date}T12:00:00Z`).getUTCDay() || 7;
      if (days.includes(weekday)) {
        const slot = r.chance(0.5) ? 'am' : 'pm';
        const jobId = randomUUID();
        const claimId = randomUUID();
        const { startsAt, endsAt } = slotInstants(date, slot, { zone: o.zone, windows: o.windows });
        rows2.jobs.push({
          id: jobId,
          postcode: makePostcode(r, outcode),
          outcode,
          latitude: point.latitude,
          longitude: point.longitude,
          customerTokenHash: hashToken(newToken()),
        });
        rows2.reqs.push({ jobId, taskId: r.pick(taskIds), requiredConfidence: 'capable', isPrimary: true });
        rows2.claims.push({ id: claimId, contractorId: id, date, slot, kind: 'booking', jobId });
        rows2.bookings.push({
          jobId,
          contractorId: id,
          claimId,
          date,
          slot,
          startsAt,
          endsAt,
          status: 'confirmed',
          paymentStatus: 'paid',
          source: 'customer',
          confirmedAt: now,
        });
      }
    }
    if (o.accounts && i < o.accounts.howMany) accounts.push({ id, name, n: i + 1 });
  }

  await db.transaction(async (tx) => {
    await insertAll(tx, contractors, rows.contractors);
    await insertAll(tx, contractorSkills, rows.skills);
    await insertAll(tx, contractorWeeklyAvailability, rows.weekly);
    await insertAll(tx, contractorAvailabilityDates, rows.overrides);
    await insertAll(tx, contractorCertifications, rows.certs);
    await insertAll(tx, jobs, rows2.jobs);
    await insertAll(tx, jobTaskRequirements, rows2.reqs);
    await insertAll(tx, slotClaims, rows2.claims);
    await insertAll(tx, bookings, rows2.bookings);
    await insertAll(tx, jobMatchingHistory, rows2.history);
  });
  for (const a of accounts) {
    await createUser(db, {
      email: `contractor${a.n}@handy.local`,
      name: a.name,
      role: 'contractor',
      password: o.accounts!.password,
      contractorId: a.id,
    });
  }
  return {
    contractors: o.count,
    pastJobs: rows2.history.length,
    upcomingBookings: rows2.claims.length,
    contractorLogins: accounts.map((a) => `contractor${a.n}@handy.local`),
  };
}
