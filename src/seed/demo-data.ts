import { count } from 'drizzle-orm';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { createUser } from '../modules/auth/index.js';
import { contractors } from '../modules/contractors/schema.js';
import { generateContractors } from './generate-contractors.js';
import { createLead } from '../modules/leads/index.js';
import { quoteUrl } from '../modules/quotes/index.js';
import { addDemoCrews, triageDemoLead } from './demo-crew.js';

/** A handful of enquiries so the ops console has leads, quotes and a queue to look at. */
const DEMO_ENQUIRIES = [
  {
    customerName: 'Sam Carter',
    email: 'sam.carter@example.com',
    postcode: 'SW11 1AA',
    customerType: 'homeowner' as const,
    description: 'Leaking kitchen tap and a TV to mount in the lounge',
  },
  {
    customerName: 'Priya Shah',
    phone: '07700900321',
    postcode: 'SE15 4QN',
    customerType: 'landlord' as const,
    description: 'Tenant reports the toilet keeps running and the bath silicone is mouldy',
  },
  {
    customerName: 'Acme Lettings',
    email: 'maintenance@acme-lettings.example',
    postcode: 'N1 9GU',
    customerType: 'pm' as const,
    description: 'Two fence panels blown down at a rental property',
  },
  {
    customerName: 'Corner Cafe Ltd',
    email: 'owner@cornercafe.example',
    postcode: 'E1 6AN',
    customerType: 'commercial' as const,
    description: 'Need an extra socket behind the counter',
  },
  {
    customerName: 'Dana Lee',
    email: 'dana@example.com',
    postcode: 'W12 7RJ',
    customerType: 'homeowner' as const,
    description: 'Damp patch in the loft, not sure what it is',
  },
];
/** No price-list match: as a VA would, book a visit for a look (no quote; the job link books it). */
const TRIAGE: Record<string, string> = { 'Dana Lee': 'general-odd-jobs' };

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
export async function loadDemoDataIfEmpty(db: Db, config: Config, log: { info: (o: object, m?: string) => void }, now = new Date()) {
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
    now,
  });
  const links = [];
  for (const e of DEMO_ENQUIRIES) {
    const lead = await createLead(db, e, 'web', 'customer', config, now);
    if (TRIAGE[e.customerName]) await triageDemoLead(db, lead.leadId, TRIAGE[e.customerName]!);
    links.push({
      customer: e.customerName,
      leadId: lead.leadId,
      jobLink: lead.customerUrl,
      quoteLink: lead.quote ? quoteUrl(config.publicBaseUrl, lead.quote.id) : null,
    });
  }
  const crew = await addDemoCrews(
    db,
    config,
    links.map((l) => l.leadId),
    now,
  );
  return { staff: DEMO_STAFF.map((s) => s.email), ...summary, localCrew: crew, leads: links };
}
