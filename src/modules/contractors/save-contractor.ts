import { eq } from 'drizzle-orm';
import type { Db, Queryable } from '../../db/client.js';
import { createUser } from '../auth/index.js';
import { geocode } from '../geo/index.js';
import { AppError, notFound } from '../../shared/errors.js';
import { refreshCompletionScore } from './contractor-view.js';
import type { CertificationsInput, ProfileInput, SkillsInput, WeeklyScheduleInput } from './inputs.js';
import { replaceCertifications } from './replace-certifications.js';
import { replaceSkills } from './replace-skills.js';
import { contractors } from './schema.js';
import { setWeeklySchedule } from './set-schedule.js';

type Location = { postcode: string | null; outcode: string | null; latitude: number | null; longitude: number | null };

function locate(postcode: string | null | undefined): Location | undefined {
  if (postcode === undefined) return undefined;
  if (postcode === null) return { postcode: null, outcode: null, latitude: null, longitude: null };
  const g = geocode(postcode);
  return { postcode: g.postcode, outcode: g.outcode, latitude: g.latitude, longitude: g.longitude };
}

export type NewContractor = Partial<ProfileInput> & {
  name: string;
  maxConcurrentJobs?: number;
  skills?: SkillsInput;
  weeklySchedule?: WeeklyScheduleInput;
  certifications?: CertificationsInput;
  /** Creates the contractor's sign-in (email required). */
  password?: string;
};

export async function createContractor(db: Db, input: NewContractor): Promise<string> {
  const { skills, weeklySchedule, certifications, password, postcode, ...fields } = input;
  const location = locate(postcode) ?? {};
  if (password && !fields.email) throw new AppError('EMAIL_REQUIRED', 'A sign-in needs an email address', { field: 'email' });
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(contractors)
      .values({ ...fields, ...location })
      .returning({ id: contractors.id });
    const id = row!.id;
    if (skills) await replaceSkills(tx, id, skills);
    if (weeklySchedule) await setWeeklySchedule(tx, id, weeklySchedule);
    if (certifications) await replaceCertifications(tx, id, certifications);
    if (password) await createUser(tx, { email: fields.email!, name: fields.name, role: 'contractor', password, contractorId: id });
    await refreshCompletionScore(tx, id);
    return id;
  });
}

export type ProfilePatch = Partial<ProfileInput> & { maxConcurrentJobs?: number };

export async function updateContractorProfile(db: Db, id: string, patch: ProfilePatch): Promise<void> {
  const { postcode, ...fields } = patch;
  const location = locate(postcode) ?? {};
  await db.transaction(async (tx) => {
    const rows = await tx
      .update(contractors)
      .set({ ...fields, ...location, updatedAt: new Date() })
      .where(eq(contractors.id, id))
      .returning({ id: contractors.id });
    if (rows.length === 0) throw notFound('Contractor', { id });
    await refreshCompletionScore(tx, id);
  });
}

/** Runs a change to skills/schedule/certifications and re-derives the completion score with it. */
export async function changeContractor(db: Db, id: string, change: (tx: Queryable) => Promise<void>): Promise<void> {
  await db.transaction(async (tx) => {
    const [c] = await tx.select({ id: contractors.id }).from(contractors).where(eq(contractors.id, id)).for('no key update');
    if (!c) throw notFound('Contractor', { id });
    await change(tx);
    await refreshCompletionScore(tx, id);
  });
}

export async function setContractorActive(db: Queryable, id: string, isActive: boolean): Promise<void> {
  // on_shift is left alone (clock-in/out is its only writer); an inactive contractor is never
  // matched, offered or allowed to clock in or accept, whatever it says.
  const rows = await db
    .update(contractors)
    .set({ isActive, updatedAt: new Date() })
    .where(eq(contractors.id, id))
    .returning({ id: contractors.id });
  if (rows.length === 0) throw notFound('Contractor', { id });
}
