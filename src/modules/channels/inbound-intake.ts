import { and, desc, eq, inArray, notInArray, or, sql } from 'drizzle-orm';
import type { Config } from '../../config.js';
import type { Db, Queryable } from '../../db/client.js';
import { geocode } from '../geo/index.js';
import { attachVideo } from '../intake/index.js';
import { setJobPlace } from '../jobs/index.js';
import { createLead } from '../leads/index.js';
import { setLeadPlace } from '../leads/index.js';
import { leads } from '../leads/schema.js';
import { enqueueMessage } from '../notifications/index.js';
import { ukNational } from '../notifications/index.js';
import { messagePreferences } from '../notifications/schema.js';
import { inboundMessages, type StoredMedia } from './schema.js';

export type InboundChannel = 'sms' | 'whatsapp' | 'telegram' | 'call';
export type Inbound = {
  channel: InboundChannel;
  /** E.164 number, or the Telegram chat id. */
  from: string;
  providerId: string;
  body: string;
  name?: string | null;
  media: StoredMedia[];
  at: Date;
};

const CLOSED = ['completed', 'lost', 'expired', 'cancelled'] as const;
export const POSTCODE_TO_CONFIRM = '(postcode to confirm)';

/** A UK postcode the customer wrote, if one geocodes. */
export function findPostcode(text: string): string | null {
  for (const m of text.matchAll(/\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\b/gi)) {
    try {
      return geocode(`${m[1]} ${m[2]}`).postcode;
    } catch {
      // not a real area; keep looking
    }
  }
  return null;
}

async function openLeadFor(tx: Queryable, m: Inbound) {
  if (m.channel === 'telegram') {
    const [row] = await tx
      .select({ id: leads.id, state: leads.state, address: leads.address, jobId: leads.jobId })
      .from(leads)
      .innerJoin(messagePreferences, eq(messagePreferences.leadId, leads.id))
      .where(and(eq(messagePreferences.telegramChatId, m.from), notInArray(leads.state, [...CLOSED])))
      .orderBy(desc(leads.createdAt))
      .limit(1);
    return row ?? null;
  }
  const numbers = [m.from, ukNational(m.from)].filter((x): x is string => Boolean(x));
  const [row] = await tx
    .select({ id: leads.id, state: leads.state, address: leads.address, jobId: leads.jobId })
    .from(leads)
    .where(
      and(
        or(inArray(leads.phone, numbers), sql`regexp_replace(${leads.phone}, '[^0-9+]', '', 'g') in ${numbers}`),
        notInArray(leads.state, [...CLOSED]),
      ),
    )
    .orderBy(desc(leads.createdAt))
    .limit(1);
  return row ?? null;
}

/** A postcode given later moves the lead (and its job) from the placeholder to the real place. */
async function confirmPostcode(tx: Queryable, lead: { id: string; address: string | null; jobId: string }, text: string) {
  if (lead.address !== POSTCODE_TO_CONFIRM) return;
  const found = findPostcode(text);
  if (!found) return;
  const p = geocode(found);
  const place = { postcode: p.postcode, outcode: p.outcode, latitude: p.latitude, longitude: p.longitude };
  await setLeadPlace(tx, lead.id, place);
  await setJobPlace(tx, lead.jobId, place);
}

/**
 * A message (or voicemail) from a customer: kept once per provider id (a retried webhook changes
 * nothing), joined to the open lead of a known number or chat, or made into a new lead (source =
 * the channel; SKU detection and instant quoting run as on any enquiry). Videos go to scoring.
 */
export async function receiveInbound(db: Db, m: Inbound, config: Config) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(inboundMessages)
      .values({ channel: m.channel, from: m.from, body: m.body, media: m.media, providerId: m.providerId, createdAt: m.at })
      .onConflictDoNothing()
      .returning({ id: inboundMessages.id });
    if (!row) return { duplicate: true as const, leadId: null, created: false, videoIds: [] as string[] };

    const by = `${m.channel}:${m.from}`;
    let lead = await openLeadFor(tx, m);
    let created = false;
    if (!lead) {
      const postcode = findPostcode(m.body);
      const description = m.body.trim().length >= 3 ? m.body.trim() : `${m.media.length ? 'Photos/video' : 'Enquiry'} by ${m.channel}`;
      const phone = m.channel === 'telegram' ? undefined : m.from;
      const preferred = m.channel === 'call' ? 'sms' : m.channel;
      const result = await createLead(
        tx as unknown as Db,
        {
          customerName: m.name?.trim() || (phone ? `Caller ${phone.slice(-4)}` : 'Telegram customer'),
          ...(phone ? { phone } : {}),
          postcode: postcode ?? config.INBOUND_DEFAULT_POSTCODE,
          ...(postcode ? {} : { address: POSTCODE_TO_CONFIRM }),
          customerType: 'homeowner',
          description,
        },
        m.channel === 'sms' ? 'call' : m.channel === 'call' ? 'call' : m.channel,
        by,
        config,
        m.at,
        { channel: preferred, ...(m.channel === 'telegram' ? { telegramChatId: m.from } : {}) },
      );
      const [fresh] = await tx
        .select({ id: leads.id, state: leads.state, address: leads.address, jobId: leads.jobId })
        .from(leads)
        .where(eq(leads.id, result.leadId));
      lead = fresh!;
      created = true;
      if (!result.quote) {
        await enqueueMessage(tx, {
          type: 'lead_acknowledged',
          to: { lead: result.leadId },
          data: { customerName: m.name ?? null, askPostcode: !postcode },
          subject: `lead:${result.leadId}`,
        });
      }
    } else {
      await confirmPostcode(tx, lead, m.body);
    }
    await tx.update(inboundMessages).set({ leadId: lead!.id }).where(eq(inboundMessages.id, row.id));
    const videoIds: string[] = [];
    for (const media of m.media.filter((x) => x.kind === 'video')) {
      const id = await attachVideo(tx, lead!.id, media, by, m.at);
      if (id) {
        media.videoId = id;
        videoIds.push(id);
      }
    }
    if (videoIds.length) await tx.update(inboundMessages).set({ media: m.media }).where(eq(inboundMessages.id, row.id));
    return { duplicate: false as const, leadId: lead!.id, created, videoIds };
  });
}
