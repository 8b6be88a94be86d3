import { eq } from 'drizzle-orm';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { addDays, localToday } from '../modules/availability/index.js';
import { clock } from '../modules/contractors/index.js';
import { createContractor } from '../modules/contractors/index.js';
import { loadJobSpec } from '../modules/jobs/index.js';
import { jobTaskRequirements } from '../modules/jobs/schema.js';
import { leads } from '../modules/leads/schema.js';

const NAMES = [
  'Ruth Okoye',
  'Ben Marsh',
  'Nadia Haddad',
  'Owen Price',
  'Lena Kowalski',
  'Sunil Rao',
  'Maya Ellis',
  'Tom Fraser',
  'Ife Adeyemi',
  'Carl Jensen',
  'Hana Sato',
  'Rob Lyle',
  'Eva Novak',
  'Dan Curtis',
  'Zara Malik',
];
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '17:00' }));
const CREW_PER_LEAD = 3;

/**
 * The random demo contractors rarely cover a demo enquiry whole: a multi-task job (a tap and a TV)
 * needs one contractor qualified for every primary task, certified work needs the certificate,
 * and all of it within their radius of that postcode. So each demo lead gets a small local crew
 * qualified for exactly its tasks, working every day, so every demo link has slots to book
 * whatever the day or time `npm start` runs. The first of each crew is on shift for urgent demos.
 */
export async function addDemoCrews(db: Db, config: Config, leadIds: string[], now: Date) {
  let n = 0;
  const expiresOn = addDays(localToday(now, config.BUSINESS_TIME_ZONE), 730);
  for (const leadId of leadIds) {
    const [lead] = await db.select({ jobId: leads.jobId, postcode: leads.postcode }).from(leads).where(eq(leads.id, leadId));
    const spec = await loadJobSpec(db, lead!.jobId);
    const primary = spec.tasks.filter((t) => t.isPrimary);
    if (!primary.length) continue;
    const certs = [...new Set(primary.map((t) => t.requiredCertification).filter((c) => c !== null))];
    for (let k = 0; k < CREW_PER_LEAD; k++, n++) {
      const name = NAMES[n % NAMES.length]!;
      const id = await createContractor(db, {
        name,
        phone: `07700 9${String(10000 + n).slice(-5)}`,
        email: `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@example.co.uk`,
        bio: `${name.split(' ')[0]} covers ${lead!.postcode.split(' ')[0]} and around.`,
        postcode: lead!.postcode,
        radiusMiles: 15,
        maxConcurrentJobs: 5,
        reactiveMode: true,
        skills: [...new Set([...primary.map((t) => t.taskId), 'general-odd-jobs'])].map((taskId) => ({
          taskId,
          confidence: 'expert' as const,
          yearsExperience: 6 + k,
        })),
        weeklySchedule: EVERY_DAY,
        certifications: certs.map((type) => ({
          type,
          number: `${type.toUpperCase()}-DEMO-${n}`,
          authority: type === 'gas_safe' ? 'Gas Safe Register' : 'NICEIC',
          region: 'England',
          expiresOn,
        })),
      });
      if (k === 0) await clock(db, id, true, now, config);
    }
  }
  return n;
}

/** A VA's triage of an enquiry detection could not read: the tasks to book a visit for. */
export async function triageDemoLead(db: Db, leadId: string, taskId: string) {
  const [lead] = await db.select({ jobId: leads.jobId }).from(leads).where(eq(leads.id, leadId));
  await db
    .insert(jobTaskRequirements)
    .values({ jobId: lead!.jobId, taskId, requiredConfidence: 'capable', isPrimary: true, manuallyVerified: true })
    .onConflictDoNothing();
}
