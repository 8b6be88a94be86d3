import { count } from 'drizzle-orm';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { createUser } from '../modules/auth/create-user.js';
import { contractors } from '../modules/contractors/schema.js';
import { generateContractors } from './generate-contractors.js';

export const DEMO_STAFF = [
  { email: 'admin@handy.local', name: 'Alex Admin', role: 'admin' },
  { email: 'va@handy.local', name: 'Vicky Assistant', role: 'va' },
  { email: 'estimator@handy.local', name: 'Ezra Estimator', role: 'estimator' },
] as const;

/** Outside production the demo accounts get a documented password unless DEMO_PASSWORD is set. */
export function demoPassword(config: Config): string {
  if (config.DEMO_PASSWORD) return config.DEMO_PASSWORD;
  if (config.NODE_ENV === 'production') throw new Error('Set DEMO_PASSWORD to load demo data in production');
  return 'handy-demo-password';
}

/** First start only: demo staff, contractors around real UK outcodes, their history and bookings. */
export async function loadDemoDataIfEmpty(db: Db, config: Config, log: { info: (o: object, m?: string) => void }) {
  const [row] = await db.select({ n: count() }).from(contractors);
  if (row!.n > 0) return null;
  const password = demoPassword(config);
  for (const s of DEMO_STAFF) await createUser(db, { ...s, password });
  log.info({ contractors: config.DEMO_CONTRACTORS }, 'generating demo data');
  const summary = await generateContractors(db, {
    count: config.DEMO_CONTRACTORS,
    seed: 42,
    zone: config.BUSINESS_TIME_ZONE,
    windows: config.slots,
    accounts: { howMany: 5, password },
  });
  return { staff: DEMO_STAFF.map((s) => s.email), ...summary };
}
