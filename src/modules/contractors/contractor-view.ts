import { asc, count, eq } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { notFound } from '../../shared/errors.js';
import { tasks } from '../catalog/schema.js';
import { CERTIFICATION_NAMES } from '../catalog/index.js';
import { missingProfileParts, profileCompletionScore, type ProfileFacts } from './profile-completion.js';
import {
  contractorAvailabilityDates,
  contractorCertifications,
  contractors,
  contractorSkills,
  contractorWeeklyAvailability,
} from './schema.js';

const hhmm = (t: string | null) => (t ? t.slice(0, 5) : null);

/** The whole contractor as staff and the contractor themself see it. */
export async function loadContractor(db: Queryable, id: string) {
  const [c] = await db.select().from(contractors).where(eq(contractors.id, id));
  if (!c) throw notFound('Contractor', { id });
  const [skills, weekly, overrides, certs] = await Promise.all([
    db
      .select({
        taskId: contractorSkills.taskId,
        taskName: tasks.name,
        category: tasks.category,
        confidence: contractorSkills.confidence,
        yearsExperience: contractorSkills.yearsExperience,
        completedCount: contractorSkills.completedCount,
        lastPerformedAt: contractorSkills.lastPerformedAt,
      })
      .from(contractorSkills)
      .innerJoin(tasks, eq(tasks.id, contractorSkills.taskId))
      .where(eq(contractorSkills.contractorId, id))
      .orderBy(asc(tasks.displayOrder)),
    db
      .select()
      .from(contractorWeeklyAvailability)
      .where(eq(contractorWeeklyAvailability.contractorId, id))
      .orderBy(asc(contractorWeeklyAvailability.weekday)),
    db
      .select()
      .from(contractorAvailabilityDates)
      .where(eq(contractorAvailabilityDates.contractorId, id))
      .orderBy(asc(contractorAvailabilityDates.date)),
    db
      .select()
      .from(contractorCertifications)
      .where(eq(contractorCertifications.contractorId, id))
      .orderBy(asc(contractorCertifications.createdAt)),
  ]);
  const facts = profileFactsOf(c, skills.length, weekly.length, certs.length);
  return {
    id: c.id,
    name: c.name,
    phone: c.phone,
    email: c.email,
    bio: c.bio,
    postcode: c.postcode,
    outcode: c.outcode,
    radiusMiles: c.radiusMiles,
    maxConcurrentJobs: c.maxConcurrentJobs,
    isActive: c.isActive,
    reactiveMode: c.reactiveMode,
    onShift: c.onShift,
    onShiftChangedAt: c.onShiftChangedAt,
    profileCompletionScore: c.profileCompletionScore,
    missingProfileParts: missingProfileParts(facts),
    skills,
    weeklySchedule: weekly.map((w) => ({ weekday: w.weekday, start: hhmm(w.startTime)!, end: hhmm(w.endTime)! })),
    dateOverrides: overrides.map((o) => ({ date: o.date, isAvailable: o.isAvailable, start: hhmm(o.startTime), end: hhmm(o.endTime) })),
    certifications: certs.map((x) => ({
      id: x.id,
      type: x.type,
      name: CERTIFICATION_NAMES[x.type],
      number: x.number,
      authority: x.authority,
      region: x.region,
      expiresOn: x.expiresOn,
    })),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

export type ContractorView = Awaited<ReturnType<typeof loadContractor>>;

function profileFactsOf(
  c: typeof contractors.$inferSelect,
  skillCount: number,
  weeklyDays: number,
  certificationCount: number,
): ProfileFacts {
  return { name: c.name, phone: c.phone, email: c.email, postcode: c.postcode, bio: c.bio, skillCount, weeklyDays, certificationCount };
}

/** Re-derives profile_completion_score; called in the same transaction as any profile change. */
export async function refreshCompletionScore(db: Queryable, id: string): Promise<number> {
  const [c] = await db.select().from(contractors).where(eq(contractors.id, id)).for('no key update');
  if (!c) throw notFound('Contractor', { id });
  // Sequential on purpose: inside a transaction there is one connection.
  const [s] = await db.select({ n: count() }).from(contractorSkills).where(eq(contractorSkills.contractorId, id));
  const [w] = await db.select({ n: count() }).from(contractorWeeklyAvailability).where(eq(contractorWeeklyAvailability.contractorId, id));
  const [k] = await db.select({ n: count() }).from(contractorCertifications).where(eq(contractorCertifications.contractorId, id));
  const score = profileCompletionScore(profileFactsOf(c, s!.n, w!.n, k!.n));
  await db.update(contractors).set({ profileCompletionScore: score, updatedAt: new Date() }).where(eq(contractors.id, id));
  return score;
}
